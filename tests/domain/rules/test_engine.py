"""assess(): ordering, the Assessment's views, injected data and purity."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

from clinic_app.domain.catalog import Catalog
from clinic_app.domain.rules import (
    DEFAULT_POLICY,
    Assessment,
    ClinicPolicy,
    CodingSummary,
    Finding,
    Severity,
    assess,
    default_rules,
)

from .helpers import INJ, TODAY, L, R, dose, encounter, patient, prior, rules, run, site


def test_a_clean_encounter_has_no_findings() -> None:
    result = run()
    assert result.findings == ()
    assert result.can_sign
    assert (result.blocks, result.warnings, result.infos, result.reasons_needed) == ((), (), (), ())
    assert ClinicPolicy() == DEFAULT_POLICY


def test_findings_are_ordered_block_warning_info() -> None:
    sites = (
        site(1, "rhomboids", L, INJ, dose("lidocaine_1", "1", TODAY - timedelta(days=1))),
        site(2, "rhomboids", R),
    )
    result = run(
        encounter(*sites, screening={"infection": True}, icd10=("M79.1",)),
        patient(anticoagulant=True),
        (prior(10),),
    )
    order = [f.severity for f in result.findings]
    assert order == sorted(order, key=[Severity.BLOCK, Severity.WARNING, Severity.INFO].index)
    assert [f.rule for f in result.blocks] == [
        "screening.infection", "site.lot_expired", "icd10.not_billable"
    ]  # fmt: skip
    assert {f.rule for f in result.reasons_needed} == {
        "screening.allergies_not_reviewed", "screening.anticoagulant", "site.bilateral_chest_wall"
    }  # fmt: skip
    assert [f.rule for f in result.infos] == ["site.pneumothorax", "interval.since_last"]
    assert not result.can_sign


def test_assessment_views_filter_by_severity() -> None:
    block = Finding("a.block", Severity.BLOCK, "b", "s")
    warning = Finding("a.warn", Severity.WARNING, "w", "s", needs_reason=True)
    plain = Finding("a.warn2", Severity.WARNING, "w", "s")
    info = Finding("a.info", Severity.INFO, "i", "s", sites=(1,))
    result = Assessment((block, warning, plain, info), (), CodingSummary((), (), (), False))
    assert result.blocks == (block,)
    assert result.warnings == (warning, plain)
    assert result.infos == (info,)
    assert result.reasons_needed == (warning,)
    assert not result.can_sign
    assert dataclasses.replace(result, findings=(warning, info)).can_sign


def test_injected_formulary_catalog_and_rules_are_used_even_when_empty() -> None:
    result = assess(encounter(), patient(), formulary=[], catalog=Catalog([]))
    assert rules(result) == ["dose.unknown_medication", "site.unknown_muscle"]
    assert result.coding.cpt == ()
    book = default_rules()
    quiet = dataclasses.replace(
        book,
        rules={
            **book.rules,
            "icd10.missing": dataclasses.replace(
                book.rules["icd10.missing"], severity=Severity.INFO
            ),
        },
    )
    finding = assess(encounter(icd10=()), patient(), rules=quiet).findings[0]
    assert (finding.rule, finding.severity) == ("icd10.missing", Severity.INFO)


def test_assess_is_pure_and_repeatable() -> None:
    enc = encounter(
        site(2, "deltoid", R), site(1, "trapezius_upper", L, INJ, dose("triamcinolone_40", "0.5"))
    )
    pat = patient("66.6")
    history = [prior(20, ("trapezius_upper", L), steroid="40")]
    first = assess(enc, pat, history, ClinicPolicy())
    second = assess(enc, pat, tuple(history))
    assert first == second
    assert history == [prior(20, ("trapezius_upper", L), steroid="40")]
    assert enc.sites[0].number == 2


def test_decimal_arithmetic_is_exact() -> None:
    sites = (site(1, "deltoid", L, INJ, dose("lidocaine_1", "0.1"), dose("lidocaine_1", "0.2")),)
    (lido,) = run(encounter(*sites)).totals
    assert lido.total == Decimal("3")
    assert str(lido.total) == "3"
    assert lido.label == "Lidocaine 3 mg of 300 mg limit"
