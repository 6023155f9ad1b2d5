"""Charting without a mouse: type part of a muscle's name, pick the side, press Enter."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from clinic_app.domain.catalog import Catalog, Muscle
from clinic_app.domain.enums import Side
from clinic_app.ui.common import theme


class MusclePicker(QWidget):
    """A searchable muscle list ("levat" → Levator scapulae) with a side choice.

    Signals:
        muscle_chosen(str, str): muscle code and side ("left"/"right") to chart.
    """

    muscle_chosen = Signal(str, str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Add a muscle by name, e.g. levat  (Ctrl+M)")
        self.edit.setAccessibleName("Muscle search")
        self.edit.setClearButtonEnabled(True)
        names = [m.name for m in catalog]
        self.completer = QCompleter(QStringListModel(names, self), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(self.completer)
        self.left = QRadioButton("&Left")
        self.right = QRadioButton("&Right")
        self.left.setAccessibleName("Patient's left side")
        self.right.setAccessibleName("Patient's right side")
        self.right.setChecked(True)
        for radio in (self.left, self.right):
            # Alt+L / Alt+R flip the side without taking focus from the search field, so
            # "type, choose side, Enter" works from the keyboard alone.
            radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        group = QButtonGroup(self)
        group.addButton(self.left)
        group.addButton(self.right)
        self.add_button = QPushButton("Add site")
        self.add_button.setAccessibleName("Add site for the typed muscle")
        self.add_button.clicked.connect(self.choose)
        self.add_button.setAutoDefault(False)
        self.edit.returnPressed.connect(self.choose)
        # Inside the field's right end, over nothing the user needs: a message there never
        # pushes the side choice or "Add site" sideways under the pointer (issue 12 §2).
        self.feedback = QLabel(self.edit)
        self.feedback.setAccessibleName("Muscle search result")
        self.feedback.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.feedback.hide()
        theme.mark_danger(self.feedback)
        self.edit.textEdited.connect(lambda _text: self._say(""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.left)
        layout.addWidget(self.right)
        layout.addWidget(self.add_button)

    @property
    def side(self) -> Side:
        return Side.LEFT if self.left.isChecked() else Side.RIGHT

    def match(self) -> Muscle | None:
        """The muscle the typed text means: an exact name first, else the best search hit."""
        text = self.edit.text().strip()
        if not text:
            return None
        for m in self._catalog:
            if m.name.lower() == text.lower() or m.code == text.lower():
                return m
        hits = self._catalog.search(text)
        return hits[0] if hits else None

    def choose(self) -> None:
        muscle = self.match()
        if muscle is None:
            text = self.edit.text().strip()
            self._say(f"No muscle matches “{text}”." if text else "Type a name.")
            return
        self._say("")
        self.edit.clear()
        self.muscle_chosen.emit(muscle.code, self.side.value)

    def _say(self, text: str) -> None:
        """Show ``text`` at the right end of the search field (nothing moves)."""
        self.feedback.setText(text)
        self.edit.setToolTip(text)
        if not text:
            self.feedback.hide()
            self.edit.setTextMargins(0, 0, 0, 0)
            return
        self.feedback.adjustSize()
        room = self.edit.height() - self.feedback.height()
        right = self.edit.width() - self.feedback.width() - self.edit.height()  # clear button
        self.feedback.move(max(right, 0), max(room // 2, 0))
        self.edit.setTextMargins(0, 0, self.feedback.width() + 4, 0)
        self.feedback.show()
        self.feedback.raise_()
