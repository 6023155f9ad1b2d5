"""The main window's commands, menus and toolbar (layout only; the window owns the slots)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from clinic_app.ui.common import icons
from clinic_app.ui.common.chrome import build_menus, build_toolbar, make_action


class MainSlots(Protocol):
    """What the main window's commands call."""

    def on_new_patient(self) -> None: ...
    def on_edit_patient(self) -> None: ...
    def on_void_patient(self) -> None: ...
    def on_find(self) -> None: ...
    def on_front_desk(self) -> None: ...
    def on_clinic_settings(self) -> None: ...
    def on_change_password(self) -> None: ...
    def on_users(self) -> None: ...
    def on_audit_trail(self) -> None: ...
    def on_lots(self) -> None: ...
    def on_export_fhir(self) -> None: ...
    def on_import_patients(self) -> None: ...
    def on_outcome_measure(self) -> None: ...
    def on_progress(self) -> None: ...
    def on_about(self) -> None: ...
    def refresh(self) -> None: ...
    def close(self) -> bool: ...


@dataclass(frozen=True)
class MainActions:
    """The main window's own commands (the encounter commands come from EncounterWindows)."""

    new_patient: QAction
    edit_patient: QAction
    void_patient: QAction
    refresh: QAction
    find: QAction
    quit: QAction
    front_desk: QAction
    clinic_settings: QAction
    change_password: QAction
    about: QAction
    users: QAction
    audit_trail: QAction
    lots: QAction
    export_fhir: QAction
    import_patients: QAction
    outcome_measure: QAction
    progress: QAction


def build_main_actions(
    window: QMainWindow, slots: MainSlots, new_encounter: QAction, repeat_visit: QAction
) -> MainActions:
    """Create the window's commands and lay them out in its menus and toolbar."""
    new_patient = make_action(
        window,
        "&New patient…",
        slots.on_new_patient,
        QKeySequence.StandardKey.New,
        "Register a new patient",
    )
    edit_patient = make_action(
        window, "&Edit patient…", slots.on_edit_patient, "Ctrl+E", "Edit the selected patient"
    )
    void_patient = make_action(
        window,
        "&Void patient…",
        slots.on_void_patient,
        None,
        "Void a patient registered in error",
    )
    refresh = make_action(window, "&Refresh", slots.refresh, "F5", "Reload the patient list")
    find = make_action(window, "&Find patient", slots.on_find, "Ctrl+F", "Go to the search box")
    quit = make_action(window, "&Quit", slots.close, "Ctrl+Q", "Close clinic_app")
    front_desk = make_action(
        window,
        "Front &desk…",
        slots.on_front_desk,
        "Ctrl+D",
        "The day's procedures: preview and print aftercare handouts",
    )
    clinic_settings = make_action(
        window,
        "Clinic &settings…",
        slots.on_clinic_settings,
        None,
        "Edit the clinic's details, handout defaults and logo (administrators)",
    )
    change_password = make_action(
        window, "C&hange password…", slots.on_change_password, None, "Choose a new password"
    )
    audit_trail = make_action(
        window, "&Audit trail…", slots.on_audit_trail, None, "Who did what (administrators)"
    )
    about = make_action(window, "&About clinic_app", slots.on_about, None, "Version and database")
    users = make_action(
        window, "&Users…", slots.on_users, None, "User accounts and roles (administrators)"
    )
    lots = make_action(
        window, "&Lots and stock…", slots.on_lots, None, "Receive lots, see stock, recall search"
    )
    export_fhir = make_action(
        window,
        "E&xport to FHIR…",
        slots.on_export_fhir,
        None,
        "Save the selected patient's signed visits as a FHIR R4 file for the main record",
    )
    import_patients = make_action(
        window,
        "&Import patients…",
        slots.on_import_patients,
        None,
        "Register patients from a FHIR file or a CSV export of another system",
    )
    outcome_measure = make_action(
        window,
        "Outcome &questionnaire…",
        slots.on_outcome_measure,
        None,
        "Record the selected patient's NDI or ODI questionnaire",
    )
    progress = make_action(
        window,
        "&Progress…",
        slots.on_progress,
        "Ctrl+Shift+P",
        "The selected patient's pain and relief over the series of visits",
    )
    for action, icon in (
        (new_patient, "new_patient"), (edit_patient, "edit_patient"),
        (void_patient, "void_patient"), (refresh, "refresh"), (find, "find"), (quit, "quit"),
        (front_desk, "front_desk"), (clinic_settings, "clinic_settings"),
        (change_password, "change_password"), (audit_trail, "audit_trail"), (about, "about"),
        (users, "users"), (new_encounter, "new_encounter"), (repeat_visit, "repeat_visit"),
        (lots, "lots"), (export_fhir, "export_fhir"), (import_patients, "import_patients"),
        (progress, "progress"), (outcome_measure, "outcome_measure"),
    ):  # fmt: skip
        icons.apply(action, icon)
    build_menus(
        window,
        [
            (
                "&File",
                [
                    front_desk,
                    None,
                    clinic_settings,
                    users,
                    audit_trail,
                    lots,
                    import_patients,
                    change_password,
                    None,
                    refresh,
                    None,
                    quit,
                ],
            ),
            (
                "&Patient",
                [
                    find,
                    new_patient,
                    edit_patient,
                    progress,
                    None,
                    void_patient,
                    None,
                    export_fhir,
                    outcome_measure,
                ],
            ),
            ("En&counter", [new_encounter, repeat_visit]),
            ("&Help", [about]),
        ],
    )
    build_toolbar(
        window,
        "Patient actions",
        [
            new_patient,
            edit_patient,
            void_patient,
            refresh,
            new_encounter,
            repeat_visit,
            front_desk,
        ],
    )
    return MainActions(
        new_patient=new_patient,
        edit_patient=edit_patient,
        void_patient=void_patient,
        refresh=refresh,
        find=find,
        quit=quit,
        front_desk=front_desk,
        clinic_settings=clinic_settings,
        change_password=change_password,
        about=about,
        users=users,
        audit_trail=audit_trail,
        lots=lots,
        export_fhir=export_fhir,
        import_patients=import_patients,
        outcome_measure=outcome_measure,
        progress=progress,
    )
