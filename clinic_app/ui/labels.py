"""How enum values, dates and ages read on screen (one place, so every view agrees)."""

from __future__ import annotations

from datetime import date, datetime

from clinic_app.domain.enums import EncounterStatus, Language, Sex

SEX_LABELS: dict[Sex, str] = {
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Other",
    Sex.UNKNOWN: "Unknown",
}

#: Each language named in itself, as a patient would recognise it.
LANGUAGE_LABELS: dict[Language, str] = {
    Language.ENGLISH: "English",
    Language.SPANISH: "Español",
}

STATUS_LABELS: dict[EncounterStatus, str] = {
    EncounterStatus.DRAFT: "Draft",
    EncounterStatus.SIGNED: "Signed",
}


def age_in_years(born: date, today: date) -> int:
    """Completed years between ``born`` and ``today`` (0 for a future date)."""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return max(years, 0)


def local_timestamp(moment: datetime) -> str:
    """A stored (UTC) time as the workstation's local "YYYY-MM-DD HH:MM"."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")
