"""The encounter editor: body map, site table and form over one shared undo stack.

One window per encounter. The chart lives in a :class:`ChartModel`; the map and the table
mirror it and edit it only through undo commands (STYLE.md #3, #4). Everything is saved as a
whole by ``EncounterService.save_draft`` a moment after the last change (autosave) or on
Ctrl+S; a failed save keeps every edit in the window and says why, without a modal loop.

When another workstation saved the same draft first, this window's copy can never be saved
into it again: the message bar then offers the two ways out (reload their version, or save
these edits as a second draft), and so does closing the window.

A draft from a previous day opens read-only with an "Edit draft" button, so an unfinished
visit is not changed by accident; signed encounters are always read-only.
"""

from __future__ import annotations

import contextlib
from datetime import date
from html import escape as html_escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day, to_clinic_time
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ClinicError, ConflictError, NotFoundError
from clinic_app.domain.favourites import default_favourites
from clinic_app.domain.rules import Assessment
from clinic_app.services.dto import (
    DoseInput,
    EncounterView,
    LotView,
    RepeatedVisit,
)
from clinic_app.ui.chart.commands import ChartUndoStack, RemoveSiteCommand
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.common.chrome import add_status_fields, build_menus, build_toolbar, make_action
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.encounter.addenda import ADD_ADDENDUM_TEXT, AddendaPanel, AddendumDialog
from clinic_app.ui.encounter.checks_panel import LiveChecks, safety_site_numbers
from clinic_app.ui.encounter.conflict import CHANGED, REMOVED, ConflictHandler
from clinic_app.ui.encounter.favourites import MedicationChoices, NewSiteControls
from clinic_app.ui.encounter.form import EncounterForm
from clinic_app.ui.encounter.parts import (
    PARTS_STYLE,
    EncounterHeader,
    MessageBar,
    freeze_inputs,
    make_body_map,
)
from clinic_app.ui.encounter.sign_dialog import EditorSigning, signed_line
from clinic_app.ui.encounter.sites.edits import drafts_of, stand_in_medications
from clinic_app.ui.encounter.sites.table_model import SiteTableModel, keys_for_numbers
from clinic_app.ui.encounter.sites.table_view import SiteTableView
from clinic_app.ui.encounter.sites.text import Column, limit_total, limits_html

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

#: Pause after the last change before saving: long enough to batch a burst of edits.
AUTOSAVE_MS = 1500
#: Longest wait for a save while changes keep coming (continuous typing restarts the pause).
MAX_WAIT_MS = 10_000
RETRY_TEXT = (
    "Your edits are kept in this window; saving is tried again at your next change "
    "(Ctrl+S saves now)."
)
EDIT_DRAFT_TEXT = "Edit draft"


class EncounterEditor(QMainWindow):
    """Charts one encounter: click muscles on the map, fill the table and the form.

    Signals:
        encounter_saved(int): the encounter with this id was saved (autosave or Ctrl+S).
        encounter_closed(int): the window closed (an untouched draft was deleted first).
        encounter_switched(int, int): old id, new id: the edits were saved as a new draft
            and the window now charts that one.
        save_failed(str): a save was refused; the message is shown in the window.

    Attributes:
        encounter_id, patient_id: what is being charted.
        read_only: nothing can be changed now (signed, or a past draft not unlocked).
        stack: the undo stack shared by the map and the table.
        chart: the sites. model / table: the site table. body_map: the map. form: the form.
        autosave_timer: restarted by every change; saves when it fires.
        max_wait_timer: started by the first unsaved change; saves when it fires even if
            changes keep restarting ``autosave_timer``.
        message_bar: save failures, conflicts and refused entries.
        banner: read-only (with "Edit draft" for a past draft) / repeated visit.
    """

    encounter_saved = Signal(int)
    encounter_closed = Signal(int)
    encounter_switched = Signal(int, int)
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
        self.services = services
        encounter = services.encounters.get(encounter_id)
        patient = services.patients.get(encounter.patient_id)
        medications = services.clinic.medications()
        self.encounter_id = encounter_id
        self.patient_id = encounter.patient_id
        self._patient_name = patient.display_name
        self._form_dirty = False
        self.conflict = ConflictHandler(self)
        self.signing = EditorSigning(self)
        self.live_checks = LiveChecks(self._assess_draft, self)
        self._take(encounter)
        past_draft = self.is_draft and self._performed_on < self.clinic_today()
        self.read_only = not self.is_draft or past_draft
        self.setObjectName("encounterEditor")
        self.setAccessibleName("Encounter editor")
        self.setStyleSheet(PARTS_STYLE)
        self.resize(1440, 900)

        self.stack = ChartUndoStack(self)
        self.chart = ChartModel(self)
        self.choices = MedicationChoices(default_favourites(), medications)
        self.model = SiteTableModel(
            self.chart, self.stack, medications, self, injection_defaults=self._new_site_doses
        )
        self.model.set_medications(stand_in_medications(encounter, {m.id for m in medications}))
        self.table = SiteTableView(self.model, self.choices, self.lots_for)
        self.body_map = make_body_map(self.chart, self.stack)
        self.form = EncounterForm()
        self._prepare_form(encounter)
        self.addenda_panel = AddendaPanel()
        self.addendum_dialog: AddendumDialog | None = None
        self.header = EncounterHeader(patient, encounter)
        self.banner = MessageBar("Encounter notice")
        self.message_bar = MessageBar("Save problem")
        self.totals_label = QLabel()
        self.totals_label.setAccessibleName("Totals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.save_now)
        self.max_wait_timer = QTimer(self)
        self.max_wait_timer.setSingleShot(True)
        self.max_wait_timer.setInterval(MAX_WAIT_MS)
        self.max_wait_timer.timeout.connect(self.save_now)

        self._build_actions()
        self._build_layout()
        self._load(encounter)
        self._connect()
        if not self.is_draft:
            self._lock_signed(encounter)
        elif past_draft:
            self._lock_past_draft()
        if repeated is not None:
            self._show_repeat(repeated)
        self.live_checks.schedule()

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
        self.sign_action = make_action(
            self, "S&ign…", self.on_sign, "Ctrl+Alt+S", "Check and sign this encounter"
        )
        self.close_action = make_action(
            self, "&Close", self.close, "Ctrl+W", "Close this encounter"
        )
        self.addendum_action = make_action(
            self,
            "Add &addendum…",
            self.on_add_addendum,
            "Ctrl+Alt+A",
            "Add a signed correction to this signed encounter (the signed note stays as it was)",
        )
        self.addendum_action.setEnabled(False)  # only a signed encounter takes one
        self.new_sites = NewSiteControls(self.choices, self)
        new = self.new_sites
        # fmt: off
        build_menus(self, [
            ("&Encounter", [self.save_action, self.sign_action, self.addendum_action, None,
                            self.close_action]),
            ("&Edit", [self.undo_action, self.redo_action, None, self.remove_site_action,
                       self.apply_all_action]),
            ("&New sites", [new.injection_action, new.dry_needling_action, new.toggle_action]),
        ])
        build_toolbar(self, "Encounter actions", [
            self.undo_action, self.redo_action, self.remove_site_action, self.apply_all_action,
            self.save_action, self.sign_action, self.addendum_action,
        ])
        # fmt: on
        self.new_sites_toolbar = build_toolbar(
            self, "New sites", [new.injection_action, new.dry_needling_action]
        )
        self.new_sites.add_to(self.new_sites_toolbar)

    def _build_layout(self) -> None:
        self.form_scroll = form_scroll = QScrollArea()
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
        self.addenda_scroll = QScrollArea()
        self.addenda_scroll.setAccessibleName("Addenda")
        self.addenda_scroll.setWidgetResizable(True)
        self.addenda_scroll.setWidget(self.addenda_panel)
        self.addenda_scroll.hide()  # shown once the encounter has an addendum
        right.addWidget(self.addenda_scroll)
        right.setSizes([260, 540, 160])
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

    def _take(self, encounter: EncounterView) -> None:
        """Remember what identifies the stored copy this window now stands for."""
        self._version = encounter.version
        self._status = encounter.status
        self._provider_id = encounter.provider_id
        # The visit day is the clinic's calendar day, not UTC's: a visit at 7 pm in
        # California is stored on the next UTC day.
        self._zone = encounter.clinic_timezone
        self._performed_on = clinic_day(encounter.performed_at, self._zone)
        self.setWindowTitle(
            f"{self._patient_name} — {local_timestamp(encounter.performed_at, self._zone)} "
            f"({'draft' if self.is_draft else 'signed'})"
        )

    def _load(self, encounter: EncounterView) -> None:
        drafts = drafts_of(encounter)
        for medication_id in {d.medication_id for s in drafts for d in s.doses}:
            self._fetch_lots(medication_id, visit_day_too=True)
        self.chart.reset(drafts)
        self.form.set_form(encounter.form)
        self.stack.clear()
        self.stack.setClean()
        self._form_dirty = False
        self.stop_timers()  # loading is not an edit
        self.save_label.setText("All changes saved")
        self.update_totals()

    def _connect(self) -> None:
        self.stack.indexChanged.connect(self.on_chart_edited)
        # After the table model's own slot (connected first), so the row exists.
        self.chart.site_added.connect(self.on_site_added)
        self.form.form_changed.connect(self.on_form_edited)
        self.form.checks.site_activated.connect(self.on_finding_site)
        self.form.checks.target_activated.connect(self.on_finding_target)
        self.live_checks.assessed.connect(self.on_assessed)
        self.live_checks.failed.connect(self.form.checks.set_error)
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
            signal.connect(self.live_checks.schedule)

    def _set_editable(self, editable: bool) -> None:
        self.read_only = not editable
        # Emptied and closed while locked: Undo/Redo cannot take back what was signed.
        self.stack.set_locked(not editable)
        self.model.set_read_only(not editable)
        self.body_map.set_read_only(not editable)
        self.form.set_read_only(not editable)
        actions = (self.remove_site_action, self.apply_all_action, self.save_action)
        for action in (*actions, self.sign_action):
            action.setEnabled(editable)
        if not editable:  # the stack is empty now; these stay off until it takes a command
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
        self.new_sites.set_enabled(editable)
        self.new_sites_toolbar.setVisible(editable)

    def _lock_signed(self, encounter: EncounterView) -> None:
        self._set_editable(False)
        freeze_inputs(self.form)  # every field, including ones the form grows later
        signed = signed_line(encounter, self._signer_name(encounter))
        self.form.signature.set_signature(signed, encounter.overrides)
        self.banner.show_message(
            f"{signed}: this encounter is read-only. Corrections are added as an "
            "addendum, never by editing the signed record.",
            "locked",
            [(ADD_ADDENDUM_TEXT, self.on_add_addendum)],
            closable=False,
        )
        self.save_label.setText("Signed — read-only")
        self.addendum_action.setEnabled(True)
        self.show_addenda(encounter)

    def show_addenda(self, encounter: EncounterView) -> None:
        """Show the encounter's addenda under the signed content (hidden when none)."""
        self.addenda_panel.set_addenda(encounter.addenda)
        self.addenda_scroll.setVisible(bool(encounter.addenda))

    def _lock_past_draft(self) -> None:
        self._set_editable(False)
        self.banner.show_message(
            f"Unsigned draft from {self._performed_on.isoformat()}: opened read-only so a "
            f"past visit is not changed by accident. Choose “{EDIT_DRAFT_TEXT}” to finish it.",
            "locked",
            [(EDIT_DRAFT_TEXT, self.on_edit_draft)],
            closable=False,
        )
        self.save_label.setText("Past draft — read-only")

    def _show_repeat(self, repeated: RepeatedVisit) -> None:
        heading = (
            f"Copied from the visit of {local_timestamp(repeated.previous_at, self._zone)}: "
            "sites, needles "
            "and doses. Screening, consent, time-out and pain scores are today's to fill in."
        )
        if repeated.changes:
            self.banner.show_list(heading + "\nCheck before treating:", repeated.changes, "info")
        else:
            self.banner.show_message(heading + " Nothing has changed since.", "info")
        self.model.set_highlighted(keys_for_numbers(self.model, repeated.changed_sites))

    # ------------------------------------------------------------------ public API
    @property
    def is_draft(self) -> bool:
        """The encounter is a draft (not signed), whether or not it is unlocked here."""
        return self._status is EncounterStatus.DRAFT

    @property
    def in_conflict(self) -> bool:
        """Another workstation saved first: these edits can no longer go into this encounter."""
        return bool(self.conflict)

    def is_dirty(self) -> bool:
        """True while some edit is not saved (chart or form)."""
        return not self.read_only and (not self.stack.isClean() or self._form_dirty)

    def clinic_today(self) -> date:
        """Today's date at the clinic (its time zone, as the services report it)."""
        return clinic_day(clock.now(), self._zone)

    @property
    def provider_id(self) -> int:
        """The provider of the encounter charted (a new draft keeps them)."""
        return self._provider_id

    @property
    def version(self) -> int:
        """The encounter version this window last loaded or saved."""
        return self._version

    def save_now(self) -> bool:
        """Save the form and every site in one transaction; False (and a message) on failure."""
        self.stop_timers()
        if self.read_only:
            return True
        if not self.is_dirty():
            self.on_status_message("Nothing to save: every change is saved.")
            return True
        if self.in_conflict:  # a stale copy is refused every time: say what can be done
            self.conflict.show()
            return False
        try:
            view = self.services.encounters.save_draft(
                self.encounter_id, self._version, self.form.form_input(), self.chart.drafts()
            )
        except (ConflictError, NotFoundError) as exc:
            # NotFound: another workstation closed this draft while it was still empty,
            # which deletes it.
            self.conflict.state = REMOVED if isinstance(exc, NotFoundError) else CHANGED
            self.conflict.show()
            self.save_failed.emit(str(exc))
            return False
        except ClinicError as exc:
            self.message_bar.show_message(f"Not saved: {exc}\n{RETRY_TEXT}", "error")
            self.save_label.setText("Not saved")
            self.save_failed.emit(str(exc))
            return False
        self._saved(view)
        self.encounter_saved.emit(self.encounter_id)
        return True

    def reload_theirs(self) -> bool:
        """Drop this window's edits (after asking) and show the encounter as stored now."""
        return self.conflict.reload_theirs()

    def save_as_new_draft(self) -> bool:
        """Save this window's edits as a new draft and chart it (both drafts then exist)."""
        return self.conflict.save_as_new_draft()

    def show_stored(self, encounter: EncounterView) -> None:
        """Show ``encounter`` as stored now, dropping this window's edits."""
        self._take(encounter)
        self.header.set_encounter(encounter)
        self._load(encounter)
        if not self.is_draft:  # they signed it
            self._lock_signed(encounter)

    def switch_to(self, view: EncounterView) -> None:
        """Chart ``view`` (just saved with this window's content) instead of this encounter."""
        self.encounter_id = view.id
        self._take(view)
        self.header.set_encounter(view)
        self._saved(view)

    def _new_site_doses(self) -> tuple[DoseInput, ...]:
        return self.new_sites.doses()

    def lots_for(self, medication_id: int) -> list[LotView]:
        """Lots of a medication that can be used today (for the lot picker)."""
        return self._fetch_lots(medication_id)

    def update_totals(self, *_args: object) -> None:
        """The footer: the last checks' totals against limits, else the table's sums."""
        count = self.model.rowCount()
        sites = "1 site" if count == 1 else f"{count} sites"
        checked = self.live_checks.last
        totals = [
            limit_total(t.medication_generic, t.total, t.unit, t.limit)
            for t in (checked.totals if checked else ())
        ]
        text = (
            limits_html(totals, (f.rule for f in checked.findings))
            if checked and totals
            else html_escape(self.model.totals_text())
        )
        self.totals_label.setText(f"Totals ({sites}): {text}")

    def mark_saved(self, view: EncounterView) -> None:
        """The content shown was saved as ``view`` (by signing, which saves first)."""
        self._saved(view)
        self.encounter_saved.emit(self.encounter_id)

    def show_signed(self, view: EncounterView) -> None:
        """Signing succeeded: show the signature and lock the window."""
        self._take(view)
        self.header.set_encounter(view)
        self._saved(view)
        self._lock_signed(view)
        self.encounter_saved.emit(self.encounter_id)

    def _prepare_form(self, encounter: EncounterView) -> None:
        """Issue 8 fields: relief questions only at a repeat visit; the clinic's follow-up."""
        with contextlib.suppress(ClinicError):  # a missing hint must not stop the editor
            earlier = [
                visit
                for visit in self.services.encounters.history(encounter.patient_id)
                if visit.id != encounter.id and visit.performed_at < encounter.performed_at
            ]
            self.form.set_repeat_visit(bool(earlier))
            profile = self.services.clinic.profile()
            self.form.set_clinic_follow_up_weeks(profile.follow_up_weeks if profile else None)

    def _assess_draft(self) -> Assessment:
        return self.services.checks.assess_draft(
            self.encounter_id, self.form.form_input(), self.chart.drafts()
        )

    def _signer_name(self, view: EncounterView) -> str:
        if view.signed_by_id in (None, view.provider_id):
            return view.provider_name
        with contextlib.suppress(ClinicError):
            for user in self.services.clinic.users():
                if user.id == view.signed_by_id:
                    return user.display_name
        return f"user #{view.signed_by_id}"

    # ------------------------------------------------------------------ slots
    def on_edit_draft(self) -> None:
        """Unlock a past draft for editing (the banner's "Edit draft" button)."""
        if not self.is_draft:
            return
        self._set_editable(True)
        self.banner.hide()
        self.save_label.setText("All changes saved")
        self.on_status_message(f"Editing the draft from {self._performed_on.isoformat()}.")
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_chart_edited(self, _index: int) -> None:
        self._schedule_save()

    def on_form_edited(self) -> None:
        self._form_dirty = True
        self._schedule_save()
        self.live_checks.schedule()

    def on_sign(self) -> None:
        self.signing.open_dialog()

    def on_add_addendum(self) -> AddendumDialog | None:
        """Open the addendum dialog of a signed encounter (not modal-blocking)."""
        if self.is_draft:
            return None
        try:
            user = self.services.clinic.current_user()
        except ClinicError as exc:
            self.message_bar.show_message(f"Cannot add an addendum: {exc}", "error")
            return None
        encounter_id = self.encounter_id
        self.addendum_dialog = AddendumDialog(
            lambda text: self.services.encounters.add_addendum(encounter_id, text),
            user.display_name if user is not None else "the signed-in provider",
            self,
        )
        self.addendum_dialog.accepted.connect(self.on_addendum_added)
        self.addendum_dialog.open()
        return self.addendum_dialog

    def on_addendum_added(self) -> None:
        try:
            view = self.services.encounters.get(self.encounter_id)
        except ClinicError as exc:
            self.message_bar.show_message(f"The addendum was added; {exc}", "error")
            return
        self.show_addenda(view)
        self.on_status_message("Addendum added and signed.")
        self.encounter_saved.emit(self.encounter_id)

    def on_assessed(self, assessment: Assessment) -> None:
        signed = self._status is EncounterStatus.SIGNED
        self.form.checks.set_assessment(assessment, signed=signed)
        self.form.codes.set_coding(assessment.coding)
        self.body_map.set_flagged_sites(safety_site_numbers(assessment.findings))
        self.update_totals()

    def on_finding_site(self, number: int) -> None:
        """A finding was clicked: select its site in the table (and so on the map)."""
        keys = keys_for_numbers(self.model, [number])
        if keys:
            self.table.select_key(keys[0])
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_finding_target(self, target: str, number: int) -> None:
        """A completeness finding was clicked: take the cursor to the field it names."""
        if target == "lot":
            keys = keys_for_numbers(self.model, [number])
            row = self.model.row_of_key(keys[0]) if keys else None
            if row is not None:
                index = self.model.index(row, Column.LOT)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        widget = self.form.focus_field(target)
        if widget is not None:
            self.form_scroll.ensureWidgetVisible(widget)

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
        if self.in_conflict:  # saving into this encounter cannot succeed any more
            self.save_label.setText("Not saved — changed elsewhere")
            return
        self.save_label.setText("Unsaved changes…")
        self.autosave_timer.start()
        # Not restarted by later changes: the longest a change waits while typing goes on.
        if not self.max_wait_timer.isActive():
            self.max_wait_timer.start()

    def stop_timers(self) -> None:
        self.autosave_timer.stop()
        self.max_wait_timer.stop()

    def _saved(self, view: EncounterView) -> None:
        self._version = view.version
        self.stack.setClean()
        self._form_dirty = False
        if self.message_bar.kind == "error":
            self.message_bar.hide()
        now = to_clinic_time(clock.now(), self._zone)
        self.save_label.setText(f"Saved {now:%H:%M:%S}")

    def _discard_if_untouched(self) -> None:
        # A draft opened by mistake (nothing charted or typed) would stay in the history
        # forever; the service deletes it only if it really holds nothing.
        if not self.is_draft or self.in_conflict:  # theirs is not ours to delete
            return
        with contextlib.suppress(ClinicError):  # closing must not fail over housekeeping
            self.services.encounters.discard_if_empty(self.encounter_id)

    def _fetch_lots(self, medication_id: int, *, visit_day_too: bool = False) -> list[LotView]:
        today = self.clinic_today()
        try:
            found = {lot.id: lot for lot in self.services.clinic.usable_lots(medication_id)}
            if visit_day_too and self._performed_on < today:
                # A lot valid on the visit day but expired since must still show its number.
                older = self.services.clinic.usable_lots(medication_id, on=self._performed_on)
                found.update({lot.id: lot for lot in older})
        except ClinicError as exc:
            self.on_status_message(f"Could not load lots: {exc}")
            return []
        self.model.add_lots(found.values())
        return [lot for lot in found.values() if lot.expires_on >= today]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_timers()
        if not self.conflict.may_close():
            event.ignore()
            self._schedule_save()  # still open with unsaved edits: keep autosaving
            return
        self.live_checks.timer.stop()  # a closed window checks nothing (its data may be gone)
        self._discard_if_untouched()
        event.accept()
        self.encounter_closed.emit(self.encounter_id)
