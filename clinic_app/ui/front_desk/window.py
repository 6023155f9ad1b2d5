"""The front desk: the day's procedures, a preview of each handout, printing and its log.

It shows and prints; it offers no clinical editing. Every service call answers a user
action; the window keeps only plain rows and ids between events.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, QSettings, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.labels import LANGUAGE_NAMES
from clinic_app.services.documents import MAX_COPIES, PrintRecord, ProcedureRow
from clinic_app.ui.common import messages
from clinic_app.ui.common.labels import clinic_clock, local_timestamp
from clinic_app.ui.common.print_support import PrintError, load_pdf, print_pdf, printer_named
from clinic_app.ui.common.rows_model import Index, RowsTableModel

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

SETTINGS_ORG = "clinic_app"
SETTINGS_APP = "clinic_app"
PRINTER_KEY = "front_desk/printer"
STATUS_CHOICES = (
    ("All procedures", None),
    ("Signed", "signed"),
    ("Handout printed", "printed"),
    ("Not printed", "not_printed"),
)
EncounterIdRole = Qt.ItemDataRole.UserRole + 1


def doc_name(encounter_id: int) -> str:
    """The print job's title, also cups-pdf's file name."""
    return f"handout-{encounter_id}"


def language_name(language: Language) -> str:
    return LANGUAGE_NAMES.get(language, language.value)


class ProcedureTableModel(RowsTableModel[ProcedureRow]):
    """The day's procedures, one row each (times in the clinic's zone ``zone``)."""

    zone = ""

    HEADERS = (
        "Time",
        "Patient",
        "MRN",
        "Born",
        "Language",
        "Provider",
        "Chart",
        "Sites",
        "Handout",
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row = self.row_at(index.row())
        if role == EncounterIdRole:
            return row.encounter_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        printed = (
            f"Printed {clinic_clock(row.last_printed_at, self.zone)}"
            if row.printed and row.last_printed_at
            else "Not printed"
        )
        return (
            clinic_clock(row.performed_at, self.zone),
            row.patient_name,
            row.mrn,
            row.date_of_birth.isoformat(),
            language_name(row.language),
            row.provider_name,
            "Signed" if row.signed else "Draft",
            str(row.sites),
            printed,
        )[index.column()]


class PrintLogModel(RowsTableModel[PrintRecord]):
    """Who printed an encounter's handout, when, in which language, how many copies.

    Times read in the clinic's zone ``zone``, with the zone.
    """

    zone = ""

    HEADERS = ("When", "Who", "Language", "Copies")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.row_at(index.row())
        return (
            local_timestamp(r.printed_at, self.zone),
            r.printed_by_name or "—",
            language_name(r.language),
            str(r.copies),
        )[index.column()]


class FrontDeskWindow(QMainWindow):
    """The front desk's screen.

    Signals:
        procedures_loaded(int): the list was refilled with this many procedures.
        preview_ready(int): the handout of this encounter is shown.
        handout_printed(int): this encounter's handout was printed or saved and logged.
        batch_finished(int): "print all unprinted" printed this many handouts.
    """

    procedures_loaded = Signal(int)
    preview_ready = Signal(int)
    handout_printed = Signal(int)
    batch_finished = Signal(int)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._encounter_id: int | None = None
        self._pdf: bytes | None = None
        self._document: QPdfDocument | None = None
        self._zone = self._clinic_zone()
        self.setObjectName("frontDeskWindow")
        self.setWindowTitle("Front desk — clinic_app")
        self.setAccessibleName("Front desk")
        self.resize(1280, 800)
        self._build()
        self.refresh()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        today = clinic_day(clock.now(), self._zone)  # the clinic's today
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setAccessibleName("Day")
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.provider_combo.addItem("All providers", None)
        try:
            for user in self._services.clinic.users(providers_only=True):
                self.provider_combo.addItem(user.label, user.id)
        except ClinicError as exc:
            self._warn("Providers not loaded", str(exc))
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        for label, value in STATUS_CHOICES:
            self.status_combo.addItem(label, value)
        self.print_all_button = QPushButton("Print all &unprinted…")
        self.print_all_button.setToolTip(
            "Print the handout of every procedure of this day not printed yet"
        )
        self.date_edit.dateChanged.connect(self.refresh)
        self.provider_combo.currentIndexChanged.connect(self.refresh)
        self.status_combo.currentIndexChanged.connect(self.refresh)
        self.print_all_button.clicked.connect(self.print_all_unprinted)
        filters = QHBoxLayout()
        filter_widgets: tuple[tuple[str, QWidget], ...] = (
            ("&Day:", self.date_edit),
            ("P&rovider:", self.provider_combo),
            ("&Status:", self.status_combo),
        )
        for caption, field in filter_widgets:
            buddy = QLabel(caption)
            buddy.setBuddy(field)
            filters.addWidget(buddy)
            filters.addWidget(field)
        filters.addStretch(1)
        filters.addWidget(self.print_all_button)

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
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.language_combo.currentIndexChanged.connect(self._load_preview)
        self.large_print_check.toggled.connect(self._load_preview)
        self.print_button.clicked.connect(self.print_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.save_button.clicked.connect(self.save_selected)
        actions = QHBoxLayout()
        language_label = QLabel("Lan&guage:")
        language_label.setBuddy(self.language_combo)
        actions.addWidget(language_label)
        actions.addWidget(self.language_combo)
        actions.addWidget(self.large_print_check)
        actions.addStretch(1)
        for button in (self.print_button, self.reprint_button, self.save_button):
            actions.addWidget(button)
        self._blank = QPdfDocument(self)
        self.preview = QPdfView()
        self.preview.setAccessibleName("Handout preview")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
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
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._update_buttons()

    # ------------------------------------------------------------------ queries
    @property
    def day(self) -> date:
        qdate = self.date_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    @property
    def encounter_id(self) -> int | None:
        """The encounter whose handout is shown, if any."""
        return self._encounter_id

    @property
    def preview_page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

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

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(int(current.data(EncounterIdRole)) if current.isValid() else None)

    def _show(self, encounter_id: int | None) -> None:
        same = encounter_id is not None and encounter_id == self._encounter_id
        self._encounter_id = encounter_id
        if encounter_id is None:
            self.log_model.set_rows([])
            self._set_preview(None)
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
        self._load_preview()

    # ------------------------------------------------------------------ preview
    def _render(self, encounter_id: int, language: Language, large_print: bool) -> bytes:
        return self._services.documents.render_handout(
            encounter_id, language=language, large_print=large_print
        )

    def _load_preview(self) -> None:
        if self._encounter_id is None:
            return
        try:
            pdf = self._render(
                self._encounter_id, self.language(), self.large_print_check.isChecked()
            )
            document = load_pdf(pdf, self)
        except (ClinicError, PrintError) as exc:
            self._set_preview(None)
            self._warn("Handout not shown", str(exc))
            return
        self._pdf = pdf
        self._set_preview(document)
        self.preview_ready.emit(self._encounter_id)

    def _set_preview(self, document: QPdfDocument | None) -> None:
        old = self._document
        self._document = document
        # An empty document rather than None: QPdfView warns on a null document.
        self.preview.setDocument(document or self._blank)
        if document is None:
            self._pdf = None
        if old is not None:
            old.deleteLater()
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._pdf is not None
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.reprint_button.setEnabled(ready and bool(self.remembered_printer()))
        self.language_combo.setEnabled(self._encounter_id is not None)
        self.large_print_check.setEnabled(self._encounter_id is not None)

    # ------------------------------------------------------------------ printing
    @staticmethod
    def _settings() -> QSettings:
        return QSettings(SETTINGS_ORG, SETTINGS_APP)

    def remembered_printer(self) -> str:
        """The printer used last from the front desk, "" when none."""
        return str(self._settings().value(PRINTER_KEY, "") or "")

    def choose_printer(self) -> QPrinter | None:
        """Ask with the system print dialog, starting at the remembered printer."""
        printer = printer_named(self.remembered_printer()) or QPrinter(
            QPrinter.PrinterMode.HighResolution
        )
        return messages.ask_printer(self, "Print handout", printer)

    def ask_save_path(self, suggested: str) -> str:
        return messages.ask_save_file(
            self, "Save handout as PDF", suggested, "PDF documents (*.pdf)"
        )

    def print_selected(self) -> bool:
        """Print the shown handout after the print dialog; True when printed and logged."""
        if self._encounter_id is None:
            return False
        printer = self.choose_printer()
        return printer is not None and self.print_to(printer)

    def reprint_selected(self) -> bool:
        """One click: print the shown handout again on the remembered printer."""
        printer = printer_named(self.remembered_printer())
        if printer is None:
            self._warn("Printer not found", "The last printer used is not installed any more.")
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter, encounter_id: int | None = None) -> bool:
        """Print a handout (the shown one by default) on ``printer`` and log it."""
        target = self._encounter_id if encounter_id is None else encounter_id
        if target is None:
            return False
        language, large = self._options_for(target)
        try:
            pdf = (
                self._pdf
                if target == self._encounter_id and self._pdf
                else self._render(target, language, large)
            )
            print_pdf(pdf, printer, doc_name(target))
        except (ClinicError, PrintError) as exc:
            self._warn("Handout not printed", str(exc))
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            self._settings().setValue(PRINTER_KEY, printer.printerName())
        copies = min(max(printer.copyCount(), 1), MAX_COPIES)
        return self._log(target, language, copies)

    def save_selected(self) -> bool:
        """Save the shown handout as a PDF file and log it."""
        if self._encounter_id is None or self._pdf is None:
            return False
        path = self.ask_save_path(f"{doc_name(self._encounter_id)}.pdf")
        if not path:
            return False
        try:
            Path(path).write_bytes(self._pdf)
        except OSError as exc:
            self._warn("Handout not saved", f"Could not write {path}: {exc.strerror or exc}")
            return False
        return self._log(self._encounter_id, self.language(), 1)

    def print_all_unprinted(self) -> int:
        """Print every handout of the day not printed yet; returns how many were printed."""
        try:
            rows = self._services.documents.procedures_on(
                self.day, provider_id=self.provider_combo.currentData(), status="not_printed"
            )
        except ClinicError as exc:
            self._warn("Procedures not loaded", str(exc))
            return 0
        if not rows:
            self._inform("Nothing to print", "Every handout of this day is printed already.")
            return 0
        printer = self.choose_printer()
        if printer is None:
            return 0
        progress = QProgressDialog("Printing handouts…", "Stop", 0, len(rows), self)
        progress.setWindowTitle("Print all unprinted")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        done, failed = 0, []
        for number, row in enumerate(rows):
            if progress.wasCanceled():
                break
            progress.setLabelText(f"Printing {row.patient_name} ({number + 1} of {len(rows)})…")
            progress.setValue(number)
            try:
                pdf = self._render(row.encounter_id, row.language, False)
                print_pdf(pdf, printer, doc_name(row.encounter_id))
                self._services.documents.record_print(
                    row.encounter_id, row.language, min(max(printer.copyCount(), 1), MAX_COPIES)
                )
                done += 1
            except (ClinicError, PrintError) as exc:
                failed.append(f"{row.patient_name} ({row.mrn}): {exc}")
        progress.setValue(len(rows))
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and done:
            self._settings().setValue(PRINTER_KEY, printer.printerName())
        if failed:
            self._warn("Some handouts not printed", "\n".join(failed))
        self.refresh()
        self.batch_finished.emit(done)
        return done

    def _options_for(self, encounter_id: int) -> tuple[Language, bool]:
        if encounter_id == self._encounter_id:
            return self.language(), self.large_print_check.isChecked()
        return self._services.documents.handout_info(encounter_id).default_language, False

    def _log(self, encounter_id: int, language: Language, copies: int) -> bool:
        try:
            self._services.documents.record_print(encounter_id, language, copies)
        except ClinicError as exc:
            self._warn("Print not logged", f"The handout was printed but not logged: {exc}")
            return False
        self.refresh()
        self.handout_printed.emit(encounter_id)
        return True

    # ------------------------------------------------------------------ messages
    def _warn(self, title: str, text: str) -> None:
        messages.warn(self, title, text)

    def _inform(self, title: str, text: str) -> None:
        messages.inform(self, title, text)
