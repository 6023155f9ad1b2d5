"""CPT and drug HCPCS codes (tpi-reference.md §3; bands in coding.toml).

Muscles are counted as distinct (billing muscle, side) pairs per technique: left and right of
one muscle are two, upper and middle trapezius on one side are one (the catalog's
billing_muscle). The technique alone puts a site in the injection or the dry-needling family:
an injection site with no drug recorded still counts as an injection (site_safety.py warns
about it), so the code never changes silently while a provider is still entering doses.
A session with both families lists both codes and asks for coder review.

HCPCS units are the encounter's total dose of a drug ÷ its billing unit, rounded up
(triamcinolone 12 mg -> J3301 × 2); drugs without a code (local anesthetic, saline) get no line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.formulary import FormularyEntry
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.domain.rules._text import join_and, location_text
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import CodeLine, CodingSummary, Finding


def muscles_by_technique(ctx: Context) -> dict[Technique, list[tuple[str, Side]]]:
    """The distinct (billing muscle, side) pairs of each technique, in site order."""
    pairs: dict[Technique, list[tuple[str, Side]]] = {t: [] for t in Technique}
    for site, muscle in ctx.known:
        pair = (muscle.billing_muscle, site.side)
        if pair not in pairs[site.technique]:
            pairs[site.technique].append(pair)
    return pairs


def _cpt(ctx: Context) -> list[CodeLine]:
    lines = []
    for technique, pairs in muscles_by_technique(ctx).items():
        if not pairs:
            continue
        band = next(b for b in ctx.book.cpt if b.fits(technique, len(pairs)))
        names = join_and([location_text(*pair) for pair in pairs])
        lines.append(CodeLine(band.code, 1, f"{band.description}: {names}"))
    return lines


def _hcpcs(ctx: Context) -> list[CodeLine]:
    totals: dict[str, tuple[FormularyEntry, Decimal]] = {}
    for dose in ctx.doses:
        code = dose.entry.hcpcs_code
        if code is None:
            continue
        entry, total = totals.get(code, (dose.entry, Decimal(0)))
        totals[code] = entry, total + dose.amount
    lines = []
    for code, (entry, total) in totals.items():
        amount = entry.billing_unit_amount or Decimal(1)
        unit = entry.dose_unit.value
        units = math.ceil(Fraction(total) / Fraction(amount))
        description = ctx.book.hcpcs.get(code) or (
            f"{entry.generic}, per {format_quantity(amount, unit)}"
        )
        given = format_quantity(plain_decimal(total), unit)
        lines.append(CodeLine(code, units, f"{description} ({given} given)"))
    return lines


def check(ctx: Context, icd10: Sequence[str]) -> tuple[list[Finding], CodingSummary]:
    findings = []
    if not ctx.sites:
        text = "No sites are charted: there is no procedure code to bill."
        findings.append(ctx.book.finding("coding.no_sites", text))
    cpt = _cpt(ctx)
    coder_review = len(cpt) > 1
    if coder_review:
        text = (
            f"Injection and dry needling in one session: {join_and([c.code for c in cpt])} are "
            "both listed for the coder to decide (payer-specific)."
        )
        findings.append(ctx.book.finding("coding.coder_review", text))
    summary = CodingSummary(tuple(cpt), tuple(_hcpcs(ctx)), tuple(icd10), coder_review)
    return findings, summary
