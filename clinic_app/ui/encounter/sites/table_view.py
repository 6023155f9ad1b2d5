"""The site table as the encounter editor shows it: delegates, selection, "Apply to all"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
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
        # line, so only rows whose content changed are re-fitted.
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_to_contents)
        model.modelReset.connect(self._fit_timer.start)
        model.rowsInserted.connect(self._fit_timer.start)
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

    def on_rows_changed(self, top: QModelIndex, bottom: QModelIndex, *_args: object) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self.resizeRowToContents(row)
        self._fit_timer.start()

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
