"""One-click pickers of the encounter form (issue 12 §4): answers, pain scores, skin prep.

Each picker is a row of checkable buttons with a keyboard of its own, and keeps the small
API of the widget it replaced (``setValue``/``value`` for a pain score) so the rest of the
form, the editor and the tests read them the same way. A picker emits its change signal only
for the user's clicks and keys; ``set_…`` methods called by the form emit nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from clinic_app.domain.enums import SkinPrep
from clinic_app.domain.labels import NOT_RECORDED, SKIN_PREP_LABELS
from clinic_app.domain.validation import PAIN_MAX, PAIN_MIN

PICKERS_STYLE = """
QToolButton[picker="true"] { min-width: 26px; min-height: 26px; padding: 2px 6px; }
QPushButton[picker="true"] { padding: 4px 10px; min-height: 26px; }
QPushButton[picker="true"]:checked, QToolButton[picker="true"]:checked {
    background: #1565c0; color: white;
    border: 1px solid #0d47a1; border-radius: 3px; }
QWidget[picker_focus="true"] { border-bottom: 2px solid #1565c0; }
QLabel[carried="true"] { color: #8a5a00; font-style: italic; }
QLabel[empty="true"] { color: palette(mid); }
"""


def _button(text: str, name: str, tip: str = "") -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setAccessibleName(name)
    button.setToolTip(tip or name)
    button.setCheckable(True)
    button.setProperty("picker", True)
    # The picker holds the focus and takes the keys, not each button.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


def check_button(text: str) -> QPushButton:
    """A check that reads as a button (consent, time-out): one click, big target."""
    button = QPushButton(text)
    button.setAccessibleName(text)
    button.setCheckable(True)
    button.setProperty("picker", True)
    return button


class _ButtonRow(QWidget):
    """A row of exclusive buttons where none may be checked; focus and keys on the row."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # exclusivity by hand: a second click clears
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 2)
        self._layout.setSpacing(2)
        self._read_only = False

    def _add(self, button: QToolButton, key: int) -> None:
        self._group.addButton(button, key)
        self._layout.addWidget(button)

    def _show_checked(self, key: int | None) -> None:
        for button in self._group.buttons():
            button.setChecked(self._group.id(button) == key)

    def setReadOnly(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self._group.buttons():
            button.setEnabled(not read_only)

    def isReadOnly(self) -> bool:
        return self._read_only

    def focusInEvent(self, event: object) -> None:
        self.setProperty("picker_focus", True)
        self.style().polish(self)
        super().focusInEvent(event)  # type: ignore[arg-type]

    def focusOutEvent(self, event: object) -> None:
        self.setProperty("picker_focus", False)
        self.style().polish(self)
        super().focusOutEvent(event)  # type: ignore[arg-type]


class AnswerPicker(_ButtonRow):
    """A screening answer: Yes / No, neither = not asked; keys Y, N and ? (not asked).

    A *pending* answer (carried over from the record, not confirmed) is confirmed by choosing
    it again, by click or key.

    Signals:
        answered(object): the user chose True, False or None.
        advanced(): a Y or N key answered: the next question takes the keys.

    Attributes:
        pending: the answer shown is a proposal still to be confirmed.
    """

    answered = Signal(object)
    advanced = Signal()
    _YES, _NO = 1, 0

    def __init__(self, name: str, empty_text: str = "Not asked") -> None:
        super().__init__(name)
        self._empty_text = empty_text
        self.yes = _button("Yes", f"{name}: yes", "Yes (key Y)")
        self.no = _button("No", f"{name}: no", "No (key N)")
        self._add(self.yes, self._YES)
        self._add(self.no, self._NO)
        self.state = QLabel(NOT_RECORDED)
        self.state.setProperty("empty", True)
        self.state.setAccessibleName(f"{name}: state")
        self._layout.addWidget(self.state)
        self.setToolTip("Y = yes, N = no, ? or Delete = not asked")
        self._answer: bool | None = None
        self.pending = False
        self._group.idClicked.connect(self._on_clicked)
        self.set_answer(None)

    def answer(self) -> bool | None:
        return self._answer

    def set_answer(self, answer: bool | None) -> None:
        """Show ``answer`` (no signal)."""
        self._answer = answer
        self._show_checked(None if answer is None else int(answer))
        self.state.setText(self._empty_text if answer is None else "")
        self.state.setVisible(answer is None)

    def _choose(self, answer: bool | None) -> None:
        if self._read_only or (answer == self._answer and not self.pending):
            self._show_checked(None if self._answer is None else int(self._answer))
            return
        self.set_answer(answer)
        self.answered.emit(answer)

    def _on_clicked(self, key: int) -> None:
        chosen = bool(key)
        # A second click on the chosen answer takes it back to "not asked".
        self._choose(None if chosen == self._answer and not self.pending else chosen)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        choice: dict[int, bool | None] = {
            Qt.Key.Key_Y: True,
            Qt.Key.Key_N: False,
            Qt.Key.Key_Question: None,
            Qt.Key.Key_Delete: None,
            Qt.Key.Key_Backspace: None,
        }
        if key in choice:
            self._choose(choice[key])
            if key in (Qt.Key.Key_Y, Qt.Key.Key_N):
                self.advanced.emit()  # answer the questions one key each, top to bottom
            return
        super().keyPressEvent(event)


class PainPicker(_ButtonRow):
    """A 0–10 pain score as 11 buttons; nothing chosen = "Not recorded" (never a 0).

    Keys: a digit chooses it ("1" then "0" is 10), Left/Right step, Delete clears. The
    spin-box API the form used before is kept: ``value()`` is ``minimum()`` (one below the
    scale) when not recorded, ``setValue`` clamps.

    Signals:
        valueChanged(int): the user changed the score (``minimum()`` = cleared).
    """

    valueChanged = Signal(int)  # noqa: N815 - the QSpinBox name the form connects

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.buttons = []
        for score in range(PAIN_MIN, PAIN_MAX + 1):
            button = _button(str(score), f"{name}: {score}")
            self._add(button, score)
            self.buttons.append(button)
        self.state = QLabel(NOT_RECORDED)
        self.state.setAccessibleName(f"{name}: state")
        self.state.setProperty("empty", True)
        self._layout.addWidget(self.state)
        self.setToolTip("Click a score or type it (0–10); Delete clears it")
        self._value: int | None = None
        self._group.idClicked.connect(self._on_clicked)
        self.setValue(self.minimum())

    def minimum(self) -> int:
        return PAIN_MIN - 1

    def maximum(self) -> int:
        return PAIN_MAX

    def value(self) -> int:
        return self.minimum() if self._value is None else self._value

    def number(self) -> int | None:
        return self._value

    def text(self) -> str:
        return NOT_RECORDED if self._value is None else str(self._value)

    def setValue(self, value: int) -> None:
        """Show ``value`` clamped to the scale; below it = not recorded. Emits on a change,
        like QSpinBox (the form ignores it while it loads)."""
        score = None if value < PAIN_MIN else min(value, PAIN_MAX)
        changed = score != self._value
        self._value = score
        self._show_checked(score)
        self.state.setText(NOT_RECORDED if score is None else "")
        self.state.setVisible(score is None)
        if changed:
            self.valueChanged.emit(self.value())

    def _on_clicked(self, score: int) -> None:
        if not self._read_only:
            self.setValue(self.minimum() if score == self._value else score)
        else:
            self._show_checked(self._value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._read_only:
            super().keyPressEvent(event)
            return
        text, key = event.text(), event.key()
        if text.isdigit():
            digit = int(text)
            # "1" then "0" makes 10; any other digit is the score itself.
            self.setValue(PAIN_MAX if (digit == 0 and self._value == 1) else digit)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setValue(self.minimum())
        elif key == Qt.Key.Key_Right:
            self.setValue(PAIN_MIN if self._value is None else self._value + 1)
        elif key == Qt.Key.Key_Left and self._value is not None:
            self.setValue(self._value - 1)
        else:
            super().keyPressEvent(event)


class PresetRow(QWidget):
    """A text field with buttons that fill it with a common answer in one click.

    Signals:
        chosen(str): a preset was clicked (the field holds it now).
    """

    chosen = Signal(str)

    def __init__(self, field: QLineEdit, presets: tuple[str, ...]) -> None:
        super().__init__()
        self.field = field
        self.buttons: list[QPushButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(field, 1)
        for text in presets:
            button = QPushButton(text)
            button.setAccessibleName(f"Fill in: {text}")
            button.setToolTip(f"Fill in “{text}”")
            button.clicked.connect(lambda _c=False, t=text: self._on_clicked(t))
            layout.addWidget(button)
            self.buttons.append(button)
        self.setFocusProxy(field)

    def _on_clicked(self, text: str) -> None:
        if self.field.isReadOnly():
            return
        self.field.setText(text)
        self.chosen.emit(text)

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not read_only)


class SkinPrepButton(QToolButton):
    """Skin prep as one check button: checked = done with the prep it names.

    It starts with the clinic's default prep; its menu picks another (which also checks it).
    With no default, the first click opens the menu.

    Signals:
        prep_changed(): the user checked, unchecked or changed the prep.
    """

    prep_changed = Signal()

    def __init__(self, default: SkinPrep | None = SkinPrep.CHLORHEXIDINE) -> None:
        super().__init__()
        self.setAccessibleName("Skin prep")
        self.setCheckable(True)
        self.setProperty("picker", True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self)
        group = QActionGroup(self)
        self.choices: dict[SkinPrep, QAction] = {}
        for prep, label in SKIN_PREP_LABELS.items():
            action = menu.addAction(label)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(lambda _c=False, prep=prep: self._on_chosen(prep))
            self.choices[prep] = action
        self.setMenu(menu)
        self._prep: SkinPrep | None = default
        self._default = default
        self.clicked.connect(self._on_clicked)
        self._show()

    def set_default(self, default: SkinPrep | None) -> None:
        """The clinic's default prep, shown while nothing is recorded."""
        self._default = default
        if not self.isChecked():
            self._prep = default
            self._show()

    def prep(self) -> SkinPrep | None:
        """The prep recorded: None unless checked."""
        return self._prep if self.isChecked() else None

    def set_prep(self, prep: SkinPrep | None) -> None:
        """Show a recorded prep (None: unchecked, offering the default); no signal."""
        self._prep = prep if prep is not None else self._default
        self.setChecked(prep is not None)
        self._show()

    def _show(self) -> None:
        for prep, action in self.choices.items():
            action.setChecked(prep == self._prep)
        name = SKIN_PREP_LABELS[self._prep] if self._prep else "choose…"
        self.setText(f"Skin prep: {name}")
        self.setToolTip("Checked: the skin was prepared with this; the arrow picks another prep")

    def _on_clicked(self, checked: bool) -> None:
        if checked and self._prep is None:
            self.setChecked(False)
            # popup, not showMenu(): no nested event loop (STYLE.md: no modal loops).
            self.menu().popup(self.mapToGlobal(self.rect().bottomLeft()))
            return
        self.prep_changed.emit()

    def _on_chosen(self, prep: SkinPrep) -> None:
        if not self.isEnabled():  # a signed form: its menu's actions change nothing
            self._show()
            return
        self._prep = prep
        self.setChecked(True)
        self._show()
        self.prep_changed.emit()
