"""A patient's encounter history as a Qt table model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from clinic_app.services.dto import EncounterSummary
from clinic_app.ui.labels import STATUS_LABELS, local_timestamp

#: The encounter's database id, on every cell of the row.
EncounterIdRole = int(Qt.ItemDataRole.UserRole) + 1

_Index = QModelIndex | QPersistentModelIndex


class EncounterHistoryModel(QAbstractTableModel):
    """Encounters newest first: date, provider, status, muscles treated.

    Attributes:
        EncounterIdRole: custom role returning the encounter's id.
    """

    EncounterIdRole = EncounterIdRole
    DATE, PROVIDER, STATUS, MUSCLES = range(4)
    HEADERS = ("Date", "Provider", "Status", "Muscles")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EncounterSummary] = []

    def set_rows(self, rows: Sequence[EncounterSummary]) -> None:
        """Replace the history shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def encounter_at(self, row: int) -> EncounterSummary:
        """The encounter in ``row``.

        Raises:
            IndexError: no such row.
        """
        if not 0 <= row < len(self._rows):
            raise IndexError(row)
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        if role == EncounterIdRole:
            return e.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(e, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.MUSCLES:
            sites = "1 site" if e.site_count == 1 else f"{e.site_count} sites"
            return f"{sites}: " + "; ".join(e.muscles) if e.muscles else sites
        return None

    def _text(self, e: EncounterSummary, column: int) -> str | None:
        if column == self.DATE:
            return local_timestamp(e.performed_at)
        if column == self.PROVIDER:
            return e.provider_name
        if column == self.STATUS:
            return STATUS_LABELS.get(e.status, str(e.status))
        if column == self.MUSCLES:
            return ", ".join(e.muscles) if e.muscles else "No sites recorded"
        return None
