"""The encounter editor: body map, site table and form over one shared undo stack.

One window per encounter. The chart lives in a :class:`ChartModel`; the map and the table
mirror it and edit it only through undo commands (STYLE.md #3, #4). Everything is saved as a
whole by ``EncounterService.save_draft`` a moment after the last change (autosave) or on
Ctrl+S; a failed save keeps every edit in the window and says why, without a modal loop.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.favourites import default_favourites
from clinic_app.services.dto import (
    DoseInput,
    EncounterView,
    LotView,
    RepeatedVisit,
)
from clinic_app.ui.chart_commands import RemoveSiteCommand
from clinic_app.ui.chart_model import ChartModel
from clinic_app.ui.chrome import add_status_fields, build_menus, build_toolbar, make_action
from clinic_app.ui.encounter_form import EncounterForm
from clinic_app.ui.encounter_parts import PARTS_STYLE, EncounterHeader, MessageBar, make_body_map
from clinic_app.ui.favourites import MedicationChoices, NewSiteControls
from clinic_app.ui.labels import local_timestamp
from clinic_app.ui.site_edits import drafts_of, stand_in_medications
from clinic_app.ui.site_table_model import SiteTableModel, keys_for_numbers
from clinic_app.ui.site_table_view import SiteTableView

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: Pause after the last change before saving: long enough to batch a burst of edits.
AUTOSAVE_MS = 1500
RETRY_TEXT = (
    "Your edits are kept in this window; saving is tried again at your next change "
    "(Ctrl+S saves now)."
)


class EncounterEditor(QMainWindow):
    """Charts one encounter: click muscles on the map, fill the table and the form.

    Signals:
        encounter_saved(int): the encounter with this id was saved (autosave or Ctrl+S).
        encounter_closed(int): the window closed.
        save_failed(str): a save was refused; the message is shown in the window.

    Attributes:
        encounter_id, patient_id: what is being charted.
        stack: the undo stack shared by the map and the table.
        chart: the sites. model / table: the site table. body_map: the map. form: the form.
        autosave_timer: restarted by every change; saves when it fires.
        message_bar: save failures and refused entries. banner: read-only / repeated visit.
    """

    encounter_saved = Signal(int)
    encounter_closed = Signal(int)
    save_failed = Signal(str)

    def __init__(
        self,
        services: AppServices,
        encounter_id: int,
        parent: QWidget | None = None,
        *,
        repeated: RepeatedVisit | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        encounter = services.encounters.get(encounter_id)
        patient = services.patients.get(encounter.patient_id)
        medications = services.clinic.medications()
        self.encounter_id = encounter_id
        self.patient_id = encounter.patient_id
        self._version = encounter.version
        self._performed_on = encounter.performed_at.date()
        self._form_dirty = False
        self.read_only = encounter.status is not EncounterStatus.DRAFT
        self.setObjectName("encounterEditor")
        self.setAccessibleName("Encounter editor")
        self.setStyleSheet(PARTS_STYLE)
        self.setWindowTitle(
            f"{patient.display_name} — {local_timestamp(encounter.performed_at)} "
            f"({'signed' if self.read_only else 'draft'})"
        )
        self.resize(1440, 900)

        self.stack = QUndoStack(self)
        self.chart = ChartModel(self)
        self.choices = MedicationChoices(default_favourites(), medications)
        self.model = SiteTableModel(
            self.chart, self.stack, medications, self, injection_defaults=self._new_site_doses
        )
        self.model.set_medications(stand_in_medications(encounter, {m.id for m in medications}))
        self.table = SiteTableView(self.model, self.choices, self.lots_for)
        self.body_map = make_body_map(self.chart, self.stack)
        self.form = EncounterForm()
        self.header = EncounterHeader(patient, encounter)
        self.banner = MessageBar("Encounter notice")
        self.message_bar = MessageBar("Save problem")
        self.totals_label = QLabel()
        self.totals_label.setAccessibleName("Totals")
        self.totals_label.setWordWrap(True)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_now)

        self._build_actions()
        self._build_layout()
        self._load(encounter)
        self._connect()
        if self.read_only:
            self._lock(encounter)
        if repeated is not None:
            self._show_repeat(repeated)

    @classmethod
    def repeat_last_visit(
        cls,
        services: AppServices,
        patient_id: int,
        provider_id: int,
        parent: QWidget | None = None,
    ) -> EncounterEditor:
        """Start today's draft as a copy of the patient's last visit, and open it.

        Raises:
            ClinicError: no earlier visit, an inactive provider, or a storage problem.
        """
        repeated = services.encounters.repeat_last_visit(patient_id, provider_id)
        return cls(services, repeated.encounter.id, parent, repeated=repeated)

    # ------------------------------------------------------------------ building
    def _build_actions(self) -> None:
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action, tip in (
            (self.undo_action, "Undo the last chart edit"),
            (self.redo_action, "Redo"),
        ):
            action.setStatusTip(tip)
            self.addAction(action)
        self.remove_site_action = make_action(
            self,
            "Remove site",
            self.on_remove_site,
            QKeySequence.StandardKey.Delete,
            "Remove the selected site",
        )
        # Delete belongs to the table here; the body map has its own (no ambiguous shortcut).
        self.remove_site_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.removeAction(self.remove_site_action)
        self.table.addAction(self.remove_site_action)
        self.apply_all_action = make_action(
            self,
            "Apply to all sites",
            self.on_apply_to_all,
            "Ctrl+Shift+A",
            "Copy the current cell's value to every site (one undo step)",
        )
        self.save_action = make_action(
            self,
            "&Save now",
            self.save_now,
            QKeySequence.StandardKey.Save,
            "Save the encounter now",
        )
        self.close_action = make_action(
            self, "&Close", self.close, "Ctrl+W", "Close this encounter"
        )
        self.new_sites = NewSiteControls(self.choices, self)
        new = self.new_sites
        # fmt: off
        build_menus(self, [
            ("&Encounter", [self.save_action, None, self.close_action]),
            ("&Edit", [self.undo_action, self.redo_action, None, self.remove_site_action,
                       self.apply_all_action]),
            ("&New sites", [new.injection_action, new.dry_needling_action, new.toggle_action]),
        ])
        build_toolbar(self, "Encounter actions", [
            self.undo_action, self.redo_action, self.remove_site_action, self.apply_all_action,
            self.save_action,
        ])
        # fmt: on
        self.new_sites_toolbar = build_toolbar(
            self, "New sites", [new.injection_action, new.dry_needling_action]
        )
        self.new_sites.add_to(self.new_sites_toolbar)

    def _build_layout(self) -> None:
        form_scroll = QScrollArea()
        form_scroll.setAccessibleName("Encounter form")
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self.form)
        table_panel = QWidget()
        table_layout = QVBoxLayout(table_panel)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.totals_label)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        right.addWidget(table_panel)
        right.addWidget(form_scroll)
        right.setSizes([260, 540])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.body_map)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([540, 900])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        (self.save_label,) = add_status_fields(self.statusBar(), ["Save state"])

    def _load(self, encounter: EncounterView) -> None:
        drafts = drafts_of(encounter)
        for medication_id in {d.medication_id for s in drafts for d in s.doses}:
            self._fetch_lots(medication_id, visit_day_too=True)
        self.chart.reset(drafts)
        self.form.set_form(encounter.form)
        self.stack.clear()
        self.stack.setClean()
        self.save_label.setText("All changes saved")
        self.update_totals()

    def _connect(self) -> None:
        self.stack.indexChanged.connect(self.on_chart_edited)
        # After the table model's own slot (connected first), so the row exists.
        self.chart.site_added.connect(self.on_site_added)
        self.form.form_changed.connect(self.on_form_edited)
        self.table.site_selected.connect(self.on_table_site_selected)
        self.table.status_message.connect(self.on_status_message)
        self.body_map.marker_selected.connect(self.on_marker_selected)
        self.body_map.status_message.connect(self.on_status_message)
        self.body_map.set_site_factory(self.new_sites.make_site)
        self.new_sites.status_message.connect(self.on_status_message)
        self.model.edit_refused.connect(self.on_edit_refused)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
            self.model.dataChanged,
        ):
            signal.connect(self.update_totals)

    def _lock(self, encounter: EncounterView) -> None:
        self.model.set_read_only(True)
        self.body_map.set_read_only(True)
        self.form.set_read_only(True)
        # The stack stays empty, so Undo/Redo stay disabled by themselves.
        for action in (self.remove_site_action, self.apply_all_action, self.save_action):
            action.setEnabled(False)
        self.new_sites.set_enabled(False)
        self.new_sites_toolbar.hide()
        signed = f" on {local_timestamp(encounter.signed_at)}" if encounter.signed_at else ""
        self.banner.show_message(
            f"Signed{signed}: this encounter is read-only. Corrections are added as an "
            "addendum, never by editing the signed record.",
            "locked",
        )
        self.banner.close_button.hide()
        self.save_label.setText("Signed — read-only")

    def _show_repeat(self, repeated: RepeatedVisit) -> None:
        heading = (
            f"Copied from the visit of {local_timestamp(repeated.previous_at)}: sites, needles "
            "and doses. Screening, consent, time-out and pain scores are today's to fill in."
        )
        if repeated.changes:
            self.banner.show_list(heading + "\nCheck before treating:", repeated.changes, "info")
        else:
            self.banner.show_message(heading + " Nothing has changed since.", "info")
        self.model.set_highlighted(keys_for_numbers(self.model, repeated.changed_sites))

    # ------------------------------------------------------------------ public API
    def is_dirty(self) -> bool:
        """True while some edit is not saved (chart or form)."""
        return not self.read_only and (not self.stack.isClean() or self._form_dirty)

    @property
    def version(self) -> int:
        """The encounter version this window last loaded or saved."""
        return self._version

    def save_now(self) -> bool:
        """Save the form and every site in one transaction; False (and a message) on failure."""
        self.autosave_timer.stop()
        if self.read_only:
            return True
        if not self.is_dirty():
            self.on_status_message("Nothing to save: every change is saved.")
            return True
        try:
            view = self._services.encounters.save_draft(
                self.encounter_id, self._version, self.form.form_input(), self.chart.drafts()
            )
        except ClinicError as exc:
            self.message_bar.show_message(f"Not saved: {exc}\n{RETRY_TEXT}", "error")
            self.save_label.setText("Not saved")
            self.save_failed.emit(str(exc))
            return False
        self._version = view.version
        self.stack.setClean()
        self._form_dirty = False
        if self.message_bar.kind == "error":
            self.message_bar.hide()
        self.save_label.setText(f"Saved {datetime.now().strftime('%H:%M:%S')}")
        self.encounter_saved.emit(self.encounter_id)
        return True

    def _new_site_doses(self) -> tuple[DoseInput, ...]:
        return self.new_sites.doses()

    def lots_for(self, medication_id: int) -> list[LotView]:
        """Lots of a medication that can be used today (for the lot picker)."""
        return self._fetch_lots(medication_id)

    def update_totals(self, *_args: object) -> None:
        count = self.model.rowCount()
        sites = "1 site" if count == 1 else f"{count} sites"
        self.totals_label.setText(f"Totals ({sites}): {self.model.totals_text()}")

    # ------------------------------------------------------------------ slots
    def on_chart_edited(self, _index: int) -> None:
        self._schedule_save()

    def on_form_edited(self) -> None:
        self._form_dirty = True
        self._schedule_save()

    def on_remove_site(self) -> None:
        key = self.table.current_key()
        if key is None or self.read_only:
            return
        self.stack.push(RemoveSiteCommand(self.chart, key))

    def on_site_added(self, key: int, _row: int) -> None:
        # A site just charted (or restored by undo) is the one the provider looks at next.
        self.table.select_key(key)

    def on_apply_to_all(self) -> None:
        self.table.apply_to_all()

    def on_table_site_selected(self, key: int) -> None:
        self.body_map.select_site(key if key >= 0 else None)

    def on_marker_selected(self, key: int) -> None:
        self.table.select_key(key)

    def on_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def on_edit_refused(self, message: str) -> None:
        self.message_bar.show_message(message, "info")
        self.statusBar().showMessage(message, 6000)

    # ------------------------------------------------------------------ helpers
    def _schedule_save(self) -> None:
        if self.read_only:
            return
        self.save_label.setText("Unsaved changes…")
        self.autosave_timer.start()

    def _fetch_lots(self, medication_id: int, *, visit_day_too: bool = False) -> list[LotView]:
        today = date.today()
        try:
            found = {lot.id: lot for lot in self._services.clinic.usable_lots(medication_id)}
            if visit_day_too and self._performed_on < today:
                # A lot valid on the visit day but expired since must still show its number.
                older = self._services.clinic.usable_lots(medication_id, on=self._performed_on)
                found.update({lot.id: lot for lot in older})
        except ClinicError as exc:
            self.on_status_message(f"Could not load lots: {exc}")
            return []
        self.model.add_lots(found.values())
        return [lot for lot in found.values() if lot.expires_on >= today]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosave_timer.stop()
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Some changes to this encounter are not saved yet.",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save_now()
            ):
                event.ignore()
                self._schedule_save()  # still open with unsaved edits: keep autosaving
                return
        event.accept()
        self.encounter_closed.emit(self.encounter_id)
