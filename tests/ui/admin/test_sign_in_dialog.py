"""Signing in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from clinic_app.domain.errors import StorageError
from clinic_app.domain.sign_in import WRONG
from clinic_app.ui.admin.sign_in_dialog import SignInDialog


@pytest.fixture
def dialog(qtbot, services) -> SignInDialog:
    services.actor.user_id = None  # as at the start of a session
    d = SignInDialog(services)
    qtbot.addWidget(d)
    return d


def test_heading_names_the_clinic(dialog):
    assert dialog.windowTitle() == "Sign in — clinic_app"
    assert "Sign in to Riverside Pain Clinic" in [lbl.text() for lbl in dialog.findChildren(QLabel)]


def test_wrong_password_clears_and_focuses_the_password(qtbot, dialog, services):
    dialog.username.setText("aruiz")
    dialog.password.setText("not the password")
    with qtbot.assertNotEmitted(dialog.signed_in), qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()

    assert dialog.errors.message("password") == WRONG
    assert dialog.password.text() == ""
    assert dialog.username.text() == "aruiz"
    assert dialog.focusWidget() is dialog.password
    assert services.actor.user_id is None


def test_right_password_signs_in(qtbot, dialog, services, admin, admin_password):
    dialog.username.setText("  ARuiz ")
    dialog.password.setText(admin_password)
    with qtbot.waitSignal(dialog.signed_in) as signed_in:
        dialog.accept()
    assert signed_in.args[0].id == admin.id
    assert dialog.user == signed_in.args[0]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.actor.user_id == admin.id


def test_database_failure_is_shown_and_keeps_the_input(
    qtbot, dialog, services, monkeypatch, admin_password
):
    def fail(username: str, password: str) -> None:
        raise StorageError("The database cannot be reached.")

    monkeypatch.setattr(services.clinic, "authenticate", fail)
    dialog.username.setText("aruiz")
    dialog.password.setText(admin_password)
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.general_message() == "The database cannot be reached."
    assert dialog.password.text() == admin_password


def test_wrong_passwords_make_the_account_wait_and_the_dialog_says_so(
    qtbot, dialog, services, admin, admin_password, set_now
):
    start = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    set_now(start)

    def attempt(username: str, password: str) -> str:
        dialog.username.setText(username)
        dialog.password.setText(password)
        with qtbot.assertNotEmitted(dialog.signed_in), qtbot.assertNotEmitted(dialog.finished):
            dialog.accept()
        assert dialog.password.text() == ""
        return dialog.errors.message("password")

    known = [attempt("aruiz", "a wrong guess") for _ in range(5)]
    unknown = [attempt("nosuchuser", "a wrong guess") for _ in range(5)]
    assert known[:4] == [WRONG] * 4
    assert known[4] == (
        "Wrong username or password, or too many wrong passwords in a row: this account "
        "can be tried again in 30 s."
    )
    assert unknown == known  # nothing tells which username exists
    # Even the right password waits; the dialog stays open.
    set_now(start + timedelta(seconds=20))
    assert attempt("aruiz", admin_password).endswith("tried again in 10 s.")
    assert services.actor.user_id is None
    set_now(start + timedelta(seconds=30))
    dialog.username.setText("aruiz")
    dialog.password.setText(admin_password)
    with qtbot.waitSignal(dialog.signed_in) as signed_in:
        dialog.accept()
    assert signed_in.args[0].id == admin.id
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_demo_database_shows_the_demo_accounts(qtbot, services, set_demo):
    set_demo(True)
    services.actor.user_id = None
    demo = SignInDialog(services)
    qtbot.addWidget(demo)
    assert demo.demo_hint is not None
    hint = demo.demo_hint.text()
    assert "demo-clinic-password" in hint
    assert "demo.admin" in hint
    assert "frontdesk" in hint
    assert demo.demo_hint in demo.findChildren(QLabel)


def test_a_real_clinic_database_shows_no_demo_accounts(dialog):
    assert dialog.demo_hint is None
    texts = " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
    assert "demo-clinic-password" not in texts
    assert "Demo database" not in texts
