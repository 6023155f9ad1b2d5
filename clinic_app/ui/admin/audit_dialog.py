"""The administrator's "Audit trail" window: who did what, filtered, exported, verified.

Filters (clinic-local date range, user, patient, action) ask
:meth:`AuditService.report <clinic_app.services.audit.AuditService.report>` for one page;
header clicks re-sort on the service side; "Export CSV…" writes every matching row; "Access
report (PDF)…" writes the chosen patient's "who looked at my chart" report; "Verify chain"
shows what ``clinic-app audit verify`` would say. Emergency-access rows are tinted and say
EMERGENCY with their reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain import clock
from clinic_app.domain.audit_words import action_words
from clinic_app.domain.errors import ClinicError
from clinic_app.services.dto import AuditEntry, AuditQuery
from clinic_app.ui.admin.audit_model import AuditTableModel
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

PAGE_SIZE = 200
DEFAULT_DAYS = 30


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) focuses ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditDialog(QDialog):
    """Browse the audit trail (administrators).

    Attributes:
        start_edit, end_edit: the clinic-local date range. user_combo, action_combo: the
            filters (data: user id / action name; None for all). patient_edit, patient_combo:
            type an MRN or name, press Enter, pick the patient (data: patient id).
        table, model: the page shown. page_label: "Rows 1–200 of 1,234".
        export_button, access_button, verify_button, newer_button, older_button: commands.
    """

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit trail")
        self.setObjectName("auditDialog")
        self.setAccessibleName("Audit trail")
        self.resize(1180, 680)
        self._services = services
        self._query = AuditQuery(limit=PAGE_SIZE)
        self._total = 0

        today = clock.today()
        self.start_edit = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit, name in ((self.start_edit, "From day"), (self.end_edit, "To day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.user_combo = QComboBox()
        self.user_combo.setAccessibleName("User")
        self.action_combo = QComboBox()
        self.action_combo.setAccessibleName("Action")
        self.patient_edit = QLineEdit()
        self.patient_edit.setPlaceholderText("MRN or name, then Enter")
        self.patient_edit.setAccessibleName("Find a patient")
        self.patient_edit.returnPressed.connect(self.on_find_patient)
        self.patient_combo = QComboBox()
        self.patient_combo.setAccessibleName("Patient")
        self.patient_combo.setMinimumContentsLength(24)
        self.patient_combo.addItem("Any patient", None)
        self.show_button = QPushButton("&Show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.on_show)

        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        filters.addRow(_label("&Days (clinic time):", self.start_edit), dates)
        filters.addRow(_label("&User:", self.user_combo), self.user_combo)
        patient = QHBoxLayout()
        patient.addWidget(self.patient_edit, 1)
        patient.addWidget(self.patient_combo, 2)
        filters.addRow(_label("&Patient:", self.patient_edit), patient)
        filters.addRow(_label("&Action:", self.action_combo), self.action_combo)

        self.model = AuditTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Audit entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # asks once for the indicator's order: unheard
        self.model.sort_requested.connect(self.on_sort_requested)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

        self.page_label = QLabel()
        self.page_label.setAccessibleName("Rows shown")
        self.newer_button = QPushButton("◀ &Previous page")
        self.newer_button.clicked.connect(self.on_previous_page)
        self.older_button = QPushButton("&Next page ▶")
        self.older_button.clicked.connect(self.on_next_page)
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.clicked.connect(self.on_export_csv)
        self.access_button = QPushButton("Access &report (PDF)…")
        self.access_button.setToolTip("The chosen (or selected row's) patient's access report")
        self.access_button.clicked.connect(self.on_access_report)
        self.verify_button = QPushButton("&Verify chain")
        self.verify_button.clicked.connect(self.on_verify)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        paging = QHBoxLayout()
        paging.addWidget(self.page_label, 1)
        paging.addWidget(self.newer_button)
        paging.addWidget(self.older_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.access_button)
        buttons.addWidget(self.verify_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        top = QHBoxLayout()
        top.addLayout(filters, 1)
        top.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        layout.addLayout(buttons)
        self._fill_choices()
        self.on_show()

    # ------------------------------------------------------------------ filters
    def _fill_choices(self) -> None:
        self.user_combo.addItem("Everyone", None)
        self.action_combo.addItem("All actions", None)
        try:
            people = self._services.audit.people()
            actions = self._services.audit.actions()
        except ClinicError as exc:
            messages.show_error(self, "Could not read the audit trail", exc)
            return
        for person in people:
            self.user_combo.addItem(person.label, person.id)
        for action in actions:
            self.action_combo.addItem(f"{action_words(action)} ({action})", action)

    def current_query(self) -> AuditQuery:
        """The filters as the service takes them (the current sort, from the first row)."""
        return replace(
            self._query,
            start=_day(self.start_edit.date()),
            end=_day(self.end_edit.date()),
            user_id=self.user_combo.currentData(),
            patient_id=self.patient_combo.currentData(),
            action=self.action_combo.currentData(),
            offset=0,
        )

    def on_find_patient(self) -> None:
        """List the patients matching the typed MRN or name; the first one is chosen."""
        try:
            found = self._services.audit.find_patients(self.patient_edit.text())
        except ClinicError as exc:
            messages.show_error(self, "Could not find the patient", exc)
            return
        self.patient_combo.clear()
        self.patient_combo.addItem("Any patient", None)
        for patient in found:
            self.patient_combo.addItem(patient.label, patient.id)
        if found:
            self.patient_combo.setCurrentIndex(1)
        self._update_buttons()

    def on_show(self) -> None:
        self._load(self.current_query())

    def on_sort_requested(self, key: str, descending: bool) -> None:
        self._load(replace(self._query, sort=key, descending=descending, offset=0))

    def on_previous_page(self) -> None:
        self._load(replace(self._query, offset=max(0, self._query.offset - PAGE_SIZE)))

    def on_next_page(self) -> None:
        self._load(replace(self._query, offset=self._query.offset + PAGE_SIZE))

    def _load(self, query: AuditQuery) -> None:
        try:
            page = self._services.audit.report(query)
        except ClinicError as exc:
            messages.show_error(self, "Could not read the audit trail", exc)
            return
        self._query, self._total = query, page.total
        self.model.set_rows(page.entries)
        shown = len(page.entries)
        if shown:
            first = query.offset + 1
            self.page_label.setText(f"Rows {first:,}–{query.offset + shown:,} of {page.total:,}")
        else:
            self.page_label.setText("No audit entries match these filters.")
        self.newer_button.setEnabled(query.offset > 0)
        self.older_button.setEnabled(query.offset + shown < page.total)
        self._update_buttons()

    # ------------------------------------------------------------------ commands
    def selected_entry(self) -> AuditEntry | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def report_patient(self) -> tuple[int, str] | None:
        """The patient of the access report: the one filtered on, else the selected row's."""
        patient_id = self.patient_combo.currentData()
        if patient_id is not None:
            return patient_id, self.patient_combo.currentText()
        entry = self.selected_entry()
        if entry is not None and entry.patient_id is not None:
            return entry.patient_id, f"{entry.patient_name} (MRN {entry.patient_mrn})"
        return None

    def _update_buttons(self) -> None:
        self.access_button.setEnabled(self.report_patient() is not None)
        self.export_button.setEnabled(self._total > 0)

    def on_export_csv(self) -> None:
        path = messages.ask_save_file(
            self, "Export the audit trail", "audit-trail.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            text = self._services.audit.export_csv(self._query)
        except ClinicError as exc:
            messages.show_error(self, "Could not export the audit trail", exc)
            return
        if self._write(path, text.encode("utf-8")):
            messages.inform(self, "Audit trail exported", f"Saved {self._total:,} rows to {path}.")

    def on_access_report(self) -> None:
        chosen = self.report_patient()
        if chosen is None:
            return
        patient_id, _label = chosen
        path = messages.ask_save_file(
            self, "Save the chart access report", "access-report.pdf", "PDF files (*.pdf)"
        )
        if not path:
            return
        query = self.current_query()
        try:
            pdf = self._services.audit.access_report(patient_id, query.start, query.end)
        except ClinicError as exc:
            messages.show_error(self, "Could not make the access report", exc)
            return
        if self._write(path, pdf):
            messages.inform(self, "Access report saved", f"Saved the access report to {path}.")

    def _write(self, path: str, data: bytes) -> bool:
        try:
            Path(path).write_bytes(data)
        except OSError as exc:
            messages.warn(self, "Could not save the file", f"{path}: {exc.strerror or exc}")
            return False
        return True

    def on_verify(self) -> None:
        try:
            report = self._services.audit.verify()
        except ClinicError as exc:
            messages.show_error(self, "Could not check the audit trail", exc)
            return
        if report.ok:
            messages.inform(self, "Audit trail intact", report.message)
        else:
            messages.warn(self, "Audit trail damaged", report.message)
