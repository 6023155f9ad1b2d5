"""Lots and stock: receive, correct and recall lots, see what is left, find who received one.

Administrators and nurses keep the shelf (``lot.receive``, ``lot.edit``); providers and
nurses read the stock the dose row offers (``lot.read``); the recall search lists patients,
so it is its own action (``lot.recall``) and every search and export is audited. Quantities
are in mL (:mod:`clinic_app.domain.stock`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain import stock
from clinic_app.domain import validation as v
from clinic_app.domain.clock import clinic_day
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.models import LotAdjustment, Medication, MedicationLot, SiteDose
from clinic_app.models.base import utcnow
from clinic_app.services import lot_recall, lot_stock, rows
from clinic_app.services.base import Service
from clinic_app.services.dto import (
    LotReceipt,
    LotStockView,
    RecallQuery,
    RecallRow,
    StockReport,
)

#: What an edit from a copy of the lot read before a colleague's change is told.
STALE_LOT = (
    "This lot was changed on another workstation since you opened it. Reopen the Lots "
    "screen to see the latest; your change was not saved."
)
SUPPLIER_MAX = 200
REASON_MAX = 500


class LotService(Service):
    """The clinic's shelf of medication lots (issue 12 §5)."""

    # ------------------------------------------------------------------ reading
    def stock(self, *, include_old: bool = False) -> StockReport:
        """Every lot with what is left, by medication then expiry, and the warnings.

        Without ``include_old`` expired and recalled lots are left out of the list (the
        warnings always weigh every lot).
        """
        self._permit("lot.read")
        include_old = f.check_bool("include_old", include_old, label="Show old lots")
        with self._tx() as session:
            day = self._today(session)
            every = lot_stock.all_lots(session, day, include_old=True)
            views = lot_stock.stock_views(session, every, day)
            shown = [x for x in views if include_old or (not x.recalled and x.expires_on >= day)]
            return StockReport(day, tuple(shown), tuple(lot_stock.warnings(session, views, day)))

    def lots_for_dose(
        self, medication_id: int, *, encounter_id: int | None = None
    ) -> list[LotStockView]:
        """The lots a new dose of a medication may take today (in date, not recalled), first
        to expire first, with what is left not counting ``encounter_id``'s own doses (the
        editor adds what it charts itself)."""
        self._permit("lot.read")
        medication_id = f.check_id("medication_id", medication_id, label="Medication")
        if encounter_id is not None:
            encounter_id = f.check_id("encounter_id", encounter_id, label="Encounter")
        with self._tx() as session:
            day = self._today(session)
            lots = session.scalars(
                select(MedicationLot)
                .where(
                    MedicationLot.medication_id == medication_id,
                    MedicationLot.recalled.is_(False),
                    MedicationLot.expires_on >= day,
                )
                .order_by(MedicationLot.expires_on, MedicationLot.id)
            ).all()
            return lot_stock.stock_views(session, lots, day, excluding_encounter=encounter_id)

    # ------------------------------------------------------------------ keeping the shelf
    def receive(self, receipt: LotReceipt) -> LotStockView:
        """Put a new lot on the shelf (audited "lot.receive")."""
        self._permit("lot.receive")
        with self._tx() as session:
            day = self._today(session)
            values = _clean(receipt, day, new=True)
            medication = _medication(session, values["medication_id"])
            _refuse_duplicate(session, medication.id, values["lot_number"], None)
            lot = MedicationLot(**values, received_by_id=self._actor.user_id)
            session.add(lot)
            session.flush()
            self._audit(session, "lot.receive", "medication_lot", lot.id)
            return lot_stock.stock_views(session, [lot], day)[0]

    def update(self, lot_id: int, receipt: LotReceipt, *, expected_version: int) -> LotStockView:
        """Correct a lot's number, expiry, quantity, supplier or receipt day (audited
        "lot.edit"). Its medication cannot change once a dose names the lot."""
        self._permit("lot.edit")
        lot_id = f.check_id("lot_id", lot_id, label="Lot")
        version = f.check_id("expected_version", expected_version, label="The lot's version")
        with self._tx() as session:
            day = self._today(session)
            values = _clean(receipt, day, new=False)
            lot = _load(session, lot_id)
            rows.check_version(lot.version, version, STALE_LOT)
            if values["medication_id"] != lot.medication_id:
                _medication(session, values["medication_id"])
                if session.scalar(select(SiteDose.id).where(SiteDose.lot_id == lot.id).limit(1)):
                    raise ConflictError(
                        "Doses are charted with this lot; its medication cannot change."
                    )
            _refuse_duplicate(session, values["medication_id"], values["lot_number"], lot.id)
            for name, value in values.items():
                setattr(lot, name, value)
            session.flush()
            self._audit(session, "lot.edit", "medication_lot", lot.id)
            return lot_stock.stock_views(session, [lot], day)[0]

    def set_recalled(self, lot_id: int, recalled: bool, *, expected_version: int) -> LotStockView:
        """Mark a lot recalled (never offered again; its doses keep naming it) or take the
        mark back (audited "lot.recall_mark" / "lot.recall_unmark")."""
        self._permit("lot.edit")
        lot_id = f.check_id("lot_id", lot_id, label="Lot")
        recalled = f.check_bool("recalled", recalled, label="Recalled")
        version = f.check_id("expected_version", expected_version, label="The lot's version")
        with self._tx() as session:
            lot = _load(session, lot_id)
            rows.check_version(lot.version, version, STALE_LOT)
            lot.recalled = recalled
            session.flush()
            action = "lot.recall_mark" if recalled else "lot.recall_unmark"
            self._audit(session, action, "medication_lot", lot.id)
            return lot_stock.stock_views(session, [lot], self._today(session))[0]

    def adjust(self, lot_id: int, quantity_ml: str, reason: str) -> LotStockView:
        """Record stock taken off (wastage, breakage: positive mL) or found in a count
        (negative), with why (audited "lot.adjust")."""
        self._permit("lot.edit")
        lot_id = f.check_id("lot_id", lot_id, label="Lot")
        quantity = stock.check_adjustment(quantity_ml)
        why = v.clean_text("reason", reason, label="Reason", required=True, max_length=REASON_MAX)
        with self._tx() as session:
            lot = _load(session, lot_id)
            if lot.quantity_ml is None:
                raise ConflictError(
                    "This lot's quantity was never recorded; edit the lot to record it first."
                )
            row = LotAdjustment(
                lot_id=lot.id,
                quantity_ml=quantity,
                reason=why,
                recorded_at=utcnow(),
                recorded_by_id=self._actor.user_id,
            )
            session.add(row)
            session.flush()
            self._audit(session, "lot.adjust", "lot_adjustment", row.id)
            return lot_stock.stock_views(session, [lot], self._today(session))[0]

    # ------------------------------------------------------------------ recall
    def recall_search(self, query: RecallQuery) -> list[RecallRow]:
        """The visits in which patients received a lot (audited "lot.recall_search": the
        answer lists patients)."""
        self._permit("lot.recall")
        query = lot_recall.check_query(query)
        with self._tx() as session:
            found = lot_recall.search(session, query)
            self._audit(session, "lot.recall_search", "medication_lot", None)
            return found

    def recall_csv(self, query: RecallQuery) -> str:
        """The same search as CSV text (audited "lot.recall_export")."""
        self._permit("lot.recall")
        query = lot_recall.check_query(query)
        with self._tx() as session:
            found = lot_recall.search(session, query)
            self._audit(session, "lot.recall_export", "medication_lot", None)
            return lot_recall.to_csv(found)

    # ------------------------------------------------------------------ helpers
    def _today(self, session: Session) -> date:
        return clinic_day(self._clock(), rows.clinic_zone(session))


def _clean(receipt: LotReceipt, today: date, *, new: bool) -> dict[str, object]:
    """The receipt's values for the lot row. A new lot may not be expired already; a
    correction may keep a past expiry date (the lot is on record as it was)."""
    if not isinstance(receipt, LotReceipt):
        raise ValidationError("receipt", "The lot's details are missing.")
    medication_id = f.check_id("medication_id", receipt.medication_id, label="Medication")
    number = stock.clean_lot_number(receipt.lot_number)
    expires = f.check_date("expires_on", receipt.expires_on, label="Expiry date")
    if new or expires is None:
        expires = stock.check_expiry(expires, today)
    quantity = stock.check_quantity("quantity_ml", receipt.quantity_ml, label="Quantity received")
    supplier = v.clean_text("supplier", receipt.supplier, label="Supplier", max_length=SUPPLIER_MAX)
    received = f.check_date("received_on", receipt.received_on, label="Received on") or today
    if received > today:
        raise ValidationError("received_on", "A lot cannot be received after today.")
    return {
        "medication_id": medication_id,
        "lot_number": number,
        "expires_on": expires,
        "quantity_ml": quantity,
        "supplier": supplier,
        "received_on": received,
    }


def _medication(session: Session, medication_id: object) -> Medication:
    medication = session.get(Medication, medication_id)
    if medication is None:
        raise NotFoundError(f"No medication with id {medication_id}.")
    return medication


def _load(session: Session, lot_id: int) -> MedicationLot:
    lot = session.get(MedicationLot, lot_id)
    if lot is None:
        raise NotFoundError(f"No lot with id {lot_id}.")
    return lot


def _refuse_duplicate(
    session: Session, medication_id: object, number: object, lot_id: int | None
) -> None:
    """A second lot with the same number of the same medication would be ambiguous on a
    recall; a second delivery of a lot is recorded by correcting its quantity."""
    query = select(MedicationLot.id).where(
        MedicationLot.medication_id == medication_id,
        func.upper(MedicationLot.lot_number) == str(number).upper(),
    )
    if lot_id is not None:
        query = query.where(MedicationLot.id != lot_id)
    if session.scalar(query.limit(1)) is not None:
        raise ConflictError(
            f"Lot {number} of this medication is already on record; to add a second delivery "
            "of it, edit that lot's quantity."
        )
