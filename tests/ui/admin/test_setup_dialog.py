"""First-run setup: the clinic and its first administrator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from clinic_app.domain.enums import Language, Role
from clinic_app.domain.passwords import MIN_PASSWORD_LENGTH
from clinic_app.ui.admin.setup_dialog import SetupDialog

GOOD_PASSWORD = "long enough pass"


@pytest.fixture
def dialog(qtbot, fresh_services) -> SetupDialog:
    d = SetupDialog(fresh_services)
    qtbot.addWidget(d)
    return d


def fill(d: SetupDialog, password: str = GOOD_PASSWORD, confirm: str | None = None) -> None:
    d.clinic_name.setText("Clínica del Río")
    d.address.setPlainText("12 Main St\nSpringfield")
    d.phone.setText("555-0100")
    d.after_hours_phone.setText("555-0199")
    d.default_language.setCurrentIndex(d.default_language.findData(Language.SPANISH))
    d.fever_threshold.setValue(38.3)
    d.activity_hours.setValue(24)
    d.follow_up_weeks.setValue(4)
    d.full_name.setText("María Gómez")
    d.credentials.setCurrentText("DO")
    d.username.setText("MGomez")
    d.password.setText(password)
    d.password_confirm.setText(password if confirm is None else confirm)


def typed(d: SetupDialog) -> tuple[object, ...]:
    return (
        d.clinic_name.text(),
        d.address.toPlainText(),
        d.full_name.text(),
        d.username.text(),
        d.password.text(),
        d.password_confirm.text(),
        d.credentials.currentText(),
        d.fever_threshold.value(),
    )


def test_intro_says_there_are_no_default_accounts(dialog):
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("no demo, default or built-in accounts" in t for t in texts)


def test_setup_creates_clinic_and_signed_in_admin(qtbot, dialog, fresh_services):
    fill(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.setup_completed) as completed:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    admin = completed.args[0]
    assert (admin.username, admin.display_name, admin.credentials) == (
        "mgomez",
        "María Gómez",
        "DO",
    )
    assert admin.roles == {Role.ADMIN, Role.PROVIDER}
    assert admin.is_provider
    assert dialog.admin == admin
    assert fresh_services.actor.user_id == admin.id
    assert not fresh_services.clinic.needs_setup()
    profile = fresh_services.clinic.profile()
    assert profile is not None
    assert profile == dialog.profile
    assert profile.name == "Clínica del Río"
    assert profile.default_language == Language.SPANISH
    assert profile.fever_threshold_c == Decimal("38.3")
    assert (profile.activity_restriction_hours, profile.follow_up_weeks) == (24, 4)
    assert fresh_services.clinic.authenticate("mgomez", GOOD_PASSWORD).id == admin.id


def test_mismatched_passwords_are_refused_and_nothing_is_lost(qtbot, dialog, fresh_services):
    fill(dialog, confirm=GOOD_PASSWORD + "x")
    before = typed(dialog)
    with qtbot.assertNotEmitted(dialog.setup_completed), qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()

    assert "differ" in dialog.errors.message("password_confirm")
    assert dialog.errors.invalid_fields() == ["password_confirm"]
    assert typed(dialog) == before
    assert fresh_services.clinic.needs_setup()


def test_short_password_is_refused_on_the_password_field(qtbot, dialog, fresh_services):
    fill(dialog, password="short")
    before = typed(dialog)
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()

    assert f"at least {MIN_PASSWORD_LENGTH} characters" in dialog.errors.message("password")
    assert dialog.errors.invalid_fields() == ["password"]
    assert dialog.focusWidget() is dialog.password
    assert typed(dialog) == before
    assert fresh_services.clinic.needs_setup()


def test_missing_clinic_name_marks_the_field_then_a_retry_succeeds(qtbot, dialog):
    fill(dialog)
    dialog.clinic_name.clear()
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.message("name") == "Clinic name is required."

    dialog.clinic_name.setText("Riverside")
    with qtbot.waitSignal(dialog.setup_completed):
        dialog.accept()
    assert dialog.errors.invalid_fields() == []


def test_cancel_leaves_the_database_untouched(qtbot, dialog, fresh_services):
    fill(dialog)
    with qtbot.waitSignal(dialog.rejected):
        dialog.reject()
    assert fresh_services.clinic.needs_setup()


def test_setup_dialog_renders_offscreen(dialog):
    assert not dialog.grab().isNull()


def test_the_provider_npi_is_entered_at_setup(qtbot, dialog, fresh_services):
    fill(dialog)
    dialog.npi.setText(" 1234567893 ")
    with qtbot.waitSignal(dialog.setup_completed) as completed:
        dialog.accept()
    assert completed.args[0].npi == "1234567893"
    assert [u.npi for u in fresh_services.clinic.users()] == ["1234567893"]


def test_an_npi_with_a_wrong_check_digit_marks_the_field_and_keeps_the_form(
    qtbot, dialog, fresh_services
):
    fill(dialog)
    dialog.npi.setText("1234567890")
    before = typed(dialog)
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert "check digit" in dialog.errors.message("npi")
    assert dialog.errors.invalid_fields() == ["npi"]
    assert dialog.npi.text() == "1234567890"
    assert typed(dialog) == before
    assert fresh_services.clinic.needs_setup()


def test_every_problem_is_shown_at_once_in_field_order(qtbot, dialog, fresh_services):
    """Issue 12 §8: one submit names all three problems, each under its field."""
    fill(dialog, confirm=GOOD_PASSWORD + "x")
    dialog.clinic_name.clear()
    dialog.npi.setText("1234567890")  # wrong check digit
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    shown = dialog.errors.messages()
    assert [field for field, _ in shown] == ["name", "npi", "password_confirm"]
    assert shown[0][1] == "Clinic name is required."
    assert "differ" in shown[2][1]
    assert dialog.focusWidget() is dialog.clinic_name
    assert fresh_services.clinic.needs_setup()
