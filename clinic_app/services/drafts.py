"""Drafts as the editor keeps them: save everything at once, repeat the last visit, discard
an untouched draft."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.models import (
    Encounter,
    InjectionSite,
    Medication,
    MedicationLot,
    Patient,
    SiteDose,
    User,
)
from clinic_app.models.base import utcnow
from clinic_app.services.dto import EncounterInput, EncounterView, RepeatedVisit, SiteDraft
from clinic_app.services.encounters import EncounterService, clean_form, form_of


class DraftService(EncounterService):
    """The encounter editor's use cases on top of the per-site ones."""

    def save_draft(
        self, encounter_id: int, version: int, form: EncounterInput, sites: Sequence[SiteDraft]
    ) -> EncounterView:
        """Save the whole editor in one transaction: the form and every site with its doses.

        Sites are numbered 1..n in the order given. ``version`` is the one the editor last
        loaded or saved; a save from a stale copy is refused (nothing is written).
        """
        values = clean_form(form)
        # Every site is checked before anything is written: one bad site saves nothing.
        rows = [
            (self._site_row(draft.site, number), draft.doses)
            for number, draft in enumerate(sites, 1)
        ]
        with self._tx() as session:
            e = self._load(session, encounter_id, for_edit=True)
            if e.version != version:
                raise ConflictError(
                    "This encounter was changed on another workstation since you opened it; "
                    "reopen it to see the changes. Your edits were not saved."
                )
            for key, value in values.items():
                setattr(e, key, value)
            e.sites.clear()
            session.flush()
            for row, doses in rows:
                e.sites.append(row)
                self._replace_doses(session, row, doses)
            e.updated_at = utcnow()
            self._audit(session, "encounter.save", "encounter", e.id, e.patient_id)
            session.flush()
            return self._encounter_view(session, e)

    def repeat_last_visit(
        self, patient_id: int, provider_id: int, today: date | None = None
    ) -> RepeatedVisit:
        """Start a new draft pre-filled from the patient's latest visit (the common case).

        Sites, needles and doses are copied; screening, consent, time-out and pain scores
        are not (they belong to today). Lots that have expired are cleared and reported.
        """
        with self._tx() as session:
            day = today or clinic_day(utcnow(), self._clinic_zone(session))
            # The visit to repeat: the latest one with sites, signed ones first (an empty or
            # half-charted draft from today is not "the last visit").
            candidates = session.scalars(
                select(Encounter)
                .where(Encounter.patient_id == patient_id, Encounter.sites.any())
                .options(selectinload(Encounter.sites).selectinload(InjectionSite.doses))
                .order_by(
                    (Encounter.status == EncounterStatus.SIGNED).desc(),
                    Encounter.performed_at.desc(),
                    Encounter.id.desc(),
                )
            )
            previous = candidates.first()
            if previous is None:
                raise NotFoundError("This patient has no earlier visit with sites to repeat.")
            patient = session.get(Patient, patient_id)
            if patient is None or patient.voided_at is not None:
                raise NotFoundError(f"No active patient with id {patient_id}.")
            provider = session.get(User, provider_id)
            if provider is None or not provider.active or not provider.is_provider:
                raise ValidationError("provider_id", "Choose an active provider.")
            changes, changed_sites = self._changes_since(session, previous, patient, day)
            new = Encounter(
                patient_id=patient_id,
                provider_id=provider_id,
                performed_at=utcnow(),
                indication=previous.indication,
                icd10_codes=list(previous.icd10_codes or []),
                skin_prep=previous.skin_prep,
                follow_up_plan=previous.follow_up_plan,
            )
            expired = set(changed_sites)
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
                    lot_id = None if s.order_number in expired else d.lot_id
                    copy.doses.append(
                        SiteDose(
                            medication_id=d.medication_id,
                            lot_id=lot_id,
                            volume_ml=d.volume_ml,
                            dose=d.dose,
                            dose_unit=d.dose_unit,
                        )
                    )
                new.sites.append(copy)
            session.add(new)
            session.flush()
            self._audit(session, "encounter.repeat", "encounter", new.id, patient_id)
            return RepeatedVisit(
                self._encounter_view(session, new),
                previous.id,
                previous.performed_at,
                tuple(changes),
                tuple(changed_sites),
            )

    @staticmethod
    def _changes_since(
        session: Session, previous: Encounter, patient: Patient, day: date
    ) -> tuple[list[str], list[int]]:
        changes: list[str] = []
        changed_sites: list[int] = []
        since = previous.performed_at
        since_day = clinic_day(since, EncounterService._clinic_zone(session))
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
                for lot in session.scalars(
                    select(MedicationLot).where(MedicationLot.id.in_(lot_ids))
                )
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

    def discard_if_empty(self, encounter_id: int) -> bool:
        """Delete a draft nobody charted anything in (opened by mistake); True if deleted.

        A draft with any site or any form entry is kept: nothing typed is ever thrown away.
        """
        with self._tx() as session:
            e = self._load(session, encounter_id)
            untouched = (
                e.status == EncounterStatus.DRAFT
                and not e.sites
                and form_of(e) == EncounterInput()
                and not e.addenda
            )
            if not untouched:
                return False
            self._audit(session, "encounter.discard", "encounter", e.id, e.patient_id)
            session.delete(e)
            return True
