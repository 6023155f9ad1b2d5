"""Changing one's own password: from the File menu, and required after a reset."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from clinic_app.ui.admin.change_password_dialog import REQUIRED_TEXT, ChangePasswordDialog

NEW = "violet kettle on the sill"


@pytest.fixture
def dialog(qtbot, services) -> ChangePasswordDialog:
    d = ChangePasswordDialog(services)
    qtbot.addWidget(d)
    return d


def fill(d: ChangePasswordDialog, current: str, new: str, confirm: str | None = None) -> None:
    d.current.setText(current)
    d.new.setText(new)
    d.confirm.setText(new if confirm is None else confirm)


def test_the_password_is_changed(qtbot, dialog, services, admin, admin_password, prompts):
    prompts.answer("inform")
    fill(dialog, admin_password, NEW)
    with qtbot.waitSignal(dialog.password_changed) as changed:
        dialog.accept()
    assert changed.args[0].id == admin.id
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert prompts.titles() == ["Password changed"]
    assert (dialog.current.text(), dialog.new.text(), dialog.confirm.text()) == ("", "", "")
    services.actor.user_id = None
    assert services.clinic.authenticate("aruiz", NEW).id == admin.id


def test_two_different_new_passwords_are_refused_before_asking(
    qtbot, dialog, services, admin_password
):
    fill(dialog, admin_password, NEW, "violet kettle on the shelf")
    with qtbot.assertNotEmitted(dialog.password_changed), qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.invalid_fields() == ["confirm_password"]
    assert "differ" in dialog.errors.message("confirm_password")
    assert dialog.confirm.text() == ""
    assert dialog.new.text() == NEW
    services.actor.user_id = None
    assert services.clinic.authenticate("aruiz", admin_password)  # unchanged


def test_a_wrong_current_password_is_cleared_and_marked(qtbot, dialog):
    fill(dialog, "not what I had", NEW)
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.message("current_password") == "The current password is wrong."
    assert dialog.current.text() == ""
    assert dialog.new.text() == NEW
    assert dialog.focusWidget() is dialog.current


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("iloveyouiloveyou", "most common passwords"),
        ("Riverside Pain Clinic", "must not be the clinic's name"),
        ("too short", "at least 15 characters"),
    ],
)
def test_a_new_password_against_the_rules_is_marked(qtbot, dialog, admin_password, new, message):
    fill(dialog, admin_password, new)
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.invalid_fields() == ["new_password"]
    assert message in dialog.errors.message("new_password")
    assert dialog.current.text() == admin_password


def test_every_problem_is_marked_in_one_submit(qtbot, dialog):
    fill(dialog, "", "too short", "too shirt")
    with qtbot.assertNotEmitted(dialog.finished):
        dialog.accept()
    assert dialog.errors.invalid_fields() == [
        "current_password",
        "new_password",
        "confirm_password",
    ]
    assert "Type your current password" in dialog.errors.message("current_password")
    assert "at least 15 characters" in dialog.errors.message("new_password")
    assert "differ" in dialog.errors.message("confirm_password")
    assert dialog.confirm.text() == ""


def test_the_required_form_says_why(qtbot, services):
    d = ChangePasswordDialog(services, required=True)
    qtbot.addWidget(d)
    texts = [label.text() for label in d.findChildren(QLabel)]
    assert any(t.startswith(REQUIRED_TEXT) for t in texts)
    plain = ChangePasswordDialog(services)
    qtbot.addWidget(plain)
    assert not any(REQUIRED_TEXT in label.text() for label in plain.findChildren(QLabel))


def test_the_file_menu_opens_it(qtbot, services, prompts):
    from clinic_app.ui.main_window import MainWindow

    window = MainWindow(services)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.change_password_action in file_menu.actions()
    window.change_password_action.trigger()
    opened = window.findChild(ChangePasswordDialog)
    assert opened is not None
    assert opened.isVisible()
    assert not opened.required
    opened.reject()
