"""Which dialog opens first, and what it returns."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import text

from clinic_app.ui import startup
from clinic_app.ui.admin.change_password_dialog import ChangePasswordDialog
from clinic_app.ui.admin.setup_dialog import SetupDialog
from clinic_app.ui.admin.sign_in_dialog import SignInDialog
from clinic_app.ui.main_window import MainWindow


class FakeExec:
    """Replaces QDialog.exec: records the dialog, lets the test act on it, returns a code."""

    def __init__(self, act=None, code=QDialog.DialogCode.Rejected) -> None:
        self.dialogs: list[QDialog] = []
        self._act = act
        self._code = code

    def __call__(self, dialog: QDialog) -> int:
        self.dialogs.append(dialog)
        if self._act is not None:
            self._act(dialog)
            return int(dialog.result())
        return int(self._code)


def patch_exec(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], fake: FakeExec) -> None:
    monkeypatch.setattr(cls, "exec", lambda self: fake(self))


@pytest.mark.parametrize("dialog_class", [SetupDialog, SignInDialog])
def test_cancel_returns_false(monkeypatch, fresh_services, request, dialog_class):
    if dialog_class is SignInDialog:
        request.getfixturevalue("admin")
    fake = FakeExec()
    patch_exec(monkeypatch, dialog_class, fake)
    assert startup.run_startup(fresh_services) is False
    assert [type(d) for d in fake.dialogs] == [dialog_class]


def test_first_run_shows_setup_and_signs_in_the_new_admin(monkeypatch, fresh_services):
    def complete(d: SetupDialog) -> None:
        d.clinic_name.setText("Riverside")
        d.full_name.setText("Ana Ruiz")
        d.username.setText("aruiz")
        d.password.setText("long enough pass")
        d.password_confirm.setText("long enough pass")
        d.accept()

    patch_exec(monkeypatch, SetupDialog, FakeExec(complete))
    assert startup.run_startup(fresh_services) is True
    assert not fresh_services.clinic.needs_setup()
    assert fresh_services.actor.user_id is not None


def test_later_runs_sign_in(monkeypatch, fresh_services, admin, admin_password):
    fresh_services.actor.user_id = None

    def sign_in(d: SignInDialog) -> None:
        d.username.setText("aruiz")
        d.password.setText(admin_password)
        d.accept()

    patch_exec(monkeypatch, SignInDialog, FakeExec(sign_in))
    assert startup.run_startup(fresh_services) is True
    assert fresh_services.actor.user_id == admin.id


def flag_must_change(ui_engine, username: str) -> None:
    """As an administrator's password reset will: the user must choose a new password."""
    with ui_engine.begin() as conn:
        conn.execute(
            text("UPDATE app_user SET must_change_password = :yes WHERE username = :name"),
            {"yes": True, "name": username},
        )


@pytest.mark.parametrize("completes", [True, False])
def test_a_reset_password_must_be_changed_right_after_sign_in(
    monkeypatch, fresh_services, admin, admin_password, ui_engine, prompts, completes
):
    fresh_services.actor.user_id = None
    flag_must_change(ui_engine, "aruiz")

    def sign_in(d: SignInDialog) -> None:
        d.username.setText("aruiz")
        d.password.setText(admin_password)
        d.accept()

    def change(d: ChangePasswordDialog) -> None:
        assert d.required
        if not completes:
            d.reject()
            return
        prompts.answer("inform")
        d.current.setText(admin_password)
        d.new.setText("my own new passphrase")
        d.confirm.setText("my own new passphrase")
        d.accept()

    changes = FakeExec(change)
    patch_exec(monkeypatch, SignInDialog, FakeExec(sign_in))
    patch_exec(monkeypatch, ChangePasswordDialog, changes)
    assert startup.run_startup(fresh_services) is completes
    assert len(changes.dialogs) == 1
    me = fresh_services.clinic.current_user()
    assert me is not None
    assert me.must_change_password is not completes


def test_no_password_change_without_the_flag(monkeypatch, fresh_services, admin, admin_password):
    fresh_services.actor.user_id = None

    def sign_in(d: SignInDialog) -> None:
        d.username.setText("aruiz")
        d.password.setText(admin_password)
        d.accept()

    changes = FakeExec()
    patch_exec(monkeypatch, SignInDialog, FakeExec(sign_in))
    patch_exec(monkeypatch, ChangePasswordDialog, changes)
    assert startup.run_startup(fresh_services) is True
    assert changes.dialogs == []


def test_create_main_window(qtbot, services):
    window = startup.create_main_window(services)
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow)
    assert not window.grab().isNull()
