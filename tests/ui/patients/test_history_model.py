"""The encounter history model."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from clinic_app.domain.enums import EncounterStatus
from clinic_app.services.dto import EncounterSummary
from clinic_app.ui.patients.history_model import EncounterHistoryModel, EncounterIdRole

ROWS = [
    EncounterSummary(
        7,
        datetime(2026, 3, 2, 15, 30, tzinfo=UTC),
        "Ana Ruiz",
        EncounterStatus.SIGNED,
        ("Upper trapezius R", "Levator scapulae L"),
        3,
    ),
    EncounterSummary(
        5, datetime(2026, 1, 9, 9, 0, tzinfo=UTC), "Ana Ruiz", EncounterStatus.DRAFT, (), 0
    ),
]


def test_history_model_passes_qt_model_tester(qtmodeltester):
    model = EncounterHistoryModel()
    qtmodeltester.check(model)
    model.set_rows(ROWS)
    qtmodeltester.check(model)


def test_history_rows(qtbot):
    model = EncounterHistoryModel()
    model.set_rows(ROWS)
    assert [model.index(0, c).data() for c in range(1, 4)] == [
        "Ana Ruiz",
        "Signed",
        "Upper trapezius R, Levator scapulae L",
    ]
    assert model.index(1, 3).data() == "No sites recorded"
    assert model.index(0, 3).data(EncounterIdRole) == 7
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == (
        "3 sites: Upper trapezius R; Levator scapulae L"
    )
    # Stored in UTC, shown in the clinic's time zone with the zone (none set: this computer's).
    local = ROWS[0].performed_at.astimezone()
    assert model.index(0, 0).data() == f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
    with qtbot.waitSignal(model.dataChanged):
        model.set_zone("Asia/Tokyo")
    tokyo = ROWS[0].performed_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert model.index(0, 0).data() == f"{tokyo:%Y-%m-%d %H:%M} JST"
    assert model.encounter_at(1).id == 5
