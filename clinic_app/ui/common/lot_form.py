"""Receive a medication lot, or correct one: number, expiry, quantity, supplier, day received.

Used by the Lots screen and, with the medication fixed, from the dose row's lot list ("Add a
lot…"). The service checks every field; its refusal is shown under the form and the dialog
stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.domain.quantities import plain_decimal
from clinic_app.services.dto import LotReceipt, LotStockView, MedicationView

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class LotDialog(QDialog):
    """The receive / edit form of one lot.

    Signals:
        saved(LotStockView): the lot as stored, after a successful save.

    Attributes:
        medication, lot_number, expires_on, quantity, supplier, received_on: the fields.
        error_label: the service's refusal, if any.
        buttons: Save and Cancel.
    """

    saved = Signal(object)

    def __init__(
        self,
        services: AppServices,
        medications: Sequence[MedicationView],
        parent: QWidget | None = None,
        *,
        lot: LotStockView | None = None,
        medication_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._lot = lot
        today = today or date.today()
        self.setWindowTitle("Edit lot — clinic_app" if lot else "Receive a lot — clinic_app")
        self.setAccessibleName("Edit lot" if lot else "Receive a lot")

        self.medication = QComboBox()
        self.medication.setAccessibleName("Medication")
        for med in medications:
            self.medication.addItem(med.name, med.id)
        wanted = lot.medication_id if lot else medication_id
        if wanted is not None:
            self.medication.setCurrentIndex(max(0, self.medication.findData(wanted)))
        # From the dose row the medicine is the dose's own: not a choice.
        self.medication.setEnabled(medication_id is None or lot is not None)
        self.lot_number = QLineEdit(lot.lot_number if lot else "")
        self.lot_number.setAccessibleName("Lot number")
        self.lot_number.setMaxLength(40)
        self.lot_number.setPlaceholderText("as printed on the label, e.g. LA2611B42")
        self.expires_on = QDateEdit(_qdate(lot.expires_on if lot else today.replace(day=1)))
        self.expires_on.setAccessibleName("Expiry date")
        self.expires_on.setCalendarPopup(True)
        self.expires_on.setDisplayFormat("yyyy-MM-dd")
        if lot is None:
            self.expires_on.setDate(_qdate(today).addMonths(18))
        received = lot.received_ml if lot else None
        self.quantity = QLineEdit("" if received is None else format(plain_decimal(received), "f"))
        self.quantity.setAccessibleName("Quantity received in mL")
        self.quantity.setPlaceholderText("mL, e.g. 10 vials × 5 mL = 50")
        self.supplier = QLineEdit(lot.supplier if lot else "")
        self.supplier.setAccessibleName("Supplier")
        self.supplier.setMaxLength(200)
        self.received_on = QDateEdit(_qdate(lot.received_on if lot and lot.received_on else today))
        self.received_on.setAccessibleName("Received on")
        self.received_on.setCalendarPopup(True)
        self.received_on.setDisplayFormat("yyyy-MM-dd")
        self.received_on.setMaximumDate(_qdate(today))
        self.error_label = QLabel()
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("&Medication", self.medication)
        form.addRow("&Lot number", self.lot_number)
        form.addRow("E&xpires on", self.expires_on)
        form.addRow("&Quantity (mL)", self.quantity)
        form.addRow("&Supplier", self.supplier)
        form.addRow("&Received on", self.received_on)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def receipt(self) -> LotReceipt:
        """What the form holds, as the service takes it."""
        return LotReceipt(
            medication_id=int(self.medication.currentData() or 0),
            lot_number=self.lot_number.text(),
            expires_on=_day(self.expires_on),
            quantity_ml=self.quantity.text(),
            supplier=self.supplier.text(),
            received_on=_day(self.received_on),
        )

    def on_save(self) -> None:
        lots = self._services.lots
        try:
            if self._lot is None:
                stored = lots.receive(self.receipt())
            else:
                stored = lots.update(
                    self._lot.id, self.receipt(), expected_version=self._lot.version
                )
        except ClinicError as exc:  # a refusal, a stale copy, a duplicate: the form stays
            self._show(str(exc))
            return
        self.saved.emit(stored)
        self.accept()

    def _show(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
