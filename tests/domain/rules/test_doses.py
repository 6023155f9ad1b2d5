"""Dose arithmetic and local anesthetic limits at their boundaries (tpi-reference §4)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest

from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.rules import ClinicPolicy, DoseFact, DrugTotal, Severity, assess

from .helpers import (
    DRY,
    INJ,
    TODAY,
    L,
    R,
    dose,
    encounter,
    only,
    patient,
    rules,
    run,
    site,
    spread,
)

FORMULARY = {entry.code: entry for entry in default_formulary()}


def total(assessment_totals: tuple[DrugTotal, ...], generic: str) -> DrugTotal:
    return next(t for t in assessment_totals if t.medication_generic == generic)


# ---------------------------------------------------------------- limits by weight


@pytest.mark.parametrize(
    ("weight", "limit", "label"),
    [
        ("66.6", "299.7", "Lidocaine 300 mg of 299.7 mg limit"),  # 4.5 × 66.6 = 299.7 < cap
        ("66.7", "300", "Lidocaine 300 mg of 300 mg limit"),  # 4.5 × 66.7 = 300.15 → cap
        ("70", "300", "Lidocaine 300 mg of 300 mg limit"),
        ("50", "225", "Lidocaine 300 mg of 225 mg limit"),
    ],
)
def test_lidocaine_limit_is_the_smaller_of_weight_and_cap(
    weight: str, limit: str, label: str
) -> None:
    result = run(encounter(*spread("lidocaine_2", "15")), patient(weight))  # 300 mg
    lido = total(result.totals, "lidocaine")
    assert lido.total == Decimal("300")
    assert lido.limit == Decimal(limit)
    assert lido.label == label
    assert lido.unit == "mg"
    assert lido.fraction == Decimal(300) / Decimal(limit)


def test_66_6_kg_blocks_300_mg_and_66_7_kg_does_not() -> None:
    sites = spread("lidocaine_2", "15")
    light = run(encounter(*sites), patient("66.6"))
    block = only(light, "dose.lidocaine_max")
    assert block.severity is Severity.BLOCK
    assert block.message == "Lidocaine 300 mg exceeds the 299.7 mg maximum for 66.6 kg (4.5 mg/kg)."
    assert block.sites == (1, 2)
    assert block.source.startswith("FDA prescribing information for lidocaine HCl and bupivacaine")
    assert not light.can_sign
    heavy = run(encounter(*sites), patient("66.7"))
    assert heavy.findings == ()
    assert heavy.can_sign


@pytest.mark.parametrize(
    ("ml", "blocked"),
    [("14.99", False), ("15", False), ("15.01", True), ("16", True)],  # lidocaine 2%: 20 mg/mL
)
def test_exactly_300_mg_is_not_over(ml: str, blocked: bool) -> None:
    result = run(encounter(*spread("lidocaine_2", ml)), patient("80"))
    assert ("dose.lidocaine_max" in rules(result)) is blocked


def test_over_the_cap_names_the_weight() -> None:
    result = run(encounter(*spread("lidocaine_2", "16")), patient("72"))
    assert only(result, "dose.lidocaine_max").message == (
        "Lidocaine 320 mg exceeds the 300 mg maximum for 72 kg."
    )


def test_bupivacaine_uses_2_mg_per_kg_and_175_mg() -> None:
    result = run(encounter(*spread("bupivacaine_0_5", "30")), patient("80"))  # 150 mg
    bupi = total(result.totals, "bupivacaine")
    assert (bupi.total, bupi.limit) == (Decimal("150"), Decimal("160"))
    assert result.findings == ()
    over = run(encounter(*spread("bupivacaine_0_5", "36")), patient("100"))  # 180 > 175
    finding = only(over, "dose.bupivacaine_max")
    assert finding.message == "Bupivacaine 180 mg exceeds the 175 mg maximum for 100 kg."


# ---------------------------------------------------------------- weight missing or old


def test_missing_weight_uses_the_cap_and_says_so() -> None:
    result = run(encounter(*spread("lidocaine_2", "16")), patient(None))
    assert total(result.totals, "lidocaine").limit == Decimal("300")
    assert only(result, "dose.lidocaine_max").message == (
        "Lidocaine 320 mg exceeds the 300 mg maximum (absolute cap, no current weight)."
    )
    warning = only(result, "dose.weight_missing")
    assert warning.severity is Severity.WARNING
    assert not warning.needs_reason
    assert warning.message == (
        "No weight is on file: the local anesthetic maximum uses the absolute cap "
        "(lidocaine 300 mg). Weigh the patient."
    )


@pytest.mark.parametrize("weight", ["0", "-3", "NaN"])
def test_an_impossible_weight_counts_as_missing(weight: str) -> None:
    result = run(encounter(), patient(weight))
    assert rules(result) == ["dose.weight_missing"]


@pytest.mark.parametrize(("age", "outdated"), [(0, False), (180, False), (181, True), (-5, False)])
def test_weight_older_than_the_policy_is_not_used(age: int, outdated: bool) -> None:
    measured = TODAY - timedelta(days=age)
    result = run(encounter(*spread("lidocaine_2", "12")), patient("50", measured))  # 240 mg
    lido = total(result.totals, "lidocaine")
    assert lido.limit == (Decimal("300") if outdated else Decimal("225"))
    assert ("dose.lidocaine_max" in rules(result)) is not outdated
    if outdated:
        assert only(result, "dose.weight_outdated").message == (
            f"Weight 50 kg was measured on {measured.isoformat()} (181 days ago, over 180): the "
            "local anesthetic maximum uses the absolute cap (lidocaine 300 mg). Weigh the patient."
        )


def test_policy_sets_the_weight_age() -> None:
    measured = TODAY - timedelta(days=31)
    result = run(pat=patient("70", measured), policy=ClinicPolicy(weight_max_age_days=30))
    assert rules(result) == ["dose.weight_outdated"]


def test_undated_weight_is_not_used() -> None:
    result = run(encounter(), patient("70", None))
    assert only(result, "dose.weight_outdated").message.startswith(
        "Weight 70 kg has no measurement date: "
    )


def test_weight_warning_only_when_a_local_anesthetic_is_given() -> None:
    steroid_only = encounter(site(1, "deltoid", L, INJ, dose("triamcinolone_40", "0.5")))
    assert rules(run(steroid_only, patient(None))) == []
    needling = encounter(site(1, "deltoid", L, DRY))
    assert rules(run(needling, patient(None))) == []


# ---------------------------------------------------------------- mixed anesthetics


@pytest.mark.parametrize(
    ("bupivacaine_ml", "warns"),
    [("17.4", False), ("17.5", True), ("18", True)],  # bupivacaine 0.5%: 87 / 87.5 / 90 mg
)
def test_mixed_anesthetics_warn_at_a_sum_of_one(bupivacaine_ml: str, warns: bool) -> None:
    sites = [*spread("lidocaine_1", "15"), *spread("bupivacaine_0_5", bupivacaine_ml, first=3)]
    result = run(encounter(*sites), patient("90"))  # limits 300 mg and 175 mg
    assert ("dose.anesthetic_mixed" in rules(result)) is warns
    assert result.can_sign
    if bupivacaine_ml == "17.5":
        finding = only(result, "dose.anesthetic_mixed")
        assert finding.message == (
            "Local anesthetics add up to 100% of their combined maximum: lidocaine 150 mg "
            "(50% of 300 mg) and bupivacaine 87.5 mg (50% of 175 mg)."
        )
        assert finding.needs_reason
        assert finding.sites == (1, 2, 3, 4)


def test_one_drug_over_blocks_without_the_mixed_warning() -> None:
    sites = [*spread("lidocaine_2", "16"), *spread("bupivacaine_0_5", "10", first=3)]
    result = run(encounter(*sites), patient("90"))
    assert "dose.lidocaine_max" in rules(result)
    assert "dose.anesthetic_mixed" not in rules(result)


def test_lidocaine_with_and_without_epinephrine_use_the_lower_limit() -> None:
    epi = dataclasses.replace(
        FORMULARY["lidocaine_1"],
        code="lidocaine_1_epi",
        name="Lidocaine 1% with epinephrine",
        epinephrine=True,
        max_mg_per_kg=Decimal("7"),
        max_total_mg=Decimal("500"),
    )
    formulary = [*FORMULARY.values(), epi]
    alone = assess(encounter(*spread("lidocaine_1_epi", "40")), patient("70"), formulary=formulary)
    assert total(alone.totals, "lidocaine").limit == Decimal("490")
    assert alone.findings == ()
    mixed = encounter(*spread("lidocaine_1_epi", "20"), *spread("lidocaine_1", "20", first=3))
    both = assess(mixed, patient("70"), formulary=formulary)
    assert total(both.totals, "lidocaine").limit == Decimal("300")
    assert only(both, "dose.lidocaine_max").message == (
        "Lidocaine 400 mg exceeds the 300 mg maximum for 70 kg."
    )


def test_entries_without_a_cap_or_without_a_per_kg_limit() -> None:
    no_cap = dataclasses.replace(FORMULARY["lidocaine_1"], code="no_cap", max_total_mg=None)
    no_kg = dataclasses.replace(
        FORMULARY["bupivacaine_0_5"], code="no_kg", generic="capped", max_mg_per_kg=None
    )
    formulary = [no_cap, no_kg]
    sites = [
        site(1, "deltoid", L, INJ, dose("no_cap", "40")),
        site(2, "deltoid", R, INJ, dose("no_kg", "36")),
    ]
    weighed = assess(encounter(*sites), patient("80"), formulary=formulary)
    assert total(weighed.totals, "lidocaine").limit == Decimal("360")
    assert only(weighed, "dose.lidocaine_max").message == (
        "Lidocaine 400 mg exceeds the 360 mg maximum for 80 kg (4.5 mg/kg)."
    )
    assert only(weighed, "dose.capped_max").message == (
        "Capped 180 mg exceeds the 175 mg maximum for 80 kg."
    )
    unweighed = assess(encounter(sites[0]), patient(None), formulary=formulary)
    assert total(unweighed.totals, "lidocaine").limit is None
    assert only(unweighed, "dose.weight_missing").message == (
        "No weight is on file: the local anesthetic maximum uses the absolute cap. "
        "Weigh the patient."
    )


# ---------------------------------------------------------------- totals and data checks


def test_totals_per_drug_in_order_of_first_use() -> None:
    sites = [
        site(2, "deltoid", R, INJ, dose("saline_0_9", "2"), dose("lidocaine_0_5", "1")),
        site(1, "deltoid", L, INJ, dose("triamcinolone_40", "0.25"), dose("lidocaine_1", "0.5")),
        site(3, "gluteus_medius", L, INJ, dose("onabotulinumtoxina_50", "0.5")),
    ]
    result = run(encounter(*sites))
    assert [(t.label, t.unit, t.total) for t in result.totals] == [
        ("Triamcinolone acetonide 10 mg", "mg", Decimal("10")),
        ("Lidocaine 10 mg of 300 mg limit", "mg", Decimal("10")),
        ("Sodium chloride 2 mL", "mL", Decimal("2")),
        ("OnabotulinumtoxinA 25 units", "units", Decimal("25")),
    ]
    assert next(t.fraction for t in result.totals) is None


@pytest.mark.parametrize(
    ("doses", "warns"),
    [
        ((dose("lidocaine_1", "10"),), False),
        ((dose("lidocaine_1", "8"), dose("triamcinolone_40", "2")), False),
        ((dose("lidocaine_1", "8"), dose("triamcinolone_40", "2.5")), True),
        ((dose("lidocaine_1", "10.5"),), True),
    ],
)
def test_volume_per_site_above_the_policy_warns(doses: tuple[DoseFact, ...], warns: bool) -> None:
    result = run(encounter(site(1, "deltoid", L, INJ, *doses)))
    assert ("dose.site_volume" in rules(result)) is warns


def test_site_volume_message_and_policy() -> None:
    result = run(
        encounter(site(4, "deltoid", L, INJ, dose("lidocaine_1", "3"))),
        policy=ClinicPolicy(max_volume_per_site_ml=Decimal("2.5")),
    )
    finding = only(result, "dose.site_volume")
    assert finding.message == (
        "Site 4: 3 mL is more than the 2.5 mL expected at one site; check the entry."
    )
    assert finding.sites == (4,)


def test_unknown_medication_blocks_and_is_left_out_of_totals() -> None:
    sites = [
        site(1, "deltoid", L, INJ, dose("mystery", "1")),
        site(2, "deltoid", R, INJ, dose("mystery", "1")),
    ]
    result = run(encounter(*sites))
    finding = only(result, "dose.unknown_medication")
    assert finding.severity is Severity.BLOCK
    assert finding.message == "Medication 'mystery' (sites 1 and 2) is not in the formulary."
    assert result.totals == ()


@pytest.mark.parametrize(("code", "ml", "name"), [
    ("lidocaine_1", "0", "Lidocaine 1%"), ("lidocaine_1", "-1", "Lidocaine 1%"),
    ("lidocaine_1", "NaN", "Lidocaine 1%"), ("mystery", "0", "mystery"),
])  # fmt: skip
def test_a_volume_not_above_zero_blocks(code: str, ml: str, name: str) -> None:
    result = run(encounter(site(1, "deltoid", L, INJ, dose(code, ml))))
    finding = only(result, "dose.invalid_volume")
    assert finding.message == (
        f"Site 1: {name} has volume {ml if ml != '0' else '0'} mL; enter a volume above 0 mL."
    )
    assert result.totals == ()
