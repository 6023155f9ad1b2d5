"""The encounter editor: body map, site table and form over one shared undo stack.

One window per encounter. The chart lives in a :class:`ChartModel`; the map and the table
mirror it and edit it only through undo commands (STYLE.md #3, #4). The window is a view
over an :class:`EncounterSession`, which owns the encounter's identity, autosave, conflicts
and every write (STYLE.md #14): the editor tells it about edits, hands it a ``snapshot()``
of what it shows, and follows its signals. A failed save keeps every edit in the window and
says why, without a modal loop; a save conflict is shown by the :class:`ConflictBar`.

A draft from a previous day opens read-only with an "Edit draft" button, so an unfinished
visit is not changed by accident; signed encounters are always read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from clinic_app.domain.access import may
from clinic_app.domain.rules import Assessment
from clinic_app.services.dto import EncounterView, LotView, RepeatedVisit
from clinic_app.ui.common.chrome import add_status_fields
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.encounter.addenda import ADD_ADDENDUM_TEXT, Addenda, AddendumDialog
from clinic_app.ui.encounter.checks_panel import LiveChecks
from clinic_app.ui.encounter.conflict import ConflictBar
from clinic_app.ui.encounter.editor_chrome import (
    STACK_BELOW,
    EditorActions,
    EditorHandlers,
    VerticalScroller,
    build_panes,
)
from clinic_app.ui.encounter.form import EncounterForm
from clinic_app.ui.encounter.notices import NoticeOverlay
from clinic_app.ui.encounter.pain_drawing import attach_pain_drawing
from clinic_app.ui.encounter.parts import (
    PARTS_STYLE,
    EncounterHeader,
    MessageBar,
    freeze_inputs,
    show_past_draft_banner,
    show_repeat_banner,
    show_signed_banner,
)
from clinic_app.ui.encounter.session import EncounterSession, Snapshot
from clinic_app.ui.encounter.sign_dialog import SignDialog, signed_line
from clinic_app.ui.encounter.sites_pane import SitesPane

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

RETRY_TEXT = (
    "Your edits are kept in this window; saving is tried again at your next change "
    "(Ctrl+S saves now)."
)


class EncounterEditor(QMainWindow):
    """Charts one encounter: click muscles on the map, fill the table and the form.

    Signals:
        encounter_saved(int): the encounter with this id was saved (autosave or Ctrl+S).
        encounter_closed(int): the window closed (an untouched draft was deleted first).
        encounter_switched(int, int): old id, new id: the edits were saved as a new draft
            and the window now charts that one.
        save_failed(str): a save was refused; the message is shown in the window.

    Attributes:
        session: the encounter session (id, version, autosave, conflicts, writes).
        read_only: nothing can be changed now (signed, or a past draft not unlocked).
        stack: the undo stack shared by the map and the table.
        chart: the sites. model / table: the site table. body_map: the map. form: the form.
        editor_actions: the window's actions (also as ``undo_action``, ``save_action``…).
        message_bar: save failures, conflicts and refused entries.
        banner: read-only (with "Edit draft" for a past draft) / repeated visit.
        sign_dialog: the sign dialog while it is open (or last opened).
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
        self._patient_name = patient.display_name
        self._form_dirty = False
        self._handing_over = False
        self._shown = False
        granted = services.actor.granted  # what the screen offers; the services decide
        self.may_chart = may(granted, "encounter.save")
        self.session = EncounterSession(services, encounter, self.snapshot, self)
        self.live_checks = LiveChecks(self._assess_job, self.session.jobs, self)
        past_draft = self.is_draft and self.session.performed_on < self.session.clinic_today()
        self.read_only = not self.is_draft or past_draft or not self.may_chart
        self.setObjectName("encounterEditor")
        self.setAccessibleName("Encounter editor")
        self.setStyleSheet(PARTS_STYLE)
        self.resize(1440, 900)

        self.sites = sites = SitesPane(services, self.session, medications, self)
        self.stack, self.chart, self.model = sites.stack, sites.chart, sites.model
        self.table, self.body_map, self.new_sites = sites.table, sites.body_map, sites.new_sites
        self.totals_label = sites.totals_label
        self.pain_drawing = attach_pain_drawing(services, self.session, self.body_map, self.stack)
        self.form = EncounterForm()
        repeat_visit, follow_up_weeks = self.session.form_hints()
        self.form.set_repeat_visit(repeat_visit)
        self.form.set_clinic_follow_up_weeks(follow_up_weeks)
        self.form.set_record(patient, self.session.default_skin_prep())  # issue 12 §4
        self.form.set_undo_stack(self.stack)
        self.addenda = Addenda(self.session, self)
        self.addenda_panel, self.addenda_scroll = self.addenda.panel, self.addenda.scroll
        self.sign_dialog: SignDialog | None = None
        self.header = EncounterHeader(patient, encounter)
        self.banner = MessageBar("Encounter notice")
        self.message_bar = MessageBar("Save problem")
        self.conflict_bar = ConflictBar(self.session, self.message_bar, self)

        self._build_actions()
        self.sign_action.setVisible(may(granted, "encounter.sign"))
        self.addendum_action.setVisible(may(granted, "encounter.addendum"))
        self._build_layout()
        self._take(encounter)
        self._load(encounter)
        self._connect()
        if not self.is_draft:
            self._lock_signed(encounter)
        elif past_draft or not self.may_chart:
            self._lock_past_draft()
        if repeated is not None:
            show_repeat_banner(self.banner, repeated, encounter.clinic_timezone)
            self.sites.highlight(repeated.changed_sites)
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
        handlers = EditorHandlers(
            self.on_remove_site, self.on_apply_to_all, self.save_now, self.on_sign,
            self.on_add_addendum,
        )  # fmt: skip
        self.editor_actions = actions = EditorActions(
            self, self.stack, self.table, self.new_sites, handlers
        )
        self.undo_action, self.redo_action = actions.undo_action, actions.redo_action
        self.remove_site_action = actions.remove_site_action
        self.apply_all_action = actions.apply_all_action
        self.save_action, self.sign_action = actions.save_action, actions.sign_action
        self.addendum_action, self.close_action = actions.addendum_action, actions.close_action

    def _build_layout(self) -> None:
        panes = build_panes(
            self.body_map,
            [self.table, self.sites.details, self.totals_label],
            [self.form.checks, self.form.codes],
            self.form,
            self.addenda_scroll,
        )
        self.panes = panes
        self.splitter, self.form_scroll = panes.splitter, panes.form_scroll
        self.checks_scroll, self.right = panes.checks_scroll, panes.right
        self.central_scroll = VerticalScroller([self.header, panes.splitter], "Encounter")
        self.setCentralWidget(self.central_scroll)
        # Over the form's bottom edge: a notice never pushes the map or the table down.
        self.notices = NoticeOverlay(
            self.central_scroll.content, self.form_scroll, [self.banner, self.message_bar]
        )
        (self.save_label,) = add_status_fields(self.statusBar(), ["Save state"])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_width(event.size().width())

    def _fit_width(self, width: int) -> None:
        self.editor_actions.toolbar_fit.fit(width)
        self.panes.set_stacked(width < STACK_BELOW)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # once: later the splitter is where the user left it
            self._shown = True
            self._fit_width(self.width())
            self.panes.fit_to(self.table, self.central_scroll.content)

    def _take(self, encounter: EncounterView) -> None:
        """Show what identifies the stored copy this window now stands for."""
        self.header.set_encounter(encounter)
        self.setWindowTitle(
            f"{self._patient_name} — "
            f"{local_timestamp(encounter.performed_at, encounter.clinic_timezone)} "
            f"({'draft' if self.is_draft else 'signed'})"
        )

    def _load(self, encounter: EncounterView) -> None:
        self.sites.load(encounter)
        self.form.set_form(encounter.form)
        self._form_dirty = False
        self.session.mark_clean()  # loading is not an edit
        self.save_label.setText("All changes saved")

    def _connect(self) -> None:
        session = self.session
        session.saved.connect(self.on_saved)
        session.save_failed.connect(self.on_save_failed)
        session.reloaded.connect(self.on_reloaded)
        session.switched.connect(self.on_switched)
        session.signed.connect(self.on_signed)
        session.save_state_changed.connect(self.save_label.setText)
        session.status_reported.connect(self.on_status_message)
        self.addenda.added.connect(self.encounter_saved)
        self.addenda.status_reported.connect(self.on_status_message)
        self.addenda.problem.connect(lambda text: self.message_bar.show_message(text, "error"))
        self.stack.indexChanged.connect(self.on_chart_edited)
        self.sites.status_message.connect(self.on_status_message)
        self.form.form_changed.connect(self.on_form_edited)
        self.form.checks.site_activated.connect(self.sites.select_number)
        self.form.checks.target_activated.connect(self.on_finding_target)
        self.live_checks.assessed.connect(self.on_assessed)
        self.live_checks.failed.connect(self.form.checks.set_error)
        self.live_checks.failed.connect(lambda _message: self.sites.set_assessment(None))
        self.model.edit_refused.connect(self.on_edit_refused)
        if self.pain_drawing is not None:
            self.pain_drawing.save_failed.connect(self.on_save_failed)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
            self.model.dataChanged,
        ):
            signal.connect(self.live_checks.schedule)

    def _set_editable(self, editable: bool) -> None:
        self.read_only = not editable
        self.sites.set_editable(editable)
        if self.pain_drawing is not None:
            self.pain_drawing.set_editable(editable)
        self.form.set_read_only(not editable)
        self.editor_actions.set_editable(editable)

    def _lock_signed(self, encounter: EncounterView) -> None:
        self._set_editable(False)
        freeze_inputs(self.form)  # every field, including ones the form grows later
        signed = signed_line(encounter, self.session.signer_name(encounter))
        self.form.signature.set_signature(signed, encounter.overrides)
        may_add = self.addendum_action.isVisible()
        add = (ADD_ADDENDUM_TEXT, self.on_add_addendum) if may_add else None
        show_signed_banner(self.banner, signed, add)
        self.save_label.setText("Signed — read-only")
        self.addendum_action.setEnabled(may_add)
        self.addenda.show(encounter)

    def _lock_past_draft(self) -> None:
        self._set_editable(False)
        edit = self.on_edit_draft if self.may_chart else None
        show_past_draft_banner(self.banner, self.session.performed_on, edit)
        self.save_label.setText("Past draft — read-only" if edit else "Read-only for your role")

    # ------------------------------------------------------------------ public API
    @property
    def encounter_id(self) -> int:
        return self.session.encounter_id

    @property
    def patient_id(self) -> int:
        return self.session.patient_id

    @property
    def is_draft(self) -> bool:
        """The encounter is a draft (not signed), whether or not it is unlocked here."""
        return self.session.is_draft

    @property
    def in_conflict(self) -> bool:
        """Another workstation saved first: these edits can no longer go into this encounter."""
        return self.session.in_conflict

    def is_dirty(self) -> bool:
        """True while some edit is not saved (chart or form)."""
        return not self.read_only and self.session.dirty

    def snapshot(self) -> Snapshot:
        """What the window shows, as the plain values the session saves."""
        return self.form.form_input(), self.chart.drafts()

    def save_now(self) -> bool:
        """Save the form and every site in one transaction; False (and a message) on failure."""
        if self.read_only:
            self.session.stop_timers()
            return True
        return self.session.save_now()

    def save_as_new_draft(self) -> bool:
        """Save this window's edits as a new draft and chart it (both drafts then exist)."""
        return self.conflict_bar.save_as_new_draft()

    def lots_for(self, medication_id: int) -> list[LotView]:
        """Lots of a medication that can be used today (for the lot picker)."""
        return self.sites.lots_for(medication_id)

    def _assess_job(self) -> Callable[[], Assessment]:
        """Read what is shown now; the checks service is asked on the session's worker."""
        form, sites = self.snapshot()
        checks, encounter_id = self.services.checks, self.encounter_id
        return lambda: checks.assess_draft(encounter_id, form, list(sites))

    # ------------------------------------------------------------------ session slots
    def on_saved(self, encounter_id: int) -> None:
        if not self.session.dirty:  # edits made while saving are still to save
            self.stack.setClean()
            self._form_dirty = False
        if self.message_bar.kind == "error":
            self.message_bar.hide()
        self.encounter_saved.emit(encounter_id)

    def on_save_failed(self, message: str) -> None:
        if not self.session.in_conflict:  # the conflict bar says more than the service
            self.message_bar.show_message(f"Not saved: {message}\n{RETRY_TEXT}", "error")
        self.save_failed.emit(message)

    def on_reloaded(self, encounter: EncounterView) -> None:
        """Show ``encounter`` as stored now, dropping this window's edits."""
        self._take(encounter)
        self._load(encounter)
        if not self.is_draft:  # they signed it
            self._lock_signed(encounter)

    def on_switched(self, old_id: int, new_id: int) -> None:
        self._take(self.session.view)
        self.encounter_switched.emit(old_id, new_id)

    def on_signed(self, view: EncounterView) -> None:
        """Signing succeeded: show the signature and lock the window."""
        self._take(view)
        self._lock_signed(view)

    # ------------------------------------------------------------------ slots
    def on_edit_draft(self) -> None:
        """Unlock a past draft for editing (the banner's "Edit draft" button)."""
        if not self.is_draft or not self.may_chart:
            return
        self._set_editable(True)
        self.banner.hide()
        self.save_label.setText("All changes saved")
        self.on_status_message(f"Editing the draft from {self.session.performed_on.isoformat()}.")
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_chart_edited(self, _index: int) -> None:
        if not self.read_only:
            self.session.content_changed(not self.stack.isClean() or self._form_dirty)

    def on_form_edited(self) -> None:
        self._form_dirty = True
        if not self.read_only:
            self.session.content_changed()
        self.live_checks.schedule()

    def on_sign(self) -> SignDialog | None:
        """Run the checks on what the window shows and open the sign dialog (not blocking)."""
        if self.read_only or not self.is_draft or not self.sign_action.isVisible():
            return None
        assessment = self.live_checks.run_now()
        if assessment is None:
            self.message_bar.show_message(
                "Cannot sign: the checks could not run (see the Checks panel).", "error"
            )
            return None
        self.sign_dialog = SignDialog(assessment, self.session.sign, self)
        self.sign_dialog.open()
        return self.sign_dialog

    def on_add_addendum(self) -> AddendumDialog | None:
        """Open the addendum dialog of a signed encounter (not modal-blocking)."""
        return self.addenda.open_dialog()

    @property
    def addendum_dialog(self) -> AddendumDialog | None:
        return self.addenda.dialog

    def on_assessed(self, assessment: Assessment) -> None:
        self.form.checks.set_assessment(assessment, signed=not self.is_draft)
        self.form.codes.set_coding(assessment.coding)
        self.sites.set_assessment(assessment)

    def on_finding_target(self, target: str, number: int) -> None:
        """A completeness finding was clicked: take the cursor to the field it names."""
        if target == "lot":
            self.sites.focus_lot(number)
            return
        widget = self.form.focus_field(target)
        if widget is not None:
            self.form_scroll.ensureWidgetVisible(widget)

    def on_remove_site(self) -> None:
        if not self.read_only:
            self.sites.remove_selected()

    def on_apply_to_all(self) -> None:
        self.sites.apply_to_all()

    def on_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def on_edit_refused(self, message: str) -> None:
        self.message_bar.show_message(message, "info")
        self.statusBar().showMessage(message, 6000)

    def hand_over(self) -> None:
        """Close because another user signed in at the lock screen: no prompt, and no
        housekeeping under their name (the lock saved the edits; the draft stays in the
        database for its author)."""
        self._handing_over = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.session.stop_timers()
        self.session.finish_pending()  # a save under way ends first: nothing is lost
        asks = not self.read_only and not self._handing_over
        if asks and not self.conflict_bar.may_close():
            event.ignore()
            if self.session.dirty:  # still open with unsaved edits: keep autosaving
                self.session.content_changed()
            return
        self.live_checks.stop()  # a closed window checks nothing (its data may be gone)
        self.session.close(keep_draft=self._handing_over)
        event.accept()
        self.encounter_closed.emit(self.encounter_id)
