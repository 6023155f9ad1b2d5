"""What is left of each lot, derived by query: received less charted less adjusted.

Nothing on the lot row counts down. The doses that count are read each time, so an undone
dose, a discarded draft or a draft of a patient voided as registered in error gives its
volume back on every workstation at once, and two workstations charting at the same moment
cannot make a counter drift. A signed visit always counts: the medicine was given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from clinic_app.domain import stock
from clinic_app.domain.enums import EncounterStatus
from clinic_app.models import (
    Encounter,
    InjectionSite,
    LotAdjustment,
    Medication,
    MedicationLot,
    Patient,
    SiteDose,
    User,
)
from clinic_app.services import rows
from clinic_app.services.dto import LotStockView


def dose_counts() -> ColumnElement[bool]:
    """Whether a charted dose has left the shelf: any signed visit, and drafts of patients
    not voided (a draft of a patient registered in error never happened)."""
    return or_(Encounter.status == EncounterStatus.SIGNED, Patient.voided_at.is_(None))


def used_by_lot(
    session: Session, lot_ids: Iterable[int], *, excluding_encounter: int | None = None
) -> dict[int, list[Decimal]]:
    """The volumes charted with each lot in visits that count.

    Summed in Python: SQLite keeps exact decimals as text, which SQL's SUM would turn into
    floats.
    """
    ids = list(lot_ids)
    found: dict[int, list[Decimal]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(SiteDose.lot_id, SiteDose.volume_ml)
        .join(InjectionSite, SiteDose.site_id == InjectionSite.id)
        .join(Encounter, InjectionSite.encounter_id == Encounter.id)
        .join(Patient, Encounter.patient_id == Patient.id)
        .where(SiteDose.lot_id.in_(ids), dose_counts())
    )
    if excluding_encounter is not None:
        query = query.where(Encounter.id != excluding_encounter)
    for lot_id, volume in session.execute(query):
        if lot_id is not None:  # always: the query asks for these lots
            found[lot_id].append(volume)
    return found


def adjusted_by_lot(session: Session, lot_ids: Iterable[int]) -> dict[int, list[Decimal]]:
    ids = list(lot_ids)
    found: dict[int, list[Decimal]] = defaultdict(list)
    if ids:
        query = select(LotAdjustment.lot_id, LotAdjustment.quantity_ml).where(
            LotAdjustment.lot_id.in_(ids)
        )
        for lot_id, quantity in session.execute(query):
            found[lot_id].append(quantity)
    return found


def stock_views(
    session: Session,
    lots: Sequence[MedicationLot],
    day: date,
    *,
    excluding_encounter: int | None = None,
) -> list[LotStockView]:
    """Each lot with what is left of it on ``day`` (its status is relative to ``day``)."""
    ids = [lot.id for lot in lots]
    used = used_by_lot(session, ids, excluding_encounter=excluding_encounter)
    adjusted = adjusted_by_lot(session, ids)
    names = rows.medication_names(session)
    receivers = {lot.received_by_id for lot in lots if lot.received_by_id is not None}
    people = {
        u.id: rows.user_label(u)
        for u in (session.scalars(select(User).where(User.id.in_(receivers))) if receivers else ())
    }
    views = []
    for lot in lots:
        used_ml = sum(used.get(lot.id, ()), Decimal(0))
        adjusted_ml = sum(adjusted.get(lot.id, ()), Decimal(0))
        left = stock.remaining(lot.quantity_ml, [used_ml], [adjusted_ml])
        level = stock.LotLevel(lot.id, lot.expires_on, left, lot.recalled)
        views.append(
            LotStockView(
                id=lot.id,
                medication_id=lot.medication_id,
                medication_name=names.get(lot.medication_id, "?"),
                lot_number=lot.lot_number,
                expires_on=lot.expires_on,
                received_ml=lot.quantity_ml,
                used_ml=used_ml,
                adjusted_ml=adjusted_ml,
                remaining_ml=left,
                supplier=lot.supplier,
                received_on=lot.received_on,
                received_by=people.get(lot.received_by_id, "") if lot.received_by_id else "",
                recalled=lot.recalled,
                status=stock.lot_status(level, day),
                version=lot.version,
            )
        )
    return views


def level_of(view: LotStockView) -> stock.LotLevel:
    return stock.LotLevel(view.id, view.expires_on, view.remaining_ml, view.recalled)


def all_lots(session: Session, day: date, *, include_old: bool) -> list[MedicationLot]:
    """Lots by medication name then expiry; without ``include_old`` only those in date and
    not recalled."""
    query = (
        select(MedicationLot)
        .join(Medication, MedicationLot.medication_id == Medication.id)
        .order_by(Medication.name, MedicationLot.expires_on, MedicationLot.id)
    )
    if not include_old:
        query = query.where(MedicationLot.recalled.is_(False), MedicationLot.expires_on >= day)
    return list(session.scalars(query))


def warnings(session: Session, views: Sequence[LotStockView], day: date) -> list[str]:
    """Low-stock and expiring-soon warnings, one medication after another (the low-stock
    threshold by the medication's drug class)."""
    classes = dict(session.execute(select(Medication.name, Medication.drug_class)).all())
    by_medication: dict[str, list[stock.LotLevel]] = defaultdict(list)
    for view in views:
        by_medication[view.medication_name].append(level_of(view))
    found = []
    for name, levels in by_medication.items():
        threshold = stock.low_stock_threshold(str(classes.get(name, "")))
        found.extend(stock.medication_warnings(name, levels, day, threshold))
    return found
