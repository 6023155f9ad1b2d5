"""The demo clinic's shelf: lots of each product delivered over two years, and which is used.

Every dose of a product the clinic stocks by lot names its lot (tpi-reference.md §6), so the
demo keeps a realistic shelf: deliveries every few months, each in date for a year and a half
or more, the first to expire used first. No lot is ever used past its expiry date.

Once the visits are charted, each delivery gets its quantity (:func:`fill_shelf`): whole
boxes of vials covering what the visits drew from it, plus a few vials still on the shelf for
a lot in date, so the Lots screen shows a realistic stock (issue 12 §5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from random import Random

from sqlalchemy.orm import Session

from clinic_app.domain.formulary import FormularyEntry
from clinic_app.models import MedicationLot
from clinic_app.services.lot_stock import used_by_lot

#: A lot this close to its expiry date is not opened for a patient.
EXPIRY_MARGIN = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class StockLot:
    lot_id: int
    lot_number: str
    received: date
    expires: date


def lot_deliveries(rng: Random, code: str, first: date, last: date) -> list[tuple[str, date, date]]:
    """(lot number, received, expires) of a product from before ``first`` until ``last``.

    A delivery every 3–5 months with 18–24 months of shelf life, so some lot is always in
    date, and the oldest ones have expired by today, as on a real shelf.
    """
    prefix = "".join(part[0] for part in code.split("_")[:2]).upper()
    deliveries = []
    received = first - timedelta(days=rng.randint(30, 120))
    while received <= last:
        expires = received + timedelta(days=rng.randint(540, 720))
        number = f"{prefix}{received:%y%m}{rng.choice('ABCDEFGHJK')}{rng.randint(10, 99)}"
        deliveries.append((number, received, expires))
        received += timedelta(days=rng.randint(90, 150))
    return deliveries


@dataclass(frozen=True, slots=True)
class Stock:
    """The products the demo uses: formulary entries, medication ids, lots over time."""

    entries: Mapping[str, FormularyEntry]
    ids: Mapping[str, int]
    lots: Mapping[str, Sequence[StockLot]]

    def lot_on(self, code: str, day: date) -> int:
        """The lot used on ``day``: the first to expire among those received and in date."""
        usable = [
            lot
            for lot in self.lots[code]
            if lot.received <= day and lot.expires >= day + EXPIRY_MARGIN
        ]
        if not usable:
            raise LookupError(f"no lot of {code} in date on {day}")
        return min(usable, key=lambda lot: lot.expires).lot_id


#: The vial a product is bought in (mL), by drug class; other classes by 5 mL.
VIAL_ML = {"local_anesthetic": Decimal(10), "corticosteroid": Decimal(1)}
#: Who the demo clinic buys from.
SUPPLIERS = ("McKesson Medical-Surgical", "Henry Schein Medical", "Medline Industries")


def delivered(rng: Random, used: Decimal, vial_ml: Decimal, *, in_date: bool) -> Decimal:
    """What a delivery held, in whole vials: what the visits drew from it, plus 2-12 vials
    still on the shelf for a lot in date (an expired one was used up or its rest discarded)."""
    spare = vial_ml * rng.randint(2, 12) if in_date else Decimal(0)
    vials = ((used + spare) / vial_ml).to_integral_value(rounding=ROUND_CEILING)
    return vial_ml * max(vials, Decimal(1))


def fill_shelf(
    session: Session, rng: Random, stock: Stock, today: date, receiver_id: int | None
) -> None:
    """Give every demo lot its quantity, supplier, day received and receiver."""
    by_id = {lot.lot_id: lot for lots in stock.lots.values() for lot in lots}
    used = used_by_lot(session, by_id)
    for code, lots in stock.lots.items():
        vial = VIAL_ML.get(str(stock.entries[code].drug_class), Decimal(5))
        supplier = rng.choice(SUPPLIERS)
        for lot in lots:
            row = session.get(MedicationLot, lot.lot_id)
            if row is None:  # the seeder made every one; nothing to fill otherwise
                continue
            volume = sum(used.get(lot.lot_id, ()), Decimal(0))
            row.quantity_ml = delivered(rng, volume, vial, in_date=lot.expires >= today)
            row.supplier = supplier
            row.received_on = lot.received
            row.received_by_id = receiver_id
