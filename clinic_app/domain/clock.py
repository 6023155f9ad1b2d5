"""The clinic's local time: stored times are UTC, shown and printed in the clinic's zone.

The zone is the clinic profile's IANA name ("America/Chicago"); an empty name means this
computer's own zone (a single-workstation clinic that never set one).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
