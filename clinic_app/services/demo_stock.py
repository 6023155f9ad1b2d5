"""The demo clinic's shelf: lots of each product delivered over two years, and which is used.

Every dose of a product the clinic stocks by lot names its lot (tpi-reference.md §6), so the
demo keeps a realistic shelf: deliveries every few months, each in date for a year and a half
or more, the first to expire used first. No lot is ever used past its expiry date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from clinic_app.domain.formulary import FormularyEntry

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
