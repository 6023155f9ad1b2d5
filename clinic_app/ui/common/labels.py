"""How dates, times and ages read on screen (enum words: :mod:`clinic_app.domain.labels`)."""

from __future__ import annotations

from datetime import date, datetime

from clinic_app.domain.allergies import AllergyState, allergy_status
from clinic_app.domain.clock import format_clinic_time, to_clinic_time
from clinic_app.domain.labels import patient_alerts
from clinic_app.services.dto import PatientView


def alerts_of(patient: PatientView) -> tuple[str, ...]:
    """The patient's clinical alerts, as every header shows them (none: empty)."""
    return patient_alerts(
        anticoagulant=patient.anticoagulant,
        diabetes=patient.diabetes,
        pregnant_or_breastfeeding=patient.pregnant_or_breastfeeding,
    )


def age_in_years(born: date, today: date) -> int:
    """Completed years between ``born`` and ``today`` (0 for a future date)."""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return max(years, 0)


def local_timestamp(moment: datetime, zone: str = "") -> str:
    """A stored (UTC) time in the clinic's zone, with the zone: "2026-03-04 14:05 CST".

    ``zone`` is the clinic profile's IANA name as the services hand it over ("" = this
    computer's zone).
    """
    return format_clinic_time(moment, zone)


def clinic_clock(moment: datetime, zone: str = "") -> str:
    """Just the clinic-local time of day, "14:05" (for lists of one day)."""
    return f"{to_clinic_time(moment, zone):%H:%M}"


def allergy_line(patient: PatientView) -> str:
    """The patient's allergies as lists show them: the list, NKDA, or "Not recorded"."""
    status = allergy_status(patient.allergies, patient.no_known_drug_allergies)
    return "Not recorded" if status.state is AllergyState.NOT_RECORDED else status.text
