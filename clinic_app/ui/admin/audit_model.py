"""The audit screen's table: one row per audit entry, emergency rows flagged.

Sorting is the service's (the table shows one page of a possibly large trail): a click on a
header asks for the rows again in that order through :attr:`AuditTableModel.sort_requested`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from clinic_app.services.dto import AuditEntry
from clinic_app.ui.common.rows_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
EMERGENCY_FILL = QColor("#fde2e0")
EMERGENCY_TEXT = "EMERGENCY"
#: The service's sort key of each column (None: the column does not sort).
SORT_KEYS: tuple[str | None, ...] = (
    "at", "user", None, "action", "patient", None, "workstation", None,
)  # fmt: skip


class AuditTableModel(RowsTableModel[AuditEntry]):
    """Audit entries as table rows.

    Signals:
        sort_requested(str, bool): the service sort key and whether descending, after a
            click on a sortable header.
    """

    HEADERS = ("When", "User", "Roles", "What", "Patient", "MRN", "Workstation", "Emergency")
    #: The entry of a row (survives a proxy model).
    EntryRole = Qt.ItemDataRole.UserRole + 1

    sort_requested = Signal(str, bool)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.row_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(entry)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and entry.emergency:
            return QBrush(EMERGENCY_FILL)
        if role == Qt.ItemDataRole.ForegroundRole and entry.emergency:
            return QBrush(QColor("black"))  # readable on the pale red with a dark palette too
        if role == Qt.ItemDataRole.ToolTipRole and entry.emergency:
            return (
                f"Emergency access. Reason: {entry.reason}"
                if entry.reason
                else ("Read under an emergency access")
            )
        if role == self.EntryRole:
            return entry
        return None

    @staticmethod
    def _cells(entry: AuditEntry) -> tuple[str, ...]:
        flag = ""
        if entry.emergency:
            flag = f"{EMERGENCY_TEXT}: {entry.reason}" if entry.reason else EMERGENCY_TEXT
        return (
            entry.local,
            entry.user_name,
            entry.user_roles,
            entry.what,
            entry.patient_name,
            entry.patient_mrn,
            entry.workstation,
            flag,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the rows in this order (the view calls this on a header click)."""
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None
        if key is not None:
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)
