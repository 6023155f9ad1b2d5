"""The forms of the Users window: a new or edited account, and a password reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.access import default_permissions, role_label
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ClinicError, StaleVersionError
from clinic_app.domain.passwords import MIN_PASSWORD_LENGTH
from clinic_app.services.dto import NewUser, UserChanges, UserView
from clinic_app.ui.admin.change_password_dialog import ADVICE
from clinic_app.ui.admin.clinic_fields import line_field
from clinic_app.ui.admin.setup_dialog import CREDENTIALS
from clinic_app.ui.common import messages
from clinic_app.ui.common.forms import FORM_STYLE, FormErrors

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

NPI_HINT = "10 digits; optional, printed on the notes a provider signs"
#: Added under a stale refusal: the list behind was reloaded, the form keeps what was typed.
STALE_ADVICE = "What you typed is still here; Cancel and open the account again to redo it."
#: What the administrator is told about the password they type for a new account.
FIRST_PASSWORD_TEXT = (
    "This is a first, temporary password: tell the person in private. At their first "
    "sign-in they must choose their own, which no one else knows."
)


def _password(name: str) -> QLineEdit:
    field = line_field(name, f"at least {MIN_PASSWORD_LENGTH} characters")
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _show_stale(dialog: QDialog, errors: FormErrors, exc: StaleVersionError) -> None:
    errors.show("", f"{exc} {STALE_ADVICE}")
    dialog.adjustSize()  # room for the longer message


class UserFormDialog(QDialog):
    """A new account (username and password too) or an existing one's name, roles,
    credentials and NPI. A refused value stays on screen with the message on its field.

    The edit passes the account's version as listed; when another workstation changed the
    account meanwhile the save is refused, the form says so and keeps what was typed, and
    ``stale`` asks the Users window to reload.

    Signals:
        saved(UserView): the account was created or changed.
        stale(int): the account (this id) changed elsewhere; nothing was saved.

    Attributes:
        username, full_name, credentials, npi, password, confirm: the fields (no username
            or password fields when editing).
        role_boxes: a check box per role.
        errors: the inline error display.
    """

    saved = Signal(object)
    stale = Signal(int)

    def __init__(
        self, services: AppServices, user: UserView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._user = user
        self.setWindowTitle(f"Edit {user.display_name}" if user else "New user")
        self.setAccessibleName(self.windowTitle())
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(480)
        general = QLabel()
        general.setAccessibleName("Error")
        self.errors = e = FormErrors(general)

        self.username = line_field("Username", "letters, digits, . _ -")
        self.full_name = line_field("Full name", "e.g. Nora Park")
        self.credentials = QComboBox()
        self.credentials.setEditable(True)
        self.credentials.addItems(["", *CREDENTIALS])
        self.credentials.setAccessibleName("Credentials")
        self.npi = line_field("National Provider Identifier (NPI)", NPI_HINT)
        self.password = _password("Password")
        self.confirm = _password("Confirm password")
        matrix = default_permissions()
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles = QWidget()
        roles_row = QHBoxLayout(roles)
        roles_row.setContentsMargins(0, 0, 0, 0)
        for role in Role:
            box = QCheckBox(role_label(role).capitalize())
            box.setToolTip(matrix.roles[role].rationale)
            box.setAccessibleName(f"Role {role_label(role)}")
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        roles_row.addStretch(1)

        form = QFormLayout()
        rows: list[tuple[str, str, QWidget, QWidget | None]] = []
        if user is None:
            rows.append(("&Username:", "username", self.username, None))
        rows += [
            ("F&ull name:", "display_name", self.full_name, None),
            ("&Credentials:", "credentials", self.credentials, None),
            ("NP&I:", "npi", self.npi, None),
            ("&Roles:", "roles", self.role_boxes[Role.PROVIDER], roles),
        ]
        if user is None:
            rows += [
                ("Pass&word:", "password", self.password, None),
                ("Con&firm password:", "password_confirm", self.confirm, None),
            ]
        for caption, name, field, shown in rows:
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, e.wrap(name, field, shown))

        layout = QVBoxLayout(self)
        if user is None:
            advice = QLabel(ADVICE + " " + FIRST_PASSWORD_TEXT)
            advice.setAccessibleName("First password")
            advice.setWordWrap(True)
            advice.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(advice)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(_buttons(self, "Save changes" if user else "Create user"))
        if user is not None:
            self.full_name.setText(user.display_name)
            self.credentials.setCurrentText(user.credentials)
            self.npi.setText(user.npi)
            for role, box in self.role_boxes.items():
                box.setChecked(role in user.roles)
            self.full_name.setFocus()
        else:
            self.username.setFocus()

    def chosen_roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.role_boxes.items() if box.isChecked())

    def accept(self) -> None:
        """Save; stays open with the field marked when a value is refused."""
        self.errors.clear()
        try:
            if self._user is None:
                # The service checks every field, the repeated password too, and reports
                # every problem at once (issue 12 §8).
                user = self._services.users.create_user(
                    NewUser(
                        username=self.username.text(),
                        display_name=self.full_name.text(),
                        password=self.password.text(),
                        roles=self.chosen_roles(),
                        credentials=self.credentials.currentText(),
                        npi=self.npi.text(),
                        password_confirm=self.confirm.text(),
                    )
                )
            else:
                user = self._services.users.update_user(
                    self._user.id,
                    UserChanges(
                        display_name=self.full_name.text(),
                        roles=self.chosen_roles(),
                        credentials=self.credentials.currentText(),
                        npi=self.npi.text(),
                    ),
                    expected_version=self._user.version,
                )
        except StaleVersionError as exc:
            _show_stale(self, self.errors, exc)
            self.stale.emit(self._user.id if self._user else 0)
            return
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self.password.clear()
        self.confirm.clear()
        self.saved.emit(user)
        super().accept()


class ResetPasswordDialog(QDialog):
    """An administrator types a temporary password, which the user must replace at their
    next sign-in.

    Signals:
        password_reset(UserView): the password was reset.
        stale(int): the account (this id) changed elsewhere since it was listed; nothing
            was changed (the form says so and keeps what was typed).

    Attributes:
        password, confirm: the temporary password, typed twice.
        errors: the inline error display.
    """

    password_reset = Signal(object)
    stale = Signal(int)

    def __init__(self, services: AppServices, user: UserView, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._user = user
        self.setWindowTitle(f"Reset password — {user.display_name}")
        self.setAccessibleName("Reset password")
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(460)
        intro = QLabel(
            f"Type a temporary password for {user.label}. They must choose their own at their "
            f"next sign-in. {ADVICE}"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        general = QLabel()
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)
        self.password = _password("Temporary password")
        self.confirm = _password("Confirm temporary password")
        form = QFormLayout()
        for caption, name, field in (
            ("&Temporary password:", "password", self.password),
            ("Con&firm:", "confirm_password", self.confirm),
        ):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, self.errors.wrap(name, field))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(_buttons(self, "Reset password"))
        self.password.setFocus()

    def accept(self) -> None:
        self.errors.clear()
        try:
            user = self._services.users.reset_password(
                self._user.id,
                self.password.text(),
                expected_version=self._user.version,
                confirm=self.confirm.text(),
            )
        except StaleVersionError as exc:
            _show_stale(self, self.errors, exc)
            self.stale.emit(self._user.id)
            return
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self.password.clear()
        self.confirm.clear()
        messages.inform(
            self,
            "Password reset",
            f"{user.label} must choose a new password at their next sign-in.",
        )
        self.password_reset.emit(user)
        super().accept()
