"""The lock screen: the one window shown while the workstation is locked.

It holds no patient data and calls no service: it asks for the locked user's password, or
for another user's name and password, and says so by signals (the :class:`SessionLock`
decides what happens).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.common.forms import FORM_STYLE, FormErrors

LOCKED_TITLE = "clinic_app — locked"

_STYLE = (
    FORM_STYLE
    + """
QWidget#lockScreen { background: #263238; }
QWidget#lockCard { background: palette(window); border-radius: 8px; }
QLabel#lockHeading { font-size: 20pt; font-weight: bold; color: palette(window-text); }
"""
)


class LockScreen(QWidget):
    """ "Locked for Ana Ruiz, MD": the password to unlock, or another user signs in.

    Two modes: *unlock* (the locked user's password) and *someone else* (a username and a
    password; also the only mode once nobody is signed in, after a sign-out).

    Signals:
        unlock_requested(str): the locked user typed their password.
        sign_in_requested(str, str): a username and password to sign in with.

    Attributes:
        heading, detail: what the screen says; username, password: the fields;
        unlock_button, someone_else_button, back_button: the commands.
    """

    unlock_requested = Signal(str)
    sign_in_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._user_label = ""
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAccessibleName("Lock screen")
        self.setWindowTitle(LOCKED_TITLE)
        self.setStyleSheet(_STYLE)
        self.resize(900, 600)

        card = QWidget()
        card.setObjectName("lockCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        card.setFixedWidth(440)
        self.heading = QLabel("Locked")
        self.heading.setObjectName("lockHeading")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.password = QLineEdit()
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.on_submit)
        self.username.returnPressed.connect(self.password.setFocus)
        general = QLabel()
        general.setAccessibleName("Error")
        general.setWordWrap(True)
        self.errors = FormErrors(general)

        form = QFormLayout()
        self._username_label = QLabel("&Username:")
        self._username_label.setBuddy(self.username)
        password_label = QLabel("&Password:")
        password_label.setBuddy(self.password)
        form.addRow(self._username_label, self.errors.wrap("username", self.username))
        form.addRow(password_label, self.errors.wrap("password", self.password))

        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.on_submit)
        self.someone_else_button = QPushButton("Sign in as &someone else")
        self.someone_else_button.clicked.connect(self.on_someone_else)
        self.back_button = QPushButton("&Back")
        self.back_button.clicked.connect(self.on_back)
        buttons = QHBoxLayout()
        buttons.addWidget(self.someone_else_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.addWidget(self.heading)
        inner.addWidget(self.detail)
        inner.addLayout(form)
        inner.addWidget(general)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    # ------------------------------------------------------------------ modes
    @property
    def someone_else(self) -> bool:
        """True in the *someone else* mode (a username is asked for)."""
        return not self.username.isHidden()

    def show_unlock(self, user_label: str) -> None:
        """Ask ``user_label`` (the locked user) for their password."""
        self._user_label = user_label
        self._set_mode(someone_else=False)

    def show_sign_in(self, *, can_go_back: bool) -> None:
        """Ask for a username and password (``can_go_back``: the locked user is still in)."""
        self._set_mode(someone_else=True)
        self.back_button.setVisible(can_go_back)

    def show_error(self, message: str) -> None:
        """A refused password: cleared and focused, the message under it."""
        self.password.clear()
        self.errors.show("password", message)
        self.password.setFocus()

    def _set_mode(self, *, someone_else: bool) -> None:
        self.errors.clear()
        self.password.clear()
        self.username.clear()
        self.username.setVisible(someone_else)
        self._username_label.setVisible(someone_else)
        self.someone_else_button.setVisible(not someone_else)
        self.back_button.setVisible(someone_else)
        if someone_else:
            self.heading.setText("Sign in")
            self.detail.setText("Patient details are hidden. Sign in to continue.")
            self.unlock_button.setText("Sign &in")
            self.username.setFocus()
        else:
            self.heading.setText("Locked")
            self.detail.setText(
                f"Locked for {self._user_label}. Patient details are hidden; "
                "type your password to continue."
            )
            self.unlock_button.setText("&Unlock")
            self.password.setFocus()

    # ------------------------------------------------------------------ slots
    def on_submit(self) -> None:
        self.errors.clear()
        if self.someone_else:
            self.sign_in_requested.emit(self.username.text(), self.password.text())
        else:
            self.unlock_requested.emit(self.password.text())

    def on_someone_else(self) -> None:
        self.show_sign_in(can_go_back=True)

    def on_back(self) -> None:
        self.show_unlock(self._user_label)
