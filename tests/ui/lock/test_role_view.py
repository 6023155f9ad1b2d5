"""Each role sees only what it may do; the services refuse on their own (issue 10 §2).

Every test pairs what the screen hides with the service refusing the same thing when it
is called directly, so hiding a button is never the only guard.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied
from clinic_app.services.dto import EncounterInput, PatientView, UserView
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.patients.dialog import PatientDialog
from clinic_app.ui.role_view import MAIN_COMMANDS
from tests.factories import add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)

#: Every main-window command that enters clinical data.
CLINICAL_COMMANDS = ("new_encounter_action", "repeat_visit_action")


@pytest.fixture
def visit(services, admin, make_patient) -> tuple[PatientView, int]:
    """A patient with a draft of today by the administrator-provider."""
    patient = make_patient(given_name="Zoe", family_name="Roles", allergies="Latex")
    encounter = services.encounters.create(patient.id, admin.id)
    return patient, encounter.id


def signed_in(services, username: str, role: Role) -> UserView:
    user = add_user(services, username, "Some One", role)
    return sign_in_as(services, user)


def test_a_front_desk_session_shows_no_clinical_editing_control(qtbot, services, visit, admin):
    patient, encounter_id = visit
    signed_in(services, "ffront", Role.FRONT_DESK)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.select_patient(patient.id)
    for name in CLINICAL_COMMANDS:
        action = getattr(window, name)
        assert not action.isVisible(), name
        assert not action.isEnabled(), name
    assert window.edit_patient_action.isEnabled()  # demographics and contact details
    assert not window.clinic_settings_action.isVisible()

    # The patient form: clinical fields shown, read-only.
    window.on_edit_patient()
    dialog = window.patient_dialog
    assert isinstance(dialog, PatientDialog)
    assert not dialog.may_chart
    for field in dialog.clinical_fields():
        if isinstance(field, (QLineEdit, QPlainTextEdit)):
            assert field.isReadOnly(), field.accessibleName()
        else:
            assert not field.isEnabled(), field.accessibleName()
    assert dialog.allergies.toPlainText() == "Latex"
    assert not dialog.phone.isReadOnly()
    flagged = dataclasses.replace(dialog.form_input(), anticoagulant=True)
    dialog.reject()

    # A visit in the history does not open: no editor, a word in the status bar.
    window.on_encounter_activated(encounter_id)
    assert window.encounters.editors() == []
    assert "does not open visits" in window.statusBar().currentMessage()

    # The services refuse the same things on their own.
    with pytest.raises(PermissionDenied):
        services.encounters.create(patient.id, admin.id)
    with pytest.raises(PermissionDenied):
        services.encounters.get(encounter_id)
    with pytest.raises(PermissionDenied):
        services.patients.update(patient.id, flagged, expected_version=patient.version)
    assert not services.patients.get(patient.id).anticoagulant


def test_a_nurse_charts_but_sees_no_sign_command(qtbot, services, visit):
    _patient, encounter_id = visit
    signed_in(services, "nnurse", Role.NURSE)
    editor = EncounterEditor(services, encounter_id)
    qtbot.addWidget(editor)
    assert not editor.read_only  # a nurse prepares the draft
    assert not editor.sign_action.isVisible()
    assert not editor.addendum_action.isVisible()
    assert editor.on_sign() is None  # Ctrl+Alt+S does nothing either
    assert editor.save_action.isEnabled()

    stored = services.encounters.get(encounter_id)
    with pytest.raises(PermissionDenied):
        services.checks.sign(encounter_id, stored.version, EncounterInput(), [], {})


def test_a_provider_sees_the_sign_command(qtbot, services, visit):
    _patient, encounter_id = visit
    editor = EncounterEditor(services, encounter_id)  # the administrator-provider
    qtbot.addWidget(editor)
    assert editor.sign_action.isVisible()
    assert editor.sign_action.isEnabled()


def test_an_administrator_without_a_clinical_role_sees_no_patients(qtbot, services, visit):
    signed_in(services, "aadmin", Role.ADMIN)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.no_patients_label.isVisible()
    assert not window.table.isVisible()
    assert not window.search_box.isVisible()
    assert window.model.rowCount() == 0
    visible = {name for name in MAIN_COMMANDS if getattr(window, name).isVisible()}
    assert visible == {
        "clinic_settings_action",
        "change_password_action",
        "users_action",
        "audit_trail_action",
        "back_up_action",
        "restore_action",
        "backup_settings_action",
        "lots_action",  # the administrator keeps the lots (issue 12 §5)
        "import_patients_action",  # and imports patients from a file (issue 14 §3)
    }
    with pytest.raises(PermissionDenied):
        services.patients.search("Roles")


def test_the_screens_follow_the_matrix_not_role_names(qtbot, services, visit, monkeypatch):
    """A matrix that lets the front desk chart would show them the commands."""
    from clinic_app.domain import access

    matrix = access.default_permissions()
    grant = matrix.roles[Role.FRONT_DESK]
    widened = type(grant)(grant.role, grant.rationale, grant.allowed | {"encounter.create"})
    roles = {**matrix.roles, Role.FRONT_DESK: widened}
    monkeypatch.setattr(
        access, "default_permissions", lambda: type(matrix)(
            matrix.actions, matrix.signed_out, matrix.command_line, roles
        )
    )  # fmt: skip
    signed_in(services, "ffront", Role.FRONT_DESK)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.new_encounter_action.isVisible()
    assert not window.repeat_visit_action.isVisible()
