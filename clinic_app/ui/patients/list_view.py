"""The patient list: the search box over a sortable table of plain PatientView rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services.dto import PatientView
from clinic_app.ui.common.refresh import ViewState
from clinic_app.ui.patients.table_model import PatientIdRole, PatientTableModel, SortRole

SEARCH_PLACEHOLDER = "Search by name, MRN or date of birth (YYYY-MM-DD)"


class PatientList(QWidget):
    """The patient table and its search box; the window that owns it runs the searches.

    The widget lays out only the table: the window places ``search_box`` where it reads best
    (the main window puts it across the top).

    Attributes:
        search_box: the search field (Down moves into the table, as in a combo box).
        model: the patient rows (source model).
        proxy: the sorting proxy the table shows.
        table: the patient table.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Patient search and list")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search_box.setAccessibleName("Search patients")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)

        self.model = PatientTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setAccessibleName("Patient list")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PatientTableModel.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PatientTableModel.NAME, QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)

    def current_patient_id(self) -> int | None:
        """The id of the selected patient, if any."""
        index = self.table.currentIndex()
        return int(index.data(PatientIdRole)) if index.isValid() else None

    def current_patient(self) -> PatientView | None:
        """The selected patient's row, if any."""
        index = self.table.currentIndex()
        return self.patient_at(index) if index.isValid() else None

    def patient_at(self, index: QModelIndex) -> PatientView:
        """The patient of a (proxy) index of the table."""
        return self.model.patient_at(self.proxy.mapToSource(index).row())

    def select_patient(self, patient_id: int) -> bool:
        """Make ``patient_id`` the current row; False when it is not listed."""
        row = self.model.row_of(patient_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def show_rows(self, rows: list[PatientView], keep_id: int | None) -> bool:
        """Show ``rows``, keeping ``keep_id`` current if listed, else the first row.

        Returns:
            False when the list is empty (no row is current), True otherwise.
        """
        self.model.set_rows(rows)
        if keep_id is not None and self.select_patient(keep_id):
            return True
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
            return True
        return False

    def reload_rows(self, rows: list[PatientView]) -> bool | None:
        """Fresh rows of the same search, shown in place: the same patient stays current and
        the row at the top stays at the top (nothing moves under the mouse).

        Returns:
            None when nothing changed (the table is not touched), True when the current
            patient is still current, False when they left the list (nothing is current).
        """
        if rows == self.model.patients():
            return None
        state = ViewState.capture(self.table, PatientIdRole)
        self.model.set_rows(rows)
        return state.restore(self.table, PatientIdRole)

    def set_search_text_quietly(self, text: str) -> None:
        """Put ``text`` in the search box without starting a search."""
        self.search_box.blockSignals(True)
        self.search_box.setText(text)
        self.search_box.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow in the search box moves into the list, as in a combo box.
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.proxy.rowCount()
        ):
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)
