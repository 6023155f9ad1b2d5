"""The Lots screen: every lot on the shelf with what is left, warnings, receive / edit / recall.

Administrators and nurses keep the shelf; a provider opening it (stock only) sees the list
and the recall search without the commands that change lots. The services refuse anyone
else whatever the screen shows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.access import may
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.quantities import format_quantity
from clinic_app.services.changes import Topic
from clinic_app.services.dto import LotStockView, MedicationView, StockReport
from clinic_app.ui.admin.lot_recall_dialog import RecallDialog
from clinic_app.ui.common import messages
from clinic_app.ui.common.lot_form import LotDialog
from clinic_app.ui.common.refresh import ChangeListener, LiveRefresh

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

COLUMNS = (
    "Medication", "Lot", "Expires", "Left", "Received", "Used", "Supplier", "Received on",
    "Status",
)  # fmt: skip
#: Statuses drawn in the warning colour.
_WATCH = ("Expires", "None left", "Recalled", "Expired")


def _ml(value: Decimal | None) -> str:
    return "not recorded" if value is None else format_quantity(value, "mL")


class LotsDialog(QDialog):
    """Lots by medication then expiry.

    Signals:
        lots_changed(): a lot was received, corrected or recalled.

    Attributes:
        table: one row per lot (expired and recalled ones only with ``show_old``).
        warnings_label: low-stock and expiring-soon warnings (hidden when there are none).
        show_old: "Show expired and recalled lots".
        receive_button, edit_button, recall_button, adjust_button, search_button: the
            commands.
        form: the lot form or the recall search open over this window, if any.
    """

    lots_changed = Signal()

    def __init__(
        self,
        services: AppServices,
        parent: QWidget | None = None,
        changes: ChangeListener | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._lots: list[LotStockView] = []
        self._medications: list[MedicationView] = []
        self.report: StockReport | None = None
        self.form: QDialog | None = None
        self.setWindowTitle("Lots and stock — clinic_app")
        self.setAccessibleName("Lots and stock")
        self.resize(1040, 560)

        self.warnings_label = QLabel()
        self.warnings_label.setAccessibleName("Stock warnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet(
            "background: #fff4e5; color: #663c00; border: 1px solid #ffb74d; padding: 6px;"
        )
        self.show_old = QCheckBox("Show &expired and recalled lots")
        self.show_old.toggled.connect(lambda _on: self.refresh())
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Lots")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Supplier"), QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.on_edit())

        keeps = may(services.actor.granted, "lot.receive")
        self.receive_button = QPushButton("&Receive a lot…")
        self.receive_button.clicked.connect(self.on_receive)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.on_edit)
        self.recall_button = QPushButton("Mark re&called")
        self.recall_button.clicked.connect(self.on_toggle_recall)
        self.adjust_button = QPushButton("&Adjust stock…")
        self.adjust_button.setToolTip("Wastage, a broken vial, or a count that differs")
        self.adjust_button.clicked.connect(self.on_adjust)
        keeping = (self.receive_button, self.edit_button, self.recall_button, self.adjust_button)
        for button in keeping:
            button.setVisible(keeps)
        self.search_button = QPushButton("Recall &search…")
        self.search_button.clicked.connect(self.on_search)
        self.search_button.setVisible(may(services.actor.granted, "lot.recall"))
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (*keeping, self.search_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.show_old)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._load_medications()
        self.refresh()
        # Lots received elsewhere and doses charted anywhere (stock left) show without a
        # reopen; never while a form is open over the list.
        self.live = (
            None
            if changes is None
            else LiveRefresh(
                changes,
                (Topic.LOTS, Topic.ENCOUNTERS),
                lambda _topics: self.refresh(self._selected_id()),
                visible=self.isVisible,
                busy=lambda: self.form is not None,
                parent=self,
            )
        )

    # ------------------------------------------------------------------ the list
    def _load_medications(self) -> None:
        try:
            self._medications = self._services.clinic.medications()
        except ClinicError as exc:
            messages.show_error(self, "Could not list the medications", exc)

    @property
    def lots(self) -> list[LotStockView]:
        return list(self._lots)

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list (keeping the selected lot, or selecting ``select_id``)."""
        keep = select_id if select_id is not None else self._selected_id()
        try:
            report = self._services.lots.stock(include_old=self.show_old.isChecked())
        except ClinicError as exc:
            messages.show_error(self, "Could not list the lots", exc)
            return
        self.report = report
        self._lots = list(report.lots)
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in report.warnings))
        self.warnings_label.setVisible(bool(report.warnings))
        self.table.setRowCount(len(self._lots))
        for row, lot in enumerate(self._lots):
            cells = (
                lot.medication_name,
                lot.lot_number,
                lot.expires_on.isoformat(),
                _ml(lot.remaining_ml),
                _ml(lot.received_ml),
                format_quantity(lot.used_ml, "mL"),
                lot.supplier,
                lot.received_on.isoformat() if lot.received_on else "",
                lot.status,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, lot.id)
                if column == len(cells) - 1 and text.startswith(_WATCH):
                    item.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        for row, lot in enumerate(self._lots):
            if lot.id == keep:
                self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> LotStockView | None:
        lot_id = self._selected_id()
        return next((x for x in self._lots if x.id == lot_id), None)

    def select_lot(self, lot_number: str) -> None:
        for row, lot in enumerate(self._lots):
            if lot.lot_number == lot_number:
                self.table.selectRow(row)
                return

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _update_buttons(self) -> None:
        lot = self.selected()
        self.edit_button.setEnabled(lot is not None)
        self.recall_button.setEnabled(lot is not None)
        self.adjust_button.setEnabled(lot is not None and lot.received_ml is not None)
        self.recall_button.setText("Undo re&call" if lot and lot.recalled else "Mark re&called")

    # ------------------------------------------------------------------ commands
    def _open(self, form: QDialog) -> None:
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.finished.connect(self.on_form_finished)
        self.form = form
        form.open()

    def on_form_finished(self, _result: int) -> None:
        self.form = None

    def on_saved(self, lot: LotStockView) -> None:
        self.refresh(select_id=lot.id)
        self.lots_changed.emit()

    def on_receive(self) -> None:
        day = self.report.day if self.report else None
        form = LotDialog(self._services, self._medications, self, today=day)
        form.saved.connect(self.on_saved)
        self._open(form)

    def on_edit(self) -> None:
        lot = self.selected()
        if lot is None or not self.edit_button.isVisible():
            return
        day = self.report.day if self.report else None
        form = LotDialog(self._services, self._medications, self, lot=lot, today=day)
        form.saved.connect(self.on_saved)
        self._open(form)

    def on_toggle_recall(self) -> None:
        lot = self.selected()
        if lot is None:
            return
        label = f"{lot.medication_name} lot {lot.lot_number}"
        if not lot.recalled and not messages.confirm_lot_recall(self, label):
            return
        try:
            changed = self._services.lots.set_recalled(
                lot.id, not lot.recalled, expected_version=lot.version
            )
        except ClinicError as exc:
            messages.show_error(self, "Could not change the lot", exc)
            self.refresh()
            return
        self.on_saved(changed)

    def on_adjust(self) -> None:
        lot = self.selected()
        if lot is None:
            return
        label = f"{lot.medication_name} lot {lot.lot_number}"
        quantity = messages.ask_stock_adjustment(self, label)
        if quantity is None or not quantity.strip():
            return
        reason = messages.ask_stock_adjustment_reason(self, label)
        if reason is None:
            return
        try:
            changed = self._services.lots.adjust(lot.id, quantity, reason)
        except ClinicError as exc:
            messages.show_error(self, "Could not adjust the stock", exc)
            return
        self.on_saved(changed)

    def on_search(self) -> None:
        lot = self.selected()
        form = RecallDialog(
            self._services,
            self._medications,
            self,
            lot_number=lot.lot_number if lot else "",
            medication_id=lot.medication_id if lot else None,
            today=self.report.day if self.report else None,
        )
        self._open(form)
