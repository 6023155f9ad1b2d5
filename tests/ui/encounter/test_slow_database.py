"""A slow database does not freeze the editor: saves run on the worker, in order.

The database is made slow for real: an SQLAlchemy listener on this test's engine holds
every write issued off the GUI thread until the test opens the gate, as a PostgreSQL server
across a slow network would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import Engine, event

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side, TwitchResponse
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.text import Column

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
EDIT = Qt.ItemDataRole.EditRole


@dataclass
class Gate:
    """Holds the worker's writes: ``held`` is set once one waits, ``open`` lets them go."""

    held: threading.Event
    open: threading.Event
    writers: list[str]


@pytest.fixture
def slow_writes(ui_engine: Engine) -> Iterator[Gate]:
    gate = Gate(threading.Event(), threading.Event(), [])

    def hold(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            return  # the test's own setup and checks
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            gate.writers.append(threading.current_thread().name)
            gate.held.set()
            assert gate.open.wait(20), "the test never opened the gate"

    event.listen(ui_engine, "before_cursor_execute", hold)
    yield gate
    gate.open.set()  # never leave a worker waiting
    event.remove(ui_engine, "before_cursor_execute", hold)


@pytest.fixture
def encounter_id(services, admin, make_patient) -> int:
    patient = make_patient(family_name="Slow")
    meds = {m.code: m.id for m in services.clinic.medications()}
    created = services.encounters.create(patient.id, admin.id)
    site = SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, point_x=0.6, point_y=0.25)
    services.encounters.save_draft(
        created.id,
        created.version,
        EncounterInput(indication="Myofascial pain"),
        [SiteDraft(site, (DoseInput(meds["lidocaine_1"], Decimal("0.5")),))],
    )
    return created.id


@pytest.fixture
def editor(qtbot, services, encounter_id) -> EncounterEditor:
    window = EncounterEditor(services, encounter_id)
    qtbot.addWidget(window)
    window.session.autosave_timer.setInterval(20)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_keeps_working_while_a_save_waits_and_saves_land_in_order(
    qtbot, services, editor, slow_writes
):
    start = editor.session.version
    versions: list[int] = []
    editor.session.saved.connect(lambda _id: versions.append(editor.session.version))
    ticks: list[int] = []
    metronome = QTimer()
    metronome.setInterval(10)
    metronome.timeout.connect(lambda: ticks.append(1))
    metronome.start()
    try:
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
        qtbot.waitUntil(slow_writes.held.is_set)  # the save is stuck in the database now

        # The GUI thread is free: timers fire, typing lands, the window repaints.
        seen = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= seen + 5)
        qtbot.keyClicks(editor.form.follow_up, "Review in 2 weeks")
        assert editor.form.form_input().follow_up_plan == "Review in 2 weeks"
        editor.repaint()
        assert not editor.grab().isNull()
        qtbot.waitUntil(lambda: editor.save_label.text() == "Saving…")  # after ~300 ms
        assert editor.is_dirty()
        assert versions == []
        assert slow_writes.writers
        assert threading.main_thread().name not in slow_writes.writers

        slow_writes.open.set()
        qtbot.waitUntil(lambda: not editor.is_dirty() and editor.session.jobs.pending == 0)
    finally:
        metronome.stop()
    # The typing during the first save was coalesced into one more save after it, made
    # with the version the first returned (out of order, it would have been refused).
    assert len(versions) == 2
    assert start < versions[0] < versions[1]
    assert editor.save_label.text().startswith("Saved ")
    assert not editor.in_conflict
    stored = services.encounters.get(editor.encounter_id)
    assert stored.version == versions[1]
    assert stored.sites[0].twitch_response is TwitchResponse.LOCAL
    assert stored.form.follow_up_plan == "Review in 2 weeks"


def test_closing_with_a_save_under_way_waits_for_it(qtbot, services, editor, slow_writes, prompts):
    editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT)
    qtbot.waitUntil(slow_writes.held.is_set)
    QTimer.singleShot(50, slow_writes.open.set)  # the database answers while closing waits
    with qtbot.waitSignal(editor.encounter_closed):
        assert editor.close()
    assert prompts.shown == []  # nothing was left unsaved to ask about
    stored = services.encounters.get(editor.encounter_id)
    assert stored.sites[0].twitch_response is TwitchResponse.REFERRED
    assert editor.session.jobs.closed
