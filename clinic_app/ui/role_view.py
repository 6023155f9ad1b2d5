"""What the main window offers each role: the permission matrix decides, not role names.

The services refuse on their own (issue 10 §2); the screens only stop offering what would
be refused, so a front-desk user sees no clinical command and an administrator without a
clinical role sees no patient list.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from PySide6.QtGui import QAction

from clinic_app.domain.access import may
from clinic_app.domain.enums import Role

#: Each main-window command (its attribute) and the action of the matrix it needs.
MAIN_COMMANDS: Final = {
    "new_patient_action": "patient.create",
    "edit_patient_action": "patient.update",
    "void_patient_action": "patient.void",
    "new_encounter_action": "encounter.create",
    "repeat_visit_action": "encounter.repeat",
    "front_desk_action": "front_desk.procedures",
    "clinic_settings_action": "clinic.update",
    "change_password_action": "user.change_own_password",
    "users_action": "user.accounts",
    "audit_trail_action": "audit.report",
    "find_action": "patient.search",
    "refresh_action": "patient.search",
    "back_up_action": "backup.create",
    "restore_action": "backup.restore",
    "backup_settings_action": "backup.create",
    "lots_action": "lot.receive",
    "export_fhir_action": "fhir.export",
    "import_patients_action": "patient.import",
    "outcome_measure_action": "measure.record",
    "progress_action": "progress.read",
}
#: Commands that act on the selected patient (enabled only while one is selected).
PATIENT_COMMANDS: Final = (
    "edit_patient_action",
    "void_patient_action",
    "new_encounter_action",
    "repeat_visit_action",
    "export_fhir_action",
    "outcome_measure_action",
    "progress_action",
)
#: What the patient list says to a user whose roles do not include patient records.
NO_PATIENTS_TEXT = (
    "Your role does not include patient records. The File menu holds what you may do."
)


def show_commands(window: object, granted: Collection[Role] | None) -> None:
    """Show only the commands ``granted`` allows (hidden, not just disabled)."""
    for name, action in MAIN_COMMANDS.items():
        command: QAction = getattr(window, name)
        command.setVisible(may(granted, action))
        if not command.isVisible():
            command.setEnabled(False)
        elif name not in PATIENT_COMMANDS:
            command.setEnabled(True)


def patient_command_enabled(command: QAction, has_patient: bool) -> bool:
    """Whether a per-patient command is usable now: allowed, and a patient selected."""
    return has_patient and command.isVisible()
