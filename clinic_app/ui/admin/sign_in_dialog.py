"""Sign in with a username and password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import ClinicError, ValidationError
from clinic_app.services.demo_names import demo_sign_in_hint
from clinic_app.services.dto import UserView
from clinic_app.ui.common.forms import FORM_STYLE, FormErrors

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices


class SignInDialog(QDialog):
    """Asks for a username and password and checks them with ``services.clinic``.

    A refused sign-in leaves the dialog open with the service's message (after five wrong
    passwords in a row it says how long the account waits); the password field is cleared
    and focused, the username kept.

    Signals:
        signed_in(UserView): the user was authenticated (and is now the actor).

    Attributes:
        errors: the inline error display.
    """

    signed_in = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._user: UserView | None = None
        self.setWindowTitle("Sign in — clinic_app")
        self.setAccessibleName("Sign in")
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(420)

        try:
            profile = services.clinic.profile()
        except ClinicError:
            profile = None  # the sign-in attempt will report the database problem
        heading = QLabel(f"Sign in to {profile.name}" if profile else "Sign in")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setAccessibleName("Clinic")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)

        general = QLabel()
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)
        self.username = QLineEdit()
        self.username.setAccessibleName("Username")
        self.password = QLineEdit()
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        user_label = QLabel("&Username:")
        user_label.setBuddy(self.username)
        password_label = QLabel("&Password:")
        password_label.setBuddy(self.password)
        form.addRow(user_label, self.errors.wrap("username", self.username))
        form.addRow(password_label, self.errors.wrap("password", self.password))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Sign in")
        ok.setAccessibleName("Sign in")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        #: The demo accounts, shown on a database marked as a demo only (else None).
        self.demo_hint: QLabel | None = None
        if profile is not None and profile.is_demo:
            self.demo_hint = QLabel(demo_sign_in_hint())
            self.demo_hint.setTextFormat(Qt.TextFormat.PlainText)
            self.demo_hint.setAccessibleName("Demo accounts")
            self.demo_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.demo_hint.setStyleSheet(
                "QLabel { background: #fff8e1; border: 1px solid #e0c46c; padding: 6px; }"
            )
            layout.addWidget(self.demo_hint)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)
        self.username.setFocus()

    @property
    def user(self) -> UserView | None:
        """Who signed in (``None`` until a sign-in succeeded)."""
        return self._user

    def accept(self) -> None:
        """Check the password; stays open on a wrong one."""
        self.errors.clear()
        try:
            self._user = self._services.clinic.authenticate(
                self.username.text(), self.password.text()
            )
        except ValidationError as exc:
            # Never keep a rejected password around; the next try starts from empty.
            self.password.clear()
            self.errors.show("password", exc.message)
            return
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self.signed_in.emit(self._user)
        super().accept()
