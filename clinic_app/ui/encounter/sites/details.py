"""The selected site's rarely changed values, edited beside the table instead of in it.

Technique, needle, twitch, aspiration and the trigger point findings used to be seven more
table columns, which pushed the table past the window on a laptop (Needle cut off, Twitch
and Aspiration behind a horizontal scrollbar). They are set once per site, usually by the
new-site defaults, so :class:`SiteDetails` shows them for the current row only, as pick lists
that wrap onto more lines on a narrow screen. A choice goes through
``SiteTableModel.setData``, exactly as the table's cell editors do: the same undo command
("Change twitch of site 3"), the same checks, the same refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QResizeEvent
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QMenu, QWidget

from clinic_app.domain.labels import (
    ASPIRATION_LABELS,
    DASH,
    FINDING_LABELS,
    TECHNIQUE_LABELS,
    TWITCH_LABELS,
)
from clinic_app.domain.quantities import format_quantity
from clinic_app.ui.common.flow_layout import FlowLayout
from clinic_app.ui.encounter.sites.table_model import SiteTableModel
from clinic_app.ui.encounter.sites.table_view import SiteTableView
from clinic_app.ui.encounter.sites.text import (
    HEADERS,
    NEEDLE_GAUGES,
    NEEDLE_LENGTHS_IN,
    Column,
)

#: Columns shown here and hidden in the table, in the order the panel shows them.
DETAIL_COLUMNS = (
    Column.TECHNIQUE,
    Column.NEEDLE,
    Column.TWITCH,
    Column.ASPIRATION,
    Column.TAUT_BAND,
    Column.JUMP_SIGN,
    Column.REFERRED_PAIN,
)
NO_SITE_TITLE = "Site details (select a site)"
_EDIT = Qt.ItemDataRole.EditRole


def _choices(column: Column) -> list[list[tuple[str, object]]]:
    """Each pick list of a field as (text, value) items (the needle has two lists)."""
    labels: Mapping[Any, str]
    if column == Column.NEEDLE:
        gauges = [(f"{DASH} G", None), *((f"{g} G", g) for g in NEEDLE_GAUGES)]
        lengths = [
            (f"{DASH} in", None),
            *((format_quantity(x, "in"), x) for x in NEEDLE_LENGTHS_IN),
        ]
        return [gauges, lengths]  # type: ignore[list-item]
    if column == Column.TECHNIQUE:
        labels = TECHNIQUE_LABELS
    elif column == Column.TWITCH:
        labels = TWITCH_LABELS
    elif column == Column.ASPIRATION:
        labels = ASPIRATION_LABELS
    else:
        labels = FINDING_LABELS
    return [[(text, value) for value, text in labels.items()]]


def _select(combo: QComboBox, value: object, label: str) -> None:
    """Show ``value``; a value the list lacks (an odd needle size) is added as ``label``."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    combo.addItem(label, value)
    combo.setCurrentIndex(combo.count() - 1)


def _shown(column: Column, value: object) -> list[tuple[object, str]]:
    """Each list's value for a cell's EditRole value, with a label should the list lack it."""
    if column != Column.NEEDLE:
        return [(value, str(value))]
    gauge, length = value if isinstance(value, tuple) else (None, None)
    inches = None if length is None else Decimal(length)
    return [(gauge, f"{gauge} G"), (inches, format_quantity(inches, "in") if inches else DASH)]


class SiteDetails(QGroupBox):
    """Pick lists for :data:`DETAIL_COLUMNS` of the table's current site.

    Signals:
        status_message(str): feedback for the status bar.

    Attributes:
        fields: the pick lists of each column (two for the needle: gauge, length).
        focus_action: Ctrl+I, puts the cursor in the first field (add it to the window).
    """

    status_message = Signal(str)

    def __init__(
        self, model: SiteTableModel, table: SiteTableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(NO_SITE_TITLE, parent)
        self.setAccessibleName("Site details")
        self._model = model
        self._table = table
        self._row: int | None = None
        self.fields: dict[Column, list[QComboBox]] = {}
        flow = FlowLayout(self, spacing=4)
        flow.setContentsMargins(6, 0, 6, 2)
        for column in DETAIL_COLUMNS:
            flow.addWidget(self._field(column))
        for column in DETAIL_COLUMNS:
            table.setColumnHidden(column, True)
        self.focus_action = QAction("Edit site details", self)
        self.focus_action.setShortcut("Ctrl+I")
        self.focus_action.setStatusTip("Put the cursor in the selected site's details")
        self.focus_action.triggered.connect(self.focus_first)
        table.site_selected.connect(self.refresh)
        model.dataChanged.connect(self.refresh)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.refresh)
        self.refresh()

    def _field(self, column: Column) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(3)
        label = QLabel(f"{HEADERS[column]}:")
        row.addWidget(label)
        combos = []
        names = ["Needle gauge", "Needle length"] if column == Column.NEEDLE else [HEADERS[column]]
        for name, items in zip(names, _choices(column), strict=True):
            combo = QComboBox()
            combo.setAccessibleName(name)
            combo.setProperty("column", int(column))
            for text, value in items:
                combo.addItem(text, value)
            combo.activated.connect(lambda _i, c=column: self.on_chosen(c))
            combo.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
            row.addWidget(combo)
            combos.append(combo)
        label.setBuddy(combos[0])
        self.fields[column] = combos
        return box

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Tall enough for the lines the fields wrap onto at this width: a squeezed panel
        # would cut the last line off (the window scrolls instead).
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    # ------------------------------------------------------------------ state
    @property
    def row(self) -> int | None:
        """The site row shown (the table's current row), or None."""
        return self._row

    def index(self, column: Column) -> QModelIndex:
        return self._model.index(self._row, column) if self._row is not None else QModelIndex()

    def refresh(self, *_args: object) -> None:
        """Show the current row's values (called on selection and every model change)."""
        current = self._table.currentIndex()
        self._row = current.row() if current.isValid() else None
        if self._row is None or self._row >= self._model.rowCount():
            self._row = None
            self.setTitle(NO_SITE_TITLE)
        else:
            number = self.index(Column.NUMBER).data()
            muscle = self.index(Column.MUSCLE).data()
            side = self.index(Column.SIDE).data()
            self.setTitle(f"Site {number} details: {muscle}, {side}")
        for column, combos in self.fields.items():
            index = self.index(column)
            editable = index.isValid() and bool(
                self._model.flags(index) & Qt.ItemFlag.ItemIsEditable
            )
            value = index.data(_EDIT) if index.isValid() else None
            for combo, (item, label) in zip(combos, _shown(column, value), strict=True):
                combo.setEnabled(editable)
                if index.isValid():
                    _select(combo, item, label)
                else:
                    combo.setCurrentIndex(-1)  # no site: nothing to show

    def current_column(self) -> Column | None:
        """The column whose pick list has the keyboard focus, if one has."""
        focus = self.focusWidget()
        if focus is None or not focus.hasFocus() or focus.property("column") is None:
            return None
        return Column(int(focus.property("column")))

    # ------------------------------------------------------------------ edits
    def on_chosen(self, column: Column) -> None:
        index = self.index(column)
        if not index.isValid():
            return
        combos = self.fields[column]
        value: object = (
            tuple(c.currentData() for c in combos)
            if column == Column.NEEDLE
            else combos[0].currentData()
        )
        self._model.setData(index, value, _EDIT)
        self.refresh()  # a refused choice goes back to what the site has

    def focus_first(self) -> None:
        self.fields[DETAIL_COLUMNS[0]][0].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def apply_to_all(self, column: Column) -> bool:
        """Copy the current site's ``column`` to every site (one undo step)."""
        return self._table.apply_to_all(self.index(column))

    def context_menu(self, column: Column) -> QMenu:
        """ "Apply twitch “Local” to all sites" for a field."""
        menu = QMenu(self)
        index = self.index(column)
        text = str(index.data()) if index.isValid() else ""
        apply = menu.addAction(f"Apply {HEADERS[column].lower()} “{text}” to all sites")
        apply.setEnabled(index.isValid() and self._model.can_apply_to_all(column))
        apply.triggered.connect(lambda: self.apply_to_all(column))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        child = self.childAt(event.pos())
        while child is not None and child.property("column") is None and child is not self:
            child = child.parentWidget()
        if child is None or child is self:
            super().contextMenuEvent(event)
            return
        self.context_menu(Column(int(child.property("column")))).exec(
            event.globalPos() if event.globalPos() != QPoint() else self.mapToGlobal(event.pos())
        )
