"""Pieces shared by the forms: a date field with no silent default, and inline field errors."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from clinic_app.domain import clock
from clinic_app.domain.errors import ClinicError, InvalidFieldsError, ValidationError

#: Added to every form: a field at fault gets a red border, its message reads in dark red.
FORM_STYLE = """
*[invalid="true"] { border: 2px solid #c62828; border-radius: 3px; }
QLabel[error="true"] { color: #b71c1c; }
"""

_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_user_date(text: str) -> date | None:
    """A date typed by a person: ``1980-03-14`` or ``3/14/1980`` (US order).

    Returns:
        The date, or ``None`` when ``text`` is blank.

    Raises:
        ValueError: ``text`` is not a real date in either form.
    """
    text = text.strip()
    if not text:
        return None
    m = _US_DATE.match(text)
    if m:
        return date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


class DateField(QWidget):
    """A date typed as YYYY-MM-DD or picked from a calendar; blank until someone chooses.

    A QDateEdit always holds some date, so a birth date nobody entered would still be
    saved; this field is empty until a date is typed or picked.

    Signals:
        text_changed(str): the text changed, by typing or by picking a date.

    Attributes:
        line_edit: where the date is typed.
        calendar: the calendar shown by the drop-down button.
    """

    text_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        latest_today: bool = True,
        placeholder: str = "YYYY-MM-DD",
    ) -> None:
        super().__init__(parent)
        self._latest_today = latest_today
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(placeholder)
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.textChanged.connect(self.text_changed)
        self.line_edit.editingFinished.connect(self.on_editing_finished)

        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self.on_calendar_clicked)
        self.calendar.activated.connect(self.on_calendar_clicked)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        self._menu.aboutToShow.connect(self.on_menu_about_to_show)

        self._button = QToolButton(self)
        self._button.setArrowType(Qt.ArrowType.DownArrow)
        self._button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._button.setMenu(self._menu)
        self._button.setToolTip("Choose from a calendar")
        self._button.setAccessibleName("Open calendar")
        self._button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The arrow already says "drop-down"; the style's extra menu indicator is noise.
        self._button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self._button.setFixedSize(
            self.line_edit.sizeHint().height(), self.line_edit.sizeHint().height()
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self._button)
        self.setFocusProxy(self.line_edit)

    def text(self) -> str:
        return self.line_edit.text()

    def setText(self, text: str) -> None:
        self.line_edit.setText(text)

    def set_date(self, value: date | None) -> None:
        """Show ``value`` as YYYY-MM-DD, or clear the field for ``None``."""
        self.line_edit.setText(value.isoformat() if value else "")

    def date(self) -> date | None:
        """The date entered, ``None`` when blank.

        Raises:
            ValueError: the text is not a date.
        """
        return parse_user_date(self.line_edit.text())

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)

    def on_editing_finished(self) -> None:
        # Show what was understood: "3/4/1980" becomes "1980-03-04" so a slip is visible.
        try:
            value = self.date()
        except ValueError:
            return
        if value is not None and value.isoformat() != self.line_edit.text():
            self.set_date(value)

    def on_menu_about_to_show(self) -> None:
        day = clock.today()
        today = QDate(day.year, day.month, day.day)
        self.calendar.setMaximumDate(today if self._latest_today else QDate(9999, 12, 31))
        try:
            value = self.date()
        except ValueError:
            value = None
        shown = QDate(value.year, value.month, value.day) if value else today
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())

    def on_calendar_clicked(self, picked: QDate) -> None:
        value = picked.toPython()
        assert isinstance(value, date)
        self.set_date(value)
        self._menu.close()
        self.line_edit.setFocus()


class FormErrors:
    """Shows a service's ValidationError on the field it names, inside a form.

    Each field gets an error label under it, hidden until needed; the widget at fault gets
    a red border (``invalid`` property, styled by :data:`FORM_STYLE`), its message as its
    accessible description, and the keyboard focus. Errors no field claims go to the
    general label at the bottom of the form.

    Several problems (:class:`InvalidFieldsError`, or a form's own checks plus the service's)
    are shown all at once, each under its field, in the order of the form's fields; the
    first field at fault gets the focus (issue 12 §8).
    """

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        #: Field names in the order the form shows them (default: registration order).
        self._order: list[str] = []
        _style_error_label(general)

    def wrap(self, name: str, widget: QWidget, shown: QWidget | None = None) -> QWidget:
        """Register ``widget`` as field ``name``; returns what to put in the layout.

        Args:
            name: the field name services use in ``ValidationError.field``.
            widget: the input to mark and focus.
            shown: what to lay out above the error label, if not ``widget`` alone.
        """
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(shown or widget)
        label = QLabel(container)
        _style_error_label(label)
        layout.addWidget(label)
        self.add(name, widget, label)
        return container

    def add(self, name: str, widget: QWidget, label: QLabel) -> None:
        """Register a field whose error label the caller placed itself."""
        self._fields[name] = (widget, label)
        self._order.append(name)

    def share(self, name: str, widget: QWidget, other: str) -> None:
        """Register ``widget`` as field ``name``, using field ``other``'s error label."""
        self._fields[name] = (widget, self._fields[other][1])
        self._order.append(name)

    def set_order(self, names: list[str]) -> None:
        """The fields in the order the form shows them, when that is not registration order;
        fields left out keep their registration order after these."""
        self._order = [*names, *(n for n in self._order if n not in names)]

    def show(self, field: str, message: str, *, focus: bool = True) -> None:
        """Mark ``field`` (or the general label, for a field not on this form)."""
        entry = self._fields.get(field)
        if entry is None:
            shown = self.general_message()
            self._general.setText(f"{shown}\n{message}" if shown else message)
            self._general.show()
            return
        widget, label = entry
        target = widget.focusProxy() or widget
        _set_invalid(target, True)
        shown = label.text() if not label.isHidden() else ""
        text = f"{shown}\n{message}" if shown and message not in shown else message
        target.setAccessibleDescription(text)
        label.setText(text)
        label.show()
        if focus:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_all(self, errors: list[ValidationError]) -> None:
        """Show every error under its field at once, in the form's field order (one message
        per field: the first given); the first field at fault gets the focus."""
        position = {name: i for i, name in enumerate(self._order)}
        kept: dict[str, ValidationError] = {}
        for error in errors:
            kept.setdefault(error.field, error)
        ordered = sorted(kept.values(), key=lambda e: position.get(e.field, len(position)))
        for error in reversed(ordered):  # the focus ends on the first
            self.show(error.field, error.message)

    def show_exception(
        self,
        exc: ClinicError,
        field: str | None = None,
        *,
        also: list[ValidationError] | None = None,
    ) -> None:
        """Show ``exc``: on its own field(s), on ``field``, or in the general label.

        ``also``: problems the form found itself, shown with the service's at once.
        """
        errors = list(also or [])
        if isinstance(exc, InvalidFieldsError):
            errors += exc.errors
        elif isinstance(exc, ValidationError):
            errors.append(exc)
        else:
            errors.append(ValidationError(field or "", str(exc)))
        self.show_all(errors)

    def messages(self) -> list[tuple[str, str]]:
        """(field, message) of every field showing a message now, in the form's order."""
        shown = []
        for name in self._order:
            widget, label = self._fields[name]
            if (widget.focusProxy() or widget).property("invalid") is True:
                shown.append((name, label.text()))
        return shown

    def clear(self) -> None:
        """Remove every mark and message."""
        for widget, label in self._fields.values():
            target = widget.focusProxy() or widget
            _set_invalid(target, False)
            target.setAccessibleDescription("")
            label.clear()
            label.hide()
        self._general.clear()
        self._general.hide()

    def message(self, field: str) -> str:
        """The message shown on ``field`` now ("" when none)."""
        entry = self._fields.get(field)
        label = entry[1] if entry else self._general
        return label.text() if not label.isHidden() else ""

    def invalid_fields(self) -> list[str]:
        """Fields marked invalid now."""
        return [
            name
            for name, (widget, _label) in self._fields.items()
            if (widget.focusProxy() or widget).property("invalid") is True
        ]

    def general_message(self) -> str:
        return self._general.text() if not self._general.isHidden() else ""


def _style_error_label(label: QLabel) -> None:
    label.setProperty("error", True)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    # A dynamic property only restyles after the style re-reads it.
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
