"""Live clinical checks on the encounter being charted, and signing with those checks.

The rules themselves live in :mod:`clinic_app.domain.rules` (pure, data-driven). This module
only gathers the facts the engine needs from the database — the patient, earlier sessions,
lot expiry dates — and, for signing, enforces its verdict in the same transaction that
marks the encounter signed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain import validation as v
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
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
    Patient,
    User,
)
from clinic_app.services.drafts import DraftService
from clinic_app.services.dto import (
    EncounterInput,
    EncounterView,
    SiteDraft,
    SiteView,
)
from clinic_app.services.snapshot import build_snapshot, seal

#: Longest override reason kept in the note.
MAX_REASON_LENGTH = 500


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


def lowered_rules(overrides: Mapping[str, object] | None) -> dict[str, str]:
    """The clinic's lowered rules (clinic_profile.rule_overrides) as rule id -> reason."""
    lowered: dict[str, str] = {}
    for rule_id, entry in (overrides or {}).items():
        if isinstance(entry, Mapping) and entry.get("severity") == "warning":
            reason = str(entry.get("reason") or "").strip()
            if reason:
                lowered[rule_id] = reason
    return lowered


def draft_of(site: SiteView) -> SiteDraft:
    """A stored site as the editor holds it."""
    return site.to_draft()


class ChecksService(DraftService):
    """Assess a draft as it is edited, and sign it when nothing blocks."""

    # ------------------------------------------------------------------ facts
    @staticmethod
    def _medications(session: Session) -> dict[int, Medication]:
        return {m.id: m for m in session.scalars(select(Medication))}

    @staticmethod
    def _stocked_by_lot(session: Session) -> set[int]:
        """Medications the clinic keeps lots of: a dose of one needs its lot (or a reason)."""
        return set(session.scalars(select(MedicationLot.medication_id).distinct()))

    @staticmethod
    def _lot_expiry(session: Session, lot_ids: set[int]) -> dict[int, date]:
        if not lot_ids:
            return {}
        rows = session.execute(
            select(MedicationLot.id, MedicationLot.expires_on).where(MedicationLot.id.in_(lot_ids))
        )
        return dict(rows.all())

    def _site_facts(self, session: Session, sites: Sequence[SiteDraft]) -> tuple[SiteFact, ...]:
        meds = self._medications(session)
        lots = self._lot_expiry(session, {d.lot_id for s in sites for d in s.doses if d.lot_id})
        stocked = self._stocked_by_lot(session)
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

    def _history(self, session: Session, e: Encounter) -> tuple[PriorSession, ...]:
        meds = self._medications(session)
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

    @staticmethod
    def _policy(session: Session) -> ClinicPolicy:
        clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
        if clinic is None:
            return ClinicPolicy()
        return ClinicPolicy(
            weight_max_age_days=clinic.weight_max_age_days,
            lowered=lowered_rules(clinic.rule_overrides),
        )

    def _assess(
        self, session: Session, e: Encounter, form: EncounterInput, sites: Sequence[SiteDraft]
    ) -> Assessment:
        patient = session.get(Patient, e.patient_id)
        if patient is None:  # pragma: no cover - foreign key guarantees it
            raise NotFoundError(f"No patient with id {e.patient_id}.")
        answers = _answers(form.screening)
        fact = EncounterFact(
            performed_on=e.performed_at.astimezone().date(),
            sites=self._site_facts(session, sites),
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
        return assess(
            fact, facts, self._history(session, e), self._policy(session), catalog=self._catalog
        )

    # ------------------------------------------------------------------ use cases
    def assess_draft(
        self, encounter_id: int, form: EncounterInput, sites: Sequence[SiteDraft]
    ) -> Assessment:
        """The checks for what the editor shows now, saved or not (read-only)."""
        with self._tx() as session:
            e = self._load(session, encounter_id)
            return self._assess(session, e, form, sites)

    def assess_saved(self, encounter_id: int) -> Assessment:
        """The checks for the encounter as stored (for the note and the handout)."""
        view = self.get(encounter_id)
        return self.assess_draft(encounter_id, view.form, [draft_of(s) for s in view.sites])

    def sign(
        self,
        encounter_id: int,
        version: int,
        form: EncounterInput,
        sites: Sequence[SiteDraft],
        reasons: Mapping[str, str],
    ) -> EncounterView:
        """Save the editor's content, then sign it.

        The content is saved first, so a refused signature loses nothing. Signing is refused
        while any check blocks, or while a warning that needs a typed reason has none;
        ``reasons`` maps a finding's rule id to the provider's words, which go into the note.
        """
        signer_id = self._actor.user_id
        with self._tx() as session:
            signer = session.get(User, signer_id) if signer_id is not None else None
            if signer is None or not signer.active or not signer.is_provider:
                raise ConflictError("Only a signed-in provider can sign a procedure note.")
        saved = self.save_draft(encounter_id, version, form, sites)
        with self._tx() as session:
            e = self._load(session, encounter_id, for_edit=True)
            if e.version != saved.version:
                raise ConflictError("This encounter changed while signing; review it again.")
            result = self._assess(session, e, form, sites)
            if result.blocks:
                listed = "\n".join(f"• {f.message}" for f in result.blocks)
                raise ValidationError(
                    "checks", f"Signing is refused until this is resolved:\n{listed}"
                )
            overrides = []
            for finding in result.reasons_needed:
                reason = v.clean_text(
                    "reasons",
                    reasons.get(finding.rule, ""),
                    label="Override reason",
                    multiline=True,
                    max_length=MAX_REASON_LENGTH,
                )
                if not reason:
                    raise ValidationError(
                        "reasons", f"Type a reason to sign despite: {finding.message}"
                    )
                overrides.append(
                    {"rule": finding.rule, "message": finding.message, "reason": reason}
                )
            # Everything is written in the one UPDATE that marks it signed: the database
            # refuses any later change of a signed row, so nothing may flush in between.
            with session.no_autoflush:
                e.override_reasons = overrides
                e.status = EncounterStatus.SIGNED
                e.signed_by_id = signer_id
                e.signed_at = self._clock()
                e.signed_snapshot = build_snapshot(
                    session, e, self._encounter_view(session, e), result
                )
                e.signed_digest = seal(e.signed_snapshot)
            self._audit(session, "encounter.sign", "encounter", e.id, e.patient_id)
            session.flush()
            return self._encounter_view(session, e)
