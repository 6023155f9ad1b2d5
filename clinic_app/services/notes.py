"""The procedure note: the encounter worded for the chart (tpi-reference.md §6).

A signed encounter's note is worded from the snapshot stored when it was signed
(:mod:`clinic_app.services.snapshot`), checked against its seal; a draft's from the same
kind of snapshot built from the record as it is now. :func:`note_from_snapshot` does the
wording, so both read the same; :meth:`NoteService.note_data` adds the live parts (addenda,
the handout's print log) and :meth:`NoteService.render_note` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.allergies import AllergyState, allergy_status
from clinic_app.domain.enums import (
    Aspiration,
    DoseUnit,
    EncounterStatus,
    Sex,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
)
from clinic_app.domain.enums import TwitchResponse as Twitch
from clinic_app.domain.labels import (
    ASPIRATION_LABELS,
    FINDING_LABELS,
    LANGUAGE_NAMES,
    NOT_RECORDED,
    SEX_LABELS,
    SIDE_LABELS,
    SKIN_PREP_LABELS,
    TECHNIQUE_LABELS,
    TOLERANCE_LABELS,
    TWITCH_LABELS,
    capital,
    needle_text,
)
from clinic_app.domain.measures import percent_text
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.domain.screening import answer_of
from clinic_app.models import Addendum, Encounter, HandoutPrint, User
from clinic_app.reports import note_data as report
from clinic_app.services import rows
from clinic_app.services.assessment import assess_content
from clinic_app.services.base import Service
from clinic_app.services.encounter_views import encounter_view
from clinic_app.services.pain_drawing import pain_drawing_of
from clinic_app.services.rows import user_label
from clinic_app.services.snapshot import build_snapshot, seal_matches

E = TypeVar("E", bound=Enum)


def person_label(person: Mapping[str, Any] | None) -> str:
    """A snapshot's ``provider`` / ``signed_by`` as "Ana Ruiz, MD"."""
    if not person:
        return "?"
    name, credentials = str(person.get("name", "?")), str(person.get("credentials", ""))
    return f"{name}, {credentials}" if credentials else name


def _decimal(value: object) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def _date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _enum(kind: type[E], value: object, fallback: E) -> E:
    try:
        return kind(value)
    except ValueError:
        return fallback


def concentration_text(concentration: Decimal | None, unit: str, strength_label: str) -> str:
    """ "1% (10 mg/mL)", "40 mg/mL", "0.9%"."""
    if concentration is None:
        return strength_label or "?"
    exact = f"{format(plain_decimal(concentration), 'f')} {unit}"
    label = strength_label or exact
    if unit != "none" and label != exact:
        return f"{label} ({exact})"
    return label


def weight_text(kg: Decimal | None, measured_on: date | None) -> str:
    """ "80 kg (measured 2025-03-01)"."""
    if kg is None:
        return NOT_RECORDED
    text = format_quantity(kg, "kg")
    if measured_on is not None:
        text += f" (measured {measured_on.isoformat()})"
    return text


def prior_relief_text(percent: int | None, weeks: int | None) -> str:
    """Relief the previous session gave, as reported at this visit."""
    if percent is None and weeks is None:
        return NOT_RECORDED
    amount = f"{percent}% relief" if percent is not None else "Relief (percent not recorded)"
    lasted = (
        f", lasting {weeks} week{'s' if weeks != 1 else ''}"
        if weeks is not None
        else ", duration not recorded"
    )
    return f"{amount}{lasted}, as reported at this visit"


def dose_row(dose: Mapping[str, Any]) -> report.NoteDose:
    """One snapshot dose worded for the dose table."""
    unit = _enum(DoseUnit, dose.get("dose_unit"), DoseUnit.NONE)
    amount = _decimal(dose.get("dose"))
    if dose.get("lot_number"):
        lot = f"{dose['lot_number']}, exp {dose.get('lot_expires_on') or '?'}"
    elif dose.get("lot_missing_reason"):
        lot = f"No lot: {dose['lot_missing_reason']}"
    else:
        lot = NOT_RECORDED
    volume = _decimal(dose.get("volume_ml"))
    return report.NoteDose(
        drug=capital(str(dose.get("generic") or dose.get("medication_name") or "?")),
        concentration=concentration_text(
            _decimal(dose.get("concentration")),
            str(dose.get("concentration_unit", "")),
            str(dose.get("strength_label", "")),
        ),
        volume=format_quantity(volume, "mL") if volume is not None else "?",
        dose="—"
        if unit is DoseUnit.NONE or amount is None
        else format_quantity(amount, unit.value),
        lot=lot,
    )


def site_row(site: Mapping[str, Any]) -> report.NoteSite:
    """One snapshot site worded for the site table."""
    side = site.get("side")
    return report.NoteSite(
        number=int(site.get("number", 0)),
        muscle=str(site.get("muscle_name") or site.get("muscle_code") or "?"),
        side=SIDE_LABELS[Side(side)] if side in SIDE_LABELS else NOT_RECORDED,
        technique=TECHNIQUE_LABELS[_enum(Technique, site.get("technique"), Technique.INJECTION)],
        needle=needle_text(site.get("needle_gauge"), _decimal(site.get("needle_length_in"))),
        twitch=TWITCH_LABELS[_enum(Twitch, site.get("twitch_response"), Twitch.NOT_ASSESSED)],
        aspiration=ASPIRATION_LABELS[
            _enum(Aspiration, site.get("aspiration"), Aspiration.NOT_DONE)
        ],
        doses=tuple(dose_row(d) for d in site.get("doses", ())),
        taut_band=FINDING_LABELS[site.get("taut_band")],
        jump_sign=FINDING_LABELS[site.get("jump_sign")],
        referred_pain=FINDING_LABELS[site.get("referred_pain_reproduced")],
    )


def total_row(total: Mapping[str, Any]) -> report.NoteTotal:
    """One drug's total against its limit."""
    given = _decimal(total.get("total")) or Decimal(0)
    limit = _decimal(total.get("limit"))
    unit = str(total.get("unit", ""))
    share = f"{round(given * 100 / limit)}%" if limit else "—"
    return report.NoteTotal(
        drug=capital(str(total.get("generic", "?"))),
        given=format_quantity(given, unit),
        limit=format_quantity(limit, "mg") if limit is not None else "No limit applies",
        share=share,
    )


def _code(line: Mapping[str, Any]) -> report.NoteCode:
    return report.NoteCode(
        str(line.get("code", "")), int(line.get("units", 0)), str(line.get("description", ""))
    )


def note_from_snapshot(
    snap: Mapping[str, Any],
    *,
    seal: report.NoteSeal | None = None,
    addenda: tuple[report.NoteAddendum, ...] = (),
    prints: tuple[report.NotePrint, ...] = (),
) -> report.NoteData:
    """The note's content worded from a snapshot (stored at signing, or built for a draft).

    Only the live parts — addenda and the handout's print log — come from elsewhere.
    """
    patient = snap.get("patient") or {}
    clinic = snap.get("clinic") or {}
    form = snap.get("form") or {}
    codes = snap.get("codes") or {}
    provider = snap.get("provider") or {}
    signer = snap.get("signed_by")
    screening = form.get("screening") or {}
    sites = tuple(site_row(s) for s in snap.get("sites", ()))
    signed_at = _moment(snap.get("signed_at"))
    skin_prep = form.get("skin_prep")
    tolerance = form.get("tolerance")
    return report.NoteData(
        clinic_name=str(clinic.get("name", "")),
        clinic_address=str(clinic.get("address", "")),
        clinic_phone=str(clinic.get("phone", "")),
        timezone=str(clinic.get("timezone", "")),
        patient_name=f"{patient.get('family_name', '')}, {patient.get('given_name', '')}",
        mrn=str(patient.get("mrn", "")),
        birth_date=_date(patient.get("date_of_birth")) or date.min,
        sex=SEX_LABELS[_enum(Sex, patient.get("sex"), Sex.UNKNOWN)],
        weight=weight_text(
            _decimal(patient.get("weight_kg")), _date(patient.get("weight_measured_on"))
        ),
        performed_at=_moment(snap.get("performed_at")) or datetime.min.replace(tzinfo=UTC),
        provider=person_label(provider),
        provider_npi=str(provider.get("npi", "")),
        indication=str(form.get("indication", "")),
        icd10=tuple(codes.get("icd10", ())),
        conservative_treatment=str(form.get("conservative_treatment", "")),
        prior_relief=prior_relief_text(
            form.get("prior_relief_percent"), form.get("prior_relief_weeks")
        ),
        consent=(
            "Obtained; risks, benefits and alternatives discussed"
            if form.get("consent_obtained")
            else "Not documented"
        ),
        time_out="Performed" if form.get("time_out_done") else "Not documented",
        allergies=allergies_text(
            str(patient.get("allergies", "")),
            screening,
            no_known_drug_allergies=bool(patient.get("no_known_drug_allergies")),
        ),
        anticoagulant=anticoagulant_text(bool(patient.get("anticoagulant")), screening),
        skin_prep=SKIN_PREP_LABELS[SkinPrep(skin_prep)] if skin_prep else NOT_RECORDED,
        sites=sites,
        muscle_count=len({(s.get("muscle_code"), s.get("side")) for s in snap.get("sites", ())}),
        pain_before=form.get("pain_before"),
        pain_after=form.get("pain_after"),
        pain_after_reason=str(form.get("pain_after_reason", "")),
        tolerance=TOLERANCE_LABELS[Tolerance(tolerance)] if tolerance else NOT_RECORDED,
        complications=str(form.get("complications", "")) or "None recorded",
        needle_intact=FINDING_LABELS[form.get("needle_intact")],
        disposition=str(form.get("disposition", "")) or NOT_RECORDED,
        follow_up_plan=str(form.get("follow_up_plan", "")),
        checks=tuple(
            report.NoteFinding(
                str(f.get("severity", "")), str(f.get("message", "")), str(f.get("source", ""))
            )
            for f in snap.get("findings", ())
        ),
        overrides=tuple(
            (str(o.get("message", "")), str(o.get("reason", ""))) for o in snap.get("overrides", ())
        ),
        totals=tuple(total_row(t) for t in snap.get("totals", ())),
        cpt=tuple(_code(c) for c in codes.get("cpt", ())),
        hcpcs=tuple(_code(c) for c in codes.get("hcpcs", ())),
        coder_review=bool(codes.get("coder_review")),
        signed_by=person_label(signer) if signer and signed_at else None,
        signer_npi=str(signer.get("npi", "")) if signer else "",
        signed_at=signed_at if signer else None,
        seal=seal,
        addenda=addenda,
        handout_prints=prints,
        measures=tuple(measure_row(m) for m in snap.get("measures", ())),
        pain_drawing=pain_drawing_of(snap),
    )


def measure_row(measure: Mapping[str, Any]) -> report.NoteMeasure:
    """One snapshot questionnaire worded for the note."""
    label = " ".join(str(measure.get(k, "")) for k in ("label", "version")).strip()
    name = str(measure.get("name", "")) or "?"
    title = f"{name} ({label})" if label else name
    return report.NoteMeasure(
        name=title,
        score=f"{measure.get('total', '?')}/{measure.get('max_total', '?')}",
        percent=percent_text(float(measure.get("percent", 0))),
        band=str(measure.get("band", "")),
        taken_on=str(measure.get("taken_on", "")),
    )


def allergies_text(
    allergies: str, screening: Mapping[str, object], *, no_known_drug_allergies: bool = False
) -> str:
    status = allergy_status(allergies, no_known_drug_allergies)
    text = "Not recorded" if status.state is AllergyState.NOT_RECORDED else status.text
    if answer_of(screening, "allergies_reviewed"):
        text += " (reviewed today)"
    return text


def anticoagulant_text(on_file: bool, screening: Mapping[str, object]) -> str:
    answer = answer_of(screening, "anticoagulant")
    on = on_file or answer is True
    text = "Takes an anticoagulant" if on else "No anticoagulant"
    return text + (" (asked today)" if answer is not None else " (not asked today)")


class NoteService(Service):
    """Build and print the procedure note of one encounter."""

    def note_data(self, encounter_id: int) -> report.NoteData:
        """The note's content, read in one transaction.

        A signed encounter prints what was signed — its stored snapshot, checked against its
        seal — never today's patient row; a draft prints the record as it is now.
        """
        self._permit("encounter.note", encounter_id=encounter_id)
        with self._tx() as session:
            data = self._note_data(session, encounter_id)
            # Reading the note is opening the chart: one audit row per note built.
            patient_id = rows.load_encounter(session, encounter_id).patient_id
            self._audit(session, "encounter.note", "encounter", encounter_id, patient_id)
            return data

    def render_note(self, encounter_id: int) -> bytes:
        """The procedure note as PDF bytes: a copy that can leave the building, so it is
        audited ("encounter.note", with the patient)."""
        self._permit("encounter.note", encounter_id=encounter_id)
        with self._tx() as session:
            data = self._note_data(session, encounter_id)
            patient_id = rows.load_encounter(session, encounter_id).patient_id
            self._audit(session, "encounter.note", "encounter", encounter_id, patient_id)
        from clinic_app.reports.note import render_note  # reportlab on first use

        return render_note(data)

    def _note_data(self, session: Session, encounter_id: int) -> report.NoteData:
        e = rows.load_encounter(session, encounter_id)
        signed = e.status is EncounterStatus.SIGNED
        seal: report.NoteSeal | None = None
        if signed and e.signed_snapshot is not None:
            snap: Mapping[str, Any] = e.signed_snapshot
            intact = seal_matches(snap, e.signed_digest)
            seal = report.NoteSeal(e.signed_digest or "", intact)
        else:
            snap = self._live_snapshot(session, e)
            if signed and e.signed_digest:
                # A digest without its snapshot: the sealed content was removed.
                seal = report.NoteSeal(e.signed_digest, False)
        addenda = self._addenda(session, e.id)
        prints = self._prints(session, e.id)
        try:
            return note_from_snapshot(snap, seal=seal, addenda=addenda, prints=prints)
        except (AttributeError, KeyError, TypeError, ValueError, ArithmeticError):
            if seal is None or seal.intact:
                raise
            # Altered past reading: print today's record under the ALTERED mark.
            live = self._live_snapshot(session, e)
            return note_from_snapshot(live, seal=seal, addenda=addenda, prints=prints)

    # ------------------------------------------------------------------ live parts
    def _live_snapshot(self, session: Session, e: Encounter) -> dict[str, Any]:
        """The note's content built from the record as it is now (a draft's note)."""
        view = encounter_view(session, e, self._catalog)
        sites = [s.to_draft() for s in view.sites]
        assessment = assess_content(session, e, view.form, sites, self._catalog)
        return build_snapshot(session, e, view, assessment)

    @staticmethod
    def _addenda(session: Session, encounter_id: int) -> tuple[report.NoteAddendum, ...]:
        rows = session.execute(
            select(Addendum, User)
            .outerjoin(User, User.id == Addendum.author_id)
            .where(Addendum.encounter_id == encounter_id)
            .order_by(Addendum.created_at, Addendum.id)
        ).all()
        return tuple(
            report.NoteAddendum(user_label(author), a.created_at, a.text) for a, author in rows
        )

    @staticmethod
    def _prints(session: Session, encounter_id: int) -> tuple[report.NotePrint, ...]:
        rows = session.execute(
            select(HandoutPrint, User)
            .outerjoin(User, User.id == HandoutPrint.printed_by_id)
            .where(HandoutPrint.encounter_id == encounter_id)
            .order_by(HandoutPrint.printed_at, HandoutPrint.id)
        ).all()
        return tuple(
            report.NotePrint(
                LANGUAGE_NAMES.get(p.language, p.language.value),
                p.printed_at,
                user_label(by) if by is not None else "",
                p.copies,
            )
            for p, by in rows
        )
