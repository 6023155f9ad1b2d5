"""A patient's encounter history as a Qt table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from clinic_app.domain.labels import STATUS_LABELS
from clinic_app.services.dto import EncounterSummary
from clinic_app.ui.common.labels import local_timestamp
from clinic_app.ui.common.rows_model import RowsTableModel

#: The encounter's database id, on every cell of the row.
EncounterIdRole = int(Qt.ItemDataRole.UserRole) + 1

_Index = QModelIndex | QPersistentModelIndex


class EncounterHistoryModel(RowsTableModel[EncounterSummary]):
    """Encounters newest first: date, provider, status, muscles treated.

    Attributes:
        EncounterIdRole: custom role returning the encounter's id.
    """

    EncounterIdRole = EncounterIdRole
    DATE, PROVIDER, STATUS, MUSCLES = range(4)
    HEADERS = ("Date", "Provider", "Status", "Muscles")
    #: The clinic's IANA zone ("" = this computer's): dates read in the clinic's time.
    zone = ""

    def set_zone(self, zone: str) -> None:
        """Show times in this zone (the clinic profile's, as the services report it)."""
        if zone != self.zone:
            self.zone = zone
            if self._rows:
                last = self.index(len(self._rows) - 1, self.DATE)
                self.dataChanged.emit(self.index(0, self.DATE), last)

    def encounter_at(self, row: int) -> EncounterSummary:
        """The encounter in ``row`` (IndexError when there is none)."""
        return self.row_at(row)

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
            return local_timestamp(e.performed_at, self.zone)
        if column == self.PROVIDER:
            return e.provider_name
        if column == self.STATUS:
            return STATUS_LABELS.get(e.status, str(e.status))
        if column == self.MUSCLES:
            return ", ".join(e.muscles) if e.muscles else "No sites recorded"
        return None
