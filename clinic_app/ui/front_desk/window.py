"""The front desk: the day's procedures, a preview of each handout, printing and its log.

It shows and prints; it offers no clinical editing. Every service call answers a user
action; the window keeps only plain rows and ids between events.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.access import may
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.services.changes import Topic
from clinic_app.services.documents import ProcedureRow
from clinic_app.ui.common import icons, messages
from clinic_app.ui.common.jobs import JobQueue
from clinic_app.ui.common.refresh import ChangeListener, LiveRefresh, ViewState
from clinic_app.ui.front_desk.filters import DayFilters
from clinic_app.ui.front_desk.models import (
    EncounterIdRole,
    PrintLogModel,
    ProcedureTableModel,
    language_name,
)
from clinic_app.ui.front_desk.preview import HandoutPreview
from clinic_app.ui.front_desk.printing import HandoutPrinting, ShownHandout, reprint_tip

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices


class FrontDeskWindow(QMainWindow):
    """The front desk's screen.

    Handouts are rendered on the window's worker (:mod:`clinic_app.ui.common.jobs`); the
    status bar says so when that takes more than a moment.

    Signals:
        procedures_loaded(int): the list was refilled with this many procedures.
        preview_ready(int): the handout of this encounter is shown.
        handout_printed(int): this encounter's handout was printed or saved and logged.
        batch_finished(int): "print all unprinted" printed this many handouts.
        live_reloaded(int): the list was brought up to date after another workstation's
            change (this many procedures), with the selection and the scroll kept.

    Attributes:
        changes: hears other workstations' commits (the main window's, or its own).
    """

    procedures_loaded = Signal(int)
    preview_ready = Signal(int)
    handout_printed = Signal(int)
    batch_finished = Signal(int)
    live_reloaded = Signal(int)

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        *,
        changes: ChangeListener | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._encounter_id: int | None = None
        self._jobs = self._new_jobs()
        self.handout = HandoutPreview(services, self.jobs, self)
        self.handout.shown.connect(self.preview_ready)
        self.handout.failed.connect(lambda text: self._warn("Handout not shown", text))
        self.handout.changed.connect(self._update_buttons)
        self.printing = HandoutPrinting(services, self.jobs, self._shown_handout, self)
        self.printing.handout_printed.connect(self._on_printed)
        self.printing.batch_finished.connect(self._on_batch_finished)
        self._zone = self._clinic_zone()
        self.setObjectName("frontDeskWindow")
        self.setWindowTitle("Front desk — clinic_app")
        self.setAccessibleName("Front desk")
        self.resize(1280, 800)
        self._build()
        self._own_changes = changes is None
        self.changes = changes or ChangeListener(services.changes, self)
        self.live = LiveRefresh(
            self.changes,
            (Topic.ENCOUNTERS, Topic.PRINTS, Topic.PATIENTS, Topic.USERS),
            self.reload_live,
            visible=self.isVisible,
            parent=self,
        )
        self._restoring = False
        self.refresh()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        today = clinic_day(clock.now(), self._zone)  # the clinic's today
        self.filters = filters = DayFilters(today, self)
        self.date_edit, self.status_combo = filters.date_edit, filters.status_combo
        self.provider_combo, self.print_all_button = filters.provider_combo, filters.print_all
        try:
            filters.set_providers(self._services.clinic.users(providers_only=True))
        except ClinicError as exc:
            self._warn("Providers not loaded", str(exc))
        filters.changed.connect(self.refresh)
        filters.print_all.clicked.connect(self.print_all_unprinted)

        self.model = ProcedureTableModel(self)
        self.model.zone = self._zone
        self.table = QTableView()
        self.table.setAccessibleName("Procedures of the day")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self.log_model = PrintLogModel(self)
        self.log_model.zone = self._zone
        self.log_table = QTableView()
        self.log_table.setAccessibleName("Print log")
        self.log_table.setModel(self.log_model)
        self.log_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log_table.verticalHeader().hide()
        self.log_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 3)
        left_layout.addWidget(QLabel("Print log of the selected handout:"))
        left_layout.addWidget(self.log_table, 1)

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Handout language")
        for language in Language:
            self.language_combo.addItem(language_name(language), language)
        self.large_print_check = QCheckBox("&Large print")
        self.print_button = QPushButton("&Print…")
        self.reprint_button = QPushButton("&Reprint")
        self.save_button = QPushButton("Save as P&DF…")
        for button, icon in ((self.print_button, "print"), (self.reprint_button, "print"),
                             (self.save_button, "save_pdf")):  # fmt: skip
            button.setIcon(icons.icon(icon))
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.language_combo.currentIndexChanged.connect(lambda _i: self._load_preview(keep=True))
        self.large_print_check.toggled.connect(lambda _on: self._load_preview(keep=True))
        self.print_button.clicked.connect(self.print_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.measure_button = QPushButton("Outcome &questionnaire…")  # NDI / ODI for the visit
        self.measure_button.clicked.connect(self.record_measure)
        actions = QHBoxLayout()
        language_label = QLabel("Lan&guage:")
        language_label.setBuddy(self.language_combo)
        actions.addWidget(language_label)
        actions.addWidget(self.language_combo)
        actions.addWidget(self.large_print_check)
        actions.addStretch(1)
        for button in (self.print_button, self.reprint_button, self.save_button):
            actions.addWidget(button)
        actions.insertWidget(0, self.measure_button)
        self.preview = self.handout.view
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.status_label)
        right_layout.addWidget(self.preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([700, 580])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(filters)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._update_buttons()

    # ------------------------------------------------------------------ queries
    @property
    def day(self) -> date:
        return self.filters.day()

    @property
    def encounter_id(self) -> int | None:
        """The encounter whose handout is shown, if any."""
        return self._encounter_id

    @property
    def preview_page_count(self) -> int:
        return self.handout.page_count

    def language(self) -> Language:
        return Language(self.language_combo.currentData())

    def _clinic_zone(self) -> str:
        """The clinic's time zone name from its profile ("" = this computer's)."""
        try:
            profile = self._services.clinic.profile()
        except ClinicError:
            return ""
        return profile.timezone if profile else ""

    # ------------------------------------------------------------------ list
    def refresh(self) -> None:
        """Reload the day's procedures, keeping the selected encounter when still listed."""
        keep = self._encounter_id
        try:
            rows = self._services.documents.procedures_on(
                self.day,
                provider_id=self.provider_combo.currentData(),
                status=self.status_combo.currentData(),
            )
        except ClinicError as exc:
            self._warn("Procedures not loaded", str(exc))
            rows = []
        self.model.set_rows(rows)
        ids = [r.encounter_id for r in rows]
        if keep is not None and keep in ids:
            self.select_encounter(ids.index(keep))
        else:
            self._show(None)
        self.procedures_loaded.emit(len(rows))

    def select_encounter(self, row: int) -> None:
        """Make ``row`` of the list the current procedure."""
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def reload_live(self, _topics: frozenset[Topic] = frozenset()) -> None:
        """Bring the list up to date after another workstation's change, keeping the selected
        procedure and the rows in sight where they are; the handout is drawn again only when
        its own procedure changed. A failure is a status-bar line, never a dialog."""
        if not may(self._services.actor.granted, "front_desk.procedures"):
            return  # signed out: a refused call would only write audit rows
        try:
            rows = self._services.documents.procedures_on(
                self.day,
                provider_id=self.provider_combo.currentData(),
                status=self.status_combo.currentData(),
            )
        except ClinicError as exc:
            self.statusBar().showMessage(f"The list could not be brought up to date: {exc}", 8000)
            return
        before = {r.encounter_id: r for r in self.model.rows()}
        if rows != list(before.values()):
            state = ViewState.capture(self.table, EncounterIdRole)
            self._restoring = True
            try:
                self.model.set_rows(rows)
                kept = state.restore(self.table, EncounterIdRole)
            finally:
                self._restoring = False
            shown = self._encounter_id
            old = before.get(shown) if shown is not None else None
            now = next((r for r in rows if r.encounter_id == shown), None)
            if not kept:
                self._show(None)
            elif old is not None and now is not None and now != old:
                self._follow(old, now)
        self.live_reloaded.emit(len(rows))

    def _follow(self, old: ProcedureRow, new: ProcedureRow) -> None:
        """The shown procedure changed elsewhere: a new print only adds to the log; any other
        change (signed, sites, the patient's name) shows the handout anew."""
        if replace(old, printed=new.printed, last_printed_at=new.last_printed_at) != new:
            self._show(new.encounter_id)
            return
        try:
            info = self._services.documents.handout_info(new.encounter_id)
        except ClinicError as exc:
            self.statusBar().showMessage(f"The print log could not be read: {exc}", 8000)
            return
        self.log_model.set_rows(info.prints)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._own_changes:
            self.changes.start()
        self.live.poke()  # what was heard while hidden

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return  # a live reload puts the same procedure back
        self._show(int(current.data(EncounterIdRole)) if current.isValid() else None)

    def _show(self, encounter_id: int | None) -> None:
        same = encounter_id is not None and encounter_id == self._encounter_id
        self._encounter_id = encounter_id
        if encounter_id is None:
            self.log_model.set_rows([])
            self.handout.clear()
            self.status_label.clear()
            self._update_buttons()
            return
        try:
            info = self._services.documents.handout_info(encounter_id)
        except ClinicError as exc:
            self._warn("Handout not loaded", str(exc))
            return
        self.log_model.set_rows(info.prints)
        self.status_label.setText(
            "" if info.signed else "The chart is not signed yet: this handout is from a draft."
        )
        if not same:  # a reload of the same encounter keeps the chosen language and size
            self.language_combo.blockSignals(True)
            self.large_print_check.blockSignals(True)
            self.language_combo.setCurrentIndex(self.language_combo.findData(info.default_language))
            self.large_print_check.setChecked(False)
            self.language_combo.blockSignals(False)
            self.large_print_check.blockSignals(False)
        self._load_preview(keep=same)

    # ------------------------------------------------------------------ preview
    def _load_preview(self, *, keep: bool) -> None:
        """Render the shown encounter's handout in the chosen language and size."""
        if self._encounter_id is not None:
            self.handout.load(
                self._encounter_id,
                self.language(),
                self.large_print_check.isChecked(),
                keep=keep,
            )

    def _update_buttons(self) -> None:
        ready = self.handout.pdf is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        printer = self.remembered_printer()
        printed_before = self.log_model.rowCount() > 0
        self.reprint_button.setEnabled(ready and bool(printer) and printed_before)
        self.reprint_button.setToolTip(reprint_tip(printer, printed_before))
        self.language_combo.setEnabled(self._encounter_id is not None)
        self.large_print_check.setEnabled(self._encounter_id is not None)
        row = self._selected_row()
        may_record = may(self._services.actor.granted, "measure.record")
        self.measure_button.setEnabled(row is not None and not row.signed and may_record)

    def _selected_row(self) -> ProcedureRow | None:
        return next((r for r in self.model.rows() if r.encounter_id == self._encounter_id), None)

    def record_measure(self) -> None:
        """Record an outcome questionnaire (NDI, ODI) for the selected, unsigned visit."""
        from clinic_app.ui.measures.dialog import open_measure_dialog
        from clinic_app.ui.measures.target import for_procedure

        row = self._selected_row()
        if row is not None and self.measure_button.isEnabled():
            self.measure_dialog = open_measure_dialog(
                self._services, for_procedure(self._services, row), self
            )

    # ------------------------------------------------------------------ printing
    def _shown_handout(self) -> ShownHandout | None:
        if self._encounter_id is None:
            return None
        return ShownHandout(
            self._encounter_id,
            self.language(),
            self.large_print_check.isChecked(),
            self.handout.pdf,
        )

    def remembered_printer(self) -> str:
        """The printer used last from the front desk, "" when none."""
        return self.printing.remembered_printer()

    def print_selected(self) -> bool:
        """Print the shown handout after the print dialog; True when printed and logged."""
        return self.printing.print_selected()

    def reprint_selected(self) -> bool:
        """One click: print the shown handout again on the remembered printer."""
        return self.printing.reprint_selected()

    def print_to(self, printer: QPrinter, encounter_id: int | None = None) -> bool:
        """Print a handout (the shown one by default) on ``printer`` and log it."""
        return self.printing.print_to(printer, encounter_id)

    def save_selected(self) -> bool:
        """Save the shown handout as a PDF file and log it."""
        return self.printing.save_selected()

    def print_all_unprinted(self) -> int:
        """Print every handout of the day not printed yet; returns how many were printed."""
        return self.printing.print_all_unprinted(self.day, self.provider_combo.currentData())

    def _on_printed(self, encounter_id: int) -> None:
        self.refresh()
        self.handout_printed.emit(encounter_id)

    def _on_batch_finished(self, count: int) -> None:
        self.refresh()
        self.batch_finished.emit(count)

    def jobs(self) -> JobQueue:
        """The worker that renders this window's handouts (a new one after a close)."""
        if self._jobs.closed:
            self._jobs = self._new_jobs()
        return self._jobs

    def _new_jobs(self) -> JobQueue:
        jobs = JobQueue("front desk", self)
        jobs.progress_changed.connect(self._on_progress)
        return jobs

    def _on_progress(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.handout.cancel()
        self._jobs.shutdown()
        if self._own_changes:
            self.changes.stop()
        super().closeEvent(event)

    # ------------------------------------------------------------------ messages
    def _warn(self, title: str, text: str) -> None:
        messages.warn(self, title, text)

    def _inform(self, title: str, text: str) -> None:
        messages.inform(self, title, text)
