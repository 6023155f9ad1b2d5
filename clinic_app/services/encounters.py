"""The encounter record: open, read, save the editor's draft, repeat, discard, addenda, history.

Checks and signing live in :mod:`clinic_app.services.checks`, the procedure note in
:mod:`clinic_app.services.notes`: sibling services over the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import object_session, selectinload

from clinic_app.domain import fields as f
from clinic_app.domain import validation as v
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import ClinicError, ConflictError, NotFoundError, ValidationError
from clinic_app.models import Addendum, Encounter, User
from clinic_app.models.base import utcnow
from clinic_app.services import repeat, rows
from clinic_app.services.base import Service
from clinic_app.services.draft_content import STALE_DRAFT, checked_content, write_content
from clinic_app.services.dto import (
    AddendumView,
    EncounterInput,
    EncounterSummary,
    EncounterView,
    RepeatedVisit,
    SiteDraft,
)
from clinic_app.services.encounter_form import form_of
from clinic_app.services.encounter_views import addendum_view, encounter_view, muscle_name
from clinic_app.services.pain_drawing import stored_drawing

log = logging.getLogger(__name__)

MAX_ADDENDUM_LENGTH = 4000
#: A draft with nothing charted and untouched this long was left by a crash between "new
#: encounter" and its first save (an open editor saves within seconds of any edit). A clinic
#: day, so that a colleague's just-opened, still-empty draft is never taken from under them.
ABANDONED_AFTER = timedelta(hours=12)


def _sides_label(sides: set[Side]) -> str:
    """ "L", "R" or "L+R": how a chart abbreviates the patient's side."""
    return "+".join(label for side, label in ((Side.LEFT, "L"), (Side.RIGHT, "R")) if side in sides)


def clean_after_crash(encounters: EncounterService) -> int:
    """At start-up, delete the empty drafts a crash left; a failure never stops the start."""
    try:
        deleted = encounters.discard_abandoned_drafts()
    except ClinicError as exc:
        log.warning("empty drafts left by a crash were not cleaned: %s", type(exc).__name__)
        return 0
    if deleted:
        log.info("deleted %d empty draft(s) left by a crash", deleted)
    return deleted


def _untouched(e: Encounter) -> bool:
    """A draft with nothing charted: no site, no form entry, no addendum, no pain drawing."""
    session = object_session(e)
    return (
        e.status == EncounterStatus.DRAFT
        and not e.sites
        and form_of(e) == EncounterInput()
        and not e.addenda
        and (session is None or stored_drawing(session, e.id).is_empty)
    )


class EncounterService(Service):
    """Use cases of the encounter editor and the patient chart."""

    def create(
        self, patient_id: int, provider_id: int, performed_at: datetime | None = None
    ) -> EncounterView:
        """Open a new draft encounter for a patient."""
        self._permit("encounter.create")
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        provider_id = f.check_id("provider_id", provider_id, label="Provider")
        performed_at = f.check_moment("performed_at", performed_at, label="Time of the visit")
        with self._tx() as session:
            rows.load_patient(session, patient_id, active=True)
            if rows.active_provider(session, provider_id) is None:
                raise ValidationError("provider_id", "Choose an active provider.")
            e = Encounter(
                patient_id=patient_id,
                provider_id=provider_id,
                performed_at=performed_at or utcnow(),
            )
            session.add(e)
            session.flush()
            self._audit(session, "encounter.create", "encounter", e.id, patient_id)
            return encounter_view(session, e, self._catalog)

    def get(self, encounter_id: int) -> EncounterView:
        """Open an encounter (the editor): audited as a chart open ("encounter.read")."""
        self._permit("encounter.read", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id)
            self._audit(session, "encounter.read", "encounter", e.id, e.patient_id)
            return encounter_view(session, e, self._catalog)

    def save_draft(
        self,
        encounter_id: int,
        expected_version: int,
        form: EncounterInput,
        sites: Sequence[SiteDraft],
    ) -> EncounterView:
        """Save the whole editor in one transaction: the form and every site with its doses.

        Sites are numbered 1..n in the order given. ``expected_version`` is the one the
        editor last loaded or saved (second, as the editor has always passed it); a save
        from a stale copy is refused (nothing is written).
        """
        self._permit("encounter.save")
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        version = f.check_id("expected_version", expected_version, label="The editor's version")
        values, site_rows = checked_content(form, sites, self._catalog)
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id, for_edit=True)
            rows.check_version(e.version, version, STALE_DRAFT)
            write_content(session, e, values, site_rows)
            self._audit(session, "encounter.save", "encounter", e.id, e.patient_id)
            session.flush()
            return encounter_view(session, e, self._catalog)

    def repeat_last_visit(
        self, patient_id: int, provider_id: int, today: date | None = None
    ) -> RepeatedVisit:
        """Start a new draft pre-filled from the patient's latest visit (the common case).

        Sites, needles and doses are copied; screening, consent, time-out and pain scores
        are not (they belong to today). Lots that have expired are cleared and reported.
        """
        self._permit("encounter.repeat")
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        provider_id = f.check_id("provider_id", provider_id, label="Provider")
        today = f.check_date("today", today, label="Today")
        with self._tx() as session:
            zone = rows.clinic_zone(session)
            day = today or clinic_day(utcnow(), zone)
            previous = repeat.visit_to_repeat(session, patient_id)
            if previous is None:
                raise NotFoundError("This patient has no earlier visit with sites to repeat.")
            patient = rows.load_patient(session, patient_id, active=True)
            if rows.active_provider(session, provider_id) is None:
                raise ValidationError("provider_id", "Choose an active provider.")
            changes, changed_sites = repeat.changes_since(session, previous, patient, day, zone)
            new = repeat.copy_of(previous, provider_id, utcnow(), set(changed_sites))
            session.add(new)
            session.flush()
            self._audit(session, "encounter.repeat", "encounter", new.id, patient_id)
            return RepeatedVisit(
                encounter_view(session, new, self._catalog),
                previous.id,
                previous.performed_at,
                tuple(changes),
                tuple(changed_sites),
            )

    def discard_if_empty(self, encounter_id: int, *, expected_version: int) -> bool:
        """Delete a draft nobody charted anything in (opened by mistake); True if deleted.

        A draft with any site or any form entry is kept: nothing typed is ever thrown away.
        ``expected_version`` is the version the editor holds: a draft saved elsewhere since
        is kept (False).
        """
        self._permit("encounter.discard")
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        version = f.check_id("expected_version", expected_version, label="The editor's version")
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id)
            if e.version != version or not _untouched(e):
                return False
            self._audit(session, "encounter.discard", "encounter", e.id, e.patient_id)
            session.delete(e)
            return True

    def discard_abandoned_drafts(self) -> int:
        """At start-up: delete the empty drafts a crash left behind; how many were deleted.

        "New encounter" commits the draft before the editor's first save, so an app killed
        in between leaves a draft with nothing charted. Such a draft untouched for
        :data:`ABANDONED_AFTER` is deleted, one "encounter.discard" audit row each; any
        draft holding a site, a form entry or an addendum is kept.
        """
        self._permit("encounter.discard_abandoned")
        cutoff = self._clock() - ABANDONED_AFTER
        with self._tx() as session:
            # Only drafts without a site or an addendum are loaded: a clinic's old drafts
            # with their sites would otherwise all be read at every start (1.6 s for 10,000).
            stale = session.scalars(
                select(Encounter)
                .where(
                    Encounter.status == EncounterStatus.DRAFT,
                    Encounter.updated_at < cutoff,
                    ~Encounter.sites.any(),
                    ~Encounter.addenda.any(),
                )
                .options(selectinload(Encounter.sites), selectinload(Encounter.addenda))
            ).all()
            deleted = 0
            for e in stale:
                if _untouched(e):
                    self._audit(session, "encounter.discard", "encounter", e.id, e.patient_id)
                    session.delete(e)
                    deleted += 1
            return deleted

    def add_addendum(self, encounter_id: int, text: str) -> AddendumView:
        """Add a correction to a signed encounter, signed by the provider signed in now.

        The signed content stays exactly as it was (the database refuses to change it);
        the addendum is shown and printed after it with its author and time.
        """
        self._permit("encounter.addendum")
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        cleaned = v.clean_text(
            "text", text, label="Addendum", multiline=True, max_length=MAX_ADDENDUM_LENGTH
        )
        with self._tx() as session:
            author = rows.active_provider(session, self._actor.user_id)
            if author is None:
                raise ConflictError("Only a signed-in provider can add an addendum.")
            e = rows.load_encounter(session, encounter_id)
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
            return addendum_view(session, row, rows.clinic_zone(session))

    def history(self, patient_id: int) -> list[EncounterSummary]:
        """The patient's encounters, newest first, with the muscles injected."""
        self._permit("encounter.history", patient_id)
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            encounters = session.scalars(
                select(Encounter)
                .where(Encounter.patient_id == patient_id)
                .options(selectinload(Encounter.sites))
                .order_by(Encounter.performed_at.desc(), Encounter.id.desc())
            )
            providers = dict(session.execute(select(User.id, User.display_name)).all())
            result = []
            for e in encounters:
                sides: dict[str, set[Side]] = {}  # muscle name -> sides, in site order
                for s in e.sites:
                    sides.setdefault(muscle_name(self._catalog, s.muscle_code), set()).add(s.side)
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

    def has_earlier_visit(self, encounter_id: int) -> bool:
        """Whether the patient of this encounter had a visit before it (a repeat visit: the
        editor asks about relief since then). One EXISTS, not the whole history."""
        self._permit("encounter.history", encounter_id=encounter_id)
        encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            this = session.execute(
                select(Encounter.patient_id, Encounter.performed_at).where(
                    Encounter.id == encounter_id
                )
            ).first()
            if this is None:
                raise NotFoundError(f"No encounter with id {encounter_id}.")
            earlier = select(Encounter.id).where(
                Encounter.patient_id == this.patient_id,
                Encounter.performed_at < this.performed_at,
                Encounter.id != encounter_id,
            )
            return bool(session.scalar(select(earlier.exists())))

    def count(self) -> int:
        self._permit("encounter.count")
        with self._tx() as session:
            return int(session.scalar(select(func.count(Encounter.id))) or 0)
