"""The clinic's local time: stored times are UTC, shown and printed in the clinic's zone.

The zone is the clinic profile's IANA name ("America/Chicago"); an empty name means this
computer's own zone (a single-workstation clinic that never set one).

Also the app's one clock: code asks :func:`now` / :func:`today`, never ``datetime.now()`` or
``date.today()``, so tests and the screenshot script can set the time with :func:`set_clock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def system_now() -> datetime:
    """The computer's clock: the current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


_source: Callable[[], datetime] = system_now


def now() -> datetime:
    """The current instant (aware, UTC) from the app's clock."""
    return _source().astimezone(UTC)


def today() -> date:
    """This computer's calendar day now (``date.today()`` with the computer's clock)."""
    return now().astimezone().date()


def set_clock(source: Callable[[], datetime] | None) -> Callable[[], datetime]:
    """Read the time from ``source`` (``None``: the computer's clock); returns the old source.

    ``source`` returns aware datetimes. Only tests and scripts set it; the app never does.
    """
    global _source
    previous, _source = _source, source or system_now
    return previous


def fixed_clock(moment: datetime) -> Callable[[], datetime]:
    """A clock that always reads ``moment`` (aware)."""
    if moment.tzinfo is None:
        raise ValueError("a fixed clock needs a timezone-aware moment")
    return lambda: moment


def clinic_zone(name: str) -> tzinfo | None:
    """The zone for ``name``; None means the computer's local zone (also for an unknown name)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def to_clinic_time(moment: datetime, zone_name: str) -> datetime:
    """A stored UTC time (aware) in the clinic's zone; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(clinic_zone(zone_name))


def clinic_day(moment: datetime, zone_name: str) -> date:
    """The calendar day at the clinic when ``moment`` happened."""
    return to_clinic_time(moment, zone_name).date()


def format_clinic_time(moment: datetime, zone_name: str) -> str:
    """ "2026-03-04 14:05 CST": the clinic's local time with its zone abbreviation."""
    local = to_clinic_time(moment, zone_name)
    abbreviation = local.tzname() or ""
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {abbreviation}".rstrip()
