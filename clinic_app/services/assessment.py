"""The facts the rules engine needs, gathered from the database, and its verdict.

The rules themselves live in :mod:`clinic_app.domain.rules` (pure, data-driven). This module
only reads the patient, earlier sessions, lot expiry dates and the clinic's policy, for the
checks while charting, for signing and for a draft's note alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain import validation as v
from clinic_app.domain.catalog import Catalog
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import Side
from clinic_app.domain.rules import (
    Assessment,
    ClinicPolicy,
    Documentation,
    DoseFact,
    EncounterFact,
    PatientFact,
    PriorSession,
    SiteFact,
    assess,
)
from clinic_app.domain.screening import parse_screening
from clinic_app.models import (
    ClinicProfile,
    Encounter,
    InjectionSite,
    Medication,
    MedicationLot,
    SiteDose,
)
from clinic_app.services import rows
from clinic_app.services.dto import EncounterInput, SiteDraft
from clinic_app.services.rule_settings import clinic_choices


def _answers(screening: Mapping[str, object]) -> dict[str, bool | None]:
    """The stored {"answer", "note"} pairs flattened to what the engine reads."""
    return {code: parsed.answer for code, parsed in parse_screening(screening).items()}


def documentation_of(form: EncounterInput) -> Documentation:
    """What the completeness rules read from the form."""
    return Documentation(
        consent_obtained=form.consent_obtained,
        time_out_done=form.time_out_done,
        skin_prep_recorded=form.skin_prep is not None,
        pain_after_reason=form.pain_after_reason,
        indication=form.indication,
        needle_intact_recorded=form.needle_intact is not None,
        disposition=form.disposition,
    )


def _medications(session: Session) -> dict[int, Medication]:
    return {m.id: m for m in session.scalars(select(Medication))}


def _stocked_by_lot(session: Session) -> set[int]:
    """Medications the clinic keeps lots of: a dose of one needs its lot (or a reason)."""
    return set(session.scalars(select(MedicationLot.medication_id).distinct()))


def _lots(session: Session, lot_ids: set[int]) -> dict[int, tuple[date, str, bool]]:
    """Expiry, number and recall flag of each lot charted."""
    if not lot_ids:
        return {}
    rows_ = session.execute(
        select(
            MedicationLot.id,
            MedicationLot.expires_on,
            MedicationLot.lot_number,
            MedicationLot.recalled,
        ).where(MedicationLot.id.in_(lot_ids))
    )
    return {id_: (expires, number, bool(recalled)) for id_, expires, number, recalled in rows_}


def _site_facts(session: Session, sites: Sequence[SiteDraft]) -> tuple[SiteFact, ...]:
    meds = _medications(session)
    lots = _lots(session, {d.lot_id for s in sites for d in s.doses if d.lot_id})
    stocked = _stocked_by_lot(session)
    facts = []
    for number, draft in enumerate(sites, 1):
        s = draft.site
        if s.side is None:
            continue  # cannot be charted without a side; the editor never produces it
        doses = []
        for d in draft.doses:
            med = meds.get(d.medication_id)
            lot = lots.get(d.lot_id) if d.lot_id else None
            volume = v.parse_decimal("volume_ml", d.volume_ml, label="Volume")
            doses.append(
                DoseFact(
                    medication_code=med.code if med else f"#{d.medication_id}",
                    volume_ml=volume if volume is not None else Decimal(0),
                    lot_expires_on=lot[0] if lot else None,
                    lot_number=lot[1] if lot else "",
                    lot_recalled=lot[2] if lot else False,
                    has_lots=d.medication_id in stocked,
                    lot_recorded=d.lot_id is not None,
                    lot_missing_reason=d.lot_missing_reason,
                )
            )
        facts.append(SiteFact(number, s.muscle_code, s.side, s.technique, tuple(doses)))
    return tuple(facts)


def _history(session: Session, e: Encounter, zone: str) -> tuple[PriorSession, ...]:
    """The patient's earlier sessions as three column queries: no ORM objects, no formulary
    load (a steroid's factor comes with its dose row), however long the history is. Each is
    dated by the clinic's calendar (``zone``), as the rules' windows count days there."""
    earlier = (
        Encounter.patient_id == e.patient_id,
        Encounter.id != e.id,
        Encounter.performed_at < e.performed_at,
    )
    sites: dict[int, set[tuple[str, Side]]] = {}
    found = session.execute(
        select(InjectionSite.encounter_id, InjectionSite.muscle_code, InjectionSite.side)
        .join(Encounter, Encounter.id == InjectionSite.encounter_id)
        .where(*earlier)
    )
    for encounter_id, muscle, side in found:
        sites.setdefault(encounter_id, set()).add((muscle, side))
    if not sites:
        return ()
    steroid: dict[int, Decimal] = {}
    given = session.execute(
        select(
            InjectionSite.encounter_id, SiteDose.dose, Medication.triamcinolone_equivalent_factor
        )
        .join(SiteDose, SiteDose.site_id == InjectionSite.id)
        .join(Medication, Medication.id == SiteDose.medication_id)
        .join(Encounter, Encounter.id == InjectionSite.encounter_id)
        .where(*earlier, Medication.triamcinolone_equivalent_factor.is_not(None))
    )
    for encounter_id, dose, factor in given:
        steroid[encounter_id] = steroid.get(encounter_id, Decimal(0)) + dose * (factor or 0)
    visits = session.execute(
        select(
            Encounter.id,
            Encounter.performed_at,
            Encounter.pain_before,
            Encounter.pain_after,
            Encounter.prior_relief_percent,
            Encounter.prior_relief_weeks,
        ).where(Encounter.id.in_(sites))
    )
    return tuple(
        PriorSession(
            performed_on=clinic_day(visit.performed_at, zone),
            sites=frozenset(sites[visit.id]),
            steroid_tri_equivalent_mg=steroid.get(visit.id, Decimal(0)),
            pain_before=visit.pain_before,
            pain_after=visit.pain_after,
            reported_relief_percent=visit.prior_relief_percent,
            reported_relief_weeks=visit.prior_relief_weeks,
        )
        for visit in visits
    )


def _policy(clinic: ClinicProfile | None) -> ClinicPolicy:
    if clinic is None:
        return ClinicPolicy()
    severities, picks = clinic_choices(clinic.rule_overrides)
    return ClinicPolicy(
        weight_max_age_days=clinic.weight_max_age_days,
        severities=severities,
        reason_picks=picks,
    )


def assess_content(
    session: Session,
    e: Encounter,
    form: EncounterInput,
    sites: Sequence[SiteDraft],
    catalog: Catalog,
) -> Assessment:
    """The checks for ``form`` and ``sites`` charted in encounter ``e`` (saved or not)."""
    patient = rows.load_patient(session, e.patient_id)
    clinic = rows.clinic_profile(session)
    # The clinic's day, not this computer's: a workstation set to another zone must not
    # move a late-evening visit to the next day (and out of a rule's window).
    zone = clinic.timezone if clinic is not None else ""
    answers = _answers(form.screening)
    fact = EncounterFact(
        performed_on=clinic_day(e.performed_at, zone),
        sites=_site_facts(session, sites),
        screening=answers,
        icd10_codes=tuple(form.icd10_codes),
        pain_before=form.pain_before,
        pain_after=form.pain_after,
        acute_trauma=answers.get("acute_trauma"),
        documentation=documentation_of(form),
        prior_relief_percent=form.prior_relief_percent,
        prior_relief_weeks=form.prior_relief_weeks,
    )
    facts = PatientFact(
        weight_kg=patient.weight_kg,
        weight_measured_on=patient.weight_measured_on,
        allergies=patient.allergies,
        anticoagulant=patient.anticoagulant,
        diabetes=patient.diabetes,
        pregnant_or_breastfeeding=patient.pregnant_or_breastfeeding,
        payer=patient.payer,
    )
    return assess(fact, facts, _history(session, e, zone), _policy(clinic), catalog=catalog)
