"""The administrator's Users window: accounts and the read-only permission matrix."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from clinic_app.domain.access import default_permissions
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.services.dto import UserChanges
from clinic_app.ui.admin.user_form import (
    FIRST_PASSWORD_TEXT,
    ResetPasswordDialog,
    UserFormDialog,
)
from clinic_app.ui.admin.users_dialog import COLUMNS, UsersDialog
from clinic_app.ui.main_window import MainWindow
from tests.factories import add_user, sign_in_as

NURSE_PASSWORD = "amber lantern tuesday"
TEMPORARY = "pebble orchard quietly"


@pytest.fixture
def dialog(qtbot, services) -> UsersDialog:
    d = UsersDialog(services)
    qtbot.addWidget(d)
    return d


def cell(d: UsersDialog, username: str, column: str) -> str:
    row = [u.username for u in d.users].index(username)
    item = d.table.item(row, COLUMNS.index(column))
    return item.text() if item else ""


def new_user(
    qtbot, d: UsersDialog, username: str, name: str, roles: set[Role], **fields: str
) -> UserFormDialog:
    d.new_button.click()
    form = d.form
    assert isinstance(form, UserFormDialog)
    form.username.setText(username)
    form.full_name.setText(name)
    form.credentials.setCurrentText(fields.get("credentials", ""))
    form.npi.setText(fields.get("npi", ""))
    for role in roles:
        form.role_boxes[role].setChecked(True)
    password = fields.get("password", NURSE_PASSWORD)
    form.password.setText(password)
    form.confirm.setText(fields.get("confirm", password))
    return form


def test_an_admin_creates_a_nurse_and_a_front_desk_user(qtbot, dialog, services) -> None:
    form = new_user(qtbot, dialog, "npark", "Nina Park", {Role.NURSE}, credentials="RN")
    with qtbot.waitSignal(dialog.users_changed):
        form.accept()
    assert form.result() == QDialog.DialogCode.Accepted
    form = new_user(qtbot, dialog, "fdesk", "Fran Desk", {Role.FRONT_DESK})
    with qtbot.waitSignal(dialog.users_changed):
        form.accept()
    assert [u.username for u in dialog.users] == ["aruiz", "fdesk", "npark"]
    assert cell(dialog, "npark", "Roles") == "nurse"
    assert cell(dialog, "npark", "Credentials") == "RN"
    assert cell(dialog, "fdesk", "Roles") == "front desk"
    assert cell(dialog, "fdesk", "Active") == "yes"
    # The administrator typed a first password: each must choose their own at first sign-in.
    assert cell(dialog, "fdesk", "Must change password") == "yes"
    assert cell(dialog, "npark", "Must change password") == "yes"
    assert dialog.selected().username == "fdesk"  # the new account is selected
    # Each signs in and holds exactly the role given.
    services.actor.sign_out()
    assert services.clinic.authenticate("npark", NURSE_PASSWORD).must_change_password
    assert services.clinic.authenticate("npark", NURSE_PASSWORD).roles == {Role.NURSE}
    assert services.clinic.authenticate("fdesk", NURSE_PASSWORD).roles == {Role.FRONT_DESK}
    with pytest.raises(PermissionDenied):
        services.users.accounts()


def test_refused_values_show_on_their_field(qtbot, dialog) -> None:
    form = new_user(qtbot, dialog, "np ark", "Nina Park", {Role.NURSE})
    form.accept()
    assert form.errors.invalid_fields() == ["username"]
    form.username.setText("npark")
    form.password.setText("short")
    form.confirm.setText("short")
    form.accept()
    assert "at least 15 characters" in form.errors.message("password")
    form.password.setText(NURSE_PASSWORD)
    form.confirm.setText(NURSE_PASSWORD + "x")
    form.accept()
    assert "differ" in form.errors.message("password_confirm")
    form.password.setText(NURSE_PASSWORD)
    form.confirm.setText(NURSE_PASSWORD)
    form.role_boxes[Role.NURSE].setChecked(False)
    form.accept()
    assert form.errors.message("roles") == "Choose at least one role."
    form.role_boxes[Role.PROVIDER].setChecked(True)
    form.npi.setText("1234567890")
    form.accept()
    assert "check digit" in form.errors.message("npi")
    assert form.isVisible()
    assert [u.username for u in dialog.users] == ["aruiz"]


def test_edit_changes_roles_and_credentials(qtbot, dialog, services) -> None:
    add_user(services, "npark", "Nina Park", Role.NURSE, "RN")
    dialog.refresh()
    dialog.select_user("npark")
    dialog.edit_button.click()
    form = dialog.form
    assert isinstance(form, UserFormDialog)
    assert form.full_name.text() == "Nina Park"
    assert form.role_boxes[Role.NURSE].isChecked()
    form.role_boxes[Role.FRONT_DESK].setChecked(True)
    form.credentials.setCurrentText("LPN")
    with qtbot.waitSignal(dialog.users_changed):
        form.accept()
    assert cell(dialog, "npark", "Roles") == "nurse, front desk"
    assert cell(dialog, "npark", "Credentials") == "LPN"


def test_reset_deactivate_and_reactivate(qtbot, dialog, services, prompts) -> None:
    add_user(services, "npark", "Nina Park", Role.NURSE, "RN")
    dialog.refresh()
    dialog.select_user("npark")
    dialog.reset_button.click()
    reset = dialog.form
    assert isinstance(reset, ResetPasswordDialog)
    reset.password.setText("Nina Park")
    reset.confirm.setText("Nina Park")
    reset.accept()
    assert "15 characters" in reset.errors.message("password")
    reset.password.setText(TEMPORARY)
    reset.confirm.setText(TEMPORARY)
    prompts.answer("inform")
    with qtbot.waitSignal(dialog.users_changed):
        reset.accept()
    assert "must choose a new password" in prompts.shown[-1].text
    assert cell(dialog, "npark", "Must change password") == "yes"

    prompts.answer("confirm_deactivate_user", False)
    dialog.active_button.click()
    assert cell(dialog, "npark", "Active") == "yes"  # cancelled: nothing changed
    prompts.answer("confirm_deactivate_user", True)
    with qtbot.waitSignal(dialog.users_changed):
        dialog.active_button.click()
    assert cell(dialog, "npark", "Active") == "no"
    assert dialog.active_button.text() == "Re&activate"
    services.actor.sign_out()
    with pytest.raises(ValidationError):
        services.clinic.authenticate("npark", TEMPORARY)
    sign_in_as(services, services_admin(services))
    with qtbot.waitSignal(dialog.users_changed):
        dialog.active_button.click()
    assert cell(dialog, "npark", "Active") == "yes"

    # The nurse signs in with the temporary password and must choose her own.
    services.actor.sign_out()
    nurse = services.clinic.authenticate("npark", TEMPORARY)
    assert nurse.must_change_password
    changed = services.clinic.change_own_password(TEMPORARY, NURSE_PASSWORD)
    assert not changed.must_change_password


def services_admin(services):
    """The administrator's account, read back (after a sign-out)."""
    services.actor.sign_out()
    return services.clinic.authenticate("aruiz", "correct horse battery")


def test_the_last_administrator_cannot_deactivate_themselves(qtbot, dialog, prompts) -> None:
    dialog.select_user("aruiz")
    prompts.answer("confirm_deactivate_user", True)
    prompts.answer("show_error")
    dialog.active_button.click()
    assert prompts.titles()[-1] == "Cannot deactivate"
    assert "last active administrator" in prompts.shown[-1].text
    assert cell(dialog, "aruiz", "Active") == "yes"


def test_keyboard_shortcuts_open_the_forms(qtbot, dialog) -> None:
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(dialog.form, UserFormDialog)
    assert dialog.form.windowTitle() == "New user"
    dialog.form.reject()
    qtbot.waitUntil(lambda: dialog.form is None)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(dialog.form, ResetPasswordDialog)


def test_the_permissions_tab_shows_the_matrix(dialog) -> None:
    view = dialog.permissions
    matrix = default_permissions()
    assert dialog.tabs.tabText(1) == "&Permissions"
    assert view.allowed(matrix.words("encounter.sign"), Role.PROVIDER)
    assert not view.allowed(matrix.words("encounter.sign"), Role.NURSE)
    assert view.allowed(matrix.words("handout.print"), Role.FRONT_DESK)
    assert not view.allowed(matrix.words("patient.clinical"), Role.FRONT_DESK)
    assert view.allowed(matrix.words("user.create"), Role.ADMIN)
    for role in Role:
        assert matrix.roles[role].rationale in view.rationale.text()
    ticks = sum(
        view.table.item(r, c).text() == "✓"
        for r in range(view.table.rowCount())
        for c in range(view.table.columnCount())
    )
    assert ticks == sum(len(grant.allowed) for grant in matrix.roles.values())


def test_the_menu_entry_is_for_administrators(qtbot, services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.users_action.isEnabled()
    window.users_action.trigger()
    assert isinstance(window.users_dialog, UsersDialog)
    window.users_dialog.close()
    nurse = add_user(
        services,
        "npark",
        "Nina Park",
        Role.NURSE,
        "RN",
    )
    sign_in_as(services, nurse)
    window.refresh()
    assert not window.users_action.isEnabled()


def test_the_new_user_form_says_the_first_password_is_temporary(qtbot, dialog) -> None:
    form = new_user(qtbot, dialog, "npark", "Nina Park", {Role.NURSE})
    advice = form.findChild(QLabel, "", Qt.FindChildOption.FindChildrenRecursively)
    texts = [label.text() for label in form.findChildren(QLabel)]
    assert advice is not None
    assert any(FIRST_PASSWORD_TEXT in text for text in texts)


# ---------------------------------------------------------------- another administrator


def _listed(services, dialog: UsersDialog, username: str):
    """The account as the window listed it, and another administrator's change of it."""
    add_user(services, "npark", "Nina Park", Role.NURSE, "RN")
    dialog.refresh()
    dialog.select_user(username)
    listed = dialog.selected()
    theirs = services.users.update_user(
        listed.id,
        UserChanges("Nina Park-Lee", frozenset({Role.NURSE}), "RN"),
        expected_version=listed.version,
    )
    return listed, theirs


def test_an_edit_of_an_account_changed_meanwhile_is_refused_and_the_list_reloads(
    qtbot, dialog, services
) -> None:
    listed, theirs = _listed(services, dialog, "npark")
    assert cell(dialog, "npark", "Name") == "Nina Park"  # the window's older copy
    dialog.edit_button.click()
    form = dialog.form
    assert isinstance(form, UserFormDialog)
    form.credentials.setCurrentText("LPN")
    with qtbot.assert_not_emitted(form.saved), qtbot.waitSignal(form.stale):
        form.accept()
    assert "Another administrator changed Nina Park-Lee's account" in form.errors.message("")
    assert "What you typed is still here" in form.errors.message("")
    assert form.isVisible()
    assert form.credentials.currentText() == "LPN"  # kept
    assert cell(dialog, "npark", "Name") == "Nina Park-Lee"  # reloaded behind the form
    assert dialog.selected().version == theirs.version
    stored = next(u for u in services.users.accounts() if u.id == listed.id)
    assert (stored.display_name, stored.credentials) == ("Nina Park-Lee", "RN")


def test_a_reset_marks_a_weak_and_a_differing_password_at_once(qtbot, dialog, services) -> None:
    add_user(services, "npark", "Nina Park", Role.NURSE, "RN")
    dialog.refresh()
    dialog.select_user("npark")
    dialog.reset_button.click()
    reset = dialog.form
    assert isinstance(reset, ResetPasswordDialog)
    reset.password.setText("too short")
    reset.confirm.setText("too shirt")
    with qtbot.assert_not_emitted(reset.password_reset):
        reset.accept()
    assert reset.errors.invalid_fields() == ["password", "confirm_password"]
    assert "at least 15 characters" in reset.errors.message("password")
    assert "differ" in reset.errors.message("confirm_password")
    assert cell(dialog, "npark", "Must change password") == ""  # not reset


def test_a_password_reset_of_an_account_changed_meanwhile_is_refused(
    qtbot, dialog, services
) -> None:
    _listed_copy, theirs = _listed(services, dialog, "npark")
    dialog.reset_button.click()
    reset = dialog.form
    assert isinstance(reset, ResetPasswordDialog)
    reset.password.setText(TEMPORARY)
    reset.confirm.setText(TEMPORARY)
    with qtbot.assert_not_emitted(reset.password_reset), qtbot.waitSignal(reset.stale):
        reset.accept()
    assert "Another administrator changed" in reset.errors.message("")
    assert reset.password.text() == TEMPORARY
    assert cell(dialog, "npark", "Name") == "Nina Park-Lee"
    assert cell(dialog, "npark", "Must change password") == ""  # not reset
    assert dialog.selected().version == theirs.version


def test_deactivating_an_account_changed_meanwhile_is_refused_and_the_list_reloads(
    qtbot, dialog, services, prompts
) -> None:
    _listed(services, dialog, "npark")
    prompts.answer("confirm_deactivate_user", True)
    prompts.answer("show_error")
    with qtbot.assert_not_emitted(dialog.users_changed):
        dialog.active_button.click()
    assert prompts.titles()[-1] == "Changed on another workstation"
    assert "Nothing was changed" in prompts.shown[-1].text
    assert cell(dialog, "npark", "Active") == "yes"
    assert cell(dialog, "npark", "Name") == "Nina Park-Lee"
    assert dialog.selected().username == "npark"
    # Now the window holds the account as it is: the same click works.
    prompts.answer("confirm_deactivate_user", True)
    with qtbot.waitSignal(dialog.users_changed):
        dialog.active_button.click()
    assert cell(dialog, "npark", "Active") == "no"


def test_every_problem_is_shown_at_once_in_field_order(qtbot, dialog, services) -> None:
    """Issue 12 §8: a bad username, a bad NPI and differing passwords in one submit."""
    form = new_user(
        qtbot, dialog, "np ark", "Nina Park", {Role.NURSE}, npi="1234567890",
        confirm=NURSE_PASSWORD + "x",
    )  # fmt: skip
    with qtbot.assertNotEmitted(form.saved):
        form.accept()
    assert [field for field, _ in form.errors.messages()] == [
        "username", "npi", "password_confirm"
    ]  # fmt: skip
    assert "differ" in form.errors.message("password_confirm")
    assert form.focusWidget() is form.username
    assert "npark" not in {u.username for u in services.users.accounts()}
