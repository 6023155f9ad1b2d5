"""Parts of the encounter form: small field helpers, issue 8's fields
(relief, follow-up, the handout note) and the signature box of a signed encounter.

Each part is a plain widget with ``set_value`` / ``value`` and a ``changed`` signal that fires
only on the user's edits (never while a value is being shown), like the rest of the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import Language
from clinic_app.domain.labels import LANGUAGE_NAMES, NOT_RECORDED
from clinic_app.ui.common.forms import DateField


class OptionalSpin(QSpinBox):
    """A whole number that starts empty: one below ``low`` reads ``empty_text`` (= None)."""

    def __init__(
        self, name: str, low: int, high: int, suffix: str = "", empty_text: str = ""
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setRange(low - 1, high)
        self.setSuffix(suffix)
        self.setSpecialValueText(empty_text or NOT_RECORDED)
        self.setValue(low - 1)

    def set_number(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)

    def number(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_empty_text(self, text: str) -> None:
        self.setSpecialValueText(text)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A digit typed over the empty text replaces it instead of being appended (refused).
        if self.value() == self.minimum() and event.text().isdigit():
            self.lineEdit().clear()
        super().keyPressEvent(event)


class ReliefRow(QWidget):
    """Relief the previous session gave, reported at this visit: percent and weeks.

    Signals:
        changed(): the user changed either number.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.percent = OptionalSpin("Relief since the last session (percent)", 0, 100, " %")
        self.weeks = OptionalSpin("Weeks the relief lasted", 0, 104, " weeks")
        self.percent.setToolTip("How much better the pain was after the last session (0–100 %)")
        self.weeks.setToolTip("How many weeks that relief lasted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.percent)
        layout.addWidget(QLabel("lasting"))
        layout.addWidget(self.weeks)
        layout.addStretch(1)
        self.setFocusProxy(self.percent)
        for spin in (self.percent, self.weeks):
            spin.valueChanged.connect(self.changed)


class FollowUpRow(QWidget):
    """Structured follow-up: "in N weeks" or a date; neither = the clinic's interval.

    The two are exclusive: choosing weeks clears the date and typing a date clears the weeks.

    Signals:
        changed(): the user changed the weeks or the date.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks = OptionalSpin("Follow-up in weeks", 1, 52, " weeks")
        self.on_date = DateField(latest_today=False, placeholder="or a date (YYYY-MM-DD)")
        self.on_date.setAccessibleName("Follow-up date")
        for spin in self.on_date.calendar.findChildren(QSpinBox):
            spin.setAccessibleName("Year")  # the calendar's own year editor
        self.set_clinic_weeks(None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("In"))
        layout.addWidget(self.weeks)
        layout.addWidget(QLabel("or on"))
        layout.addWidget(self.on_date, 1)
        self.setFocusProxy(self.weeks)
        self._syncing = False
        self.weeks.valueChanged.connect(self._on_weeks)
        self.on_date.text_changed.connect(self._on_date)

    def set_clinic_weeks(self, weeks: int | None) -> None:
        """Show the clinic's default interval where nothing is chosen."""
        default = f"clinic default ({weeks} weeks)" if weeks else "clinic default"
        self.weeks.set_empty_text(default)

    def _on_weeks(self, *_args: object) -> None:
        if not self._syncing and self.weeks.number() is not None and self.on_date.text():
            self._syncing = True
            self.on_date.setText("")
            self._syncing = False
        self.changed.emit()

    def _on_date(self, text: str) -> None:
        if not self._syncing and text.strip() and self.weeks.number() is not None:
            self._syncing = True
            self.weeks.set_number(None)
            self._syncing = False
        self.changed.emit()

    def set_value(self, weeks: int | None, on: date | None) -> None:
        self._syncing = True  # a stored pair is shown as it is
        try:
            self.weeks.set_number(weeks)
            self.on_date.set_date(on)
        finally:
            self._syncing = False

    def value(self) -> tuple[int | None, date | None]:
        """(weeks, date); a date that is not a real date yet counts as none."""
        try:
            on = self.on_date.date()
        except ValueError:
            on = None
        return self.weeks.number(), on

    def set_read_only(self, read_only: bool) -> None:
        self.weeks.setEnabled(not read_only)
        self.on_date.setEnabled(not read_only)


class HandoutNoteTabs(QTabWidget):
    """Words for the patient, one tab per handout language, printed only in that language.

    Signals:
        changed(): the user edited a tab.

    Attributes:
        boxes: the text box per language.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Note printed on the handout")
        self.setDocumentMode(True)
        self.boxes: dict[Language, QPlainTextEdit] = {}
        for language in Language:
            name = LANGUAGE_NAMES.get(language, language.value)
            box = QPlainTextEdit()
            box.setAccessibleName(f"Printed on the handout, in {name}")
            box.setPlaceholderText(
                f"Printed on the handout, in {name}, only when the handout is in {name}. "
                "Leave empty for none."
            )
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 2 + 14)
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 2, 0, 0)
            layout.addWidget(box)
            self.addTab(page, f"Printed on the handout, in {name}")
            self.boxes[language] = box
            box.textChanged.connect(self._on_text_changed)
        self._loading = False

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def set_value(self, notes: dict[str, str]) -> None:
        self._loading = True
        try:
            for language, box in self.boxes.items():
                box.setPlainText(notes.get(language.value, ""))
        finally:
            self._loading = False

    def value(self) -> dict[str, str]:
        return {
            language.value: text
            for language, box in self.boxes.items()
            if (text := box.toPlainText().strip())
        }

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setReadOnly(read_only)


def combo_box(name: str, items: Sequence[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def select_data(combo: QComboBox, value: object) -> None:
    index = next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)
    combo.setCurrentIndex(index)


def text_box(name: str, placeholder: str, lines: int = 2) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class SignatureBox(QGroupBox):
    """A signed encounter's signature: who, when, and each overridden warning's reason.

    Attributes:
        label: the signature text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Signature", parent)
        self.setAccessibleName("Signature")
        self.label = _plain_label("Signature")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.hide()

    def set_signature(self, signed_line: str, overrides: tuple[tuple[str, str, str], ...]) -> None:
        lines = [signed_line]
        if overrides:
            lines.append("Warnings overridden:")
            lines += [f"• {message} → {reason}" for _rule, message, reason in overrides]
        else:
            lines.append("No warning was overridden.")
        self.label.setText("\n".join(lines))
        self.show()

    def text(self) -> str:
        return self.label.text()
