"""Addenda of a signed encounter: the dialog that adds one, and the list shown under the note.

A signed visit is never edited: a correction is typed here and saved as an addendum, signed
by the provider signed in (name and clinic-local time); the signed content stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError
from clinic_app.services.dto import AddendumView, EncounterView
from clinic_app.ui.common import theme
from clinic_app.ui.encounter.session import EncounterSession

ADD_ADDENDUM_TEXT = "Add addendum…"
SAVE_ADDENDUM_TEXT = "Sign and add"
#: Longest addendum the service takes (EncounterService.add_addendum).
MAX_LENGTH = 4000


def addendum_heading(addendum: AddendumView) -> str:
    """ "Addendum by Ana Ruiz, 2026-03-04 14:05 CST"."""
    return f"Addendum by {addendum.author_name}, {addendum.created_local}"


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class AddendumDialog(QDialog):
    """Type a correction to a signed encounter and sign it.

    Attributes:
        text_edit: the correction.
        status: what signing means, or why saving was refused.
        save_button: enabled once something is typed.
        added: the addendum, once saved.
    """

    def __init__(
        self,
        add: Callable[[str], AddendumView],
        author: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add addendum")
        self.setAccessibleName("Add addendum")
        self.setMinimumWidth(520)
        self._add = add
        self.added: AddendumView | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "The signed note stays exactly as it was signed. What you type here is added "
                f"after it, signed by {author} with today's date and time, and can never be "
                "edited or removed.",
                "About addenda",
            )
        )
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("Addendum text")
        self.text_edit.setPlaceholderText("The correction or late entry, in full sentences")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.textChanged.connect(self._update)
        layout.addWidget(self.text_edit, 1)
        self.status = _label("", "Addendum status")
        theme.mark_danger(self.status)
        self.status.hide()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = QPushButton(SAVE_ADDENDUM_TEXT)
        self.save_button.setAccessibleName("Sign and add the addendum")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _update(self) -> None:
        length = len(self.text())
        self.save_button.setEnabled(0 < length <= MAX_LENGTH)
        if length > MAX_LENGTH:
            self._say(f"At most {MAX_LENGTH} characters ({length} typed).")
        elif self.status.text().startswith("At most"):
            self.status.hide()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def on_save(self) -> None:
        """Sign and store the addendum; a refusal stays here with the service's words."""
        if not self.save_button.isEnabled():
            return
        try:
            self.added = self._add(self.text())
        except ClinicError as exc:
            self._say(f"Not added: {exc}")
            return
        self.accept()


class AddendaPanel(QGroupBox):
    """The addenda of a signed encounter, oldest first, under the signed content.

    Attributes:
        entries: (heading label, text label) per addendum shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Addenda (added after signing)", parent)
        self.setAccessibleName("Addenda")
        self.setObjectName("addenda")
        self._layout = QVBoxLayout(self)
        self.entries: list[tuple[QLabel, QLabel]] = []
        self.hide()

    def set_addenda(self, addenda: Sequence[AddendumView]) -> None:
        for heading, body in self.entries:
            for label in (heading, body):
                self._layout.removeWidget(label)
                label.deleteLater()
        self.entries = []
        for addendum in addenda:
            heading = _label(addendum_heading(addendum), "Addendum author and time")
            heading.setStyleSheet("QLabel { font-weight: bold; }")
            body = _label(addendum.text, "Addendum text")
            body.setContentsMargins(12, 0, 0, 6)
            self._layout.addWidget(heading)
            self._layout.addWidget(body)
            self.entries.append((heading, body))
        self.setVisible(bool(addenda))

    def text(self) -> str:
        return "\n".join(f"{h.text()}\n{b.text()}" for h, b in self.entries)


class Addenda(QObject):
    """A signed encounter's addenda in the editor: the list under the note, the dialog.

    Signals:
        added(int): an addendum was added to the encounter with this id (and is shown).
        problem(str): the dialog could not open, or the list could not be refreshed.
        status_reported(str): a passing message for the status bar.

    Attributes:
        panel: the addenda shown. scroll: the panel's scroll area, hidden when none.
        dialog: the addendum dialog while it is open (or last opened).
    """

    added = Signal(int)
    problem = Signal(str)
    status_reported = Signal(str)

    def __init__(self, session: EncounterSession, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._window = parent
        self.panel = AddendaPanel()
        self.scroll = QScrollArea()
        self.scroll.setAccessibleName("Addenda")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.panel)
        self.scroll.hide()  # shown once the encounter has an addendum
        self.dialog: AddendumDialog | None = None

    def show(self, encounter: EncounterView) -> None:
        """Show the encounter's addenda under the signed content (hidden when none)."""
        self.panel.set_addenda(encounter.addenda)
        self.scroll.setVisible(bool(encounter.addenda))

    def open_dialog(self) -> AddendumDialog | None:
        """Open the addendum dialog of a signed encounter (not modal-blocking)."""
        if self._session.is_draft:
            return None
        try:
            author = self._session.user_name()
        except ClinicError as exc:
            self.problem.emit(f"Cannot add an addendum: {exc}")
            return None
        self.dialog = AddendumDialog(self._session.add_addendum, author, self._window)
        self.dialog.accepted.connect(self.on_added)
        self.dialog.open()
        return self.dialog

    def on_added(self) -> None:
        try:
            view = self._session.stored()
        except ClinicError as exc:
            self.problem.emit(f"The addendum was added; {exc}")
            return
        self.show(view)
        self.status_reported.emit("Addendum added and signed.")
        self.added.emit(view.id)
