"""The signed-in user changes their own password (File → Change password…, or required)."""

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

from clinic_app.domain.errors import ClinicError, InvalidFieldsError, ValidationError
from clinic_app.domain.passwords import MIN_PASSWORD_LENGTH
from clinic_app.services.dto import UserView
from clinic_app.ui.common import messages
from clinic_app.ui.common.forms import FORM_STYLE, FormErrors

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

ADVICE = (
    f"Choose at least {MIN_PASSWORD_LENGTH} characters. A few unrelated words with spaces "
    "between them are strong and easy to remember; capitals, digits and symbols are not "
    "required. The most common passwords, your username and the clinic's name are refused."
)
REQUIRED_TEXT = (
    "An administrator has set a new password for your account. Choose your own before you "
    "go on; cancelling closes clinic_app."
)


class ChangePasswordDialog(QDialog):
    """Asks for the current password and a new one typed twice.

    A refused value stays on screen with the message on its field, except a wrong current
    password, which is cleared.

    Signals:
        password_changed(UserView): the password was changed.

    Attributes:
        errors: the inline error display.
        required: shown at sign-in because the account must change its password.
    """

    password_changed = Signal(object)

    def __init__(
        self, services: AppServices, parent: QWidget | None = None, *, required: bool = False
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.required = required
        self.setWindowTitle("Change password — clinic_app")
        self.setAccessibleName("Change password")
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(460)

        intro = QLabel((REQUIRED_TEXT + "\n\n" + ADVICE) if required else ADVICE)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setAccessibleName("Advice")
        general = QLabel()
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)
        self.current = self._password_field("Current password")
        self.new = self._password_field("New password")
        self.confirm = self._password_field("Confirm new password")

        form = QFormLayout()
        for text, name, field in (
            ("&Current password:", "current_password", self.current),
            ("&New password:", "new_password", self.new),
            ("Con&firm new password:", "confirm_password", self.confirm),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, self.errors.wrap(name, field))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Change password")
        ok.setAccessibleName("Change password")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)
        self.current.setFocus()

    @staticmethod
    def _password_field(name: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def accept(self) -> None:
        """Change the password; stays open with the field marked when refused."""
        self.errors.clear()
        try:
            user: UserView = self._services.clinic.change_own_password(
                self.current.text(), self.new.text(), self.confirm.text()
            )
        except ValidationError as exc:
            each = exc.errors if isinstance(exc, InvalidFieldsError) else (exc,)
            fields = {e.field for e in each}
            if "current_password" in fields:
                self.current.clear()  # never keep a rejected password around
            if "confirm_password" in fields:
                self.confirm.clear()
            self.errors.show_exception(exc)
            return
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        for field in (self.current, self.new, self.confirm):
            field.clear()
        messages.inform(self, "Password changed", "Your password was changed.")
        self.password_changed.emit(user)
        super().accept()
