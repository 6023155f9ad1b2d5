"""The CSV import's column mapping: which column of the file holds each of our fields, and
how its dates are written (issue 14 §3)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.patient_import import FIELD_LABELS, REQUIRED_FIELDS
from clinic_app.domain.patient_import_csv import (
    DATE_ORDER_LABELS,
    CsvTable,
    DateOrder,
    suggest_date_order,
    suggest_mapping,
)
from clinic_app.ui.common import theme

#: What a field's combo box shows when the file has no column for it.
NOT_IN_FILE = "(not in the file)"
#: What the date combo box shows until the user chooses, when the dates do not settle it.
CHOOSE_ORDER = "Choose how the file writes dates…"
#: Sample values shown beside a column's name.
SAMPLES = 2
#: Records of the file shown under the mapping, to check it against.
FIRST_ROWS = 5


class ColumnMappingPage(QWidget):
    """One combo box of the file's columns per field, pre-filled from the column names.

    Signals:
        changed(): a choice changed (the dialog re-checks whether it may go on).

    Attributes:
        combos: our field -> its combo box (item data: the column name, ``None`` for none).
        date_order_combo: how the file writes its dates.
        problem_label: what is missing before the preview can be made.
        unused_label: the file's columns no field is read from.
        sample_table: the file's first records, as they are.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: CsvTable | None = None
        intro = QLabel(
            "Match each field to a column of the file. The suggestions come from the "
            "column names; check them against the sample values."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field, label in FIELD_LABELS.items():
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {label}")
            combo.currentIndexChanged.connect(self.on_choice_changed)
            self.combos[field] = combo
            required = " *" if field in REQUIRED_FIELDS else ""
            form.addRow(f"{label}{required}:", combo)
        self.date_order_combo = QComboBox()
        self.date_order_combo.setAccessibleName("Date format")
        self.date_order_combo.currentIndexChanged.connect(self.on_choice_changed)
        form.addRow("Dates are written:", self.date_order_combo)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        theme.mark_danger(self.problem_label)
        self.unused_label = QLabel()
        self.unused_label.setWordWrap(True)
        self.sample_table = QTableWidget()
        self.sample_table.setAccessibleName("First rows of the file")
        self.sample_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sample_table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.unused_label)
        layout.addWidget(QLabel(f"The file's first {FIRST_ROWS} rows:"))
        layout.addWidget(self.sample_table, 1)

    def set_table(self, table: CsvTable) -> None:
        """Offer ``table``'s columns, each with sample values, and pre-fill the suggestion."""
        self._table = table
        suggested = suggest_mapping(table.columns)
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_FILE, None)
            for column in table.columns:
                combo.addItem(self._with_samples(table, column), column)
            chosen = suggested.get(field)
            combo.setCurrentIndex(combo.findData(chosen) if chosen else 0)
            combo.blockSignals(False)
        self._show_samples(table)
        self._offer_date_orders()
        self.on_choice_changed()

    def _show_samples(self, table: CsvTable) -> None:
        records = table.records[:FIRST_ROWS]
        self.sample_table.clear()
        self.sample_table.setColumnCount(len(table.columns) + 1)
        self.sample_table.setHorizontalHeaderLabels(["Line", *table.columns])
        self.sample_table.setRowCount(len(records))
        for row, (line, cells) in enumerate(records):
            for column, text in enumerate((str(line), *cells)):
                self.sample_table.setItem(row, column, QTableWidgetItem(text))
        self.sample_table.resizeColumnsToContents()

    @staticmethod
    def _with_samples(table: CsvTable, column: str) -> str:
        samples = [value.strip() for value in table.values(column) if value.strip()][:SAMPLES]
        return f"{column} — e.g. {', '.join(samples)}" if samples else column

    def _offer_date_orders(self) -> None:
        """The date formats; the file's own dates preselect one when they settle it."""
        combo = self.date_order_combo
        combo.blockSignals(True)
        combo.clear()
        column = self.combos["date_of_birth"].currentData()
        order = (
            suggest_date_order(self._table.values(column))
            if self._table is not None and column
            else None
        )
        if order is None:
            combo.addItem(CHOOSE_ORDER, None)
        for member, label in DATE_ORDER_LABELS.items():
            combo.addItem(label, member.value)
        combo.setCurrentIndex(combo.findData(order.value) if order else 0)
        combo.blockSignals(False)

    # ------------------------------------------------------------------ answers
    def mapping(self) -> dict[str, str]:
        """Our field -> the column chosen for it (fields not in the file left out)."""
        return {
            field: combo.currentData()
            for field, combo in self.combos.items()
            if combo.currentData()
        }

    def date_order(self) -> DateOrder | None:
        value = self.date_order_combo.currentData()
        return DateOrder(value) if value else None

    def problems(self) -> list[str]:
        """What must be chosen before the preview: the required fields, each column once,
        and the date format."""
        mapping = self.mapping()
        found = [
            f"choose the column for {FIELD_LABELS[field]}"
            for field in REQUIRED_FIELDS
            if field not in mapping
        ]
        columns = list(mapping.values())
        twice = sorted({c for c in columns if columns.count(c) > 1})
        found += [f"column {column!r} is chosen for two fields" for column in twice]
        if "date_of_birth" in mapping and self.date_order() is None:
            found.append("choose how the file writes dates (03/04/1970 could be either)")
        return found

    # ------------------------------------------------------------------ slots
    def on_choice_changed(self, _index: int = 0) -> None:
        if self.sender() is self.combos["date_of_birth"]:
            self._offer_date_orders()
        problems = self.problems()
        columns = self._table.columns if self._table is not None else ()
        unused = [c for c in columns if c not in self.mapping().values()]
        self.unused_label.setText(
            f"Not imported: {', '.join(unused)}." if unused else "Every column is imported."
        )
        self.problem_label.setText(
            ("Before the preview: " + "; ".join(problems) + ".") if problems else ""
        )
        self.changed.emit()
