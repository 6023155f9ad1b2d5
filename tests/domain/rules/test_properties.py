"""Properties of the engine over generated encounters (hypothesis)."""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.quantities import dose_of
from clinic_app.domain.rules import DoseFact, EncounterFact, PatientFact, SiteFact, assess

from .helpers import TODAY, encounter, patient

FORMULARY = {entry.code: entry for entry in default_formulary()}
CATALOG = default_catalog()
MUSCLES = [
    "trapezius_upper", "trapezius_middle", "trapezius_lower", "deltoid", "gluteus_medius",
    "levator_scapulae", "piriformis", "hamstrings", "quadratus_lumborum", "masseter",
]  # fmt: skip
LEVEL = {"20552": 1, "20553": 2, "20560": 1, "20561": 2}
FAMILY = {"20552": Technique.INJECTION, "20553": Technique.INJECTION}
PROPERTY = settings(database=None, deadline=None, max_examples=150)

volumes = st.integers(min_value=1, max_value=500).map(lambda n: Decimal(n) / 100)
doses = st.builds(DoseFact, st.sampled_from(sorted(FORMULARY)), volumes)


@st.composite
def site_lists(draw: st.DrawFn, min_size: int = 0) -> list[SiteFact]:
    count = draw(st.integers(min_value=min_size, max_value=8))
    sites = []
    for number in range(1, count + 1):
        technique = draw(st.sampled_from(Technique))
        drugs = draw(st.lists(doses, max_size=3)) if technique is Technique.INJECTION else []
        sites.append(
            SiteFact(
                number,
                draw(st.sampled_from(MUSCLES)),
                draw(st.sampled_from(Side)),
                technique,
                tuple(drugs),
            )
        )
    return sites


def cpt_by_family(sites: list[SiteFact]) -> dict[Technique, str]:
    result = assess(
        encounter(*sites) if sites else dataclasses.replace(encounter(), sites=()), patient()
    )
    return {
        Technique.INJECTION if line.code in FAMILY else Technique.DRY_NEEDLING: line.code
        for line in result.coding.cpt
    }


def expected_cpt(sites: list[SiteFact]) -> dict[Technique, str]:
    pairs: dict[Technique, set[tuple[str, Side]]] = defaultdict(set)
    for s in sites:
        pairs[s.technique].add((CATALOG.get(s.muscle_code).billing_muscle, s.side))
    codes = {Technique.INJECTION: ("20552", "20553"), Technique.DRY_NEEDLING: ("20560", "20561")}
    return {t: codes[t][len(p) >= 3] for t, p in pairs.items()}


@PROPERTY
@given(site_lists(min_size=1))
def test_total_dose_equals_the_sum_of_the_sites(sites: list[SiteFact]) -> None:
    result = assess(encounter(*sites), patient())
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for s in sites:
        for d in s.doses:
            entry = FORMULARY[d.medication_code]
            concentration = entry.concentration if entry.concentration else Decimal(1)
            expected[entry.generic] += dose_of(concentration, d.volume_ml)
    assert {t.medication_generic: t.total for t in result.totals} == expected


@PROPERTY
@given(site_lists(), st.randoms(use_true_random=False))
def test_cpt_depends_only_on_distinct_pairs_and_technique(
    sites: list[SiteFact], rnd: random.Random
) -> None:
    codes = cpt_by_family(sites)
    assert codes == expected_cpt(sites)
    shuffled = sites[:]
    rnd.shuffle(shuffled)
    renumbered = [
        dataclasses.replace(s, number=n, doses=()) if s.technique is Technique.DRY_NEEDLING
        else dataclasses.replace(s, number=n)
        for n, s in enumerate(shuffled + shuffled[:2], start=10)
    ]  # fmt: skip
    assert cpt_by_family(renumbered) == codes


@PROPERTY
@given(site_lists(), site_lists(min_size=1))
def test_adding_a_site_never_lowers_the_code(sites: list[SiteFact], extra: list[SiteFact]) -> None:
    added = [*sites, dataclasses.replace(extra[0], number=len(sites) + 1)]
    before, after = cpt_by_family(sites), cpt_by_family(added)
    for technique, code in before.items():
        assert LEVEL[after[technique]] >= LEVEL[code]


@st.composite
def troubled(draw: st.DrawFn) -> tuple[EncounterFact, PatientFact]:
    """An encounter with any mix of block causes."""
    sites = draw(site_lists(min_size=1))
    if draw(st.booleans()):
        sites.append(SiteFact(len(sites) + 1, "no_such_muscle", Side.LEFT, Technique.INJECTION))
    if draw(st.booleans()):
        bad = DoseFact(
            draw(st.sampled_from(["no_such_drug", "lidocaine_1"])),
            Decimal(draw(st.sampled_from(["0", "-1", "40"]))),
        )
        sites[0] = dataclasses.replace(sites[0], doses=(*sites[0].doses, bad))
    if draw(st.booleans()):
        expired = TODAY - timedelta(days=draw(st.integers(1, 400)))
        sites = [
            dataclasses.replace(
                s, doses=tuple(dataclasses.replace(d, lot_expires_on=expired) for d in s.doses)
            )
            for s in sites
        ]
    screening = {
        "allergies_reviewed": True,
        "infection": draw(st.sampled_from([True, False, None])),
    }
    icd10 = draw(
        st.lists(
            st.sampled_from(["M79.18", "M79.1", "M54.5", "XYZ", "M79.13", "M25.511"]), max_size=3
        )
    )
    allergies = draw(
        st.sampled_from(["", "lidocaine", "steroids", "sulfa", "amide anesthetic", "botox"])
    )
    weight = draw(st.sampled_from([None, "40", "70", "120"]))
    return encounter(*sites, screening=screening, icd10=tuple(icd10)), patient(
        weight, allergies=allergies
    )


def cure(enc: EncounterFact) -> EncounterFact:
    """Remove every block cause the generator can add."""
    sites = []
    for s in enc.sites:
        if s.muscle_code not in CATALOG:
            continue
        kept = tuple(
            dataclasses.replace(d, volume_ml=min(d.volume_ml, Decimal("0.1")), lot_expires_on=None)
            for d in s.doses
            if d.medication_code in FORMULARY and d.volume_ml > 0
        )
        sites.append(dataclasses.replace(s, doses=kept))
    codes = tuple(c for c in enc.icd10_codes if c in {"M79.18", "M25.511"})
    return dataclasses.replace(
        enc, sites=tuple(sites), screening={**enc.screening, "infection": False}, icd10_codes=codes
    )


CAUSES = {
    "dose.unknown_medication", "dose.invalid_volume", "dose.lidocaine_max", "dose.bupivacaine_max",
    "screening.allergy", "screening.infection", "site.lot_expired", "site.unknown_muscle",
    "icd10.invalid", "icd10.not_billable",
}  # fmt: skip


@PROPERTY
@given(troubled())
def test_removing_every_block_cause_lets_signing_proceed(
    case: tuple[EncounterFact, PatientFact],
) -> None:
    enc, pat = case
    result = assess(enc, pat)
    assert {f.rule for f in result.blocks} <= CAUSES
    cured_patient = dataclasses.replace(pat, allergies="")
    cured = assess(cure(enc), cured_patient)
    assert cured.blocks == ()
    assert cured.can_sign
