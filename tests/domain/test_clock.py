"""Clinic-local time from stored UTC times."""

from __future__ import annotations

from datetime import UTC, datetime

from clinic_app.domain.clock import clinic_day, clinic_zone, format_clinic_time, to_clinic_time


def test_an_evening_visit_in_chicago_is_the_same_clinic_day_not_the_utc_day() -> None:
    moment = datetime(2026, 1, 15, 3, 30, tzinfo=UTC)  # 21:30 the evening before in Chicago
    assert clinic_day(moment, "America/Chicago").isoformat() == "2026-01-14"
    assert format_clinic_time(moment, "America/Chicago") == "2026-01-14 21:30 CST"


def test_summer_time_is_applied() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_clinic_time(moment, "America/New_York") == "2026-07-01 08:00 EDT"


def test_a_naive_time_is_read_as_utc() -> None:
    local = to_clinic_time(datetime(2026, 7, 1, 12, 0), "Europe/Madrid")
    assert local.hour == 14


def test_empty_or_unknown_zone_means_this_computer() -> None:
    assert clinic_zone("") is None
    assert clinic_zone("Mars/Olympus") is None
    assert clinic_zone("not a zone/..") is None
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert to_clinic_time(moment, "") == moment.astimezone()


def test_the_app_clock_can_be_set_and_restored() -> None:
    from datetime import date, timedelta, timezone

    from clinic_app.domain import clock

    before = clock.now()
    assert before.tzinfo is UTC
    assert abs(before - clock.now()) < timedelta(minutes=1)
    moment = datetime(2026, 3, 4, 23, 30, tzinfo=timezone(timedelta(hours=-6)))
    previous = clock.set_clock(clock.fixed_clock(moment))
    try:
        assert clock.now() == datetime(2026, 3, 5, 5, 30, tzinfo=UTC)
        assert clock.now().tzinfo is UTC
        assert clock.today() == moment.astimezone().date()
        assert isinstance(clock.today(), date)
    finally:
        assert clock.set_clock(None) is not previous
    assert clock.set_clock(previous) is clock.system_now


def test_a_fixed_clock_needs_a_zone() -> None:
    import pytest

    from clinic_app.domain import clock

    with pytest.raises(ValueError, match="timezone-aware"):
        clock.fixed_clock(datetime(2026, 3, 4, 12, 0))
