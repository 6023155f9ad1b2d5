"""Lot stock rules: input checks, what is left, warnings, the default lot."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from clinic_app.domain import stock
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.stock import LotLevel

TODAY = date(2026, 12, 7)


def lot(lot_id: int, days: int, left: str | None, *, recalled: bool = False) -> LotLevel:
    return LotLevel(
        lot_id, TODAY + timedelta(days=days), None if left is None else Decimal(left), recalled
    )


@pytest.mark.parametrize(
    ("typed", "kept"), [(" ab12-3 ", "AB12-3"), ("L.2026/7", "L.2026/7"), ("9", "9")]
)
def test_a_lot_number_is_kept_as_printed_in_capitals(typed: str, kept: str) -> None:
    assert stock.clean_lot_number(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (12, "must be text"),
        ("  ", "required"),
        ("A" * 41, "longer than 40"),
        ("AB 12", "letters, digits"),
        ("-AB", "letters, digits"),
        ("AB<b>", "letters, digits"),
    ],
)
def test_a_lot_number_that_is_not_a_label_is_refused(typed: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        stock.clean_lot_number(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (None, "required"),
        ("", "required"),
        ("0", "more than 0"),
        ("-5", "more than 0"),
        ("5001", "more than 5000"),
        ("1.005", "two decimals"),
        ("ten", "plain number"),
    ],
)
def test_a_quantity_received_is_checked(typed: str | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        stock.check_quantity("quantity_ml", typed, label="Quantity received")


def test_a_quantity_received_is_exact() -> None:
    assert stock.check_quantity("q", "12,5", label="Q") == Decimal("12.5")


def test_an_adjustment_may_take_off_or_add_back_but_not_be_zero() -> None:
    assert stock.check_adjustment("2.5") == Decimal("2.5")
    assert stock.check_adjustment("-1") == Decimal("-1")
    for typed in ("0", "", None):
        with pytest.raises(ValidationError, match="cannot be 0"):
            stock.check_adjustment(typed)
    with pytest.raises(ValidationError, match="two decimals"):
        stock.check_adjustment("-0.001")


def test_an_expiry_date_is_checked() -> None:
    assert stock.check_expiry(TODAY, TODAY) == TODAY
    with pytest.raises(ValidationError, match="required"):
        stock.check_expiry(None, TODAY)
    with pytest.raises(ValidationError, match="expired on 2026-12-06"):
        stock.check_expiry(TODAY - timedelta(days=1), TODAY)
    with pytest.raises(ValidationError, match="10 years"):
        stock.check_expiry(TODAY + timedelta(days=4000), TODAY)


def test_remaining_is_received_less_used_less_adjusted() -> None:
    used = [Decimal("1.5"), Decimal("2")]
    assert stock.remaining(Decimal("10"), used, [Decimal("1"), Decimal("-0.5")]) == Decimal("6")
    assert stock.remaining(None, used, []) is None
    assert stock.remaining(Decimal("1"), used, []) == Decimal("-2.5")


def test_the_default_lot_is_the_first_to_expire_with_stock() -> None:
    lots = [
        lot(1, -1, "50"),  # expired
        lot(2, 3, "50", recalled=True),
        lot(3, 5, "0"),  # used up
        lot(5, 40, "10"),
        lot(4, 40, None),  # not tracked: counts as stock; same day, lower id first
        lot(6, 90, "30"),
    ]
    assert stock.default_lot(lots, TODAY) == 4
    assert stock.default_lot(lots[:3], TODAY) is None
    assert stock.default_lot([lot(7, 0, "1")], TODAY) == 7  # usable on its expiry day


def test_stock_left_counts_usable_tracked_lots_and_never_below_zero() -> None:
    lots = [lot(1, 10, "5"), lot(2, 10, "-3"), lot(3, -1, "100"), lot(4, 10, None)]
    assert stock.stock_left(lots, TODAY) == Decimal("5")
    assert stock.stock_left([lot(4, 10, None)], TODAY) is None
    assert stock.is_low(Decimal("19.99"))
    assert not stock.is_low(Decimal("20"))
    assert not stock.is_low(None)


@pytest.mark.parametrize(
    ("level", "status"),
    [
        (lot(1, 10, "5", recalled=True), "Recalled"),
        (lot(1, -1, "5"), "Expired"),
        (lot(1, 10, "0"), "None left"),
        (lot(1, 0, "5"), "Expires today"),
        (lot(1, 1, "5"), "Expires in 1 day"),
        (lot(1, 30, None), "Expires in 30 days"),
        (lot(1, 31, "5"), "In use"),
    ],
)
def test_a_lot_status_says_what_to_watch(level: LotLevel, status: str) -> None:
    assert stock.lot_status(level, TODAY) == status


def test_medication_warnings() -> None:
    assert stock.medication_warnings("Lido", [lot(1, 100, "50")], TODAY) == []
    assert stock.medication_warnings("Lido", [lot(1, 100, "5"), lot(2, 10, "0")], TODAY) == [
        "Lido: low stock, 5 mL left in date."
    ]
    assert stock.medication_warnings("Lido", [lot(1, 12, "40"), lot(2, 20, None)], TODAY) == [
        "Lido: 2 lots expire within 30 days (first on 2026-12-19)."
    ]
    assert stock.medication_warnings("Lido", [lot(1, -1, "40"), lot(2, 20, "0")], TODAY) == [
        "Lido: no lot in date with stock left; receive a lot."
    ]
    assert stock.medication_warnings("Lido", [lot(1, 12, "4")], TODAY) == [
        "Lido: low stock, 4 mL left in date.",
        "Lido: a lot expires within 30 days (first on 2026-12-19).",
    ]


def test_run_out_note() -> None:
    assert stock.run_out_note("A1", None) is None
    assert stock.run_out_note("A1", Decimal("0.5")) is None
    assert "used up" in (stock.run_out_note("A1", Decimal(0)) or "")
    assert "1.5 mL more charted" in (stock.run_out_note("A1", Decimal("-1.5")) or "")


def test_a_steroid_warns_lower_than_an_anesthetic() -> None:
    assert stock.low_stock_threshold("corticosteroid") == Decimal("5")
    assert stock.low_stock_threshold("local_anesthetic") == stock.LOW_STOCK_ML
    lots = [lot(1, 100, "8")]
    assert stock.medication_warnings("Kenalog", lots, TODAY, Decimal("5")) == []
    assert stock.medication_warnings("Lido", lots, TODAY) == ["Lido: low stock, 8 mL left in date."]
