"""The patient list and the open summary follow other workstations, in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientInput, PatientView
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.patients.table_model import PatientTableModel
from tests.factories import register_patient
from tests.services.test_changes import sign_a_visit

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
#: How long a test waits for another desk's change to show. The 2 s promise itself is a
#: speed target, measured and recorded by benchmarks/bench_live_refresh.py, not here (a
#: loaded CI machine would fail a wall-clock assertion for no fault of the code).
APPEARS_MS = 10_000


@pytest.fixture
def window(
    qtbot: QtBot, services: AppServices, make_patient: Callable[..., PatientView]
) -> MainWindow:
    """The main window on screen, listening, with Maria Lopez selected among three."""
    for given, family in (("Maria", "Lopez"), ("Bo", "Kim"), ("Ann", "Young")):
        make_patient(given_name=given, family_name=family, weight_kg="72", allergies="")
    w = MainWindow(services)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.live_reloaded, timeout=5000):  # the listener is ready
        w.show()
    maria = next(p for p in w.model.patients() if p.family_name == "Lopez")
    assert w.select_patient(maria.id)
    return w


def listed(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, PatientTableModel.NAME).data() for r in range(proxy.rowCount())]


@pytest.mark.service_behaviour
def test_an_edit_and_a_newcomer_from_another_desk_show_with_the_selection_kept(
    qtbot: QtBot, window: MainWindow, other_desk: AppServices
) -> None:
    maria = window.current_patient()
    assert maria is not None
    assert window.panel.summary_text("allergies") == "Not recorded"
    other_desk.patients.update(
        maria.id,
        PatientInput(maria.mrn, "Maria", "Lopez", maria.date_of_birth, allergies="penicillin"),
        expected_version=maria.version,
    )
    qtbot.waitUntil(
        lambda: window.panel.summary_text("allergies") == "penicillin", timeout=APPEARS_MS
    )
    register_patient(other_desk, "FIRST-1", "Aaron", "Able", date(1960, 1, 1))
    qtbot.waitUntil(lambda: len(listed(window)) == 4, timeout=APPEARS_MS)
    assert listed(window)[0] == "Able, Aaron"  # sorted above the selected row...
    assert window.current_patient_id() == maria.id  # ...which stays selected
    assert window.count_label.text() == "4 patients"


@pytest.mark.service_behaviour
def test_a_visit_signed_elsewhere_appears_in_the_open_history(
    qtbot: QtBot, window: MainWindow, other_desk: AppServices
) -> None:
    maria = window.current_patient()
    assert maria is not None
    assert window.panel.history_is_empty()
    sign_a_visit(other_desk, maria)
    qtbot.waitUntil(lambda: window.panel.history_model.rowCount() == 1, timeout=APPEARS_MS)
    assert window.panel.history_model.index(0, 2).data() == "Signed"
    assert window.current_patient_id() == maria.id


def test_a_patient_voided_elsewhere_leaves_nothing_selected_never_another_patient(
    qtbot: QtBot, window: MainWindow, other_desk: AppServices
) -> None:
    maria = window.current_patient()
    assert maria is not None
    other_desk.patients.void(maria.id, "Registered twice", expected_version=maria.version)
    qtbot.waitUntil(lambda: len(listed(window)) == 2, timeout=APPEARS_MS)
    assert window.current_patient_id() is None
    assert window.panel.patient is None
    assert not window.edit_patient_action.isEnabled()
    assert "no longer listed" in window.statusBar().currentMessage()


def test_no_reload_while_a_search_is_being_typed(
    qtbot: QtBot, window: MainWindow, other_desk: AppServices
) -> None:
    """Between keystrokes the list does not change under the user; the typed search then
    runs with fresh rows."""
    window.search_timer.setInterval(60_000)  # a slow typist: the pause never ends by itself
    window.search_box.setText("Lo")
    register_patient(other_desk, "LO-2", "Lou", "Lopez", date(1961, 1, 1))
    with qtbot.assertNotEmitted(window.live_reloaded):
        qtbot.waitUntil(lambda: bool(window.live.pending), timeout=APPEARS_MS)
    assert len(listed(window)) == 3  # unchanged while typing
    with qtbot.waitSignal(window.search_finished):
        window.search_timer.start(0)  # the pause after the last keystroke
    assert listed(window) == ["Lopez, Lou", "Lopez, Maria"]
    assert window.current_patient() is not None
    assert window.current_patient().given_name == "Maria"


def test_nothing_is_read_while_locked_and_the_list_comes_back_fresh(
    qtbot: QtBot, window: MainWindow, other_desk: AppServices, admin_password: str
) -> None:
    window.session_lock.lock()
    register_patient(other_desk, "LOCK-1", "Lee", "Locked", date(1962, 1, 1))
    qtbot.waitUntil(lambda: bool(window.live.pending), timeout=APPEARS_MS)
    assert listed(window) == []  # the lock emptied the list and keeps it empty
    assert window.session_lock.unlock(admin_password)
    assert "Locked, Lee" in listed(window)
