"""The lot recall search: which patients received lot X between two days, exportable as CSV.

Each search and each export is audited by the service (the answer lists patients).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.quantities import format_quantity
from clinic_app.services.dto import MedicationView, RecallQuery, RecallRow
from clinic_app.ui.common import messages

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

COLUMNS = (
    "Visit day", "MRN", "Patient", "Phone", "Medication", "Lot", "Volume", "Sites", "Provider",
    "Visit",
)  # fmt: skip
#: How far back the search starts by default: a recall usually concerns this year's lots.
DEFAULT_SPAN = timedelta(days=365)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class RecallDialog(QDialog):
    """Search by lot number, optionally one medication, between two days (inclusive).

    Attributes:
        lot_number, medication, start, end: the search fields.
        search_button, export_button: the commands (Export is enabled once rows are shown).
        table: one row per visit and medication.
        summary_label: how many visits and patients were found.
    """

    def __init__(
        self,
        services: AppServices,
        medications: Sequence[MedicationView],
        parent: QWidget | None = None,
        *,
        lot_number: str = "",
        medication_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._rows: list[RecallRow] = []
        self._query: RecallQuery | None = None
        today = today or date.today()
        self.setWindowTitle("Lot recall search — clinic_app")
        self.setAccessibleName("Lot recall search")
        self.resize(1000, 520)

        self.lot_number = QLineEdit(lot_number)
        self.lot_number.setAccessibleName("Lot number")
        self.lot_number.setPlaceholderText("the recalled lot's number")
        self.lot_number.returnPressed.connect(self.on_search)
        self.medication = QComboBox()
        self.medication.setAccessibleName("Medication")
        self.medication.addItem("Any medication", None)
        for med in medications:
            self.medication.addItem(med.name, med.id)
        if medication_id is not None:
            self.medication.setCurrentIndex(max(0, self.medication.findData(medication_id)))
        self.start = QDateEdit(_qdate(today - DEFAULT_SPAN))
        self.end = QDateEdit(_qdate(today))
        for edit, name in ((self.start, "From"), (self.end, "To")):
            edit.setAccessibleName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        days = QHBoxLayout()
        days.addWidget(self.start)
        days.addWidget(QLabel("to"))
        days.addWidget(self.end)
        days.addStretch(1)
        form = QFormLayout()
        form.addRow("&Lot number", self.lot_number)
        form.addRow("&Medication", self.medication)
        form.addRow("Visits from", days)

        self.search_button = QPushButton("&Search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.on_search)
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.on_export_csv)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        self.summary_label = QLabel("Type the lot number and search.")
        self.summary_label.setAccessibleName("Result")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Patients who received the lot")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)

    @property
    def rows(self) -> list[RecallRow]:
        return list(self._rows)

    def query(self) -> RecallQuery:
        medication = self.medication.currentData()
        return RecallQuery(
            self.lot_number.text(),
            None if medication is None else int(medication),
            _day(self.start),
            _day(self.end),
        )

    def on_search(self) -> None:
        query = self.query()
        try:
            found = self._services.lots.recall_search(query)
        except ClinicError as exc:
            messages.show_error(self, "Could not search", exc)
            return
        self._query = query
        self._rows = found
        self.table.setRowCount(len(found))
        for row, r in enumerate(found):
            cells = (
                r.performed_on.isoformat(), r.patient_mrn, r.patient_name, r.patient_phone,
                r.medication_name, r.lot_number, format_quantity(r.volume_ml, "mL"),
                str(r.sites), r.provider, r.status,
            )  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        patients = len({r.patient_mrn for r in found})
        visits = len({r.encounter_id for r in found})
        self.summary_label.setText(
            f"{visits} visit{'s' if visits != 1 else ''} of {patients} "
            f"patient{'s' if patients != 1 else ''} received lot {query.lot_number.strip()}."
            if found
            else f"No visit charted lot {query.lot_number.strip()} in these days."
        )
        self.export_button.setEnabled(bool(found))

    def on_export_csv(self) -> None:
        if self._query is None:
            return
        number = self._query.lot_number.strip().upper()
        path = messages.ask_save_file(
            self, "Export the recall list", f"recall-{number}.csv", "CSV files (*.csv)"
        )
        if not path:
            return
        try:
            text = self._services.lots.recall_csv(self._query)
        except ClinicError as exc:
            messages.show_error(self, "Could not export the recall list", exc)
            return
        try:
            Path(path).write_bytes(text.encode("utf-8"))
        except OSError as exc:
            messages.warn(self, "Could not save the file", f"{path}: {exc.strerror or exc}")
            return
        messages.inform(self, "Recall list exported", f"Saved {len(self._rows)} rows to {path}.")
