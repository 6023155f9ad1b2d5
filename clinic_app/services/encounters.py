"""Encounters, their injection sites and doses, and a patient's history."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from clinic_app.domain import validation as v
from clinic_app.domain.catalog import Catalog, UnknownMuscleError, View, default_catalog
from clinic_app.domain.clock import format_clinic_time
from clinic_app.domain.enums import EncounterStatus, Language, Side, Technique
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.models import (
    Addendum,
    ClinicProfile,
    Encounter,
    InjectionSite,
    Medication,
    MedicationLot,
    Patient,
    SiteDose,
    User,
)
from clinic_app.models.base import utcnow
from clinic_app.services.base import Actor, Service
from clinic_app.services.clinic import dose_unit_for
from clinic_app.services.dto import (
    AddendumView,
    DoseInput,
    DoseView,
    EncounterInput,
    EncounterSummary,
    EncounterView,
    SiteInput,
    SiteView,
)

MAX_ICD10_CODES = 12
MAX_ADDENDUM_LENGTH = 4000
#: ICD-10-CM shape: a letter, a digit, a digit or letter, then optionally "." and 1-4 more.
ICD10_PATTERN = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


def clean_form(data: EncounterInput) -> dict[str, object]:
    codes: list[str] = []
    for raw in data.icd10_codes:
        code = v.clean_text("icd10_codes", raw, label="ICD-10 code", max_length=8).upper()
        if code and not ICD10_PATTERN.match(code):
            raise ValidationError(
                "icd10_codes",
                f"{code!r} is not an ICD-10-CM code (letter, two "
                "characters, optional dot and up to 4 more).",
            )
        if code and code not in codes:
            codes.append(code)
    if len(codes) > MAX_ICD10_CODES:
        raise ValidationError("icd10_codes", f"At most {MAX_ICD10_CODES} ICD-10 codes.")
    return {
        "indication": v.clean_text(
            "indication", data.indication, label="Indication", multiline=True
        ),
        "icd10_codes": codes,
        "screening": dict(data.screening),
        "consent_obtained": bool(data.consent_obtained),
        "time_out_done": bool(data.time_out_done),
        "skin_prep": data.skin_prep,
        "pain_before": v.check_pain("pain_before", data.pain_before, label="Pain before"),
        "pain_after": v.check_pain("pain_after", data.pain_after, label="Pain after"),
        "tolerance": data.tolerance,
        "complications": v.clean_text(
            "complications", data.complications, label="Complications", multiline=True
        ),
        "follow_up_plan": v.clean_text(
            "follow_up_plan", data.follow_up_plan, label="Follow-up plan", multiline=True
        ),
        "needle_intact": None if data.needle_intact is None else bool(data.needle_intact),
        "disposition": v.clean_text(
            "disposition", data.disposition, label="Disposition", multiline=True, max_length=2000
        ),
        "pain_after_reason": v.clean_text(
            "pain_after_reason",
            data.pain_after_reason,
            label="Reason pain after was not scored",
            multiline=True,
            max_length=2000,
        ),
        "prior_relief_percent": v.check_whole_number(
            "prior_relief_percent",
            data.prior_relief_percent,
            label="Relief since the last visit (%)",
            low=0,
            high=100,
        ),
        "prior_relief_weeks": v.check_whole_number(
            "prior_relief_weeks",
            data.prior_relief_weeks,
            label="Weeks the relief lasted",
            low=0,
            high=104,
        ),
        "conservative_treatment": v.clean_text(
            "conservative_treatment",
            data.conservative_treatment,
            label="Conservative treatment tried",
            multiline=True,
            max_length=4000,
        ),
        "follow_up_weeks": v.check_whole_number(
            "follow_up_weeks", data.follow_up_weeks, label="Follow-up in weeks", low=0, high=52
        ),
        "follow_up_date": _check_date("follow_up_date", data.follow_up_date, "Follow-up date"),
        "handout_note": _clean_handout_note(data.handout_note),
    }


def _check_date(field_name: str, value: object, label: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field_name, f"{label} must be a calendar date.")
    return value


def _clean_handout_note(notes: object) -> dict[str, str]:
    """Per-language words for the patient; only languages the handouts are written in."""
    if not isinstance(notes, dict):
        raise ValidationError("handout_note", "Handout note must be given per language.")
    known = {lang.value for lang in Language}
    cleaned: dict[str, str] = {}
    for code, text in notes.items():
        if code not in known:
            raise ValidationError("handout_note", f"No handout language {code!r}.")
        value = v.clean_text(
            "handout_note",
            text,
            label="Note printed on the handout",
            multiline=True,
            max_length=2000,
        )
        if value:
            cleaned[code] = value
    return cleaned


def form_of(e: Encounter) -> EncounterInput:
    return EncounterInput(
        indication=e.indication,
        icd10_codes=tuple(e.icd10_codes or ()),
        screening=dict(e.screening or {}),
        consent_obtained=e.consent_obtained,
        time_out_done=e.time_out_done,
        skin_prep=e.skin_prep,
        pain_before=e.pain_before,
        pain_after=e.pain_after,
        tolerance=e.tolerance,
        complications=e.complications,
        follow_up_plan=e.follow_up_plan,
        needle_intact=e.needle_intact,
        disposition=e.disposition,
        pain_after_reason=e.pain_after_reason or "",
        prior_relief_percent=e.prior_relief_percent,
        prior_relief_weeks=e.prior_relief_weeks,
        conservative_treatment=e.conservative_treatment or "",
        follow_up_weeks=e.follow_up_weeks,
        follow_up_date=e.follow_up_date,
        handout_note=dict(e.handout_note or {}),
    )


def _finding(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError("finding", "A trigger point finding is yes, no or not recorded.")


def _sides_label(sides: set[Side]) -> str:
    """ "L", "R" or "L+R": how a chart abbreviates the patient's side."""
    return "+".join(label for side, label in ((Side.LEFT, "L"), (Side.RIGHT, "R")) if side in sides)


class EncounterService(Service):
    """Use cases of the encounter editor and the patient chart."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor | None = None,
        catalog: Catalog | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(sessions, actor, clock=clock)
        self._catalog = catalog or default_catalog()

    # ------------------------------------------------------------------ views
    def _site_view(self, s: InjectionSite, names: dict[int, str]) -> SiteView:
        return SiteView(
            id=s.id,
            order_number=s.order_number,
            muscle_code=s.muscle_code,
            muscle_name=self._catalog.get(s.muscle_code).name
            if s.muscle_code in self._catalog
            else s.muscle_code,
            side=s.side,
            view=s.view,
            point_x=s.point_x,
            point_y=s.point_y,
            technique=s.technique,
            needle_gauge=s.needle_gauge,
            needle_length_in=s.needle_length_in,
            twitch_response=s.twitch_response,
            aspiration=s.aspiration,
            doses=tuple(
                DoseView(
                    d.id,
                    d.medication_id,
                    names.get(d.medication_id, "?"),
                    d.lot_id,
                    d.volume_ml,
                    d.dose,
                    d.dose_unit,
                    d.lot_missing_reason or "",
                )
                for d in s.doses
            ),
            taut_band=s.taut_band,
            jump_sign=s.jump_sign,
            referred_pain_reproduced=s.referred_pain_reproduced,
        )

    @staticmethod
    def _clinic_zone(session: Session) -> str:
        """The clinic's IANA zone name ("" = this computer's zone)."""
        return session.scalar(select(ClinicProfile.timezone).limit(1)) or ""

    @staticmethod
    def _addendum_view(session: Session, a: Addendum, zone: str) -> AddendumView:
        author = session.get(User, a.author_id)
        return AddendumView(
            id=a.id,
            encounter_id=a.encounter_id,
            author_id=a.author_id,
            author_name=author.display_name if author else f"user #{a.author_id}",
            created_at=a.created_at,
            created_local=format_clinic_time(a.created_at, zone),
            text=a.text,
        )

    def _encounter_view(self, session: Session, e: Encounter) -> EncounterView:
        names = self._med_names(session)
        provider = session.get(User, e.provider_id)
        zone = self._clinic_zone(session)
        return EncounterView(
            id=e.id,
            patient_id=e.patient_id,
            provider_id=e.provider_id,
            provider_name=provider.display_name if provider else "?",
            performed_at=e.performed_at,
            status=e.status,
            version=e.version,
            form=form_of(e),
            sites=tuple(self._site_view(s, names) for s in e.sites),
            signed_by_id=e.signed_by_id,
            signed_at=e.signed_at,
            signed_digest=e.signed_digest,
            overrides=tuple(
                (o.get("rule", ""), o.get("message", ""), o.get("reason", ""))
                for o in (e.override_reasons or [])
            ),
            addenda=tuple(self._addendum_view(session, a, zone) for a in e.addenda),
            clinic_timezone=zone,
        )

    # ------------------------------------------------------------------ loading
    @staticmethod
    def _load(session: Session, encounter_id: int, *, for_edit: bool = False) -> Encounter:
        e = session.scalars(
            select(Encounter)
            .where(Encounter.id == encounter_id)
            .options(selectinload(Encounter.sites).selectinload(InjectionSite.doses))
        ).first()
        if e is None:
            raise NotFoundError(f"No encounter with id {encounter_id}.")
        if for_edit and e.status != EncounterStatus.DRAFT:
            raise ConflictError("This encounter is signed; add an addendum instead of editing.")
        return e

    def _check_site(self, site: SiteInput) -> tuple[float, float, Side]:
        try:
            muscle = self._catalog.get(site.muscle_code)
        except UnknownMuscleError:
            raise ValidationError(
                "muscle_code",
                f"Unknown muscle code {site.muscle_code!r}; choose a muscle "
                "from the body map or the muscle list.",
            ) from None
        if site.side is None:
            raise ValidationError("side", f"Choose a side (left or right) for {muscle.name}.")
        if not isinstance(site.side, Side):
            raise ValidationError("side", f"Side must be left or right, not {site.side!r}.")
        if not isinstance(site.view, View):
            raise ValidationError("view", f"Unknown figure view {site.view!r}.")
        if site.view not in muscle.views:
            raise ValidationError(
                "view", f"{muscle.name} is not charted on the {site.view} figure."
            )
        v.check_needle(site.needle_gauge, site.needle_length_in)
        x, y = v.check_figure_point(site.point_x, site.point_y)
        return x, y, site.side

    def _site_row(self, site: SiteInput, number: int = 0) -> InjectionSite:
        """A new, checked site row (not yet in any session); raises ValidationError."""
        x, y, side = self._check_site(site)
        gauge, length = v.check_needle(site.needle_gauge, site.needle_length_in)
        return InjectionSite(
            order_number=number,
            muscle_code=site.muscle_code,
            side=side,
            view=site.view,
            point_x=x,
            point_y=y,
            technique=site.technique,
            needle_gauge=gauge,
            needle_length_in=length,
            twitch_response=site.twitch_response,
            aspiration=site.aspiration,
            taut_band=_finding(site.taut_band),
            jump_sign=_finding(site.jump_sign),
            referred_pain_reproduced=_finding(site.referred_pain_reproduced),
        )

    # ------------------------------------------------------------------ use cases
    def create(
        self, patient_id: int, provider_id: int, performed_at: datetime | None = None
    ) -> EncounterView:
        """Open a new draft encounter for a patient."""
        with self._tx() as session:
            patient = session.get(Patient, patient_id)
            if patient is None or patient.voided_at is not None:
                raise NotFoundError(f"No active patient with id {patient_id}.")
            provider = session.get(User, provider_id)
            if provider is None or not provider.active or not provider.is_provider:
                raise ValidationError("provider_id", "Choose an active provider.")
            e = Encounter(
                patient_id=patient_id,
                provider_id=provider_id,
                performed_at=performed_at or utcnow(),
            )
            session.add(e)
            session.flush()
            self._audit(session, "encounter.create", "encounter", e.id, patient_id)
            return self._encounter_view(session, e)

    def get(self, encounter_id: int) -> EncounterView:
        with self._tx() as session:
            return self._encounter_view(session, self._load(session, encounter_id))

    def add_addendum(self, encounter_id: int, text: str) -> AddendumView:
        """Add a correction to a signed encounter, signed by the provider signed in now.

        The signed content stays exactly as it was (the database refuses to change it);
        the addendum is shown and printed after it with its author and time.
        """
        author_id = self._actor.user_id
        cleaned = v.clean_text(
            "text", text, label="Addendum", multiline=True, max_length=MAX_ADDENDUM_LENGTH
        )
        with self._tx() as session:
            author = session.get(User, author_id) if author_id is not None else None
            if author is None or not author.active or not author.is_provider:
                raise ConflictError("Only a signed-in provider can add an addendum.")
            e = self._load(session, encounter_id)
            if e.status != EncounterStatus.SIGNED:
                raise ConflictError(
                    "Only a signed encounter takes an addendum; edit the draft instead."
                )
            if not cleaned:
                raise ValidationError("text", "Type the addendum before saving it.")
            row = Addendum(encounter_id=e.id, author_id=author.id, text=cleaned)
            session.add(row)
            session.flush()
            self._audit(session, "encounter.addendum", "encounter_addendum", row.id, e.patient_id)
            return self._addendum_view(session, row, self._clinic_zone(session))

    def history(self, patient_id: int) -> list[EncounterSummary]:
        """The patient's encounters, newest first, with the muscles injected."""
        with self._tx() as session:
            rows = session.scalars(
                select(Encounter)
                .where(Encounter.patient_id == patient_id)
                .options(selectinload(Encounter.sites))
                .order_by(Encounter.performed_at.desc(), Encounter.id.desc())
            )
            providers = dict(session.execute(select(User.id, User.display_name)).all())
            result = []
            for e in rows:
                sides: dict[str, set[Side]] = {}  # muscle name -> sides, in site order
                for s in e.sites:
                    name = (
                        self._catalog.get(s.muscle_code).name
                        if s.muscle_code in self._catalog
                        else s.muscle_code
                    )
                    sides.setdefault(name, set()).add(s.side)
                muscles = [f"{name} {_sides_label(found)}" for name, found in sides.items()]
                result.append(
                    EncounterSummary(
                        e.id,
                        e.performed_at,
                        providers.get(e.provider_id, "?"),
                        e.status,
                        tuple(muscles),
                        len(e.sites),
                    )
                )
            return result

    def count(self) -> int:
        with self._tx() as session:
            return int(session.scalar(select(func.count(Encounter.id))) or 0)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _med_names(session: Session) -> dict[int, str]:
        return dict(session.execute(select(Medication.id, Medication.name)).all())

    @staticmethod
    def _replace_doses(session: Session, row: InjectionSite, doses: Sequence[DoseInput]) -> None:
        new: list[SiteDose] = []
        if doses and row.technique == Technique.DRY_NEEDLING:
            raise ValidationError(
                "technique",
                "A dry-needling site has no medicine; make it an injection or remove the medicine.",
            )
        for d in doses:
            if isinstance(d.volume_ml, float):
                raise ValidationError("volume_ml", "Volume must be an exact decimal number.")
            volume = v.check_volume(d.volume_ml)
            med = session.get(Medication, d.medication_id)
            if med is None:
                raise ValidationError("medication_id", f"No medication with id {d.medication_id}.")
            if d.lot_id is not None:
                lot = session.get(MedicationLot, d.lot_id)
                if lot is None or lot.medication_id != med.id:
                    raise ValidationError("lot_id", f"Lot {d.lot_id} is not a lot of {med.name}.")
            lot_reason = v.clean_text(
                "lot_missing_reason",
                d.lot_missing_reason,
                label="Reason no lot was recorded",
                max_length=500,
            )
            new.append(
                SiteDose(
                    medication_id=med.id,
                    lot_id=d.lot_id,
                    volume_ml=volume,
                    dose=med.concentration * volume,
                    dose_unit=dose_unit_for(med.concentration_unit),
                    lot_missing_reason="" if d.lot_id is not None else lot_reason,
                )
            )
        row.doses.clear()
        row.doses.extend(new)
