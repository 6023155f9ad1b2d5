"""Corticosteroid exposure (tpi-reference.md §4): a clinic-policy rolling window and diabetes.

Steroids are compared as triamcinolone-equivalent mg (dose × the formulary entry's factor).
The window counts this encounter plus prior sessions fewer than ``steroid_window_days`` days
before it; a total *above* the threshold warns (exactly the threshold does not).
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.domain.rules._text import join_and
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Finding

DIABETES_QUESTION = "diabetes"


def check(ctx: Context) -> list[Finding]:
    steroid = [d for d in ctx.doses if d.entry.triamcinolone_equivalent_factor is not None]
    if not steroid:
        return []
    sites = [dose.site.number for dose in steroid]
    today = plain_decimal(
        sum(
            (dose.amount * (dose.entry.triamcinolone_equivalent_factor or 0) for dose in steroid),
            Decimal(0),
        )
    )
    findings: list[Finding] = []
    diabetic = ctx.patient.diabetes or ctx.encounter.screening.get(DIABETES_QUESTION) is True
    if diabetic:
        given: dict[str, Decimal] = {}
        for dose in steroid:
            given[dose.entry.generic] = given.get(dose.entry.generic, Decimal(0)) + dose.amount
        names = join_and([f"{name} {format_quantity(mg, 'mg')}" for name, mg in given.items()])
        text = (
            f"Diabetes on record and {names} today: blood glucose may rise for 24–72 hours; "
            "the handout tells the patient to check it for 2–3 days."
        )
        findings.append(ctx.book.finding("steroid.diabetes", text, sites))
    window = ctx.policy.steroid_window_days
    earlier = [
        s for s in ctx.history if ctx.days_ago(s) < window and s.steroid_tri_equivalent_mg > 0
    ]
    before = plain_decimal(sum((s.steroid_tri_equivalent_mg for s in earlier), Decimal(0)))
    total = plain_decimal(today + before)
    threshold = ctx.policy.steroid_threshold_mg
    if total > threshold:
        sessions = "session" if len(earlier) == 1 else "sessions"
        text = (
            f"Steroid in {window} days: {format_quantity(total, 'mg')} triamcinolone-equivalent "
            f"({format_quantity(today, 'mg')} today + {format_quantity(before, 'mg')} from "
            f"{len(earlier)} earlier {sessions}) is above the clinic's "
            f"{format_quantity(threshold, 'mg')} threshold (clinic policy, not evidence)."
        )
        findings.append(ctx.book.finding("steroid.window", text, sites))
    return findings
