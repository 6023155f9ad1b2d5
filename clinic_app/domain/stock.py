"""Lots on the shelf: input rules, what is left, warnings, and which lot a new dose takes.

Stock is counted in mL, the unit every dose row charts: a lot of ten 5 mL vials is received
as 50 mL and each charted dose draws its volume from it. What is left is derived, never
stored: received less the doses charted with the lot less the recorded adjustments
(wastage, count corrections). A lot received before stock was tracked has no quantity
(``None``): it is never "low" and counts as having stock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from clinic_app.domain.errors import ValidationError
from clinic_app.domain.quantities import format_quantity
from clinic_app.domain.validation import parse_decimal

#: A manufacturer's lot number: letters, digits and the separators printed on labels.
LOT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{0,39}")
LOT_NUMBER_MAX = 40
#: Largest quantity one receipt may hold (mL): a case of 25 × 50 mL vials is 1,250 mL.
MAX_RECEIVED_ML = Decimal("5000")
#: The clinic's low-stock threshold per medication (mL left in usable lots): about two
#: days of a busy TPI clinic at 1-2 mL per site and six sites per visit.
LOW_STOCK_ML = Decimal("20")
#: Products charted in much smaller volumes warn lower (a steroid is 0.25-1 mL per site,
#: from 1 mL vials): by drug class (:class:`clinic_app.domain.formulary.DrugClass` values).
LOW_STOCK_ML_BY_CLASS = {"corticosteroid": Decimal("5"), "botulinum_toxin": Decimal("2")}
#: A lot expiring within this many days is flagged "expiring soon".
EXPIRING_SOON = timedelta(days=30)
#: How far back an expiry date may lie when a lot is received (a lot already expired is a
#: slip: nobody receives one), and how far ahead (a typing slip in the year).
MAX_SHELF_LIFE = timedelta(days=366 * 10)


@dataclass(frozen=True, slots=True)
class LotLevel:
    """The facts about one lot that the warnings and the default lot need.

    Attributes:
        remaining_ml: what is left; ``None`` when the lot's quantity was never recorded.
    """

    lot_id: int
    expires_on: date
    remaining_ml: Decimal | None
    recalled: bool = False


def clean_lot_number(value: object) -> str:
    """A lot number as printed on the label: 1-40 letters, digits, ``.``, ``/``, ``-``."""
    if not isinstance(value, str):
        raise ValidationError("lot_number", "Lot number must be text.")
    text = value.strip().upper()
    if not text:
        raise ValidationError("lot_number", "Lot number is required.")
    if len(text) > LOT_NUMBER_MAX:
        raise ValidationError(
            "lot_number", f"Lot number is longer than {LOT_NUMBER_MAX} characters."
        )
    if not LOT_NUMBER.fullmatch(text):
        raise ValidationError(
            "lot_number",
            "Lot number takes letters, digits, '.', '/' and '-' only, as printed on the label.",
        )
    return text


def check_quantity(field: str, value: Decimal | str | int | None, *, label: str) -> Decimal:
    """A quantity received in mL: more than 0, at most :data:`MAX_RECEIVED_ML`, 0.01 mL."""
    quantity = parse_decimal(field, value, label=label)
    if quantity is None:
        raise ValidationError(field, f"{label} is required.")
    if quantity <= 0:
        raise ValidationError(field, f"{label} must be more than 0 mL.")
    if quantity > MAX_RECEIVED_ML:
        raise ValidationError(field, f"{label} is more than {MAX_RECEIVED_ML} mL in one receipt.")
    if quantity != quantity.quantize(Decimal("0.01")):
        raise ValidationError(field, f"{label} takes at most two decimals.")
    return quantity


def check_adjustment(value: Decimal | str | int | None) -> Decimal:
    """Stock taken off (positive) or found in a count (negative), never 0."""
    quantity = parse_decimal("quantity_ml", value, label="Quantity")
    if quantity is None or quantity == 0:
        raise ValidationError("quantity_ml", "Quantity is required and cannot be 0.")
    check_quantity("quantity_ml", abs(quantity), label="Quantity")
    return quantity


def check_expiry(expires_on: object, today: date) -> date:
    """An expiry date for a new lot: not already past, not implausibly far ahead."""
    if not isinstance(expires_on, date):
        raise ValidationError("expires_on", "Expiry date is required.")
    if expires_on < today:
        raise ValidationError(
            "expires_on", f"This lot expired on {expires_on.isoformat()}; it cannot be received."
        )
    if expires_on > today + MAX_SHELF_LIFE:
        raise ValidationError(
            "expires_on", f"Expiry date {expires_on.isoformat()} is more than 10 years away."
        )
    return expires_on


def remaining(
    received_ml: Decimal | None, used_ml: Iterable[Decimal], adjusted_ml: Iterable[Decimal]
) -> Decimal | None:
    """What is left of a lot (negative when more was charted than was received)."""
    if received_ml is None:
        return None
    return received_ml - sum(used_ml, Decimal(0)) - sum(adjusted_ml, Decimal(0))


def usable(lot: LotLevel, day: date) -> bool:
    """Whether a new dose given on ``day`` may take this lot (in date, not recalled)."""
    return not lot.recalled and lot.expires_on >= day


def has_stock(lot: LotLevel) -> bool:
    return lot.remaining_ml is None or lot.remaining_ml > 0


def expiring_soon(lot: LotLevel, day: date) -> bool:
    return usable(lot, day) and lot.expires_on - day <= EXPIRING_SOON


def default_lot(lots: Iterable[LotLevel], day: date) -> int | None:
    """The lot a new dose on ``day`` takes: the first to expire among the usable lots with
    stock (the shelf's first-expired-first-out); ``None`` when there is none."""
    candidates = [lot for lot in lots if usable(lot, day) and has_stock(lot)]
    if not candidates:
        return None
    return min(candidates, key=lambda lot: (lot.expires_on, lot.lot_id)).lot_id


def stock_left(lots: Iterable[LotLevel], day: date) -> Decimal | None:
    """mL left in the usable lots whose quantity is known (``None``: none is tracked)."""
    tracked = [
        lot.remaining_ml for lot in lots if usable(lot, day) and lot.remaining_ml is not None
    ]
    if not tracked:
        return None
    return sum((max(x, Decimal(0)) for x in tracked), Decimal(0))


def is_low(left: Decimal | None, threshold: Decimal = LOW_STOCK_ML) -> bool:
    return left is not None and left < threshold


def lot_status(lot: LotLevel, day: date) -> str:
    """One line for the lots list: why the lot cannot be used, or what to watch."""
    if lot.recalled:
        return "Recalled"
    if lot.expires_on < day:
        return "Expired"
    if not has_stock(lot):
        return "None left"
    if expiring_soon(lot, day):
        days = (lot.expires_on - day).days
        return "Expires today" if days == 0 else f"Expires in {days} day{'s' if days > 1 else ''}"
    return "In use"


def low_stock_threshold(drug_class: str) -> Decimal:
    """Below how many mL left a medication of this class is low on stock."""
    return LOW_STOCK_ML_BY_CLASS.get(drug_class, LOW_STOCK_ML)


def medication_warnings(
    name: str, lots: Sequence[LotLevel], day: date, threshold: Decimal = LOW_STOCK_ML
) -> list[str]:
    """The warnings the Lots screen shows for one medication (low stock, expiring soon)."""
    if default_lot(lots, day) is None:
        return [f"{name}: no lot in date with stock left; receive a lot."]
    warnings = []
    left = stock_left(lots, day)
    if is_low(left, threshold):
        assert left is not None
        warnings.append(f"{name}: low stock, {format_quantity(left, 'mL')} left in date.")
    soon = [lot for lot in lots if expiring_soon(lot, day) and has_stock(lot)]
    if soon:
        first = min(lot.expires_on for lot in soon)
        count = f"{len(soon)} lots expire" if len(soon) > 1 else "a lot expires"
        warnings.append(f"{name}: {count} within 30 days (first on {first.isoformat()}).")
    return warnings


def run_out_note(lot_number: str, left: Decimal | None) -> str | None:
    """The editor's note when the doses charted take a lot to or past empty."""
    if left is None or left > 0:
        return None
    if left == 0:
        return f"Lot {lot_number} is used up by this visit; receive a new lot."
    over = format_quantity(-left, "mL")
    return f"Lot {lot_number}: {over} more charted than is on record; check the lot or the stock."
