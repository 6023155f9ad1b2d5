"""CPT from distinct muscle+side pairs, HCPCS units rounded up (tpi-reference §3)."""

from __future__ import annotations

import dataclasses

import pytest

from clinic_app.domain.enums import Side
from clinic_app.domain.formulary import default_formulary
from clinic_app.domain.rules import CodeLine, Severity, assess

from .helpers import INJ, L, R, dose, encounter, needled, only, patient, rules, run, site

Place = tuple[str, Side]


@pytest.mark.parametrize(
    ("places", "code", "muscles"),
    [
        ((("deltoid", L),), "20552", "left deltoid"),
        ((("deltoid", L), ("gluteus_medius", L)), "20552", "left deltoid and left gluteus medius"),
        ((("deltoid", L), ("gluteus_medius", L), ("hamstrings", L)), "20553",
         "left deltoid, left gluteus medius and left hamstrings"),
        ((("deltoid", L), ("deltoid", R)), "20552", "left deltoid and right deltoid"),
        ((("deltoid", L), ("deltoid", R), ("hamstrings", R)), "20553",
         "left deltoid, right deltoid and right hamstrings"),
        ((("trapezius_upper", L), ("trapezius_middle", L)), "20552", "left trapezius"),
        ((("trapezius_upper", L), ("trapezius_middle", L), ("trapezius_lower", L)), "20552",
         "left trapezius"),
        ((("trapezius_upper", L), ("trapezius_middle", L), ("trapezius_upper", R)), "20552",
         "left trapezius and right trapezius"),
        ((("deltoid", L), ("deltoid", L), ("deltoid", L)), "20552", "left deltoid"),
    ],
)  # fmt: skip
def test_injection_cpt_counts_distinct_billing_muscle_and_side(
    places: tuple[Place, ...], code: str, muscles: str
) -> None:
    sites = [site(n, m, s) for n, (m, s) in enumerate(places, start=1)]
    coding = run(encounter(*sites)).coding
    band = "1 or 2 muscles" if code == "20552" else "3 or more muscles"
    assert coding.cpt == (CodeLine(code, 1, f"Trigger point injection(s), {band}: {muscles}"),)
    assert not coding.coder_review


@pytest.mark.parametrize(
    ("count", "code"), [(1, "20560"), (2, "20560"), (3, "20561"), (5, "20561")]
)
def test_dry_needling_cpt(count: int, code: str) -> None:
    muscles = ["deltoid", "gluteus_medius", "hamstrings", "soleus", "gastrocnemius"]
    sites = [needled(n, muscles[n - 1]) for n in range(1, count + 1)]
    result = run(encounter(*sites))
    assert [line.code for line in result.coding.cpt] == [code]
    assert result.coding.cpt[0].description.startswith("Needle insertion(s) without injection(s)")


def test_both_techniques_list_both_codes_for_coder_review() -> None:
    sites = (site(1), site(2, "deltoid", R), site(3, "hamstrings"), needled(4, "gluteus_medius"))
    result = run(encounter(*sites))
    assert [line.code for line in result.coding.cpt] == ["20553", "20560"]
    assert result.coding.coder_review
    finding = only(result, "coding.coder_review")
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "Injection and dry needling in one session: 20553 and 20560 are both listed for the "
        "coder to decide (payer-specific)."
    )


def test_no_sites_no_cpt_and_a_warning() -> None:
    result = assess(dataclasses.replace(encounter(), sites=()), patient())
    assert result.coding.cpt == ()
    assert rules(result) == ["coding.no_sites"]
    assert result.findings[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("code", "ml", "hcpcs", "units", "given"),
    [
        ("triamcinolone_40", "0.05", "J3301", 1, "2 mg"),
        ("triamcinolone_40", "0.25", "J3301", 1, "10 mg"),
        ("triamcinolone_40", "0.3", "J3301", 2, "12 mg"),
        ("triamcinolone_40", "0.5", "J3301", 2, "20 mg"),
        ("methylprednisolone_acetate_40", "1", "J1010", 40, "40 mg"),
        ("methylprednisolone_acetate_40", "0.01", "J1010", 1, "0.4 mg"),
        ("dexamethasone_4", "1.5", "J1100", 6, "6 mg"),
        ("onabotulinumtoxina_50", "0.5", "J0585", 25, "25 units"),
        ("onabotulinumtoxina_50", "0.11", "J0585", 6, "5.5 units"),
    ],
)
def test_hcpcs_units_are_dose_over_unit_rounded_up(
    code: str, ml: str, hcpcs: str, units: int, given: str
) -> None:
    result = run(encounter(site(1, "deltoid", L, INJ, dose(code, ml))))
    (line,) = result.coding.hcpcs
    assert (line.code, line.units) == (hcpcs, units)
    assert line.description.endswith(f" ({given} given)")


def test_hcpcs_rounds_the_encounter_total_not_each_site() -> None:
    sites = [
        site(n, "deltoid", s, INJ, dose("triamcinolone_40", "0.05")) for n, s in ((1, L), (2, R))
    ]
    (line,) = run(encounter(*sites)).coding.hcpcs
    assert (line.units, line.description) == (
        1,
        "Injection, triamcinolone acetonide, not otherwise specified, 10 mg (4 mg given)",
    )


def test_local_anesthetic_and_saline_have_no_hcpcs_line() -> None:
    sites = (
        site(
            1, "deltoid", L, INJ, dose("lidocaine_1"), dose("saline_0_9"), dose("bupivacaine_0_25")
        ),
    )
    assert run(encounter(*sites)).coding.hcpcs == ()


def test_hcpcs_without_a_description_in_coding_toml() -> None:
    kenalog = next(e for e in default_formulary() if e.code == "triamcinolone_40")
    other = dataclasses.replace(kenalog, code="other", hcpcs_code="J9999")
    result = assess(
        encounter(site(1, "deltoid", L, INJ, dose("other", "0.5"))), patient(), formulary=[other]
    )
    assert result.coding.hcpcs == (
        CodeLine("J9999", 2, "triamcinolone acetonide, per 10 mg (20 mg given)"),
    )
