"""The procedure note: the stored encounter worded for the chart (tpi-reference.md §6).

:meth:`NoteService.note_data` gathers everything in one transaction — the encounter, its
checks and codes, the patient, provider, signer, lots, medications and addenda — into a
plain :class:`~clinic_app.reports.note.NoteData`; :meth:`NoteService.render_note` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import Aspiration, DoseUnit, SkinPrep, Technique, Tolerance
from clinic_app.domain.enums import TwitchResponse as Twitch
from clinic_app.domain.errors import NotFoundError
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.models import Addendum, ClinicProfile, Medication, MedicationLot, Patient, User
from clinic_app.reports import note as report
from clinic_app.services.checks import ChecksService, draft_of
from clinic_app.services.dto import DoseView, SiteView

NOT_RECORDED = report.NOT_RECORDED
SKIN_PREP = {
    SkinPrep.ALCOHOL: "Alcohol",
    SkinPrep.CHLORHEXIDINE: "Chlorhexidine",
    SkinPrep.POVIDONE_IODINE: "Povidone-iodine",
}
TECHNIQUE = {Technique.INJECTION: "Injection", Technique.DRY_NEEDLING: "Dry needling"}
TWITCH = {
    Twitch.NONE: "None",
    Twitch.LOCAL: "Local",
    Twitch.REFERRED: "Referred",
    Twitch.NOT_ASSESSED: "Not assessed",
}
ASPIRATION = {
    Aspiration.NEGATIVE: "Negative",
    Aspiration.POSITIVE: "Positive",
    Aspiration.NOT_DONE: "Not done",
}
NEEDLE_INTACT = {True: "Yes", False: "No", None: NOT_RECORDED}
TOLERANCE = {Tolerance.WELL: "Well", Tolerance.FAIR: "Fair", Tolerance.POOR: "Poor"}


def user_label(user: User | None) -> str:
    """ "Ana Ruiz, MD", or "?" for a missing account."""
    if user is None:
        return "?"
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name


def _answer(screening: Mapping[str, object], code: str) -> bool | None:
    value = screening.get(code)
    answer = value.get("answer") if isinstance(value, Mapping) else value
    return answer if isinstance(answer, bool) else None


def concentration_text(med: Medication) -> str:
    """ "1% (10 mg/mL)", "40 mg/mL", "0.9%"."""
    exact = f"{format(plain_decimal(med.concentration), 'f')} {med.concentration_unit}"
    label = med.strength_label or exact
    if med.concentration_unit != "none" and label != exact:
        return f"{label} ({exact})"
    return label


def needle_text(gauge: int | None, length_in: Decimal | None) -> str:
    parts = []
    if gauge is not None:
        parts.append(f"{gauge} G")
    if length_in is not None:
        parts.append(format_quantity(length_in, "in"))
    return " × ".join(parts) or NOT_RECORDED


class NoteService(ChecksService):
    """Build and print the procedure note of one encounter."""

    def note_data(self, encounter_id: int) -> report.NoteData:
        """The note's content, read in one transaction."""
        with self._tx() as session:
            e = self._load(session, encounter_id)
            view = self._encounter_view(session, e)
            assessment = self._assess(session, e, view.form, [draft_of(s) for s in view.sites])
            patient = session.get(Patient, e.patient_id)
            if patient is None:  # pragma: no cover - foreign key guarantees it
                raise NotFoundError(f"No patient with id {e.patient_id}.")
            addenda = list(
                session.scalars(
                    select(Addendum)
                    .where(Addendum.encounter_id == e.id)
                    .order_by(Addendum.created_at, Addendum.id)
                )
            )
            user_ids = {e.provider_id, *(a.author_id for a in addenda)}
            if e.signed_by_id is not None:
                user_ids.add(e.signed_by_id)
            users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
            meds = self._medications(session)
            lots = self._lots(session, {d.lot_id for s in view.sites for d in s.doses if d.lot_id})
            clinic = session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()
        form = view.form
        coding = assessment.coding
        signed = e.signed_by_id is not None and view.signed_at is not None
        return report.NoteData(
            clinic_name=clinic.name if clinic else "",
            patient_name=f"{patient.family_name}, {patient.given_name}",
            mrn=patient.mrn,
            birth_date=patient.date_of_birth,
            sex=patient.sex.value.capitalize(),
            weight=self._weight(patient),
            performed_at=view.performed_at.astimezone(),
            provider=user_label(users.get(e.provider_id)),
            indication=form.indication,
            icd10=tuple(coding.icd10),
            consent=(
                "Obtained; risks, benefits and alternatives discussed"
                if form.consent_obtained
                else "Not documented"
            ),
            time_out="Performed" if form.time_out_done else "Not documented",
            allergies=self._allergies(patient, form.screening),
            anticoagulant=self._anticoagulant(patient, form.screening),
            skin_prep=SKIN_PREP[form.skin_prep] if form.skin_prep else NOT_RECORDED,
            sites=tuple(self._site(s, meds, lots) for s in view.sites),
            muscle_count=len({(s.muscle_code, s.side) for s in view.sites}),
            pain_before=form.pain_before,
            pain_after=form.pain_after,
            tolerance=TOLERANCE[form.tolerance] if form.tolerance else NOT_RECORDED,
            complications=form.complications or "None recorded",
            needle_intact=NEEDLE_INTACT[form.needle_intact],
            disposition=form.disposition or NOT_RECORDED,
            follow_up_plan=form.follow_up_plan,
            checks=tuple((f.severity.value, f.message) for f in assessment.findings),
            overrides=tuple((message, reason) for _, message, reason in view.overrides),
            cpt=tuple(report.NoteCode(c.code, c.units, c.description) for c in coding.cpt),
            hcpcs=tuple(report.NoteCode(c.code, c.units, c.description) for c in coding.hcpcs),
            coder_review=coding.coder_review,
            signed_by=user_label(users.get(e.signed_by_id)) if signed and e.signed_by_id else None,
            signed_at=view.signed_at.astimezone() if signed and view.signed_at else None,
            addenda=tuple(
                report.NoteAddendum(
                    user_label(users.get(a.author_id)), a.created_at.astimezone(), a.text
                )
                for a in addenda
            ),
        )

    def render_note(self, encounter_id: int) -> bytes:
        """The procedure note as PDF bytes."""
        return report.render_note(self.note_data(encounter_id))

    # ------------------------------------------------------------------ wording
    @staticmethod
    def _lots(session: Session, lot_ids: set[int]) -> dict[int, MedicationLot]:
        if not lot_ids:
            return {}
        rows = session.scalars(select(MedicationLot).where(MedicationLot.id.in_(lot_ids)))
        return {lot.id: lot for lot in rows}

    @staticmethod
    def _weight(patient: Patient) -> str:
        if patient.weight_kg is None:
            return NOT_RECORDED
        text = format_quantity(patient.weight_kg, "kg")
        if patient.weight_measured_on is not None:
            text += f" (measured {patient.weight_measured_on.isoformat()})"
        return text

    @staticmethod
    def _allergies(patient: Patient, screening: Mapping[str, object]) -> str:
        text = patient.allergies.strip() or "No known allergies recorded"
        if _answer(screening, "allergies_reviewed"):
            text += " (reviewed today)"
        return text

    @staticmethod
    def _anticoagulant(patient: Patient, screening: Mapping[str, object]) -> str:
        answer = _answer(screening, "anticoagulant")
        on = patient.anticoagulant or answer is True
        text = "Takes an anticoagulant" if on else "No anticoagulant"
        return text + (" (asked today)" if answer is not None else " (not asked today)")

    def _site(
        self, site: SiteView, meds: Mapping[int, Medication], lots: Mapping[int, MedicationLot]
    ) -> report.NoteSite:
        return report.NoteSite(
            number=site.order_number,
            muscle=site.muscle_name,
            side=site.side.value.capitalize(),
            technique=TECHNIQUE[site.technique],
            needle=needle_text(site.needle_gauge, site.needle_length_in),
            twitch=TWITCH[site.twitch_response],
            aspiration=ASPIRATION[site.aspiration],
            doses=tuple(self._dose(d, meds, lots) for d in site.doses),
        )

    @staticmethod
    def _dose(
        dose: DoseView, meds: Mapping[int, Medication], lots: Mapping[int, MedicationLot]
    ) -> report.NoteDose:
        med = meds.get(dose.medication_id)
        drug = med.generic[:1].upper() + med.generic[1:] if med else dose.medication_name
        lot = lots.get(dose.lot_id) if dose.lot_id else None
        return report.NoteDose(
            drug=drug,
            concentration=concentration_text(med) if med else "?",
            volume=format_quantity(dose.volume_ml, "mL"),
            dose="—"
            if dose.dose_unit is DoseUnit.NONE
            else format_quantity(dose.dose, dose.dose_unit.value),
            lot=f"{lot.lot_number}, exp {lot.expires_on.isoformat()}" if lot else NOT_RECORDED,
        )
