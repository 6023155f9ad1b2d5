"""Emergency access from the GUI: a refused chart asks for a reason, then opens."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from clinic_app.domain.enums import Role
from clinic_app.ui.main_window import MainWindow
from tests.factories import add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
REASON = "Covering the nurse station during a collapse"


@pytest.fixture
def desk_window(qtbot, services, admin, make_patient):
    patient = make_patient(mrn="M-1")
    encounter = services.encounters.create(patient.id, admin.id)
    sign_in_as(services, add_user(services, "desk", "Dee Desk", Role.FRONT_DESK))
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.select_patient(patient.id)
    return window, encounter


def grants(ui_engine) -> list[tuple[int, str]]:
    with ui_engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(text("SELECT patient_id, reason FROM emergency_access"))
        ]


def test_a_refused_encounter_asks_for_a_reason_then_opens(desk_window, prompts, ui_engine):
    window, encounter = desk_window
    prompts.answer("ask_emergency_reason", "urgent")
    prompts.answer("show_error")  # "urgent" is too short to say why
    prompts.answer("ask_emergency_reason", REASON)

    editor = window.encounters.open(encounter.id)

    assert editor is not None
    assert editor.encounter_id == encounter.id
    assert prompts.names() == ["ask_emergency_reason", "show_error", "ask_emergency_reason"]
    assert "does not allow you to open an encounter" in prompts.shown[0].text
    assert "at least" in prompts.shown[1].text
    assert grants(ui_engine) == [(encounter.patient_id, REASON)]


def test_cancelling_the_reason_opens_nothing_and_grants_nothing(desk_window, prompts, ui_engine):
    window, encounter = desk_window
    prompts.answer("ask_emergency_reason", None)

    assert window.encounters.open(encounter.id) is None

    assert window.encounters.editors() == []
    assert grants(ui_engine) == []
