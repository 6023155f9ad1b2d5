"""What an encounter's aftercare handout says, gathered into the domain's HandoutData.

The domain decides which blocks apply, the report draws it; this module only reads the
encounter, the patient, the clinic and the medicines given.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import DoseUnit, EncounterStatus, Language
from clinic_app.domain.errors import NotFoundError
from clinic_app.domain.handout import GivenDose, HandoutData, HandoutSite, Medicine
from clinic_app.domain.screening import answer_of
from clinic_app.models import Encounter, Medication, Patient, User
from clinic_app.services import rows
from clinic_app.services.progress import pain_then_now


def provider_label(user: User | None) -> str:
    """ "Ana Ruiz, MD"; "" when there is no such account."""
    return rows.user_label(user) if user is not None else ""


def _screened_yes(encounter: Encounter, question: str) -> bool:
    """True when the visit's screening answered ``question`` with yes."""
    return answer_of(encounter.screening, question) is True


def _handout_notes(notes: dict[str, str] | None) -> tuple[tuple[Language, str], ...]:
    """The provider's notes for the patient, per known language, blank ones left out."""
    known = {language.value: language for language in Language}
    return tuple(
        (known[code], text)
        for code, text in (notes or {}).items()
        if code in known and isinstance(text, str) and text.strip()
    )


def _given_doses(encounter: Encounter, meds: dict[int, Medication]) -> tuple[GivenDose, ...]:
    """Each medicine's total for the visit, in first-use order (e.g. triamcinolone 20 mg)."""
    totals: dict[tuple[int, DoseUnit], Decimal] = {}
    for site in encounter.sites:
        for dose in site.doses:
            if dose.medication_id in meds and dose.dose_unit is not DoseUnit.NONE:
                key = (dose.medication_id, dose.dose_unit)
                totals[key] = totals.get(key, Decimal(0)) + dose.dose
    return tuple(
        GivenDose(Medicine(meds[mid].generic, meds[mid].drug_class), amount, unit.value)
        for (mid, unit), amount in totals.items()
    )


def handout_of(
    session: Session,
    encounter: Encounter,
    language: Language | None,
    large_print: bool,
) -> HandoutData:
    """The handout of ``encounter`` in ``language`` (``None``: the patient's own)."""
    patient = session.get(Patient, encounter.patient_id)
    if patient is None:  # pragma: no cover - the foreign key forbids it
        raise NotFoundError(f"No patient for encounter {encounter.id}.")
    clinic = rows.clinic_profile(session)
    if clinic is None:
        raise NotFoundError("The clinic profile is not set up yet; finish setup first.")
    med_ids = {d.medication_id for s in encounter.sites for d in s.doses}
    signed = encounter.status is EncounterStatus.SIGNED
    meds = (
        {m.id: m for m in session.scalars(select(Medication).where(Medication.id.in_(med_ids)))}
        if med_ids
        else {}
    )
    sites = tuple(
        HandoutSite(
            number=number,
            muscle_code=s.muscle_code,
            side=s.side,
            technique=s.technique,
            view=s.view,
            x=min(max(s.point_x, 0.0), 1.0),
            y=min(max(s.point_y, 0.0), 1.0),
            medicines=tuple(
                dict.fromkeys(
                    Medicine(meds[d.medication_id].generic, meds[d.medication_id].drug_class)
                    for d in s.doses
                    if d.medication_id in meds
                )
            ),
        )
        for number, s in enumerate(encounter.sites, 1)
    )
    chosen = language or patient.preferred_language
    # The provider's follow_up_plan is clinical text and never printed for the patient:
    # the handout has the structured follow-up and the per-language handout note.
    return HandoutData(
        patient_given=patient.given_name,
        patient_family=patient.family_name,
        birth_date=patient.date_of_birth,
        language=chosen,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        after_hours_phone=clinic.after_hours_phone,
        provider_name=provider_label(session.get(User, encounter.provider_id)),
        # Stored in UTC; the patient knows the day it was where they were treated.
        visit_date=clinic_day(encounter.performed_at, clinic.timezone),
        sites=sites,
        large_print=large_print,
        signed=signed,
        diabetes=patient.diabetes,
        anticoagulant=patient.anticoagulant or _screened_yes(encounter, "anticoagulant"),
        fever_threshold_c=clinic.fever_threshold_c,
        activity_hours=clinic.activity_restriction_hours,
        follow_up_date=encounter.follow_up_date,
        follow_up_weeks=encounter.follow_up_weeks,
        default_follow_up_weeks=clinic.follow_up_weeks,
        handout_notes=_handout_notes(encounter.handout_note),
        doses=_given_doses(encounter, meds),
        clinic_address=clinic.address,
        logo_png=clinic.logo_png,
        progress=pain_then_now(session, encounter, clinic.timezone)
        if clinic.handout_progress
        else None,
    )
