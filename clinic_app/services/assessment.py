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
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain import validation as v
from clinic_app.domain.catalog import Catalog
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
from clinic_app.models import Encounter, InjectionSite, Medication, MedicationLot
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


def _lot_expiry(session: Session, lot_ids: set[int]) -> dict[int, date]:
    if not lot_ids:
        return {}
    rows_ = session.execute(
        select(MedicationLot.id, MedicationLot.expires_on).where(MedicationLot.id.in_(lot_ids))
    )
    return dict(rows_.all())


def _site_facts(session: Session, sites: Sequence[SiteDraft]) -> tuple[SiteFact, ...]:
    meds = _medications(session)
    lots = _lot_expiry(session, {d.lot_id for s in sites for d in s.doses if d.lot_id})
    stocked = _stocked_by_lot(session)
    facts = []
    for number, draft in enumerate(sites, 1):
        s = draft.site
        if s.side is None:
            continue  # cannot be charted without a side; the editor never produces it
        doses = []
        for d in draft.doses:
            med = meds.get(d.medication_id)
            volume = v.parse_decimal("volume_ml", d.volume_ml, label="Volume")
            doses.append(
                DoseFact(
                    medication_code=med.code if med else f"#{d.medication_id}",
                    volume_ml=volume if volume is not None else Decimal(0),
                    lot_expires_on=lots.get(d.lot_id) if d.lot_id else None,
                    has_lots=d.medication_id in stocked,
                    lot_recorded=d.lot_id is not None,
                    lot_missing_reason=d.lot_missing_reason,
                )
            )
        facts.append(SiteFact(number, s.muscle_code, s.side, s.technique, tuple(doses)))
    return tuple(facts)


def _history(session: Session, e: Encounter) -> tuple[PriorSession, ...]:
    meds = _medications(session)
    earlier = session.scalars(
        select(Encounter)
        .where(
            Encounter.patient_id == e.patient_id,
            Encounter.id != e.id,
            Encounter.performed_at < e.performed_at,
            Encounter.sites.any(),
        )
        .options(selectinload(Encounter.sites).selectinload(InjectionSite.doses))
    )
    sessions = []
    for prior in earlier:
        steroid = Decimal(0)
        for site in prior.sites:
            for dose in site.doses:
                factor = meds[dose.medication_id].triamcinolone_equivalent_factor
                if factor is not None:
                    steroid += dose.dose * factor
        sessions.append(
            PriorSession(
                performed_on=prior.performed_at.astimezone().date(),
                sites=frozenset((s.muscle_code, s.side) for s in prior.sites),
                steroid_tri_equivalent_mg=steroid,
                pain_before=prior.pain_before,
                pain_after=prior.pain_after,
                reported_relief_percent=prior.prior_relief_percent,
                reported_relief_weeks=prior.prior_relief_weeks,
            )
        )
    return tuple(sessions)


def _policy(session: Session) -> ClinicPolicy:
    clinic = rows.clinic_profile(session)
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
    answers = _answers(form.screening)
    fact = EncounterFact(
        performed_on=e.performed_at.astimezone().date(),
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
    return assess(fact, facts, _history(session, e), _policy(session), catalog=catalog)
