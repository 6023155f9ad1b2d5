"""The idle lock, Ctrl+L, unlocking, another user signing in, and signing out (issue 10 §3).

Idle time comes from a fake clock handed to the main window: the tests move it and ask the
monitor to look, instead of waiting ten minutes. Whether patient data is hidden is checked
by walking every visible widget of every window (labels, buttons, fields, text boxes, item
views' data) and every window title, for the patient's name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from clinic_app.domain.enums import Role
from clinic_app.domain.sign_in import WRONG
from clinic_app.services.dto import PatientView
from clinic_app.ui.admin.change_password_dialog import ChangePasswordDialog
from clinic_app.ui.admin.user_form import UserFormDialog
from clinic_app.ui.admin.users_dialog import UsersDialog
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.lock.screen import LOCKED_TITLE
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.patients.dialog import PatientDialog
from tests.factories import PASSWORD, add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabKeyboard)\(\)"
)

GIVEN, FAMILY = "Zebulon", "Quartermaine"


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def idle_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, services, idle_clock) -> MainWindow:
    w = MainWindow(services, idle_clock=idle_clock)
    qtbot.addWidget(w)
    qtbot.addWidget(w.session_lock.screen)
    w.show()
    return w


@pytest.fixture
def patient(window: MainWindow, make_patient) -> PatientView:
    p = make_patient(given_name=GIVEN, family_name=FAMILY, allergies="Latex")
    window.run_search()
    assert window.select_patient(p.id)
    return p


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            value = model.index(row, column).data()
            if value is not None:
                yield str(value)


def shown_texts() -> list[str]:
    """Every text a person could read on screen now, and every window's title."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        texts.append(top.windowTitle())  # hidden windows too: a task bar shows titles
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
                texts.append(widget.text())
            elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
                texts.append(widget.toPlainText())
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                texts.extend(_model_texts(widget.model()))
            texts.append(widget.toolTip())
    return texts


def shows_the_patient() -> bool:
    joined = "\n".join(shown_texts())
    return GIVEN in joined or FAMILY in joined


def test_idle_time_locks_every_window_and_saves_the_draft(
    qtbot, window, services, patient, idle_clock
):
    lock = window.session_lock
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    window.on_front_desk()
    dialog = PatientDialog(services, services.patients.get(patient.id), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # a form over the window, showing the patient
    qtbot.keyClicks(editor.form.icd10, "M79.18")  # typing counts as activity
    assert lock.monitor.activity_count > 0
    assert editor.session.dirty  # not autosaved yet
    assert shows_the_patient()

    idle_clock.now += 9 * 60 + 59
    assert not lock.monitor.check()
    assert not lock.is_locked
    idle_clock.now += 1
    with qtbot.waitSignal(lock.locked):
        assert lock.monitor.check()

    assert lock.is_locked
    assert not shows_the_patient()
    assert all(w.windowTitle() == LOCKED_TITLE for w in (window, editor, dialog, window.front_desk))
    assert window.model.rowCount() == 0
    assert window.search_box.text() == ""
    assert not editor.session.dirty
    assert services.encounters.get(editor.encounter_id).form.icd10_codes == ("M79.18",)
    # Locked, input does not count and the monitor does not fire again.
    assert lock.monitor.paused
    assert not lock.monitor.check()


def test_the_password_unlocks_and_every_window_comes_back(qtbot, window, patient, admin_password):
    lock = window.session_lock
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    title = editor.windowTitle()
    lock.lock_action.trigger()
    assert not shows_the_patient()

    qtbot.keyClicks(lock.screen.password, admin_password)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.mouseClick(lock.screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.is_locked
    assert window.isVisible()
    assert editor.isVisible()
    assert editor.windowTitle() == title
    assert FAMILY in title
    assert window.current_patient_id() == patient.id
    assert shows_the_patient()
    assert not lock.monitor.paused


def test_wrong_passwords_are_refused_then_wait(qtbot, window, patient):
    lock = window.session_lock
    lock.lock_action.trigger()
    error = lock.screen.errors.message
    for _ in range(4):
        qtbot.keyClicks(lock.screen.password, "not my password at all")
        qtbot.keyClick(lock.screen.password, Qt.Key.Key_Return)
        assert error("password") == WRONG
        assert lock.screen.password.text() == ""
    qtbot.keyClicks(lock.screen.password, "still not my password")
    qtbot.keyClick(lock.screen.password, Qt.Key.Key_Return)
    assert error("password").endswith("can be tried again in 30 s.")
    # The right password during the wait is refused too, and the screen stays locked.
    qtbot.keyClicks(lock.screen.password, PASSWORD)
    qtbot.keyClick(lock.screen.password, Qt.Key.Key_Return)
    assert "can be tried again" in error("password")
    assert lock.is_locked
    assert not window.isVisible()
    assert not shows_the_patient()


def test_someone_else_signs_in_and_does_not_see_the_first_users_editor(
    qtbot, window, services, patient, admin
):
    front = add_user(services, "ffront", "Fran Front", Role.FRONT_DESK)
    lock = window.session_lock
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    encounter_id = editor.encounter_id
    qtbot.keyClicks(editor.form.icd10, "M79.18")
    lock.lock_action.trigger()

    lock.screen.someone_else_button.click()
    qtbot.keyClicks(lock.screen.username, "ffront")
    qtbot.keyClicks(lock.screen.password, PASSWORD)
    with qtbot.waitSignal(lock.unlocked) as signed_in:
        lock.screen.unlock_button.click()
    assert signed_in.args[0].id == front.id
    assert window.encounters.editors() == []
    assert not any(
        isinstance(w, EncounterEditor) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    assert window.user_label.text() == "Signed in: Fran Front"
    # The front desk's window: the patient list, and no clinical command.
    assert window.select_patient(patient.id)
    assert not window.new_encounter_action.isVisible()
    assert not window.repeat_visit_action.isVisible()
    assert window.edit_patient_action.isEnabled()
    # The first user's draft is kept for them, with what they typed before the lock.
    sign_in_as(services, admin)
    assert services.encounters.get(encounter_id).form.icd10_codes == ("M79.18",)


def test_sign_out_asks_who_signs_in_and_the_same_user_gets_their_windows_back(
    qtbot, window, services, patient, admin
):
    lock = window.session_lock
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    lock.sign_out_action.trigger()
    assert services.actor.user_id is None
    assert lock.screen.someone_else
    assert lock.screen.back_button.isHidden()
    assert not shows_the_patient()

    qtbot.keyClicks(lock.screen.username, admin.username)
    qtbot.keyClicks(lock.screen.password, PASSWORD)
    with qtbot.waitSignal(lock.unlocked):
        lock.screen.unlock_button.click()
    assert window.encounters.editors() == [editor]
    assert editor.isVisible()


def test_ctrl_l_locks_from_any_window(window):
    assert window.session_lock.lock_action.shortcut().toString() == "Ctrl+L"
    assert window.session_lock.lock_action.shortcutContext() == (
        Qt.ShortcutContext.ApplicationShortcut
    )
    menu = window.menuBar().actions()[0].menu()
    assert window.session_lock.lock_action in menu.actions()
    assert window.session_lock.sign_out_action in menu.actions()


def test_the_clinic_setting_sets_the_idle_time(qtbot, window, services, idle_clock):
    lock = window.session_lock
    assert lock.monitor.timeout_s == 600
    window.on_clinic_settings()
    dialog = window.clinic_settings_dialog
    assert dialog is not None
    dialog.idle_lock_minutes.setValue(2)
    with qtbot.waitSignal(window.clinic_settings_saved):
        dialog.accept()
    assert services.clinic.profile().idle_lock_minutes == 2
    lock.monitor.poke()
    idle_clock.now += 120
    with qtbot.waitSignal(lock.locked):
        assert lock.monitor.check()


def test_ctrl_l_in_an_editor_locks(qtbot, window, patient):
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    with qtbot.waitSignal(window.session_lock.locked):
        qtbot.keyClick(editor.form.icd10, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not editor.isVisible()


@pytest.mark.parametrize("completes", [True, False])
def test_a_reset_password_is_changed_before_the_lock_screen_lets_the_user_in(
    qtbot, monkeypatch, window, services, prompts, completes
):
    nurse = add_user(services, "nnurse", "Nora Nurse", Role.NURSE)
    services.users.reset_password(
        nurse.id, "temporary passphrase 41", expected_version=nurse.version
    )
    shown: list[ChangePasswordDialog] = []

    def change(dialog: ChangePasswordDialog) -> int:
        shown.append(dialog)
        assert dialog.required
        if not completes:
            dialog.reject()
            return int(dialog.result())
        prompts.answer("inform")
        dialog.current.setText("temporary passphrase 41")
        dialog.new.setText("nora chooses her own words")
        dialog.confirm.setText("nora chooses her own words")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ChangePasswordDialog, "exec", change)
    lock = window.session_lock
    lock.lock_action.trigger()
    lock.screen.someone_else_button.click()
    qtbot.keyClicks(lock.screen.username, "nnurse")
    qtbot.keyClicks(lock.screen.password, "temporary passphrase 41")
    lock.screen.unlock_button.click()
    assert len(shown) == 1
    assert lock.is_locked is not completes
    if completes:
        assert window.user_label.text() == "Signed in: Nora Nurse"
        assert services.clinic.authenticate("nnurse", "nora chooses her own words").id == nurse.id
    else:
        assert services.actor.user_id is None  # signed out again; the screen stays locked
        assert lock.screen.isVisible()


def test_a_user_created_in_the_users_window_chooses_a_password_at_first_sign_in(
    qtbot, monkeypatch, window, services, prompts
):
    """Made through the GUI, the account must replace its first password before getting in."""
    users = UsersDialog(services)
    qtbot.addWidget(users)
    users.new_button.click()
    form = users.form
    assert isinstance(form, UserFormDialog)
    form.username.setText("npark")
    form.full_name.setText("Nina Park")
    form.role_boxes[Role.NURSE].setChecked(True)
    form.password.setText("first words from the admin")
    form.confirm.setText("first words from the admin")
    with qtbot.waitSignal(users.users_changed):
        form.accept()
    shown: list[ChangePasswordDialog] = []

    def change(dialog: ChangePasswordDialog) -> int:
        shown.append(dialog)
        assert dialog.required
        prompts.answer("inform")
        dialog.current.setText("first words from the admin")
        dialog.new.setText("nina keeps her own words")
        dialog.confirm.setText("nina keeps her own words")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(ChangePasswordDialog, "exec", change)
    lock = window.session_lock
    lock.lock_action.trigger()
    lock.screen.someone_else_button.click()
    qtbot.keyClicks(lock.screen.username, "npark")
    qtbot.keyClicks(lock.screen.password, "first words from the admin")
    lock.screen.unlock_button.click()
    assert len(shown) == 1
    assert not lock.is_locked
    assert window.user_label.text() == "Signed in: Nina Park"
    again = services.clinic.authenticate("npark", "nina keeps her own words")
    assert not again.must_change_password
