"""First run: the clinic's details and its first administrator."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.passwords import MIN_PASSWORD_LENGTH
from clinic_app.services.dto import ClinicProfileData, ClinicProfileView, NewUser, UserView
from clinic_app.ui.admin.clinic_fields import (
    ClinicBoxMixin,
    computer_zone_name,
    form_layout,
    form_row,
    line_field,
)
from clinic_app.ui.common.forms import FORM_STYLE, FormErrors

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices

INTRO_TEXT = (
    "Welcome. This database is new, so set up your clinic and its first administrator.\n\n"
    "clinic_app comes with no demo, default or built-in accounts: the administrator you "
    "create here is the only way to sign in, and is also recorded as a provider who can "
    f"sign procedure notes. Choose a password of at least {MIN_PASSWORD_LENGTH} characters "
    "that only you know."
)
CREDENTIALS = ("MD", "DO", "NP", "PA-C", "PA", "RN", "DPT", "DC", "LAc")


class SetupDialog(ClinicBoxMixin, QDialog):
    """Creates the clinic profile and the first administrator-provider.

    OK calls ``services.clinic.initialize``; on refused values every field at fault is
    marked at once, in the form's order, and everything typed stays. After success the new
    administrator is the signed-in actor.

    Signals:
        setup_completed(UserView): the clinic and its administrator were created.

    Attributes:
        errors: the inline error display.
    """

    setup_completed = Signal(object)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._profile: ClinicProfileView | None = None
        self._admin: UserView | None = None
        self.setWindowTitle("Set up clinic_app")
        self.setAccessibleName("Clinic setup")
        self.setStyleSheet(FORM_STYLE)
        self.setMinimumWidth(860)

        intro = QLabel(INTRO_TEXT)
        intro.setWordWrap(True)
        intro.setAccessibleName("About setup")
        general = QLabel()
        general.setAccessibleName("Error")
        self.errors = FormErrors(general)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.addWidget(self._clinic_box())
        self.set_timezone(computer_zone_name())  # a first guess; "" = this computer's zone
        left.addWidget(self._handout_defaults_box()[0])
        left.addStretch(1)
        columns.addLayout(left, 1)
        admin_column = QVBoxLayout()
        admin_column.addWidget(self._admin_box())
        admin_column.addStretch(1)
        columns.addLayout(admin_column, 1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create clinic")
        ok.setAccessibleName("Create clinic")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(columns)
        layout.addWidget(general)
        layout.addWidget(buttons)
        self.clinic_name.setFocus()

    # ------------------------------------------------------------------ building
    def _admin_box(self) -> QGroupBox:
        e = self.errors
        self.full_name = line_field("Administrator full name", "e.g. Ana Ruiz")
        self.credentials = QComboBox()
        self.credentials.setEditable(True)
        self.credentials.addItems(CREDENTIALS)
        self.credentials.setAccessibleName("Credentials")
        self.credentials.setMinimumWidth(120)
        self.npi = line_field("National Provider Identifier (NPI)", "10 digits; printed on notes")
        self.username = line_field("Username", "letters, digits, . _ -")
        self.password = line_field("Password", f"at least {MIN_PASSWORD_LENGTH} characters")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_confirm = line_field("Confirm password", "type it again")
        self.password_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        box = QGroupBox("First administrator (also a provider)")
        form = form_layout(box)
        form_row(form, "F&ull name:", e.wrap("display_name", self.full_name), self.full_name)
        form_row(form, "&Credentials:", e.wrap("credentials", self.credentials), self.credentials)
        form_row(form, "NP&I:", e.wrap("npi", self.npi), self.npi)
        form_row(form, "&Username:", e.wrap("username", self.username), self.username)
        form_row(form, "Pass&word:", e.wrap("password", self.password), self.password)
        form_row(
            form,
            "Con&firm password:",
            e.wrap("password_confirm", self.password_confirm),
            self.password_confirm,
        )
        return box

    # ------------------------------------------------------------------ results
    @property
    def profile(self) -> ClinicProfileView | None:
        """The clinic as created (``None`` until setup succeeded)."""
        return self._profile

    @property
    def admin(self) -> UserView | None:
        """The administrator as created (``None`` until setup succeeded)."""
        return self._admin

    def profile_input(self) -> ClinicProfileData:
        """The clinic half of the form."""
        return ClinicProfileData(
            name=self.clinic_name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            after_hours_phone=self.after_hours_phone.text(),
            default_language=self.default_language.currentData(),
            fever_threshold_c=Decimal(f"{self.fever_threshold.value():.1f}"),
            activity_restriction_hours=self.activity_hours.value(),
            follow_up_weeks=self.follow_up_weeks.value(),
            timezone=self.timezone_text(),
        )

    def admin_input(self) -> NewUser:
        """The administrator half of the form."""
        return NewUser(
            username=self.username.text(),
            display_name=self.full_name.text(),
            password=self.password.text(),
            roles=frozenset({Role.ADMIN, Role.PROVIDER}),
            credentials=self.credentials.currentText(),
            npi=self.npi.text(),
            password_confirm=self.password_confirm.text(),
        )

    # ------------------------------------------------------------------ QDialog
    def accept(self) -> None:
        """Create the clinic; stays open with the field marked when a value is refused."""
        self.errors.clear()
        try:  # every problem of both halves comes back at once, in the form's order
            self._profile, self._admin = self._services.clinic.initialize(
                self.profile_input(), self.admin_input()
            )
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self.setup_completed.emit(self._admin)
        super().accept()
