"""Documents that leave the building: the aftercare handout and its print log (issue 5).

The service gathers an encounter into a plain :class:`~clinic_app.domain.handout.HandoutData`
(:mod:`clinic_app.services.handout_content`; the domain decides which blocks apply, the
report draws it), records every printing or PDF save of a handout with an audit row in the
same transaction, and lists the front desk's procedures of the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clinic_app.domain.clock import clinic_zone, to_clinic_time
from clinic_app.domain.enums import EncounterStatus, Language
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.handout import HandoutData
from clinic_app.models import (
    Encounter,
    HandoutPrint,
    InjectionSite,
    Patient,
    User,
)
from clinic_app.services import rows
from clinic_app.services.base import Service
from clinic_app.services.handout_content import handout_of, provider_label

#: Copies one print job may ask for (the handout_print table's CHECK agrees).
MIN_COPIES: Final = 1
MAX_COPIES: Final = 50


@dataclass(frozen=True, slots=True)
class PrintRecord:
    """One printing (or PDF save) of a handout, as the print log shows it."""

    id: int
    encounter_id: int
    language: Language
    copies: int
    printed_at: datetime
    printed_by_id: int | None
    printed_by_name: str


@dataclass(frozen=True, slots=True)
class HandoutInfo:
    """What the front desk needs to know before printing an encounter's handout.

    Attributes:
        signed: False for a draft: the handout may still be printed, but the screen should
            say the chart is not signed yet.
        default_language: the patient's preferred language.
        prints: the print log, oldest first.
    """

    encounter_id: int
    patient_id: int
    signed: bool
    default_language: Language
    prints: tuple[PrintRecord, ...]


#: The front desk's status filter values for :meth:`DocumentService.procedures_on`.
PROCEDURE_STATUSES: Final = ("signed", "printed", "not_printed")


@dataclass(frozen=True, slots=True)
class ProcedureRow:
    """One procedure on the front desk's list of the day.

    Attributes:
        performed_at: when it was done, in the workstation's local time zone.
        printed: whether the handout was printed (or saved as PDF) at least once.
        last_printed_at: the latest printing, ``None`` when never printed.
    """

    encounter_id: int
    performed_at: datetime
    patient_name: str
    mrn: str
    date_of_birth: date
    language: Language
    provider_name: str
    signed: bool
    sites: int
    printed: bool
    last_printed_at: datetime | None


def local_day_bounds(day: date, zone: str = "") -> tuple[datetime, datetime]:
    """The start of ``day`` and of the next day at the clinic, as aware datetimes.

    ``zone`` is the clinic's IANA zone name ("" = this computer's zone).
    """
    tz = clinic_zone(zone)
    if tz is None:
        return (
            datetime.combine(day, time()).astimezone(),
            datetime.combine(day + timedelta(days=1), time()).astimezone(),
        )
    return datetime.combine(day, time(), tz), datetime.combine(day + timedelta(days=1), time(), tz)


class DocumentService(Service):
    """Build, render and log aftercare handouts."""

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _records(session: Session, encounter_id: int) -> tuple[PrintRecord, ...]:
        found = session.execute(
            select(HandoutPrint, User.display_name)
            .outerjoin(User, User.id == HandoutPrint.printed_by_id)
            .where(HandoutPrint.encounter_id == encounter_id)
            .order_by(HandoutPrint.printed_at, HandoutPrint.id)
        ).all()
        return tuple(
            PrintRecord(
                id=row.id,
                encounter_id=row.encounter_id,
                language=row.language,
                copies=row.copies,
                printed_at=row.printed_at,
                printed_by_id=row.printed_by_id,
                printed_by_name=name or "",
            )
            for row, name in found
        )

    # ------------------------------------------------------------------ use cases
    def handout_data(
        self,
        encounter_id: int,
        *,
        language: Language | None = None,
        large_print: bool = False,
    ) -> HandoutData:
        """The handout of an encounter, in ``language`` or else the patient's own.

        Raises:
            NotFoundError: no such encounter, or the clinic is not set up.
        """
        self._permit("handout.read")
        with self._tx() as session:
            encounter = rows.load_encounter(session, encounter_id)
            # The handout shows the chart's content: reading it is a chart open.
            self._audit(session, "handout.read", "encounter", encounter.id, encounter.patient_id)
            return handout_of(session, encounter, language, large_print)

    def render_handout(
        self,
        encounter_id: int,
        *,
        language: Language | None = None,
        large_print: bool = False,
    ) -> bytes:
        """The handout as PDF bytes (drafts too: see :meth:`handout_info` for the status)."""
        self._permit("handout.read")
        data = self.handout_data(encounter_id, language=language, large_print=large_print)
        # Drawn after the transaction: rendering is slow and needs no database. reportlab is
        # imported on the first handout, not at start-up.
        from clinic_app.reports.handout import render_handout

        return render_handout(data)

    def handout_info(self, encounter_id: int) -> HandoutInfo:
        """Whether the encounter is signed, the default language and the print log."""
        self._permit("handout.read")
        with self._tx() as session:
            encounter = rows.load_encounter(session, encounter_id)
            patient = session.get(Patient, encounter.patient_id)
            return HandoutInfo(
                encounter_id=encounter.id,
                patient_id=encounter.patient_id,
                signed=encounter.status is EncounterStatus.SIGNED,
                default_language=patient.preferred_language if patient else Language.ENGLISH,
                prints=self._records(session, encounter.id),
            )

    def record_print(self, encounter_id: int, language: Language, copies: int = 1) -> PrintRecord:
        """Log that a handout was printed or saved as PDF, with its audit row.

        Raises:
            ValidationError: copies outside 1–50, or an unknown language.
            NotFoundError: no such encounter.
        """
        self._permit("handout.print")
        if isinstance(copies, bool) or not isinstance(copies, int):
            raise ValidationError("copies", "Copies must be a whole number.")
        if not MIN_COPIES <= copies <= MAX_COPIES:
            raise ValidationError(
                "copies", f"Copies must be between {MIN_COPIES} and {MAX_COPIES}, not {copies}."
            )
        if not isinstance(language, Language):
            raise ValidationError("language", f"Unknown handout language {language!r}.")
        with self._tx() as session:
            encounter = rows.load_encounter(session, encounter_id)
            row = HandoutPrint(
                encounter_id=encounter.id,
                language=language,
                printed_by_id=self._actor.user_id,
                copies=copies,
            )
            session.add(row)
            session.flush()
            self._audit(session, "handout.print", "handout_print", row.id, encounter.patient_id)
            return next(r for r in self._records(session, encounter.id) if r.id == row.id)

    def procedures_on(
        self, day: date, *, provider_id: int | None = None, status: str | None = None
    ) -> list[ProcedureRow]:
        """The encounters performed on the local ``day``, in time order (voided patients and
        drafts without a site left out).

        Args:
            provider_id: only this provider's encounters.
            status: ``"signed"``, ``"printed"`` (handout printed at least once) or
                ``"not_printed"``; ``None`` for all.

        Raises:
            ValidationError: an unknown status.
        """
        self._permit("front_desk.procedures")
        if status is not None and status not in PROCEDURE_STATUSES:
            raise ValidationError("status", f"Unknown procedure status {status!r}.")
        sites = (
            select(func.count(InjectionSite.id))
            .where(InjectionSite.encounter_id == Encounter.id)
            .correlate(Encounter)
            .scalar_subquery()
        )
        last_print = (
            select(func.max(HandoutPrint.printed_at))
            .where(HandoutPrint.encounter_id == Encounter.id)
            .correlate(Encounter)
            .scalar_subquery()
        )
        has_print = (
            select(HandoutPrint.id).where(HandoutPrint.encounter_id == Encounter.id).exists()
        )
        query = (
            select(Encounter, Patient, User, sites, last_print)
            .join(Patient, Patient.id == Encounter.patient_id)
            .outerjoin(User, User.id == Encounter.provider_id)
            .where(Patient.voided_at.is_(None))
            # A draft with no site yet has nothing to hand out (a visit just opened, or one
            # abandoned): it would only crowd the list. Signed visits always show.
            .where(or_(Encounter.status == EncounterStatus.SIGNED, sites > 0))
            .order_by(Encounter.performed_at, Encounter.id)
        )
        if provider_id is not None:
            query = query.where(Encounter.provider_id == provider_id)
        if status == "signed":
            query = query.where(Encounter.status == EncounterStatus.SIGNED)
        elif status == "printed":
            query = query.where(has_print)
        elif status == "not_printed":
            query = query.where(~has_print)
        with self._tx() as session:
            # The clinic's day, not this computer's (a workstation may sit in another zone).
            zone = rows.clinic_zone(session)
            start, end = local_day_bounds(day, zone)
            in_day = (Encounter.performed_at >= start, Encounter.performed_at < end)
            found = session.execute(query.where(*in_day)).all()
            return [
                ProcedureRow(
                    encounter_id=encounter.id,
                    performed_at=to_clinic_time(encounter.performed_at, zone),
                    patient_name=f"{patient.given_name} {patient.family_name}",
                    mrn=patient.mrn,
                    date_of_birth=patient.date_of_birth,
                    language=patient.preferred_language,
                    provider_name=provider_label(user),
                    signed=encounter.status is EncounterStatus.SIGNED,
                    sites=int(site_count or 0),
                    printed=printed_at is not None,
                    last_printed_at=to_clinic_time(printed_at, zone) if printed_at else None,
                )
                for encounter, patient, user, site_count, printed_at in found
            ]

    def print_log(self, encounter_id: int) -> list[PrintRecord]:
        """Every printing of the encounter's handout, oldest first."""
        self._permit("handout.read")
        with self._tx() as session:
            encounter = rows.load_encounter(session, encounter_id)
            return list(self._records(session, encounter.id))


__all__ = [
    "MAX_COPIES",
    "MIN_COPIES",
    "PROCEDURE_STATUSES",
    "DocumentService",
    "HandoutInfo",
    "PrintRecord",
    "ProcedureRow",
    "local_day_bounds",
]
