"""First run: the clinic's details and its first administrator."""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import Language, Role
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.labels import LANGUAGE_LABELS
from clinic_app.domain.validation import MIN_PASSWORD_LENGTH
from clinic_app.services.dto import ClinicProfileData, ClinicProfileView, NewUser, UserView
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
THIS_COMPUTER_ZONE = "this computer's time zone"


def _known_zone(name: str) -> str:
    name = name.strip().lstrip(":")
    if not name or name.startswith("/"):
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return name


def computer_zone_name(
    env: Mapping[str, str] | None = None, localtime: Path = Path("/etc/localtime")
) -> str:
    """This computer's IANA zone name when it can be told portably, else "".

    Looked for in the ``TZ`` variable, then where ``/etc/localtime`` points (Linux, macOS);
    Windows names its zones differently, so there the answer is "" (= this computer's zone,
    which is still right for a clinic with one workstation).
    """
    zone = _known_zone((os.environ if env is None else env).get("TZ", ""))
    if zone:
        return zone
    try:
        target = str(localtime.resolve(strict=True))
    except OSError:
        return ""
    marker = "zoneinfo/"
    return _known_zone(target.split(marker, 1)[1]) if marker in target else ""


def zone_combo() -> QComboBox:
    """An editable list of IANA zone names; empty means this computer's zone."""
    combo = QComboBox()
    combo.setAccessibleName("Time zone")
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    combo.addItems(sorted(z for z in available_timezones() if "/" in z and z.isascii()))
    combo.setCurrentIndex(0)
    line = combo.lineEdit()
    assert line is not None  # an editable combo always has one
    line.setPlaceholderText(THIS_COMPUTER_ZONE)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    combo.setCompleter(completer)
    combo.setToolTip(
        "Times on screen and on paper are shown in this zone (stored in UTC). Leave empty "
        "to use this computer's zone."
    )
    return combo


class ClinicBoxMixin:
    """The "Clinic" group (name, address, phones, handout language), shared by the first-run
    setup and the clinic settings dialog. The host sets ``self.errors`` first."""

    errors: FormErrors

    def _clinic_box(self) -> QGroupBox:
        e = self.errors
        self.clinic_name = _line("Clinic name", "required")
        self.address = QPlainTextEdit()
        self.address.setAccessibleName("Clinic address")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 3 + 14)
        self.phone = _line("Clinic phone")
        self.after_hours_phone = _line("After-hours phone", "printed on the aftercare handout")
        self.default_language = QComboBox()
        self.default_language.setAccessibleName("Default handout language")
        for language in Language:
            self.default_language.addItem(LANGUAGE_LABELS[language], language)
        box = QGroupBox("Clinic")
        form = _form(box)
        _row(form, "Clinic &name:", e.wrap("name", self.clinic_name), self.clinic_name)
        _row(form, "&Address:", e.wrap("address", self.address), self.address)
        _row(form, "&Phone:", e.wrap("phone", self.phone), self.phone)
        _row(
            form,
            "After-&hours phone:",
            e.wrap("after_hours_phone", self.after_hours_phone),
            self.after_hours_phone,
        )
        _row(form, "Handout &language:", self.default_language, self.default_language)
        self.timezone = zone_combo()
        _row(form, "Time &zone:", e.wrap("timezone", self.timezone), self.timezone)
        return box

    def timezone_text(self) -> str:
        """The zone typed or chosen ("" = this computer's)."""
        return self.timezone.currentText().strip()

    def set_timezone(self, name: str) -> None:
        self.timezone.setEditText(name)


class SetupDialog(ClinicBoxMixin, QDialog):
    """Creates the clinic profile and the first administrator-provider.

    OK calls ``services.clinic.initialize``; on a refused value the field at fault is
    marked and everything typed stays. After success the new administrator is the
    signed-in actor.

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
        left.addWidget(self._handout_box())
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
    def _handout_box(self) -> QGroupBox:
        e = self.errors
        self.fever_threshold = QDoubleSpinBox()
        self.fever_threshold.setAccessibleName("Fever threshold in degrees Celsius")
        self.fever_threshold.setDecimals(1)
        self.fever_threshold.setRange(37.5, 39.5)
        self.fever_threshold.setSingleStep(0.1)
        self.fever_threshold.setSuffix(" °C")
        self.fever_threshold.setValue(38.0)
        fahrenheit = QLabel()
        self.fever_threshold.valueChanged.connect(
            lambda c: fahrenheit.setText(f"= {c * 9 / 5 + 32:.1f} °F")
        )
        fahrenheit.setText("= 100.4 °F")
        fever_row = QWidget()
        row = QHBoxLayout(fever_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fever_threshold)
        row.addWidget(fahrenheit, 1)
        self.activity_hours = _spin("Hours without strenuous activity", 0, 336, 48, " hours")
        self.follow_up_weeks = _spin("Follow-up after weeks", 0, 52, 3, " weeks")
        box = QGroupBox("Aftercare handout")
        form = _form(box)
        _row(
            form,
            "&Fever threshold:",
            e.wrap("fever_threshold_c", self.fever_threshold, shown=fever_row),
            self.fever_threshold,
        )
        _row(
            form,
            "Rest from strenuous &activity:",
            e.wrap("activity_restriction_hours", self.activity_hours),
            self.activity_hours,
        )
        _row(
            form,
            "Follow-&up visit after:",
            e.wrap("follow_up_weeks", self.follow_up_weeks),
            self.follow_up_weeks,
        )
        return box

    def _admin_box(self) -> QGroupBox:
        e = self.errors
        self.full_name = _line("Administrator full name", "e.g. Ana Ruiz")
        self.credentials = QComboBox()
        self.credentials.setEditable(True)
        self.credentials.addItems(CREDENTIALS)
        self.credentials.setAccessibleName("Credentials")
        self.credentials.setMinimumWidth(120)
        self.npi = _line("National Provider Identifier (NPI)", "10 digits; printed on notes")
        self.username = _line("Username", "letters, digits, . _ -")
        self.password = _line("Password", f"at least {MIN_PASSWORD_LENGTH} characters")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_confirm = _line("Confirm password", "type it again")
        self.password_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        box = QGroupBox("First administrator (also a provider)")
        form = _form(box)
        _row(form, "F&ull name:", e.wrap("display_name", self.full_name), self.full_name)
        _row(form, "&Credentials:", e.wrap("credentials", self.credentials), self.credentials)
        _row(form, "NP&I:", e.wrap("npi", self.npi), self.npi)
        _row(form, "&Username:", e.wrap("username", self.username), self.username)
        _row(form, "Pass&word:", e.wrap("password", self.password), self.password)
        _row(
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
            role=Role.ADMIN,
            credentials=self.credentials.currentText(),
            is_provider=True,
            npi=self.npi.text(),
        )

    # ------------------------------------------------------------------ QDialog
    def accept(self) -> None:
        """Create the clinic; stays open with the field marked when a value is refused."""
        self.errors.clear()
        if self.password.text() != self.password_confirm.text():
            self.errors.show(
                "password_confirm", "The two passwords differ; type the same password twice."
            )
            return
        try:
            self._profile, self._admin = self._services.clinic.initialize(
                self.profile_input(), self.admin_input()
            )
        except ClinicError as exc:
            self.errors.show_exception(exc)
            return
        self.setup_completed.emit(self._admin)
        super().accept()


def _line(accessible_name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setPlaceholderText(placeholder)
    return edit


def _spin(accessible_name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setAccessibleName(accessible_name)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def _form(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    # Text fields fill the column; spin boxes keep their natural width.
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    return form


def _row(form: QFormLayout, caption: str, field: QWidget, buddy: QWidget) -> None:
    label = QLabel(caption)
    label.setBuddy(buddy)
    form.addRow(label, field)
