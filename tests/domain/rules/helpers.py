"""Builders for rule-engine tests: a clean encounter has no findings at all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.rules import (
    Assessment,
    ClinicPolicy,
    DoseFact,
    EncounterFact,
    Finding,
    PatientFact,
    PriorSession,
    SiteFact,
    assess,
)

TODAY = date(2025, 3, 3)
REVIEWED: Mapping[str, bool | None] = {"allergies_reviewed": True}
L, R = Side.LEFT, Side.RIGHT
INJ, DRY = Technique.INJECTION, Technique.DRY_NEEDLING


def dose(code: str = "lidocaine_1", ml: str = "1", expires: date | None = None) -> DoseFact:
    return DoseFact(code, Decimal(ml), expires)


def site(
    number: int,
    muscle: str = "deltoid",
    side: Side = L,
    technique: Technique = INJ,
    *doses: DoseFact,
) -> SiteFact:
    if technique is INJ and not doses:
        doses = (dose(),)
    return SiteFact(number, muscle, side, technique, tuple(doses))


def needled(number: int, muscle: str = "deltoid", side: Side = L) -> SiteFact:
    """A dry-needling site (no drug)."""
    return SiteFact(number, muscle, side, DRY)


def encounter(
    *sites: SiteFact,
    screening: Mapping[str, bool | None] = REVIEWED,
    icd10: tuple[str, ...] = ("M79.18",),
    on: date = TODAY,
    acute_trauma: bool | None = None,
    relief: tuple[int | None, int | None] = (None, None),
) -> EncounterFact:
    """``relief``: (percent, weeks) reported at this visit about the last session."""
    if not sites:
        sites = (site(1),)
    return EncounterFact(
        on,
        sites,
        screening,
        icd10,
        acute_trauma=acute_trauma,
        prior_relief_percent=relief[0],
        prior_relief_weeks=relief[1],
    )


def patient(
    weight: str | None = "70",
    measured: date | None = TODAY,
    allergies: str = "",
    *,
    anticoagulant: bool = False,
    diabetes: bool = False,
    pregnant: bool = False,
    payer: str = "none",
) -> PatientFact:
    return PatientFact(
        weight_kg=None if weight is None else Decimal(weight),
        weight_measured_on=measured,
        allergies=allergies,
        anticoagulant=anticoagulant,
        diabetes=diabetes,
        pregnant_or_breastfeeding=pregnant,
        payer=payer,
    )


def prior(
    days_ago: int,
    *places: tuple[str, Side],
    steroid: str = "0",
    pain: tuple[int | None, int | None] = (6, 2),
    reported: tuple[int | None, int | None] = (None, None),
) -> PriorSession:
    """``reported``: (percent, weeks) of relief reported at that visit about the one before."""
    return PriorSession(
        performed_on=TODAY - timedelta(days=days_ago),
        sites=frozenset(places or {("deltoid", L)}),
        steroid_tri_equivalent_mg=Decimal(steroid),
        pain_before=pain[0],
        pain_after=pain[1],
        reported_relief_percent=reported[0],
        reported_relief_weeks=reported[1],
    )


def run(
    enc: EncounterFact | None = None,
    pat: PatientFact | None = None,
    history: tuple[PriorSession, ...] = (),
    policy: ClinicPolicy | None = None,
) -> Assessment:
    return assess(enc or encounter(), pat or patient(), history, policy or ClinicPolicy())


def rules(assessment: Assessment) -> list[str]:
    return [finding.rule for finding in assessment.findings]


def only(assessment: Assessment, rule: str) -> Finding:
    """The one finding of ``rule``; fails when there is none or several."""
    found = [finding for finding in assessment.findings if finding.rule == rule]
    assert len(found) == 1, (rule, rules(assessment))
    return found[0]


def spread(code: str, total_ml: str, first: int = 1, per_site: str = "10") -> list[SiteFact]:
    """``total_ml`` of ``code`` over deltoid/gluteus sites, at most ``per_site`` mL each."""
    muscles = [
        ("deltoid", L), ("deltoid", R), ("gluteus_medius", L), ("gluteus_medius", R),
        ("gluteus_maximus", L), ("gluteus_maximus", R), ("hamstrings", L), ("hamstrings", R),
    ]  # fmt: skip
    left, limit = Decimal(total_ml), Decimal(per_site)
    sites = []
    number = first
    while left > 0:
        ml = min(left, limit)
        muscle, side = muscles[(number - 1) % len(muscles)]
        sites.append(SiteFact(number, muscle, side, INJ, (DoseFact(code, ml),)))
        left -= ml
        number += 1
    return sites
