"""A patient's progress over the series of signed visits, and its one-page report (issue 14 §1).

The arithmetic is :mod:`clinic_app.domain.progress`; this module reads what it needs as a few
column queries (the patient, the signed visits' scores, their sites, the clinic's header), never
ORM graphs, so a long history stays one round trip per table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus, Side
from clinic_app.domain.errors import NotFoundError
from clinic_app.domain.handout import PainThenNow
from clinic_app.domain.progress import Progress, VisitFacts, progress_of
from clinic_app.domain.rules import default_rules
from clinic_app.models import ClinicProfile, Encounter, InjectionSite, Patient
from clinic_app.reports.progress_data import ProgressReportData, ReportMeasure
from clinic_app.services.base import Service
from clinic_app.services.dto import MeasureScore, ProgressView
from clinic_app.services.encounter_views import muscle_name
from clinic_app.services.outcome_measures import patient_scores

_SIGNED = EncounterStatus.SIGNED


def _visits(session: Session, patient_id: int, zone: str) -> list[VisitFacts]:
    """The patient's signed visits (scores, reported relief, places treated): two queries."""
    mine = (Encounter.patient_id == patient_id, Encounter.status == _SIGNED)
    places: dict[int, set[tuple[str, Side]]] = {}
    for encounter_id, muscle, side in session.execute(
        select(InjectionSite.encounter_id, InjectionSite.muscle_code, InjectionSite.side)
        .join(Encounter, Encounter.id == InjectionSite.encounter_id)
        .where(*mine)
    ):
        places.setdefault(encounter_id, set()).add((muscle, side))
    found = session.execute(
        select(
            Encounter.id,
            Encounter.performed_at,
            Encounter.pain_before,
            Encounter.pain_after,
            Encounter.prior_relief_percent,
            Encounter.prior_relief_weeks,
        )
        .where(*mine)
        .order_by(Encounter.performed_at, Encounter.id)
    )
    return [
        VisitFacts(
            performed_on=clinic_day(row.performed_at, zone),
            pain_before=row.pain_before,
            pain_after=row.pain_after,
            prior_relief_percent=row.prior_relief_percent,
            prior_relief_weeks=row.prior_relief_weeks,
            sites=frozenset(places.get(row.id, ())),
        )
        for row in found
    ]


def pain_then_now(session: Session, encounter: Encounter, zone: str) -> PainThenNow | None:
    """The handout's "your progress" line for ``encounter``: pain before treatment at the
    patient's first signed visit and at this one (both before treatment, so today's number
    is not the numbing medicine's). None when either was not scored, or this is the first."""
    if encounter.pain_before is None:
        return None
    first = session.execute(
        select(Encounter.performed_at, Encounter.pain_before)
        .where(
            Encounter.patient_id == encounter.patient_id,
            Encounter.status == _SIGNED,
            Encounter.id != encounter.id,
            Encounter.performed_at < encounter.performed_at,
            Encounter.pain_before.is_not(None),
        )
        .order_by(Encounter.performed_at, Encounter.id)
        .limit(1)
    ).one_or_none()
    if first is None:
        return None
    return PainThenNow(
        clinic_day(first.performed_at, zone), first.pain_before, encounter.pain_before
    )


def _measures(session: Session, patient_id: int) -> tuple[MeasureScore, ...]:
    """The patient's outcome questionnaire scores (NDI, ODI), oldest first."""
    return patient_scores(session, patient_id)


def report_measures(measures: Iterable[MeasureScore]) -> tuple[ReportMeasure, ...]:
    """The scores as the report prints them."""
    return tuple(ReportMeasure(m.taken_on, m.label, m.total, m.percent, m.band) for m in measures)


class ProgressService(Service):
    """The Progress view's data and the progress report (read-only; the report is audited)."""

    def progress(self, patient_id: int) -> ProgressView:
        """The patient's series of signed visits, as of today at the clinic."""
        self._permit("progress.read", patient_id)
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            return self._view(session, patient_id)

    def report_data(self, patient_id: int) -> ProgressReportData:
        """What the progress report prints (for a preview or a test)."""
        self._permit("progress.report", patient_id)
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            data = self._report_data(session, patient_id)
            self._audit(session, "progress.report", "patient", patient_id, patient_id)
            return data

    def render_report(self, patient_id: int) -> bytes:
        """The one-page progress report as PDF bytes: a copy that can leave the building, so
        it is audited ("progress.report", with the patient)."""
        self._permit("progress.report", patient_id)
        patient_id = f.check_id("patient_id", patient_id, label="Patient")
        with self._tx() as session:
            data = self._report_data(session, patient_id)
            self._audit(session, "progress.report", "patient", patient_id, patient_id)
        from clinic_app.reports.progress_report import render_progress_report  # reportlab lazily

        return render_progress_report(data)

    # ------------------------------------------------------------ reading

    def _view(self, session: Session, patient_id: int) -> ProgressView:
        patient = session.execute(
            select(
                Patient.given_name,
                Patient.family_name,
                Patient.mrn,
                Patient.date_of_birth,
                Patient.payer,
            ).where(Patient.id == patient_id)
        ).one_or_none()
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        zone = session.scalar(select(ClinicProfile.timezone).limit(1)) or ""
        visits = _visits(session, patient_id, zone)
        today = clinic_day(self._clock(), zone)
        progress = progress_of(visits, patient.payer, default_rules().payers, today)
        return ProgressView(
            patient_id=patient_id,
            patient_name=f"{patient.given_name} {patient.family_name}".strip(),
            patient_mrn=patient.mrn,
            date_of_birth=patient.date_of_birth,
            progress=progress,
            muscle_names=self._names(progress),
            measures=_measures(session, patient_id),
        )

    def _names(self, progress: Progress) -> dict[str, str]:
        return {t.muscle_code: muscle_name(self._catalog, t.muscle_code) for t in progress.muscles}

    def _report_data(self, session: Session, patient_id: int) -> ProgressReportData:
        view = self._view(session, patient_id)
        clinic = session.execute(
            select(
                ClinicProfile.name,
                ClinicProfile.address,
                ClinicProfile.phone,
                ClinicProfile.timezone,
            )
            .order_by(ClinicProfile.id)
            .limit(1)
        ).one_or_none()
        if clinic is None:
            raise NotFoundError("The clinic profile is not set up yet; finish setup first.")
        return ProgressReportData(
            clinic_name=clinic.name,
            clinic_address=clinic.address,
            clinic_phone=clinic.phone,
            patient_name=view.patient_name,
            patient_mrn=view.patient_mrn,
            date_of_birth=view.date_of_birth,
            made_on=view.progress.series.reference,
            progress=view.progress,
            muscle_names=view.muscle_names,
            measures=report_measures(view.measures),
        )
