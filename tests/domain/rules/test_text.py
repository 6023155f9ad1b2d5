"""How messages write numbers and lists."""

from __future__ import annotations

from fractions import Fraction

import pytest

from clinic_app.domain.enums import Side
from clinic_app.domain.rules._text import (
    capital,
    days_text,
    join_and,
    join_or,
    location_text,
    ordinal,
    percent,
    period_text,
    sites_text,
)


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_ordinal(number: int, text: str) -> None:
    assert ordinal(number) == text


def test_lists_and_sites() -> None:
    assert join_and([]) == ""
    assert join_and(["a"]) == "a"
    assert join_and(["a", "b"]) == "a and b"
    assert join_or(["a", "b", "c"]) == "a, b or c"
    assert sites_text([3]) == "site 3"
    assert sites_text([3, 1, 3, 2]) == "sites 1, 2 and 3"


def test_numbers() -> None:
    assert percent(Fraction(1, 2)) == "50%"
    assert percent(Fraction(9999, 10000)) == "99.9%"  # under 100% never reads as 100%
    assert percent(Fraction(1)) == "100%"
    assert percent(Fraction(1, 3)) == "33.3%"
    assert days_text(1) == "1 day"
    assert days_text(0) == "0 days"
    assert period_text(7) == "7 days (1 week)"
    assert period_text(42) == "42 days (6 weeks)"
    assert period_text(40) == "40 days"
    assert capital("onabotulinumtoxinA") == "OnabotulinumtoxinA"
    assert capital("") == ""
    assert location_text("levator_scapulae", Side.RIGHT) == "right levator scapulae"
