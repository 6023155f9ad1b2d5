"""Outcome measures: record a patient's NDI / ODI questionnaire, read them back (issue 14 §1).

The questionnaires and their scoring are data and pure domain code
(:mod:`clinic_app.domain.measure_files`, :mod:`clinic_app.domain.measures`); this service
checks a completed one against its measure, stores it with its score and who entered it, and
lists a patient's or a visit's. A response is never changed: a correction is a new response
(the latest of each measure counts for a visit), and a signed visit takes none at all — the
database refuses too (migration 0016).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain import fields
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, ValidationError
from clinic_app.domain.measure_files import default_measures
from clinic_app.domain.measures import MAX_ITEM_SCORE, Measure, score
from clinic_app.models import MeasureResponse, User
from clinic_app.services import rows
from clinic_app.services.base import Service
from clinic_app.services.dto import MeasureEntry, MeasureResponseView, MeasureScore

SIGNED_VISIT = (
    "This visit is signed; its outcome measures can no longer change. Record the "
    "questionnaire without a visit, or for the patient's next visit."
)


def _measure(code: str) -> Measure:
    found = default_measures().get(code) if isinstance(code, str) else None
    if found is None:
        known = ", ".join(m.short_name for m in default_measures().values())
        raise ValidationError("measure", f"Unknown outcome measure {code!r} (known: {known}).")
    return found


def _view(row: MeasureResponse, entered_by: User | None) -> MeasureResponseView:
    measure = default_measures().get(row.measure)
    return MeasureResponseView(
        id=row.id,
        patient_id=row.patient_id,
        encounter_id=row.encounter_id,
        taken_on=row.taken_on,
        measure=row.measure,
        label=measure.short_name if measure else row.measure.upper(),
        name=measure.name if measure else row.measure.upper(),
        version=row.measure_version,
        answers=tuple(row.answers),
        answered=row.answered,
        total=row.total,
        max_total=MAX_ITEM_SCORE * row.answered,
        percent=row.percent,
        band=row.band,
        entered_by=rows.user_label(entered_by),
        entered_at=row.entered_at,
    )


def _responses(session: Session, *where: Any) -> list[MeasureResponseView]:
    """The responses matching ``where``, oldest first, with who entered them."""
    found = session.execute(
        select(MeasureResponse, User)
        .outerjoin(User, User.id == MeasureResponse.entered_by_id)
        .where(*where)
        .order_by(MeasureResponse.taken_on, MeasureResponse.entered_at, MeasureResponse.id)
    ).all()
    return [_view(row, user) for row, user in found]


def latest_of_each(responses: Sequence[MeasureResponseView]) -> list[MeasureResponseView]:
    """The latest response of each measure (``responses`` oldest first), in measure order."""
    latest: dict[str, MeasureResponseView] = {}
    for response in responses:
        latest[response.measure] = response
    return sorted(latest.values(), key=lambda r: r.measure)


def patient_scores(session: Session, patient_id: int) -> tuple[MeasureScore, ...]:
    """Every scored questionnaire of the patient, oldest first (the Progress view's series)."""
    found = _responses(session, MeasureResponse.patient_id == patient_id)
    return tuple(
        MeasureScore(r.taken_on, r.measure, r.label, r.total, r.percent, r.band) for r in found
    )


def encounter_measures(session: Session, encounter_id: int) -> list[dict[str, Any]]:
    """The visit's questionnaires (the latest of each measure) as the note's snapshot holds
    them: plain JSON values (see :mod:`clinic_app.services.snapshot`)."""
    return [
        {
            "measure": r.measure,
            "label": r.label,
            "name": r.name,
            "version": r.version,
            "taken_on": r.taken_on.isoformat(),
            "total": r.total,
            "max_total": r.max_total,
            "percent": r.percent,
            "band": r.band,
        }
        for r in latest_of_each(_responses(session, MeasureResponse.encounter_id == encounter_id))
    ]


class OutcomeMeasureService(Service):
    """Record and read the patients' outcome questionnaires."""

    def record(self, entry: MeasureEntry) -> MeasureResponseView:
        """Store a completed questionnaire with its score; audited ("measure.record").

        Raises:
            ValidationError: an unknown measure, not one answer per section, an answer
                outside 0-5, more sections unanswered than the measure allows, no patient
                or visit given, or a day in the future.
            NotFoundError: no such patient (or a voided one) or visit.
            ConflictError: the visit is signed, or belongs to another patient.
        """
        self._permit("measure.record")
        if not isinstance(entry, MeasureEntry):
            raise ValidationError("entry", "No questionnaire was given.")
        measure = _measure(entry.measure)
        result = score(measure, tuple(entry.answers))
        if not isinstance(entry.taken_on, date):
            raise ValidationError("taken_on", "The day the questionnaire was taken is missing.")
        if entry.patient_id is None and entry.encounter_id is None:
            raise ValidationError("patient_id", "Choose the patient the questionnaire is for.")
        with self._tx() as session:
            patient_id = self._owner(session, entry)
            today = clinic_day(self._clock(), rows.clinic_zone(session))
            if entry.taken_on > today:
                raise ValidationError(
                    "taken_on", f"The questionnaire cannot be dated after today ({today})."
                )
            response = MeasureResponse(
                patient_id=patient_id,
                encounter_id=entry.encounter_id,
                taken_on=entry.taken_on,
                measure=measure.code,
                measure_version=measure.version,
                answers=list(entry.answers),
                answered=result.answered,
                total=result.total,
                percent=result.percent,
                band=result.band,
                entered_by_id=self._actor.user_id,
                entered_at=self._clock(),
            )
            session.add(response)
            session.flush()
            self._audit(session, "measure.record", "measure_response", response.id, patient_id)
            user = session.get(User, self._actor.user_id) if self._actor.user_id else None
            return _view(response, user)

    def _owner(self, session: Session, entry: MeasureEntry) -> int:
        """The patient the entry is for, after checking its visit (a draft of theirs)."""
        if entry.encounter_id is None:
            return rows.load_patient(session, entry.patient_id or 0, active=True).id
        encounter = rows.load_encounter(session, entry.encounter_id)
        if encounter.status is EncounterStatus.SIGNED:
            raise ConflictError(SIGNED_VISIT)
        if entry.patient_id is not None and entry.patient_id != encounter.patient_id:
            raise ConflictError("That visit belongs to another patient; nothing was saved.")
        return rows.load_patient(session, encounter.patient_id, active=True).id

    def history(self, patient_id: int) -> list[MeasureResponseView]:
        """Every questionnaire of the patient, newest first."""
        self._permit("measure.read", patient_id)
        patient_id = fields.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            rows.load_patient(session, patient_id)
            found = _responses(session, MeasureResponse.patient_id == patient_id)
        return found[::-1]

    def for_encounter(self, encounter_id: int) -> list[MeasureResponseView]:
        """The visit's questionnaires: the latest response of each measure."""
        self._permit("measure.read", encounter_id=encounter_id)
        with self._tx() as session:
            rows.load_encounter(session, encounter_id)
            found = _responses(session, MeasureResponse.encounter_id == encounter_id)
        return latest_of_each(found)

    def scores_for_patient(self, patient_id: int) -> list[MeasureScore]:
        """Every scored questionnaire of the patient, oldest first (for charts over time)."""
        self._permit("measure.read", patient_id)
        patient_id = fields.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            rows.load_patient(session, patient_id)
            return list(patient_scores(session, patient_id))
