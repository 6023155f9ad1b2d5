"""The Progress view's per-muscle table: each muscle and side, times treated, average change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from clinic_app.domain.labels import SIDE_LABELS
from clinic_app.domain.progress import MuscleTally
from clinic_app.domain.progress_text import change_text
from clinic_app.ui.common.rows_model import Index, RowsTableModel


@dataclass(frozen=True, slots=True)
class MuscleRow:
    """One muscle and side as the table shows it."""

    muscle: str
    tally: MuscleTally

    @property
    def side(self) -> str:
        return SIDE_LABELS.get(self.tally.side, self.tally.side.value.capitalize())


def muscle_rows(tallies: tuple[MuscleTally, ...], names: dict[str, str]) -> list[MuscleRow]:
    """The tallies with the catalog's names (the code when the catalog lacks it)."""
    return [MuscleRow(names.get(t.muscle_code, t.muscle_code), t) for t in tallies]


class MuscleTableModel(RowsTableModel[MuscleRow]):
    """Muscle, side, times treated, average change in pain (before minus after)."""

    HEADERS = ("Muscle", "Side", "Times treated", "Average change in pain")
    #: The row's :class:`MuscleRow` (survives a proxy model).
    RowRole = Qt.ItemDataRole.UserRole + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            cells = (
                row.muscle,
                row.side,
                str(row.tally.times),
                change_text(row.tally.average_change),
            )
            return cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return "Pain before minus pain after, averaged over the visits that treated it"
        if role == self.RowRole:
            return row
        return None
