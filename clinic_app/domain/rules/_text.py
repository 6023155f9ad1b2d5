"""Small helpers that write numbers and lists the way every message does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from clinic_app.domain.enums import Side
from clinic_app.domain.labels import capital as capital  # re-exported for the rules
from clinic_app.domain.quantities import plain_decimal


def join_and(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return _join(items, "and")


def join_or(items: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    return _join(items, "or")


def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def sites_text(numbers: Iterable[int]) -> str:
    """ "site 1", "sites 1 and 2", "sites 1, 2 and 3" (ascending, no repeats)."""
    ordered = sorted(set(numbers))
    noun = "site" if len(ordered) == 1 else "sites"
    return f"{noun} {join_and([str(n) for n in ordered])}"


def percent(share: Fraction) -> str:
    """A share as a percent, rounded down to 0.1 so that under 100% never reads as 100%."""
    value = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_FLOOR
    )
    return f"{format(plain_decimal(value), 'f')}%"


def days_text(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def period_text(days: int) -> str:
    """ "42 days (6 weeks)" when it is whole weeks, else "40 days"."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{days_text(days)} ({weeks} week{'' if weeks == 1 else 's'})"
    return days_text(days)


def ordinal(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{({1: 'st', 2: 'nd', 3: 'rd'}).get(number % 10, 'th')}"


def location_text(billing_muscle: str, side: Side) -> str:
    """ "left trapezius" from ("trapezius", Side.LEFT)."""
    return f"{side.value} {billing_muscle.replace('_', ' ')}"
