"""The site table as the encounter editor shows it: delegates, selection, "Apply to all"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from clinic_app.domain.labels import (
    ASPIRATION_LABELS,
    FINDING_LABELS,
    SIDE_LABELS,
    TECHNIQUE_LABELS,
    TWITCH_LABELS,
)
from clinic_app.services.dto import LotView
from clinic_app.ui.encounter.favourites import MedicationChoices
from clinic_app.ui.encounter.sites.delegates import (
    EnumDelegate,
    LotDelegate,
    MedicationDelegate,
    NeedleDelegate,
    VolumeDelegate,
)
from clinic_app.ui.encounter.sites.table_model import SiteKeyRole, SiteTableModel
from clinic_app.ui.encounter.sites.text import FINDING_COLUMNS, HEADERS, Column

#: Columns whose text may be elided (the whole text is in the cell's tooltip), in the order
#: they give way when the table is narrow.
ELIDED_COLUMNS = (Column.MEDICATION, Column.LOT, Column.MUSCLE)


#: Rows the table always has room for (the window scrolls before the table gets shorter).
MIN_ROWS_SHOWN = 5


class SiteTableView(QTableView):
    """One row per site; cells edit in place; the row selection follows the map.

    Signals:
        site_selected(int): the current row's site key, -1 when no row is current.
        status_message(str): feedback for the status bar ("Applied to 3 sites").
    """

    site_selected = Signal(int)
    status_message = Signal(str)

    def __init__(
        self,
        model: SiteTableModel,
        choices: MedicationChoices,
        lots_for: Callable[[int], list[LotView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self.setModel(model)
        self.setAccessibleName("Injection sites")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        # Sizes are fitted to the contents once per change, not continuously: the
        # ResizeToContents modes re-measure every cell on every layout pass, which made
        # opening a 60-site encounter several times slower. A mix lists one medicine per
        # line, so only rows whose content changed are re-fitted. The widths then share the
        # table's width (see fit_widths): never a horizontal scrollbar, never a cut header.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there: a scrollbar appearing at the 11th site would narrow every column.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._content_widths: dict[int, int] = {}
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_later)
        # Whether the columns were measured since the rows last changed: measuring 60 rows
        # is most of what opening a visit costs, and it is not done twice for one change.
        self._measured = False
        model.modelReset.connect(self._contents_changed)
        model.rowsInserted.connect(self._contents_changed)
        model.dataChanged.connect(self.on_rows_changed)
        header.moveSection(header.visualIndex(Column.NUMBER), 0)  # the marker's number first
        self._delegates = {
            Column.SIDE: EnumDelegate(SIDE_LABELS, self),
            Column.TECHNIQUE: EnumDelegate(TECHNIQUE_LABELS, self),
            Column.TWITCH: EnumDelegate(TWITCH_LABELS, self),
            Column.ASPIRATION: EnumDelegate(ASPIRATION_LABELS, self),
            **{column: EnumDelegate(FINDING_LABELS, self) for column in FINDING_COLUMNS},
            Column.MEDICATION: MedicationDelegate(choices, self),
            Column.VOLUME: VolumeDelegate(self),
            Column.LOT: LotDelegate(model, lots_for, self),
            Column.NEEDLE: NeedleDelegate(self),
        }
        for column, delegate in self._delegates.items():
            self.setItemDelegateForColumn(column, delegate)
        self.selectionModel().currentRowChanged.connect(self.on_current_row_changed)

    # ------------------------------------------------------------------ sizing
    def fit_to_contents(self) -> None:
        """Fit columns and rows to what they show (once, after a batch of changes)."""
        self.resizeColumnsToContents()
        self.resizeRowsToContents()
        header = self.horizontalHeader()
        self._content_widths = {
            c: header.sectionSize(c)
            for c in range(self._model.columnCount())
            if not self.isColumnHidden(c)
        }
        self.fit_widths()
        self.updateGeometry()  # the minimum width may have changed
        self._measured = True

    def _contents_changed(self, *_args: object) -> None:
        self._measured = False
        self._fit_timer.start()

    def _fit_later(self) -> None:
        """The scheduled fit: measure the rows again only when they changed since they were
        last measured (the window's first show measures them itself); share the width anew
        either way, as the layout may have moved since."""
        if self._measured:
            self.fit_widths()
            self.updateGeometry()
        else:
            self.fit_to_contents()

    def fit_pending(self) -> bool:
        """A fit to the contents is scheduled and has not run yet."""
        return self._fit_timer.isActive()

    def _minimum_widths(self) -> dict[int, int]:
        """Each shown column's narrowest width: its header's text, or its content when the
        column is not one that may elide (names and lot numbers)."""
        header = self.horizontalHeader()
        widths = {}
        for column, content in self._content_widths.items():
            title = header.sectionSizeHint(column)
            widths[column] = title if column in ELIDED_COLUMNS else max(title, content)
        return widths

    def fit_widths(self) -> None:
        """Share the viewport's width: every column its content when it fits, else the
        medication and muscle names and lot numbers give way together (elided, whole in the
        tooltip) down to their headers' width; room to spare goes to the medication column."""
        if not self._content_widths:
            return
        available = self.viewport().width()
        widths = {c: max(w, self.horizontalHeader().sectionSizeHint(c))
                  for c, w in self._content_widths.items()}  # fmt: skip
        minimum = self._minimum_widths()
        excess = sum(widths.values()) - available
        slack = {c: widths[c] - minimum[c] for c in ELIDED_COLUMNS if c in widths}
        total_slack = sum(slack.values())
        if excess > 0 and total_slack > 0:
            # Each elidable column gives way in proportion to what it could give: a lot
            # number keeps its share instead of vanishing before a long muscle name shrinks.
            share = min(excess, total_slack)
            for column, room in slack.items():
                give = min(room, share * room // total_slack)
                widths[column] -= give
                excess -= give
            for column in slack:  # what rounding left over
                give = max(min(excess, widths[column] - minimum[column]), 0)
                widths[column] -= give
                excess -= give
        if excess < 0 and Column.MEDICATION in widths:
            widths[Column.MEDICATION] -= excess
        header = self.horizontalHeader()
        for section, width in widths.items():
            if header.sectionSize(section) != width:
                header.resizeSection(section, width)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for every shown column's header (and the unelided columns' content)."""
        frame = 2 * self.frameWidth()
        width = (
            sum(self._minimum_widths().values())
            + frame
            + self.verticalScrollBar().sizeHint().width()
        )
        rows = self.verticalHeader().defaultSectionSize() * MIN_ROWS_SHOWN
        return QSize(width, self.horizontalHeader().sizeHint().height() + rows + frame)

    def natural_height(self) -> int:
        """The height that shows every row."""
        rows = sum(self.rowHeight(r) for r in range(self._model.rowCount()))
        return self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()

    def natural_width(self) -> int:
        """The width at which no column is elided."""
        header = self.horizontalHeader()
        widths = (max(w, header.sectionSizeHint(c)) for c, w in self._content_widths.items())
        return sum(widths) + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_widths()

    def on_rows_changed(self, top: QModelIndex, bottom: QModelIndex, *_args: object) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self.resizeRowToContents(row)
        self._contents_changed()

    # ------------------------------------------------------------------ selection
    def current_key(self) -> int | None:
        """The key of the site in the current row, if any."""
        index = self.currentIndex()
        return int(index.data(SiteKeyRole)) if index.isValid() else None

    def select_key(self, key: int | None) -> None:
        """Make the site's row current (``None`` or -1 clears the selection)."""
        row = None if key is None or key < 0 else self._model.row_of_key(key)
        if row is None:
            self.selectionModel().clearSelection()
            self.selectionModel().setCurrentIndex(
                QModelIndex(), QItemSelectionModel.SelectionFlag.Clear
            )
            return
        column = max(self.currentIndex().column(), 0)
        index = self._model.index(row, column)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.site_selected.emit(int(current.data(SiteKeyRole)) if current.isValid() else -1)

    # ------------------------------------------------------------------ apply to all
    def apply_to_all(self, index: QModelIndex | None = None) -> bool:
        """Copy the cell's value (the current cell by default) to every site, as one undo."""
        index = index if index is not None else self.currentIndex()
        if not index.isValid() or not self._model.can_apply_to_all(index.column()):
            self.status_message.emit(
                "Choose a cell of a site first (technique, medication, volume, lot, needle, "
                "twitch, aspiration or a finding), then apply it to all sites."
            )
            return False
        changed, skipped = self._model.apply_to_all(index.row(), index.column())
        header = HEADERS[Column(index.column())]
        message = f"{header} of site {index.row() + 1} applied to {changed} other site(s)."
        if skipped:
            message += f" {skipped} site(s) with other medicines were left as they were."
        self.status_message.emit(message)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu a right-click at ``pos`` (viewport coordinates) shows."""
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
        menu = QMenu(self)
        if index.isValid():
            header = HEADERS[Column(index.column())]
            apply = menu.addAction(f"Apply {header.lower()} “{index.data()}” to all sites")
            apply.setEnabled(self._model.can_apply_to_all(index.column()))
            apply.triggered.connect(lambda: self.apply_to_all(index))
            menu.addSeparator()
        for action in self.actions():
            menu.addAction(action)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a cell edits it, as in a spreadsheet (F2 works too).
        index = self.currentIndex()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
            and index.isValid()
            and self.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, event)
        ):
            return
        super().keyPressEvent(event)
