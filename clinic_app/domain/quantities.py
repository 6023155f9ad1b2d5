"""Exact quantities and how they are written for people."""

from __future__ import annotations

from decimal import Decimal


def plain_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form: 10.5000 -> 10.5, 10.0 -> 10."""
    normalized = value.normalize()
    exponent = normalized.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normalized.quantize(Decimal(1))
    return normalized


def dose_of(concentration: Decimal, volume_ml: Decimal) -> Decimal:
    """Concentration (per mL) × volume (mL), exact: 10 mg/mL × 0.5 mL = 5 mg."""
    return plain_decimal(concentration * volume_ml)


def format_quantity(value: Decimal, unit: str) -> str:
    """Write a dose the safe way: "0.5 mL" (leading zero), "5 mg" (no trailing zero).

    The Joint Commission's do-not-use list forbids both ".5" and "5.0"; callers pass
    "units", never "U" or "IU".
    """
    return f"{format(plain_decimal(value), 'f')} {unit}"
