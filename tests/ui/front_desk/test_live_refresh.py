"""The front desk follows other workstations: a visit signed elsewhere shows by itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from clinic_app.domain.enums import Language
from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientView, UserView
from clinic_app.ui.front_desk.models import EncounterIdRole
from clinic_app.ui.front_desk.window import FrontDeskWindow
from tests.factories import register_patient
from tests.services.test_changes import sign_a_visit
from tests.ui.front_desk.test_front_desk import procedure

#: How long a test waits for another desk's change to show. The 2 s promise itself is a
#: speed target, measured and recorded by benchmarks/bench_live_refresh.py, not here (a
#: loaded CI machine would fail a wall-clock assertion for no fault of the code).
APPEARS_MS = 10_000
SIGNED, HANDOUT = 6, 8


@pytest.fixture
def desk(
    qtbot: QtBot,
    services: AppServices,
    admin: UserView,
    make_patient: Callable[..., PatientView],
) -> tuple[FrontDeskWindow, list[int]]:
    """The front desk on screen with two drafts of today, the second one selected."""
    day = [
        procedure(services, admin, make_patient(given_name="Maria", family_name="Lopez")),
        procedure(services, admin, make_patient(given_name="José", family_name="Nguyễn")),
    ]
    window = FrontDeskWindow(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.live_reloaded, timeout=5000):  # the listener is ready
        window.show()
    with qtbot.waitSignal(window.preview_ready):
        window.select_encounter(1)
    return window, day


def cell(window: FrontDeskWindow, row: int, column: int) -> object:
    return window.model.index(row, column).data()


@pytest.mark.service_behaviour
def test_a_visit_signed_at_another_desk_appears_without_touching_anything(
    qtbot: QtBot,
    desk: tuple[FrontDeskWindow, list[int]],
    other_desk: AppServices,
    backend: str,
) -> None:
    window, day = desk
    newcomer = register_patient(other_desk, "NEW-1", "Zoe", "Adams", weight_kg="72")
    signed = sign_a_visit(other_desk, newcomer)
    with qtbot.assertNotEmitted(window.preview_ready):
        qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=APPEARS_MS)
    assert window.model.index(2, 0).data(EncounterIdRole) == signed
    assert cell(window, 2, 1) == "Zoe Adams"
    assert cell(window, 2, SIGNED) == "Signed"
    # The procedure the front desk was looking at is still the one selected and shown.
    assert window.encounter_id == day[1]
    assert window.table.currentIndex().row() == 1
    assert window.table.selectionModel().selectedRows()[0].row() == 1
    assert window.language() is Language.ENGLISH


def test_a_handout_printed_elsewhere_updates_the_row_and_the_selected_print_log(
    qtbot: QtBot, desk: tuple[FrontDeskWindow, list[int]], other_desk: AppServices
) -> None:
    window, day = desk
    assert cell(window, 1, HANDOUT) == "Not printed"
    with qtbot.assertNotEmitted(window.preview_ready):  # the handout itself did not change
        other_desk.documents.record_print(day[1], Language.SPANISH, 2)
        qtbot.waitUntil(lambda: window.log_model.rowCount() == 1, timeout=APPEARS_MS)
    assert str(cell(window, 1, HANDOUT)).startswith("Printed")
    assert window.log_model.index(0, 3).data() == "2"
    assert window.encounter_id == day[1]


def test_a_hidden_front_desk_catches_up_when_shown(
    qtbot: QtBot, desk: tuple[FrontDeskWindow, list[int]], other_desk: AppServices
) -> None:
    window, day = desk
    window.hide()
    other_desk.documents.record_print(day[0], Language.ENGLISH)
    qtbot.waitUntil(lambda: bool(window.live.pending), timeout=APPEARS_MS)
    assert cell(window, 0, HANDOUT) == "Not printed"  # nothing moves behind the lock screen
    with qtbot.waitSignal(window.live_reloaded):
        window.show()
    assert str(cell(window, 0, HANDOUT)).startswith("Printed")


@pytest.mark.service_behaviour
def test_a_visit_signed_on_this_workstation_shows_too(
    qtbot: QtBot, desk: tuple[FrontDeskWindow, list[int]], services: AppServices, backend: str
) -> None:
    """The provider signs in the editor of the same workstation (same services, same engine)
    while the front desk is open: the list follows as it does for other workstations."""
    window, day = desk
    newcomer = register_patient(services, "HERE-1", "Ada", "Byrne", weight_kg="61")
    signed = sign_a_visit(services, newcomer)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=APPEARS_MS)
    assert window.model.index(2, 0).data(EncounterIdRole) == signed
    assert cell(window, 2, SIGNED) == "Signed"
    assert window.encounter_id == day[1]  # the selection stays
