"""Site safety (tpi-reference.md §2, §6): danger structures, both sides of the chest wall, lots.

The muscle flags come from the catalog (pneumothorax_risk, nearby_structures). A lot expiring
on the day of the procedure is still in date; the day after, it blocks.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from clinic_app.domain.catalog import Muscle
from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.rules._text import capital, join_and, sites_text
from clinic_app.domain.rules.context import Context
from clinic_app.domain.rules.model import Finding


def _unknown_muscles(ctx: Context) -> list[Finding]:
    unknown: dict[str, list[int]] = defaultdict(list)
    for site in ctx.sites:
        if site.muscle_code not in ctx.catalog:
            unknown[site.muscle_code].append(site.number)
    return [
        ctx.book.finding(
            "site.unknown_muscle",
            f"{capital(sites_text(numbers))}: muscle {code!r} is not in the catalog.",
            numbers,
        )
        for code, numbers in unknown.items()
    ]


def _danger(ctx: Context) -> list[Finding]:
    by_muscle: dict[str, list[int]] = defaultdict(list)
    muscles: dict[str, Muscle] = {}
    for site, muscle in ctx.known:
        by_muscle[muscle.code].append(site.number)
        muscles[muscle.code] = muscle
    findings: list[Finding] = []
    for code, numbers in by_muscle.items():
        muscle = muscles[code]
        where = f"{capital(sites_text(numbers))} ({muscle.name})"
        if muscle.pneumothorax_risk:
            structures = join_and(list(muscle.nearby_structures) or ["lung"])
            text = (
                f"{where}: {structures} nearby, pneumothorax risk; symptoms can start hours "
                "to days later."
            )
            findings.append(ctx.book.finding("site.pneumothorax", text, numbers))
        elif muscle.nearby_structures:
            text = f"{where}: {join_and(list(muscle.nearby_structures))} nearby."
            findings.append(ctx.book.finding("site.nearby_structure", text, numbers))
    return findings


def _both_sides(ctx: Context) -> list[Finding]:
    """Muscles over the thoracic cage on both sides ([chest_wall] in rules.toml).

    Neck and lung-apex muscles (upper trapezius, levator scapulae, scalenes) are not counted:
    they raise the per-site pneumothorax note and the handout's 911 box instead (issue 12 §6).
    """
    chest_wall = ctx.book.chest_wall.muscles
    sides: dict[Side, list[int]] = defaultdict(list)
    for site, muscle in ctx.known:
        if muscle.code in chest_wall:
            sides[site.side].append(site.number)
    if len(sides) < 2:
        return []
    text = (
        f"Muscles over the lung are needled on both sides in one session (left: "
        f"{sites_text(sides[Side.LEFT])}; right: {sites_text(sides[Side.RIGHT])}): a safety "
        "guideline advises against needling both sides of the chest wall at one visit."
    )
    return [
        ctx.book.finding("site.bilateral_chest_wall", text, [*sides[Side.LEFT], *sides[Side.RIGHT]])
    ]


def _expired_lots(ctx: Context) -> list[Finding]:
    expired: dict[tuple[str, date], list[int]] = defaultdict(list)
    for site in ctx.sites:
        for dose in site.doses:
            expires = dose.lot_expires_on
            if expires is not None and expires < ctx.encounter.performed_on:
                expired[dose.medication_code, expires].append(site.number)
    findings = []
    for (code, expires), numbers in expired.items():
        entry = ctx.formulary.get(code)
        name = entry.name if entry is not None else code
        text = (
            f"{name} lot expired on {expires.isoformat()} ({sites_text(numbers)}); "
            "use a lot in date."
        )
        findings.append(ctx.book.finding("site.lot_expired", text, numbers))
    return findings


def _recalled_lots(ctx: Context) -> list[Finding]:
    """A dose from a lot the clinic has marked recalled blocks signing (one finding per lot)."""
    recalled: dict[tuple[str, str], list[int]] = defaultdict(list)
    for site in ctx.sites:
        for dose in site.doses:
            if dose.lot_recalled:
                recalled[dose.medication_code, dose.lot_number].append(site.number)
    findings = []
    for (code, number), numbers in recalled.items():
        entry = ctx.formulary.get(code)
        name = entry.name if entry is not None else code
        text = f"{name} lot {number} has been recalled ({sites_text(numbers)}); choose another lot."
        findings.append(ctx.book.finding("site.lot_recalled", text, numbers))
    return findings


def _technique_vs_doses(ctx: Context) -> list[Finding]:
    """An injection site needs a drug on record; a dry-needling site should have none.

    The technique alone decides the CPT family (coding.py), so both cases are warnings to fix
    the chart rather than silent re-classification.
    """
    empty = [s.number for s in ctx.sites if s.technique is Technique.INJECTION and not s.doses]
    dosed = [s.number for s in ctx.sites if s.technique is Technique.DRY_NEEDLING and s.doses]
    findings = []
    if empty:
        text = f"{capital(sites_text(empty))}: charted as injection with no drug recorded."
        findings.append(ctx.book.finding("site.injection_without_dose", text, empty))
    if dosed:
        text = (
            f"{capital(sites_text(dosed))}: charted as dry needling but a drug is recorded; "
            "change the technique or remove the drug."
        )
        findings.append(ctx.book.finding("site.dose_on_dry_needling", text, dosed))
    return findings


def check(ctx: Context) -> list[Finding]:
    return [
        *_unknown_muscles(ctx),
        *_expired_lots(ctx),
        *_recalled_lots(ctx),
        *_both_sides(ctx),
        *_technique_vs_doses(ctx),
        *_danger(ctx),
    ]
