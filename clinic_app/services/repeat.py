"""Repeating the last visit: which visit, what is copied, what needs a second look."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus
from clinic_app.models import Encounter, InjectionSite, Medication, MedicationLot, Patient, SiteDose


def visit_to_repeat(session: Session, patient_id: int) -> Encounter | None:
    """The latest visit with sites, signed ones first (an empty or half-charted draft from
    today is not "the last visit")."""
    return session.scalars(
        select(Encounter)
        .where(Encounter.patient_id == patient_id, Encounter.sites.any())
        .options(selectinload(Encounter.sites).selectinload(InjectionSite.doses))
        .order_by(
            (Encounter.status == EncounterStatus.SIGNED).desc(),
            Encounter.performed_at.desc(),
            Encounter.id.desc(),
        )
    ).first()


def copy_of(
    previous: Encounter, provider_id: int, performed_at: datetime, expired: set[int]
) -> Encounter:
    """A new draft with the previous visit's sites, needles and doses.

    Screening, consent, time-out and pain scores are not copied (they belong to today); the
    lots of the sites numbered in ``expired`` are left empty.
    """
    new = Encounter(
        patient_id=previous.patient_id,
        provider_id=provider_id,
        performed_at=performed_at,
        indication=previous.indication,
        icd10_codes=list(previous.icd10_codes or []),
        skin_prep=previous.skin_prep,
        follow_up_plan=previous.follow_up_plan,
    )
    for s in previous.sites:
        copy = InjectionSite(
            order_number=s.order_number,
            muscle_code=s.muscle_code,
            side=s.side,
            view=s.view,
            point_x=s.point_x,
            point_y=s.point_y,
            technique=s.technique,
            needle_gauge=s.needle_gauge,
            needle_length_in=s.needle_length_in,
        )
        for d in s.doses:
            copy.doses.append(
                SiteDose(
                    medication_id=d.medication_id,
                    lot_id=None if s.order_number in expired else d.lot_id,
                    volume_ml=d.volume_ml,
                    dose=d.dose,
                    dose_unit=d.dose_unit,
                )
            )
        new.sites.append(copy)
    return new


def changes_since(
    session: Session, previous: Encounter, patient: Patient, day: date, zone: str
) -> tuple[list[str], list[int]]:
    """What changed since ``previous`` (sentences) and the site numbers to look at again."""
    changes: list[str] = []
    changed_sites: list[int] = []
    since = previous.performed_at
    since_day = clinic_day(since, zone)
    if patient.weight_measured_on and patient.weight_measured_on > since_day:
        changes.append(f"Weight was updated since the last visit: now {patient.weight_kg} kg.")
    if patient.updated_at > since:
        changes.append(
            "The patient's record (allergies, blood thinners, conditions) was "
            "edited since the last visit: review the screening."
        )
    lot_ids = {d.lot_id for s in previous.sites for d in s.doses if d.lot_id}
    lots = (
        {
            lot.id: lot
            for lot in session.scalars(select(MedicationLot).where(MedicationLot.id.in_(lot_ids)))
        }
        if lot_ids
        else {}
    )
    for s in previous.sites:
        for d in s.doses:
            lot = lots.get(d.lot_id) if d.lot_id else None
            if lot is not None and lot.expires_on < day:
                changes.append(
                    f"Site {s.order_number}: lot {lot.lot_number} expired on "
                    f"{lot.expires_on.isoformat()}; choose a current lot."
                )
                changed_sites.append(s.order_number)
    inactive = {
        m.id: m.name
        for m in session.scalars(select(Medication).where(Medication.active.is_(False)))
    }
    for s in previous.sites:
        for d in s.doses:
            if d.medication_id in inactive:
                changes.append(
                    f"Site {s.order_number}: {inactive[d.medication_id]} is no "
                    "longer in the formulary."
                )
                changed_sites.append(s.order_number)
    return changes, sorted(set(changed_sites))
