"""Emergency access rules: the reason, the grant's length, what it covers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinic_app.domain import emergency
from clinic_app.domain.errors import ValidationError


def test_a_reason_is_required_and_must_say_something() -> None:
    with pytest.raises(ValidationError, match="required"):
        emergency.clean_reason(None)
    with pytest.raises(ValidationError, match="at least 10"):
        emergency.clean_reason("  urgent  ")
    with pytest.raises(ValidationError, match="longer than 500"):
        emergency.clean_reason("x" * 501)
    assert emergency.clean_reason("  Chest pain,   covering for Dr Lee ") == (
        "Chest pain, covering for Dr Lee"
    )


def test_a_control_character_is_refused() -> None:
    with pytest.raises(ValidationError, match="control character"):
        emergency.clean_reason("seizure in room 2\x00")


def test_a_grant_lasts_an_hour_and_covers_chart_reads_only() -> None:
    start = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    assert emergency.grant_expiry(start) - start == timedelta(hours=1)
    assert emergency.grant_covers("encounter.read")
    assert emergency.grant_covers("patient.read")
    assert not emergency.grant_covers("encounter.save")
    assert not emergency.grant_covers("patient.clinical")
    assert emergency.grant_covers("medication.list")  # the formulary, no patient's data
