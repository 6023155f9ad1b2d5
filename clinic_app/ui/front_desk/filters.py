"""The front desk's filter row: the day, the provider, the print status, and "print all"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from clinic_app.services.dto import UserView

STATUS_CHOICES = (
    ("All procedures", None),
    ("Signed", "signed"),
    ("Handout printed", "printed"),
    ("Not printed", "not_printed"),
)


class DayFilters(QWidget):
    """Which procedures the front desk lists.

    Signals:
        changed(): the day, the provider or the status changed.

    Attributes:
        date_edit, provider_combo (data: user id or None), status_combo (data: a status
        filter or None), print_all: the "Print all unprinted…" button.
    """

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setAccessibleName("Day")
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.provider_combo.addItem("All providers", None)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        for label, value in STATUS_CHOICES:
            self.status_combo.addItem(label, value)
        self.print_all = QPushButton("Print all &unprinted…")
        self.print_all.setToolTip(
            "Print the handout of every procedure of this day not printed yet"
        )
        self.date_edit.dateChanged.connect(self.changed)
        self.provider_combo.currentIndexChanged.connect(self.changed)
        self.status_combo.currentIndexChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        fields: tuple[tuple[str, QWidget], ...] = (
            ("&Day:", self.date_edit),
            ("P&rovider:", self.provider_combo),
            ("&Status:", self.status_combo),
        )
        for caption, field in fields:
            buddy = QLabel(caption)
            buddy.setBuddy(field)
            layout.addWidget(buddy)
            layout.addWidget(field)
        layout.addStretch(1)
        layout.addWidget(self.print_all)

    def set_providers(self, providers: Sequence[UserView]) -> None:
        for user in providers:
            self.provider_combo.addItem(user.label, user.id)

    def day(self) -> date:
        qdate = self.date_edit.date()
        return date(qdate.year(), qdate.month(), qdate.day())
