"""The encounter's sites as a Qt table model that mirrors :class:`ChartModel`.

Like the body map, the table never decides what exists (STYLE.md #3, #5): it follows the
chart model's signals with begin/end row calls, and an edit in a cell becomes an
:class:`EditSiteCommand` on the editor's shared undo stack, so Ctrl+Z undoes table edits and
map edits alike. The model keeps its own copy of the rows so that every Qt notification
sees a consistent table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QUndoStack

from clinic_app.domain.catalog import Catalog
from clinic_app.domain.errors import ValidationError
from clinic_app.services.dto import DoseInput, LotView, MedicationView, SiteDraft
from clinic_app.ui.chart.commands import EditSiteCommand, apply_to_all
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.encounter.sites.edits import COPYABLE, EDITABLE, copied, edited
from clinic_app.ui.encounter.sites.text import (
    HEADER_TIPS,
    HEADERS,
    Column,
    DrugTotal,
    SiteFormatter,
    edit_value,
)

#: The site's session key (ChartModel key), on every cell of the row.
SiteKeyRole = int(Qt.ItemDataRole.UserRole) + 1
#: True when the row needs a second look (copied by "Repeat last visit" and altered).
HighlightRole = int(Qt.ItemDataRole.UserRole) + 2
#: The row's :class:`SiteDraft`.
DraftRole = int(Qt.ItemDataRole.UserRole) + 3

HIGHLIGHT_COLOUR = QColor("#ffd98a")
HIGHLIGHT_TIP = "Copied from the last visit and changed since: check this site."
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

_Index = QModelIndex | QPersistentModelIndex


_COLUMNS = tuple(Column)  # index → Column without building an enum per call
_NUMERIC = frozenset({Column.NUMBER, Column.VOLUME, Column.DOSE})
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
#: the roles :meth:`SiteTableModel.data` answers; every other role is None.
_ROLES = frozenset({
    _DISPLAY, _EDIT, _ACCESSIBLE, _BACKGROUND, _FOREGROUND, _TOOLTIP, _ALIGNMENT,
    SiteKeyRole, HighlightRole, DraftRole,
})  # fmt: skip


class SiteTableModel(QAbstractTableModel):
    """One row per site in the chart model's order; the # column is the marker's number.

    Signals:
        edit_refused(str): a cell edit was refused; the message says why.

    Attributes:
        SiteKeyRole, HighlightRole, DraftRole: the custom roles.
        formatter: names medicines and lots, computes doses.
    """

    SiteKeyRole = SiteKeyRole
    HighlightRole = HighlightRole
    DraftRole = DraftRole
    edit_refused = Signal(str)

    def __init__(
        self,
        chart: ChartModel,
        stack: QUndoStack,
        medications: Iterable[MedicationView] = (),
        parent: QObject | None = None,
        *,
        catalog: Catalog | None = None,
        injection_defaults: Callable[[], tuple[DoseInput, ...]] = tuple,
    ) -> None:
        super().__init__(parent)
        self._chart = chart
        self._stack = stack
        self._injection_defaults = injection_defaults
        #: Fills in the lot of a medicine newly put on a site (the lot helper's default lot).
        self.default_lots: Callable[[Iterable[DoseInput]], tuple[DoseInput, ...]] | None = None
        self.formatter = SiteFormatter(catalog)
        self.formatter.add_medications(medications)
        self._highlighted: set[int] = set()
        self._text_cache: dict[tuple[int, Column, str], str | None] = {}
        self._rows: list[tuple[int, SiteDraft]] = [(s.key, s.draft) for s in chart.sites()]
        chart.site_added.connect(self.on_site_added)
        chart.site_removed.connect(self.on_site_removed)
        chart.site_changed.connect(self.on_site_changed)
        chart.sites_reset.connect(self.on_sites_reset)
        chart.numbers_changed.connect(self.on_numbers_changed)

    # ------------------------------------------------------------------ reference data
    def set_medications(self, medications: Iterable[MedicationView]) -> None:
        """Add or replace medications that names and doses are computed from."""
        self.formatter.add_medications(medications)
        self._text_cache.clear()
        self._columns_changed(Column.MEDICATION, Column.DOSE)

    def medication(self, medication_id: int) -> MedicationView | None:
        return self.formatter.medications.get(medication_id)

    def add_lots(self, lots: Iterable[LotView]) -> None:
        """Make these lots' numbers known to the Lot column."""
        if self.formatter.add_lots(lots):
            self._text_cache.clear()
            self._columns_changed(Column.LOT, Column.LOT)

    def lot(self, lot_id: int) -> LotView | None:
        return self.formatter.lots.get(lot_id)

    # ------------------------------------------------------------------ rows
    def key_at(self, row: int) -> int:
        return self._rows[row][0]

    def row_of_key(self, key: int) -> int | None:
        return next((row for row, (k, _d) in enumerate(self._rows) if k == key), None)

    def set_highlighted(self, keys: Iterable[int]) -> None:
        """Mark rows for a second look; a site's mark goes when the site is edited."""
        keys = set(keys)
        changed = self._highlighted.symmetric_difference(keys)
        self._highlighted = keys
        for key in changed:
            self._row_changed(key)

    def highlighted(self) -> frozenset[int]:
        return frozenset(self._highlighted)

    @property
    def read_only(self) -> bool:
        return self._chart.read_only

    def set_read_only(self, read_only: bool) -> None:
        self._chart.set_read_only(read_only)
        self._columns_changed(Column(0), Column(len(Column) - 1))  # flags changed: views re-ask

    def totals(self) -> list[DrugTotal]:
        """The encounter's total per drug (lidocaine 1% and 2% add up as lidocaine)."""
        return self.formatter.totals(draft for _key, draft in self._rows)

    def totals_text(self) -> str:
        """ "Lidocaine: 30 mg · Triamcinolone acetonide: 20 mg" for the footer."""
        return " · ".join(t.text for t in self.totals()) or "no medicine charted yet"

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if self._editable(index.row(), Column(index.column())):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, row: int, column: Column) -> bool:
        if self.read_only or column not in EDITABLE:
            return False
        return column not in (Column.VOLUME, Column.LOT) or bool(self._rows[row][1].doses)

    def _text(self, row: int, draft: SiteDraft, column: Column, sep: str) -> str | None:
        # Views ask for the same text many times per layout (size hints, paint); the cache
        # is dropped on every change of the chart or the reference lists.
        cache_key = (row, column, sep)
        if cache_key not in self._text_cache:
            self._text_cache[cache_key] = self.formatter.text(row, draft, column, sep)
        return self._text_cache[cache_key]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Measuring the table asks every cell for a dozen roles; the ones this model has no
        # answer for (font, decoration, check state, size hint...) return straight away, and
        # the rest compare plain ints, not Qt enums.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        key, draft = self._rows[row]
        column = _COLUMNS[index.column()]
        if role == _DISPLAY:
            return self._text(row, draft, column, "\n")
        if role == _ALIGNMENT:
            return _RIGHT if column in _NUMERIC else _LEFT
        if role == _BACKGROUND:
            return HIGHLIGHT_COLOUR if key in self._highlighted else None
        if role == _FOREGROUND:  # readable on amber with a dark palette too
            return QColor("black") if key in self._highlighted else None
        if role == _ACCESSIBLE:
            return self._text(row, draft, column, " + ")
        if role == _EDIT:
            return edit_value(draft, column)
        if role == SiteKeyRole:
            return key
        if role == HighlightRole:
            return key in self._highlighted
        if role == DraftRole:
            return draft
        # the tooltip
        return HIGHLIGHT_TIP if key in self._highlighted else self.formatter.tooltip(draft, column)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Turn an edit into an undo command on the shared stack (never a direct write)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, column = index.row(), Column(index.column())
        if not 0 <= row < len(self._rows) or not self._editable(row, column):
            return False
        key, old = self._rows[row]
        try:
            new = edited(old, column, value, self._injection_defaults)
        except ValidationError as exc:
            self.edit_refused.emit(exc.message)
            return False
        if column is Column.MEDICATION:
            new = self._with_default_lots(old, new)
        if new != old:
            text = f"Change {HEADERS[column].lower()} of site {row + 1}"
            self._stack.push(EditSiteCommand(self._chart, key, new, text))
        return True

    def _with_default_lots(self, old: SiteDraft, new: SiteDraft) -> SiteDraft:
        """A medicine new on the site takes the default lot (one the site had keeps its own)."""
        if self.default_lots is None:
            return new
        before = {dose.medication_id for dose in old.doses}
        doses = tuple(
            dose if dose.medication_id in before else self.default_lots((dose,))[0]
            for dose in new.doses
        )
        return new if doses == new.doses else SiteDraft(new.site, doses)

    # ------------------------------------------------------------------ apply to all
    def can_apply_to_all(self, column: int) -> bool:
        return not self.read_only and column in COPYABLE and len(self._rows) > 1

    def apply_to_all(self, row: int, column: int) -> tuple[int, int]:
        """Copy ``column`` of site ``row`` to every other site as ONE undo step.

        Returns:
            (sites changed, sites skipped because their medicines differ).
        """
        if not self.can_apply_to_all(column):
            return 0, 0
        col = Column(column)
        source_key, source = self._rows[row]
        changed: dict[int, SiteDraft] = {}
        skipped = 0
        for key, draft in self._rows:
            if key == source_key:
                continue
            try:
                new = copied(source, draft, col, self._injection_defaults)
            except ValidationError:
                new = None
            if new is None:
                skipped += 1
            elif new != draft:
                changed[key] = new
        text = f"Apply {HEADERS[col].lower()} of site {row + 1} to all sites"
        apply_to_all(self._stack, self._chart, text, changed)
        return len(changed), skipped

    # ------------------------------------------------------------------ chart model slots
    def on_site_added(self, key: int, row: int) -> None:
        self._text_cache.clear()
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, (key, self._chart.site(key).draft))
        self._text_cache.clear()  # views may have asked about old rows in between
        self.endInsertRows()

    def on_site_removed(self, key: int, row: int) -> None:
        self._text_cache.clear()
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._text_cache.clear()
        self.endRemoveRows()
        self._highlighted.discard(key)

    def on_site_changed(self, key: int) -> None:
        row = self.row_of_key(key)
        if row is None:
            return
        old = self._rows[row][1]
        new = self._chart.site(key).draft
        self._rows[row] = (key, new)
        self._text_cache.clear()
        if key in self._highlighted:  # edited: the second look happened
            self._highlighted.discard(key)
            self._row_changed(key)
            return
        # dataChanged for just the cells that changed (STYLE.md #5).
        text = self.formatter.text
        changed = [
            c
            for c in Column
            if text(row, old, c) != text(row, new, c) or edit_value(old, c) != edit_value(new, c)
        ]
        if changed:
            self.dataChanged.emit(self.index(row, min(changed)), self.index(row, max(changed)))

    def on_sites_reset(self) -> None:
        self._text_cache.clear()
        self.beginResetModel()
        self._rows = [(s.key, s.draft) for s in self._chart.sites()]
        self._highlighted.clear()
        self._text_cache.clear()
        self.endResetModel()

    def on_numbers_changed(self) -> None:
        self._text_cache.clear()
        self._columns_changed(Column.NUMBER, Column.NUMBER)

    # ------------------------------------------------------------------ helpers
    def _row_changed(self, key: int) -> None:
        row = self.row_of_key(key)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _columns_changed(self, first: Column, last: Column) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last))


def keys_for_numbers(model: SiteTableModel, numbers: Sequence[int]) -> list[int]:
    """Site keys for displayed numbers (1-based); numbers out of range are ignored."""
    return [model.key_at(n - 1) for n in numbers if 1 <= n <= model.rowCount()]
