"""Another user signs in at the lock screen: the first user's unsaved work waits for them.

A patient form with unsaved edits, and an encounter editor whose save failed when the screen
locked, are kept in memory on this workstation: the second user sees nothing of them (no
window, no title, no text, not among the open editors), and the first user gets them back,
edits and all, when they sign in again.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import StorageError
from clinic_app.services.dto import PatientView, UserView
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.lock.controller import SessionLock
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.patients.dialog import PatientDialog
from tests.factories import PASSWORD, add_user
from tests.ui.lock.test_session_lock import FAMILY, GIVEN, FakeClock, shown_texts

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabKeyboard)\(\)"
)

TYPED_PHONE = "555-0142 ext 77"
TYPED_CODE = "M79.18"


@pytest.fixture
def window(qtbot, services) -> MainWindow:
    w = MainWindow(services, idle_clock=FakeClock())
    qtbot.addWidget(w)
    qtbot.addWidget(w.session_lock.screen)
    w.show()
    return w


@pytest.fixture
def patient(window: MainWindow, make_patient) -> PatientView:
    p = make_patient(given_name=GIVEN, family_name=FAMILY)
    window.run_search()
    assert window.select_patient(p.id)
    return p


@pytest.fixture
def front(services) -> UserView:
    return add_user(services, "ffront", "Fran Front", Role.FRONT_DESK)


def sign_in_at_the_lock(qtbot, lock: SessionLock, username: str) -> UserView:
    if not lock.screen.someone_else:
        lock.screen.someone_else_button.click()
    qtbot.keyClicks(lock.screen.username, username)
    qtbot.keyClicks(lock.screen.password, PASSWORD)
    with qtbot.waitSignal(lock.unlocked) as signed_in:
        lock.screen.unlock_button.click()
    return signed_in.args[0]


def visible(kind: type) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def assert_nothing_of_it_shows(window: MainWindow, *typed: str) -> None:
    texts = "\n".join(shown_texts())
    for text in typed:
        assert text not in texts
    assert visible(PatientDialog) == []
    assert visible(EncounterEditor) == []
    assert window.encounters.editors() == []


def test_an_unsaved_patient_form_waits_for_its_user(
    qtbot, window, services, patient, admin, front
) -> None:
    window.edit_patient_action.trigger()
    form = window.patient_dialog
    assert form is not None
    form.phone.setText(TYPED_PHONE)
    assert form.is_dirty()
    lock = window.session_lock
    lock.lock_action.trigger()

    assert sign_in_at_the_lock(qtbot, lock, "ffront").id == front.id
    assert_nothing_of_it_shows(window, TYPED_PHONE)
    assert not form.isVisible()
    # The second user works as usual: their own patient form, and nothing was saved.
    assert services.patients.get(patient.id).phone != TYPED_PHONE

    lock.lock_action.trigger()
    assert sign_in_at_the_lock(qtbot, lock, admin.username).id == admin.id
    assert window.patient_dialog is form
    qtbot.waitUntil(form.isVisible)
    assert form.phone.text() == TYPED_PHONE
    assert form.is_dirty()
    with qtbot.waitSignal(form.patient_saved):
        form.accept()
    assert services.patients.get(patient.id).phone == TYPED_PHONE


def test_an_editor_whose_save_failed_at_the_lock_waits_for_its_user(
    qtbot, monkeypatch, window, services, patient, admin, front
) -> None:
    editor = window.encounters.new_encounter(patient.id)
    assert editor is not None
    encounter_id = editor.encounter_id
    qtbot.keyClicks(editor.form.icd10, TYPED_CODE)

    def unreachable(*_args: object, **_kwargs: object) -> None:
        raise StorageError("The database cannot be reached. Nothing was saved.")

    with monkeypatch.context() as patch:
        patch.setattr(services.encounters, "save_draft", unreachable)
        lock = window.session_lock
        lock.lock_action.trigger()
    assert editor.session.dirty  # the lock could not save it

    sign_in_at_the_lock(qtbot, lock, "ffront")
    assert_nothing_of_it_shows(window, TYPED_CODE)
    assert not editor.isVisible()
    assert GIVEN not in editor.windowTitle()

    lock.lock_action.trigger()
    sign_in_at_the_lock(qtbot, lock, admin.username)
    assert window.encounters.editors() == [editor]
    qtbot.waitUntil(editor.isVisible)
    assert GIVEN in editor.windowTitle() or FAMILY in editor.windowTitle()
    assert editor.form.icd10.text().startswith(TYPED_CODE)
    assert editor.session.save_and_wait()
    assert services.encounters.get(encounter_id).form.icd10_codes == (TYPED_CODE,)


def test_saved_work_is_closed_and_the_same_user_gets_everything_back(
    qtbot, window, services, patient, admin, front
) -> None:
    """Nothing kept when nothing is unsaved; the kept list is per user."""
    window.edit_patient_action.trigger()
    form = window.patient_dialog
    assert form is not None  # opened, nothing typed: closed at the hand-over as before
    lock = window.session_lock
    lock.lock_action.trigger()
    sign_in_at_the_lock(qtbot, lock, "ffront")
    assert_nothing_of_it_shows(window)
    lock.lock_action.trigger()
    sign_in_at_the_lock(qtbot, lock, admin.username)
    assert visible(PatientDialog) == []
    assert window.patient_dialog is None
