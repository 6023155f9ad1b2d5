"""The main window: find a patient, see their summary and history, register or edit them,
and open their encounters."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app import __version__
from clinic_app.domain.access import may
from clinic_app.domain.errors import ClinicError
from clinic_app.services.changes import Topic
from clinic_app.services.dto import ClinicProfileView, PatientView
from clinic_app.ui.admin.backup import BackupController
from clinic_app.ui.admin.windows import AdminWindows
from clinic_app.ui.common import messages
from clinic_app.ui.common.chrome import add_status_fields
from clinic_app.ui.common.emergency import open_chart
from clinic_app.ui.common.messages import ask_void_reason, show_error
from clinic_app.ui.common.refresh import ChangeListener, LiveRefresh
from clinic_app.ui.encounter.windows import EncounterWindows
from clinic_app.ui.lock.controller import SessionLock
from clinic_app.ui.main_actions import build_main_actions
from clinic_app.ui.patients.dialog import PatientDialog
from clinic_app.ui.patients.list_view import SEARCH_PLACEHOLDER as SEARCH_PLACEHOLDER
from clinic_app.ui.patients.list_view import PatientList
from clinic_app.ui.patients.panel import PatientPanel
from clinic_app.ui.role_view import NO_PATIENTS_TEXT, PATIENT_COMMANDS, show_commands

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.ui.admin.clinic_settings import ClinicSettingsDialog
    from clinic_app.ui.admin.users_dialog import UsersDialog
    from clinic_app.ui.fhir_export import FhirExporter
    from clinic_app.ui.front_desk.window import FrontDeskWindow

# The editor, the front desk and the administration dialogs are imported on first use, so
# that the sign-in dialog paints soon after start (issue 13; tests/ui/test_startup_imports.py).

DEMO_BANNER_TEXT = "DEMO DATABASE — synthetic patients, not for clinical use"
#: Pause after the last keystroke before searching, so typing a name runs one query.
SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 200

_STYLE = """
QLabel#demoBanner { background: #e65100; color: white; font-weight: bold;
                    padding: 6px; border-radius: 3px; }
"""


class MainWindow(QMainWindow):
    """The patient list with a search box, and the selected patient beside it.

    Every service call happens in response to a user action; the window keeps only plain
    PatientView rows and ids between events.

    Signals:
        patient_selected(int): the patient with this id became the current one.
        patient_saved(int): a patient was created or edited and the list shows it.
        patient_voided(int): a patient was voided and left the list.
        history_refreshed(int): the history of the patient with this id was reloaded.
        search_finished(int): the list was refilled with this many patients.
        clinic_settings_saved(ClinicProfileView): the clinic profile was edited and the
            title and banner show it.
        live_reloaded(int): the list (this many patients) and the selected patient's summary
            were brought up to date after another workstation's change.

    Attributes:
        patient_list: the search box over the patient table; ``search_box``, ``model``
            (source rows), ``proxy`` (sorting) and ``table`` are its parts.
        panel: the selected patient's summary and history.
        demo_banner: the warning shown on a demo database.
        encounters: opens the encounter editors and tracks them.
        search_timer: the debounce timer of search-as-you-type.
        new_patient_action, edit_patient_action, void_patient_action, refresh_action,
        find_action, quit_action, about_action, new_encounter_action, repeat_visit_action,
        front_desk_action (Ctrl+D, opens the front-desk window), clinic_settings_action
        (administrators only), change_password_action: the window's commands.
        count_label, database_label, user_label: the status-bar fields.
        changes: hears other workstations' commits (shared with the front desk); ``live``
            reloads the list and the summary from it at quiet moments.
    """

    patient_selected = Signal(int)
    patient_saved = Signal(int)
    patient_voided = Signal(int)
    history_refreshed = Signal(int)
    search_finished = Signal(int)
    clinic_settings_saved = Signal(object)
    live_reloaded = Signal(int)

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        *,
        idle_clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._dialog: PatientDialog | None = None
        self._front_desk: FrontDeskWindow | None = None
        self._total = 0
        self.setObjectName("mainWindow")
        self.setAccessibleName("clinic_app main window")
        self.setStyleSheet(_STYLE)
        self.resize(1180, 720)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        self.encounters = EncounterWindows(services, self, self.current_patient_id)
        self.admin = AdminWindows(services, self)
        self.admin.clinic_settings_saved.connect(self.on_clinic_settings_saved)
        self.encounters.encounter_changed.connect(self.on_encounter_changed)
        self.new_encounter_action = self.encounters.new_encounter_action
        self.repeat_visit_action = self.encounters.repeat_visit_action

        actions = build_main_actions(
            self, self, self.new_encounter_action, self.repeat_visit_action
        )
        self.new_patient_action = actions.new_patient
        self.edit_patient_action = actions.edit_patient
        self.void_patient_action = actions.void_patient
        self.refresh_action = actions.refresh
        self.find_action = actions.find
        self.quit_action = actions.quit
        self.front_desk_action = actions.front_desk
        self.clinic_settings_action = actions.clinic_settings
        self.change_password_action = actions.change_password
        self.about_action = actions.about
        # Ctrl+L and sign-out; idle_clock lets tests move the idle time without waiting.
        self.session_lock = SessionLock(services, self, clock=idle_clock)
        file_menu = self.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu)
        file_menu.insertActions(self.refresh_action, self.session_lock.actions())
        self.users_action = actions.users  # File → Users… (administrators)
        self.audit_trail_action = actions.audit_trail
        self.lots_action = actions.lots  # File → Lots and stock… (administrators, nurses)
        self.export_fhir_action = actions.export_fhir  # Patient → Export to FHIR…
        self.fhir_exporter: FhirExporter | None = None
        self.import_patients_action = actions.import_patients  # File → Import patients…
        self.outcome_measure_action = actions.outcome_measure  # Patient → Outcome questionnaire…
        self.progress_action = actions.progress  # Patient → Progress… (providers, nurses)
        self._build_central()
        self._build_status_bar()
        self._restoring = False
        self.changes = ChangeListener(services.changes, self)
        self.admin.changes = self.changes
        self.live = LiveRefresh(
            self.changes,
            (Topic.PATIENTS, Topic.ENCOUNTERS),
            self.reload_live,
            visible=lambda: self.isVisible() and not self.session_lock.is_locked,
            busy=self.search_timer.isActive,  # a search of fresh rows is about to run
            parent=self,
        )
        self.session_lock.unlocked.connect(lambda _user: self.live.poke())
        # File → Back up now…, Restore from backup…, Backup settings…; "Last backup" field.
        self.backups = BackupController(services, self, before_restore=self._before_restore)
        self.backups.restore_refused.connect(self.changes.start)
        file_menu.insertActions(self.refresh_action, self.backups.actions())
        self.back_up_action, self.restore_action, self.backup_settings_action = (
            self.backups.actions()
        )
        self.refresh()
        self.search_box.setFocus()

    # ------------------------------------------------------------------ building
    def _build_central(self) -> None:
        self.demo_banner = QLabel(DEMO_BANNER_TEXT)
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setAccessibleName("Demo database warning")
        self.demo_banner.hide()

        self.patient_list = PatientList()
        self.search_box = self.patient_list.search_box
        self.model = self.patient_list.model
        self.proxy = self.patient_list.proxy
        self.table = self.patient_list.table
        self.search_box.textChanged.connect(self.on_search_text_changed)
        self.search_box.returnPressed.connect(self.on_search_return_pressed)
        self.table.activated.connect(self.on_row_activated)
        self.table.selectionModel().currentRowChanged.connect(self.on_current_row_changed)

        self.panel = PatientPanel()
        self.panel.encounter_activated.connect(self.on_encounter_activated)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setAccessibleName("Patient list and details")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.patient_list)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([680, 480])

        central = QWidget()
        central.setAccessibleName("Patients")
        layout = QVBoxLayout(central)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.search_box)
        layout.addWidget(splitter, 1)
        self.no_patients_label = QLabel(NO_PATIENTS_TEXT)
        self.no_patients_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_patients_label.setWordWrap(True)
        self.no_patients_label.hide()
        layout.addWidget(self.no_patients_label, 1)
        self._splitter = splitter
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.statusBar().setAccessibleName("Status")
        self.count_label, self.database_label, self.user_label = add_status_fields(
            self.statusBar(), ["Patient count", "Database", "Signed-in user"]
        )

    # ------------------------------------------------------------------ public API
    @property
    def patient_dialog(self) -> PatientDialog | None:
        """The patient form currently open over this window, if any."""
        return self._dialog

    def show_patient_dialog(self, dialog: PatientDialog) -> None:
        """Show again a patient form the lock kept for its user (see ui/lock/controller.py)."""
        self._dialog = dialog
        dialog.open()

    def current_patient_id(self) -> int | None:
        """The id of the selected patient, if any."""
        return self.patient_list.current_patient_id()

    def current_patient(self) -> PatientView | None:
        return self.patient_list.current_patient()

    def select_patient(self, patient_id: int) -> bool:
        """Make ``patient_id`` the current row; False when it is not listed."""
        return self.patient_list.select_patient(patient_id)

    def refresh(self) -> None:
        """Reload the clinic profile, the signed-in user, the count and the list."""
        try:
            profile = self._services.clinic.profile()
            user = self._services.clinic.current_user()
            if may(self._services.actor.granted, "patient.count"):
                self._total = self._services.patients.count()
        except ClinicError as exc:
            show_error(self, "Could not load the clinic", exc)
            return
        self.setWindowTitle(f"clinic_app — {profile.name}" if profile else "clinic_app")
        self.demo_banner.setVisible(bool(profile and profile.is_demo))
        self.panel.set_clinic_zone(profile.timezone if profile else "")
        self.database_label.setText(f"Database: {self._services.database_label}")
        self.user_label.setText(f"Signed in: {user.label}" if user else "Not signed in")
        granted = self._services.actor.granted
        show_commands(self, granted)
        sees_patients = may(granted, "patient.search")
        for widget in (self.search_box, self._splitter):
            widget.setVisible(sees_patients)
        self.no_patients_label.setVisible(not sees_patients)
        if sees_patients:
            self.run_search()
        else:
            self.clear_patient_data()
            self.count_label.clear()

    def clear_patient_data(self) -> str:
        """Empty the list, the summary and the search box (locked, or no patient role);
        returns the search text it held."""
        self.search_timer.stop()
        text = self.search_box.text()
        self.patient_list.set_search_text_quietly("")
        self.patient_list.show_rows([], None)
        self.panel.set_patient(None)
        for action in PATIENT_COMMANDS:
            getattr(self, action).setEnabled(False)
        return text

    def run_search(self, keep_id: int | None = None) -> None:
        """Search now with the box's text and refill the list."""
        self.search_timer.stop()
        keep = keep_id if keep_id is not None else self.current_patient_id()
        try:
            rows = self._services.patients.search(self.search_box.text(), limit=SEARCH_LIMIT)
        except ClinicError as exc:
            show_error(self, "Search failed", exc)
            return
        if not self.patient_list.show_rows(rows, keep):
            self.on_current_row_changed(QModelIndex(), QModelIndex())
        self._update_count(len(rows))
        self.search_finished.emit(len(rows))

    # ------------------------------------------------------------------ slots
    def on_search_text_changed(self, _text: str) -> None:
        self.search_timer.start()

    def on_search_return_pressed(self) -> None:
        if self.search_timer.isActive():
            self.run_search()
        if self.current_patient_id() is not None:
            self.on_edit_patient()

    def on_find(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def reload_live(self, _topics: frozenset[Topic] = frozenset()) -> None:
        """Bring the list and the selected patient's summary up to date after another
        workstation's change, in place (see :meth:`PatientList.reload_rows`). A failure is a
        status-bar line, never a dialog; a role that may not search is never asked (a refused
        call would write an audit row, itself a change)."""
        granted = self._services.actor.granted
        if not may(granted, "patient.search"):
            return
        patient_id = self.current_patient_id()
        history = None
        try:
            rows = self._services.patients.search(self.search_box.text(), limit=SEARCH_LIMIT)
            if patient_id is not None and may(granted, "encounter.history"):
                history = self._services.encounters.history(patient_id)
            if may(granted, "patient.count"):
                self._total = self._services.patients.count()
        except ClinicError as exc:
            self.statusBar().showMessage(f"The list could not be brought up to date: {exc}", 8000)
            return
        self._restoring = True
        try:
            kept = self.patient_list.reload_rows(rows)
        finally:
            self._restoring = False
        if kept is False:
            self.on_current_row_changed(QModelIndex(), QModelIndex())
            self.statusBar().showMessage(
                "Patient no longer listed: changed on another workstation.", 8000
            )
        patient = self.current_patient()
        if patient is not None and history is not None:
            self.panel.update_patient(patient, history)
        self._update_count(len(rows))
        self.live_reloaded.emit(len(rows))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.changes.start()
        self.live.poke()  # what was heard while hidden or locked

    def on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return  # a live reload puts the same patient back (see reload_live)
        has_patient = current.isValid()
        for name in PATIENT_COMMANDS:
            action = getattr(self, name)
            action.setEnabled(has_patient and action.isVisible())
        if not has_patient:
            self.panel.set_patient(None)
            return
        patient = self.patient_list.patient_at(current)
        self._show_history(patient)
        self.patient_selected.emit(patient.id)

    def refresh_history(self) -> None:
        """Reload the selected patient's encounter history."""
        patient = self.current_patient()
        if patient is not None:
            self._show_history(patient)
            self.history_refreshed.emit(patient.id)

    def on_encounter_changed(self, patient_id: int, _encounter_id: int) -> None:
        if patient_id == self.current_patient_id():
            self.refresh_history()

    def on_row_activated(self, _index: QModelIndex) -> None:
        self.on_edit_patient()

    def on_encounter_activated(self, encounter_id: int) -> None:
        """A visit double-clicked in the history: opened only for roles that read visits."""
        if may(self._services.actor.granted, "encounter.read"):
            self.encounters.open(encounter_id)
        else:
            self.statusBar().showMessage(
                "Your role does not open visits; the front desk prints their notes.", 6000
            )

    def on_new_patient(self) -> None:
        self._open_patient_dialog(None)

    def on_edit_patient(self) -> None:
        if not self.edit_patient_action.isVisible():
            return
        patient_id = self.current_patient_id()
        if patient_id is None:
            return
        services = self._services
        try:
            # Fresh from the database: another workstation may have changed it.
            patient = open_chart(
                self, services, patient_id, lambda: services.patients.get(patient_id)
            )
        except ClinicError as exc:
            show_error(self, "Could not open the patient", exc)
            return
        if patient is not None:
            self._open_patient_dialog(patient)

    def on_void_patient(self) -> None:
        patient = self.current_patient()
        if patient is None:
            return
        reason = ask_void_reason(self, f"{patient.display_name} (MRN {patient.mrn})")
        if reason is None:
            return
        try:
            self._services.patients.void(patient.id, reason, expected_version=patient.version)
        except ClinicError as exc:
            show_error(self, "Could not void the patient", exc)
            return
        self._recount()
        self.run_search()
        self.statusBar().showMessage(f"Voided {patient.display_name}.", 5000)
        self.patient_voided.emit(patient.id)

    def on_patient_dialog_saved(self, patient: PatientView) -> None:
        self._recount()
        self.run_search(keep_id=patient.id)
        if self.current_patient_id() != patient.id:
            # The saved patient does not match the search typed; show them by MRN instead.
            self.patient_list.set_search_text_quietly(patient.mrn)
            self.run_search(keep_id=patient.id)
        self.statusBar().showMessage(f"Saved {patient.display_name}.", 5000)
        self.patient_saved.emit(patient.id)

    def on_patient_dialog_finished(self, _result: int) -> None:
        self._dialog = None

    @property
    def front_desk(self) -> FrontDeskWindow | None:
        """The front-desk window, once opened."""
        return self._front_desk

    def on_front_desk(self) -> None:
        """Open (or bring forward, refreshed) the front-desk window."""
        if self._front_desk is None:
            from clinic_app.ui.front_desk.window import FrontDeskWindow

            self._front_desk = FrontDeskWindow(self._services, changes=self.changes)
        else:
            self._front_desk.refresh()
        self._front_desk.show()
        self._front_desk.raise_()
        self._front_desk.activateWindow()

    @property
    def clinic_settings_dialog(self) -> ClinicSettingsDialog | None:
        """The clinic settings dialog currently open over this window, if any."""
        return self.admin.clinic_settings_dialog

    @property
    def users_dialog(self) -> UsersDialog | None:
        """The Users window last opened over this window, if any."""
        return self.admin.users_dialog

    def on_clinic_settings(self) -> None:
        """Open the clinic settings (the command follows the permission matrix)."""
        if self.clinic_settings_action.isEnabled():
            self.admin.open_clinic_settings()

    def on_clinic_settings_saved(self, profile: ClinicProfileView) -> None:
        self.refresh()
        self.session_lock.read_settings()
        self.statusBar().showMessage("Saved the clinic settings.", 5000)
        self.clinic_settings_saved.emit(profile)

    def on_audit_trail(self) -> None:
        if self.audit_trail_action.isEnabled():
            self.admin.open_audit_trail()

    def on_change_password(self) -> None:
        self.admin.open_change_password()

    def on_lots(self) -> None:
        if self.lots_action.isEnabled():
            self.admin.open_lots()

    def on_export_fhir(self) -> None:
        patient = self.current_patient()
        if patient is None or not self.export_fhir_action.isEnabled():
            return
        if self.fhir_exporter is None:
            from clinic_app.ui.fhir_export import FhirExporter  # on first use only

            self.fhir_exporter = FhirExporter(self._services, self)
        self.fhir_exporter.export_patient(patient)

    def on_import_patients(self) -> None:
        """Open the patient import (front desk, administrators); the list reloads after it."""
        from clinic_app.ui.patients.import_dialog import PatientImportDialog  # only when used

        if self.import_patients_action.isEnabled():
            dialog = PatientImportDialog(self._services, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.imported.connect(lambda _count: self.refresh())
            dialog.open()

    def on_outcome_measure(self) -> None:
        """Patient → Outcome questionnaire…: record an NDI or ODI for the selected patient."""
        from clinic_app.ui.measures.dialog import open_measure_dialog
        from clinic_app.ui.measures.target import for_patient

        patient = self.current_patient()
        if patient is not None and self.outcome_measure_action.isEnabled():
            try:
                open_measure_dialog(self._services, for_patient(self._services, patient), self)
            except ClinicError as exc:
                show_error(self, "Could not open the questionnaire", exc)

    def on_progress(self) -> None:
        """The selected patient's Progress view (QtCharts is imported on first use)."""
        patient_id = self.current_patient_id()
        if patient_id is not None and self.progress_action.isEnabled():
            from clinic_app.ui.progress.window import open_progress

            open_progress(self._services.progress, patient_id, self)

    def on_users(self) -> None:
        if self.users_action.isEnabled():
            self.admin.open_users()

    def on_about(self) -> None:
        messages.about(
            self,
            "About clinic_app",
            f"clinic_app {__version__}\n\nCharting for trigger point injections and dry "
            f"needling.\n\nDatabase: {self._services.database_label}",
        )

    # ------------------------------------------------------------------ helpers
    def _open_patient_dialog(self, patient: PatientView | None) -> PatientDialog:
        dialog = PatientDialog(self._services, patient, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.patient_saved.connect(self.on_patient_dialog_saved)
        dialog.finished.connect(self.on_patient_dialog_finished)
        self._dialog = dialog
        # open(), not exec(): window-modal without a nested event loop.
        dialog.open()
        return dialog

    def _show_history(self, patient: PatientView) -> None:
        try:
            history = self._services.encounters.history(patient.id)
        except ClinicError as exc:
            self.panel.set_patient(patient)
            show_error(self, "Could not load the encounter history", exc)
        else:
            self.panel.set_patient(patient, history)

    def _recount(self) -> None:
        # The count is informative only; the list itself still refreshes without it.
        with contextlib.suppress(ClinicError):
            self._total = self._services.patients.count()

    def _update_count(self, shown: int) -> None:
        noun = "patient" if self._total == 1 else "patients"
        text = f"{self._total} {noun}"
        if shown >= SEARCH_LIMIT:
            text = f"Showing the first {shown} of {self._total} {noun}; refine the search"
        elif self.search_box.text().strip():
            text = f"{shown} found · {self._total} {noun}"
        self.count_label.setText(text)

    def _before_restore(self) -> bool:
        # The live-refresh connection would count as another session on PostgreSQL (and
        # hold the SQLite file open): it stops first and starts again if the restore fails.
        if not self.encounters.close_all():
            return False
        self.changes.stop()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        # Each open encounter asks about its own unsaved edits first.
        if not self.encounters.close_all():
            event.ignore()
            return
        if self._front_desk is not None:
            self._front_desk.close()
        self.session_lock.monitor.stop()
        self.session_lock.screen.close()
        self.changes.stop()
        super().closeEvent(event)
