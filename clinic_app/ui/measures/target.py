"""Whose questionnaire the dialog records, and for which visit: built from the screen's row.

The front desk knows the visit (its list is of visits); the patient menu knows the patient
and offers that patient's unsigned visits of today. Both end in a :class:`MeasureTarget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from clinic_app.domain import clock
from clinic_app.domain.access import may
from clinic_app.domain.clock import clinic_day, format_clinic_time
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ClinicError

if TYPE_CHECKING:
    from clinic_app.services.container import AppServices
    from clinic_app.services.documents import ProcedureRow
    from clinic_app.services.dto import PatientView


@dataclass(frozen=True)
class MeasureTarget:
    """Who the questionnaire is for.

    Attributes:
        patient_label: "Lee, Ana · MRN M1" (shown, never sent).
        patient_id: the patient; ``None`` when the visit says who.
        visits: the visits it may be recorded for, (encounter id, "2025-03-04 15:30 ...").
        encounter_id: the visit chosen at first (``None`` = not linked to a visit).
        today: the clinic's day (the questionnaire's date at first, and the latest allowed).
    """

    patient_label: str
    patient_id: int | None
    visits: tuple[tuple[int, str], ...]
    encounter_id: int | None
    today: date


def _zone(services: AppServices) -> str:
    try:
        profile = services.clinic.profile()
    except ClinicError:
        return ""
    return profile.timezone if profile else ""


def for_procedure(services: AppServices, row: ProcedureRow) -> MeasureTarget:
    """The front desk's selected visit."""
    zone = _zone(services)
    label = f"{row.patient_name} · MRN {row.mrn}"
    visit = f"{format_clinic_time(row.performed_at, zone)} with {row.provider_name}"
    today = clinic_day(clock.now(), zone)
    return MeasureTarget(label, None, ((row.encounter_id, visit),), row.encounter_id, today)


def for_patient(services: AppServices, patient: PatientView) -> MeasureTarget:
    """The selected patient, offered their unsigned visits of today (the first chosen).

    Raises:
        ClinicError: the visit history could not be read.
    """
    zone = _zone(services)
    today = clinic_day(clock.now(), zone)
    visits: list[tuple[int, str]] = []
    if may(services.actor.granted, "encounter.history"):
        for e in services.encounters.history(patient.id):
            if e.status is EncounterStatus.DRAFT and clinic_day(e.performed_at, zone) == today:
                when = format_clinic_time(e.performed_at, zone)
                visits.append((e.id, f"{when} with {e.provider_name}"))
    label = f"{patient.display_name} · MRN {patient.mrn}"
    first = visits[0][0] if visits else None
    return MeasureTarget(label, patient.id, tuple(visits), first, today)
