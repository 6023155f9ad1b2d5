"""The patient import's preview: every row of the file, what the import will do with it, and
why (issue 14 §3)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.patient_import import STATUS_LABELS, ImportStatus
from clinic_app.services.patient_import import ImportPreview, ImportVerdict
from clinic_app.ui.common import theme
from clinic_app.ui.common.rows_model import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex
#: The status of each row, on every cell (for tests and a filter).
StatusRole = int(Qt.ItemDataRole.UserRole) + 1


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def counts_text(preview: ImportPreview, ignored: dict[str, int] | None = None) -> str:
    """ "12 new patients · 3 duplicates · 1 invalid row", and what the file held besides."""
    parts = [
        _plural(preview.count(ImportStatus.NEW), "new patient", "new patients"),
        _plural(preview.count(ImportStatus.DUPLICATE), "duplicate", "duplicates"),
        _plural(preview.count(ImportStatus.INVALID), "invalid row", "invalid rows"),
    ]
    text = " · ".join(parts)
    if ignored:
        other = ", ".join(f"{count} {kind}" for kind, count in ignored.items())
        text += f" (not patients, passed over: {other})"
    return text


class ImportPreviewModel(RowsTableModel[ImportVerdict]):
    """One row per row of the file: line, name, MRN, date of birth, status, reason."""

    LINE, NAME, MRN, BIRTH_DATE, STATUS, REASON = range(6)
    HEADERS = ("Line", "Name", "MRN", "Date of birth", "Status", "Reason")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        scheme = theme.current_scheme() or theme.LIGHT
        self._colors = {
            ImportStatus.INVALID: QColor(scheme.danger),
            ImportStatus.DUPLICATE: QColor(scheme.placeholder),
        }

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        verdict = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(verdict, index.column())
        if role == StatusRole:
            return verdict.status.value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.REASON:
            return "\n".join(verdict.reasons) or None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.STATUS:
            return self._colors.get(verdict.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.LINE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, verdict: ImportVerdict, column: int) -> str:
        fields = verdict.fields
        if column == self.LINE:
            return str(verdict.line)
        if column == self.NAME:
            names = [fields.family_name, fields.given_name]
            return ", ".join(name for name in names if name) or "—"
        if column == self.MRN:
            return fields.mrn or "—"
        if column == self.BIRTH_DATE:
            born = fields.date_of_birth
            return born.isoformat() if born is not None else "—"
        if column == self.STATUS:
            return STATUS_LABELS[verdict.status]
        return " ".join(verdict.reasons)


class ImportPreviewPage(QWidget):
    """The counts above the table of rows.

    Attributes:
        counts_label: "12 new patients · 3 duplicates · 1 invalid row".
        table: the rows, in file order.
        model: what the table shows.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Import counts")
        self.counts_label.setWordWrap(True)
        self.model = ImportPreviewModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Rows to import")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(ImportPreviewModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ImportPreviewModel.REASON, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)

    def show_preview(self, preview: ImportPreview, ignored: dict[str, int] | None = None) -> None:
        self.counts_label.setText(counts_text(preview, ignored))
        self.model.set_rows(preview.rows)
