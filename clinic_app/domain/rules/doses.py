"""Dose arithmetic and local anesthetic limits (tpi-reference.md §4).

Dose = concentration × volume, exact (:func:`~clinic_app.domain.quantities.dose_of`); totals
per generic drug per encounter. A local anesthetic's limit is min(weight × mg/kg, cap), both
from the formulary entry; without a current weight it is the cap. When one generic is stocked
with different limits (lidocaine with and without epinephrine charted together), the lower
mg/kg and the lower cap apply: the conservative reading.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from clinic_app.domain.enums import DoseUnit
from clinic_app.domain.formulary import FormularyEntry
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.domain.rules._text import capital, join_and, percent, sites_text
from clinic_app.domain.rules.context import Context, GivenDose, valid_volume
from clinic_app.domain.rules.model import DrugTotal, Finding

MG = DoseUnit.MG.value


@dataclass(frozen=True, slots=True)
class Weight:
    """The weight the limits use (None: use the caps) and why it was not used."""

    kg: Decimal | None
    problem: str | None  # rule id explaining a missing kg
    detail: str = ""


@dataclass(frozen=True, slots=True)
class _Drug:
    generic: str
    doses: tuple[GivenDose, ...]
    total: Decimal
    unit: str
    per_kg: Decimal | None
    cap: Decimal | None
    limit: Decimal | None

    @property
    def sites(self) -> tuple[int, ...]:
        return tuple(dose.site.number for dose in self.doses)


def current_weight(ctx: Context) -> Weight:
    """The patient's weight when it is recorded, dated and not older than the policy allows."""
    patient = ctx.patient
    kg = patient.weight_kg
    if kg is None or not kg.is_finite() or kg <= 0:
        return Weight(None, "dose.weight_missing", "No weight is on file")
    weight = format_quantity(kg, "kg")
    measured = patient.weight_measured_on
    if measured is None:
        return Weight(None, "dose.weight_outdated", f"Weight {weight} has no measurement date")
    age = (ctx.encounter.performed_on - measured).days
    limit = ctx.policy.weight_max_age_days
    if age > limit:
        detail = f"Weight {weight} was measured on {measured} ({age} days ago, over {limit})"
        return Weight(None, "dose.weight_outdated", detail)
    return Weight(kg, None)


def _drug(generic: str, doses: list[GivenDose], weight: Decimal | None) -> _Drug:
    entries: list[FormularyEntry] = [dose.entry for dose in doses]
    per_kg = min((e.max_mg_per_kg for e in entries if e.max_mg_per_kg is not None), default=None)
    cap = min((e.max_total_mg for e in entries if e.max_total_mg is not None), default=None)
    candidates = [cap] if cap is not None else []
    if weight is not None and per_kg is not None:
        candidates.append(plain_decimal(weight * per_kg))
    unit = entries[0].dose_unit
    return _Drug(
        generic=generic,
        doses=tuple(doses),
        total=plain_decimal(sum((dose.amount for dose in doses), Decimal(0))),
        unit="mL" if unit is DoseUnit.NONE else unit.value,
        per_kg=per_kg,
        cap=cap,
        limit=min(candidates, default=None),
    )


def _drugs(ctx: Context, weight: Decimal | None) -> list[_Drug]:
    by_generic: dict[str, list[GivenDose]] = defaultdict(list)
    for dose in ctx.doses:
        by_generic[dose.entry.generic].append(dose)
    return [_drug(generic, doses, weight) for generic, doses in by_generic.items()]


def _total(drug: _Drug) -> DrugTotal:
    amount = format_quantity(drug.total, drug.unit)
    label = f"{capital(drug.generic)} {amount}"
    fraction = None
    if drug.limit is not None:
        label += f" of {format_quantity(drug.limit, MG)} limit"
        fraction = plain_decimal(drug.total / drug.limit)
    return DrugTotal(drug.generic, label, drug.total, drug.unit, drug.limit, fraction)


def _over_limit(ctx: Context, drug: _Drug, limit: Decimal, weight: Decimal | None) -> Finding:
    text = (
        f"{capital(drug.generic)} {format_quantity(drug.total, MG)} exceeds the "
        f"{format_quantity(limit, MG)} maximum"
    )
    if weight is None:
        text += " (absolute cap, no current weight)"
    else:
        text += f" for {format_quantity(weight, 'kg')}"
        if drug.per_kg is not None and (drug.cap is None or limit < drug.cap):
            text += f" ({format_quantity(drug.per_kg, 'mg/kg')})"
    slug = "".join(c if c.isalnum() else "_" for c in drug.generic.lower())
    return ctx.book.finding("dose.anesthetic_max", text + ".", drug.sites, rule=f"dose.{slug}_max")


def _mixed(ctx: Context, limited: list[tuple[_Drug, Decimal]]) -> Finding | None:
    shares = [Fraction(drug.total) / Fraction(limit) for drug, limit in limited]
    if len(limited) < 2 or sum(shares) < 1:
        return None
    parts = [
        f"{drug.generic} {format_quantity(drug.total, MG)} "
        f"({percent(share)} of {format_quantity(limit, MG)})"
        for (drug, limit), share in zip(limited, shares, strict=True)
    ]
    text = (
        f"Local anesthetics add up to {percent(sum(shares, Fraction(0)))} of their combined "
        f"maximum: {join_and(parts)}."
    )
    sites = [number for drug, _ in limited for number in drug.sites]
    return ctx.book.finding("dose.anesthetic_mixed", text, sites)


def _weight_finding(ctx: Context, weight: Weight, drugs: list[_Drug]) -> Finding | None:
    per_kg = [drug for drug in drugs if drug.per_kg is not None]
    if weight.problem is None or not per_kg:
        return None
    caps = [f"{drug.generic} {format_quantity(drug.cap, MG)}" for drug in per_kg if drug.cap]
    text = f"{weight.detail}: the local anesthetic maximum uses the absolute cap"
    text += f" ({join_and(caps)})." if caps else "."
    return ctx.book.finding(weight.problem, text + " Weigh the patient.")


def _data_checks(ctx: Context) -> list[Finding]:
    """Unknown medication codes, volumes that are not above 0, and implausible site volumes."""
    findings: list[Finding] = []
    unknown: dict[str, list[int]] = defaultdict(list)
    for site in ctx.sites:
        volume = Decimal(0)
        for fact in site.doses:
            if fact.medication_code not in ctx.formulary:
                unknown[fact.medication_code].append(site.number)
            if not valid_volume(fact.volume_ml):
                entry = ctx.formulary.get(fact.medication_code)
                name = entry.name if entry is not None else fact.medication_code
                text = (
                    f"Site {site.number}: {name} has volume "
                    f"{format_quantity(fact.volume_ml, 'mL')}; enter a volume above 0 mL."
                )
                findings.append(ctx.book.finding("dose.invalid_volume", text, [site.number]))
                continue
            volume += fact.volume_ml
        limit = ctx.policy.max_volume_per_site_ml
        if volume > limit:
            text = (
                f"Site {site.number}: {format_quantity(volume, 'mL')} is more than the "
                f"{format_quantity(limit, 'mL')} expected at one site; check the entry."
            )
            findings.append(ctx.book.finding("dose.site_volume", text, [site.number]))
    for code, numbers in unknown.items():
        text = f"Medication {code!r} ({sites_text(numbers)}) is not in the formulary."
        findings.append(ctx.book.finding("dose.unknown_medication", text, numbers))
    return findings


def check(ctx: Context) -> tuple[list[Finding], tuple[DrugTotal, ...]]:
    """Dose findings and the per-drug totals, in order of first use."""
    findings = _data_checks(ctx)
    weight = current_weight(ctx)
    drugs = _drugs(ctx, weight.kg)
    limited = [(drug, drug.limit) for drug in drugs if drug.limit is not None]
    over = [(drug, limit) for drug, limit in limited if drug.total > limit]
    findings += [_over_limit(ctx, drug, limit, weight.kg) for drug, limit in over]
    extra = [_weight_finding(ctx, weight, drugs), None if over else _mixed(ctx, limited)]
    findings += [finding for finding in extra if finding is not None]
    return findings, tuple(_total(drug) for drug in drugs)
