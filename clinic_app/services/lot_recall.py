"""The lot recall search: which patients received lot X between two days, and its CSV.

Every visit that charted the lot is listed, drafts and visits of voided patients too (marked
as such): a recall notice errs on the side of reaching everyone who may have received it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from clinic_app.domain import fields as f
from clinic_app.domain import stock
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.quantities import format_quantity
from clinic_app.models import (
    Encounter,
    InjectionSite,
    Medication,
    MedicationLot,
    Patient,
    SiteDose,
    User,
)
from clinic_app.services import rows
from clinic_app.services.documents import local_day_bounds
from clinic_app.services.dto import RecallQuery, RecallRow

CSV_HEADER = (
    "Visit day", "MRN", "Patient", "Phone", "Medication", "Lot", "Volume (mL)", "Sites",
    "Provider", "Visit", "Encounter id",
)  # fmt: skip


def check_query(query: RecallQuery) -> RecallQuery:
    """The query with a cleaned lot number; refuses an end before the start."""
    if not isinstance(query, RecallQuery):
        raise ValidationError("query", "The recall search is missing.")
    number = stock.clean_lot_number(query.lot_number)
    medication_id = (
        None
        if query.medication_id is None
        else f.check_id("medication_id", query.medication_id, label="Medication")
    )
    start = f.check_date("start", query.start, label="From")
    end = f.check_date("end", query.end, label="To")
    if start is not None and end is not None and end < start:
        raise ValidationError("end", "The end day is before the start day.")
    return RecallQuery(number, medication_id, start, end)


def search(session: Session, query: RecallQuery) -> list[RecallRow]:
    """One row per visit and medication that charted the lot, oldest visit first."""
    zone = rows.clinic_zone(session)
    provider = aliased(User)
    statement = (
        select(
            Encounter.id,
            Encounter.performed_at,
            Encounter.status,
            Patient.mrn,
            Patient.family_name,
            Patient.given_name,
            Patient.phone,
            Patient.voided_at,
            Medication.name,
            MedicationLot.lot_number,
            SiteDose.volume_ml,
            InjectionSite.id,
            provider,
        )
        .select_from(SiteDose)
        .join(MedicationLot, SiteDose.lot_id == MedicationLot.id)
        .join(Medication, MedicationLot.medication_id == Medication.id)
        .join(InjectionSite, SiteDose.site_id == InjectionSite.id)
        .join(Encounter, InjectionSite.encounter_id == Encounter.id)
        .join(Patient, Encounter.patient_id == Patient.id)
        .join(provider, Encounter.provider_id == provider.id)
        .where(func.upper(MedicationLot.lot_number) == query.lot_number.upper())
        .order_by(Encounter.performed_at, Encounter.id, Medication.name)
    )
    if query.medication_id is not None:
        statement = statement.where(MedicationLot.medication_id == query.medication_id)
    if query.start is not None:
        statement = statement.where(
            Encounter.performed_at >= local_day_bounds(query.start, zone)[0]
        )
    if query.end is not None:
        statement = statement.where(Encounter.performed_at < local_day_bounds(query.end, zone)[1])
    visits: dict[tuple[int, str], _Visit] = {}
    for (
        encounter_id, performed_at, status, mrn, family, given, phone, voided_at, medication,
        lot_number, volume, site_id, doctor,
    ) in session.execute(statement):  # fmt: skip
        visit = visits.get((encounter_id, medication))
        if visit is None:
            visit = visits[encounter_id, medication] = _Visit(
                RecallRow(
                    encounter_id=encounter_id,
                    performed_on=clinic_day(performed_at, zone),
                    patient_mrn=mrn,
                    patient_name=f"{family}, {given}",
                    patient_phone=phone,
                    medication_name=medication,
                    lot_number=lot_number,
                    volume_ml=Decimal(0),
                    sites=0,
                    provider=rows.user_label(doctor),
                    status=_status(status, voided_at is not None),
                )
            )
        visit.volume += volume
        visit.sites.add(site_id)
    return [replace(v.row, volume_ml=v.volume, sites=len(v.sites)) for v in visits.values()]


@dataclass(slots=True)
class _Visit:
    """One visit's row while its doses are added up."""

    row: RecallRow
    volume: Decimal = Decimal(0)
    sites: set[int] = field(default_factory=set)


def _status(status: EncounterStatus, voided: bool) -> str:
    text = "signed" if status == EncounterStatus.SIGNED else "draft"
    return f"{text}, patient voided" if voided else text


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def to_csv(found: Sequence[RecallRow]) -> str:
    """The rows as CSV text (a header line first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in found:
        writer.writerow(
            [
                _cell(x)
                for x in (
                    r.performed_on.isoformat(), r.patient_mrn, r.patient_name, r.patient_phone,
                    r.medication_name, r.lot_number, format_quantity(r.volume_ml, "").strip(),
                    r.sites, r.provider, r.status, r.encounter_id,
                )
            ]
        )  # fmt: skip
    return out.getvalue()


def describe(query: RecallQuery) -> str:
    """The search in words (for the screen's title line)."""
    days = (
        f" from {query.start.isoformat() if query.start else 'the first visit'}"
        f" to {query.end.isoformat() if query.end else 'today'}"
    )
    return f"Lot {query.lot_number}{days}"
