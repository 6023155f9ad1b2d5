"""What the one-page progress report prints, as plain values (no drawing library): the
progress service builds them; :mod:`.progress_report` draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from clinic_app.domain.progress import Progress


@dataclass(frozen=True, slots=True)
class ReportMeasure:
    """One outcome questionnaire score: "NDI 2026-03-04: 18/50 (36%, moderate)"."""

    taken_on: date
    label: str
    total: int
    percent: float
    band: str


@dataclass(frozen=True, slots=True)
class ProgressReportData:
    """Everything the progress report prints.

    Attributes:
        clinic_name, clinic_address, clinic_phone: the header.
        patient_name, patient_mrn, date_of_birth: whose series.
        made_on: the clinic day the report was made.
        progress: the series of signed visits.
        muscle_names: the catalog's name of each muscle code in the series.
        measures: outcome questionnaire scores, oldest first (may be empty).
    """

    clinic_name: str
    clinic_address: str
    clinic_phone: str
    patient_name: str
    patient_mrn: str
    date_of_birth: date
    made_on: date
    progress: Progress
    muscle_names: dict[str, str] = field(default_factory=dict)
    measures: tuple[ReportMeasure, ...] = ()
