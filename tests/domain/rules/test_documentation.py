"""Documentation completeness (documentation.py) and the clinic's lowering of a rule."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import MappingProxyType

import pytest

from clinic_app.domain.rules import (
    ClinicPolicy,
    DoseFact,
    EncounterFact,
    Severity,
    SiteFact,
    default_rules,
)
from clinic_app.domain.rules.data import DOCUMENTATION_RULES
from clinic_app.domain.rules.model import TARGETS, Documentation

from .helpers import INJ, L, encounter, needled, only, rules, run, site

COMPLETE = Documentation(
    consent_obtained=True,
    time_out_done=True,
    skin_prep_recorded=True,
    indication="Myofascial pain, right upper trapezius",
    needle_intact_recorded=True,
    disposition="Home, stable",
)


def documented(
    doc: Documentation = COMPLETE,
    *sites: SiteFact,
    pain: tuple[int | None, int | None] = (6, 2),
    icd10: tuple[str, ...] = ("M79.18",),
) -> EncounterFact:
    return dataclasses.replace(
        encounter(*sites, icd10=icd10),
        documentation=doc,
        pain_before=pain[0],
        pain_after=pain[1],
    )


def lot_dose(*, lots: bool = True, recorded: bool = False, reason: str = "") -> DoseFact:
    return DoseFact(
        "lidocaine_1",
        Decimal(1),
        has_lots=lots,
        lot_recorded=recorded,
        lot_missing_reason=reason,
    )


def completeness(enc: EncounterFact, policy: ClinicPolicy | None = None) -> list[str]:
    return [r for r in rules(run(enc, policy=policy)) if r.startswith("documentation.")]


def test_a_complete_note_has_no_completeness_finding() -> None:
    assert run(documented()).findings == ()
    assert run(documented(COMPLETE, needled(1))).findings == ()


def test_without_documentation_facts_nothing_is_checked() -> None:
    assert completeness(encounter()) == []


@pytest.mark.parametrize(
    ("change", "rule", "target", "words"),
    [({"consent_obtained": False}, "documentation.consent", "consent", "Consent"),
     ({"time_out_done": False}, "documentation.time_out", "time_out", "time-out"),
     ({"skin_prep_recorded": False}, "documentation.skin_prep", "skin_prep", "Skin preparation"),
     ({"needle_intact_recorded": False}, "documentation.needle_intact", "needle_intact",
      "Needle integrity"),
     ({"disposition": "  "}, "documentation.disposition", "disposition", "Disposition"),
     ({"indication": " "}, "documentation.indication", "indication", "No indication")],
)  # fmt: skip
def test_each_missing_element_blocks_and_points_at_its_field(
    change: dict[str, object], rule: str, target: str, words: str
) -> None:
    finding = only(run(documented(dataclasses.replace(COMPLETE, **change))), rule)  # type: ignore[arg-type]
    assert finding.severity is Severity.BLOCK
    assert finding.target == target
    assert target in TARGETS
    assert words in finding.message
    assert finding.source
    assert "tpi-reference" not in finding.source
    assert completeness(documented(dataclasses.replace(COMPLETE, **change))) == [rule]  # type: ignore[arg-type]


def test_pain_before_and_after() -> None:
    before = only(run(documented(pain=(None, 2))), "documentation.pain_before")
    assert (before.target, before.severity) == ("pain_before", Severity.BLOCK)
    after = only(run(documented(pain=(6, None))), "documentation.pain_after")
    assert after.target == "pain_after"
    assert "type why" in after.message
    reason = dataclasses.replace(COMPLETE, pain_after_reason="Patient left before rescoring")
    assert completeness(documented(reason, pain=(6, None))) == []
    blank = dataclasses.replace(COMPLETE, pain_after_reason="   ")
    assert completeness(documented(blank, pain=(6, None))) == ["documentation.pain_after"]


@pytest.mark.parametrize(
    ("indication", "codes", "target", "message"),
    [("", (), "indication",
      "No indication: write why the injections are given and add its ICD-10 code."),
     ("", ("M79.18",), "indication",
      "No indication: write why the injections are given (the ICD-10 code is there)."),
     ("Neck pain", (), "icd10", "The indication has no ICD-10 code: add at least one."),
     ("Neck pain", (" ",), "icd10", "The indication has no ICD-10 code: add at least one.")],
)  # fmt: skip
def test_indication_needs_text_and_a_code(
    indication: str, codes: tuple[str, ...], target: str, message: str
) -> None:
    doc = dataclasses.replace(COMPLETE, indication=indication)
    result = run(documented(doc, icd10=codes))
    finding = only(result, "documentation.indication")
    assert (finding.target, finding.message) == (target, message)
    # The plain "no ICD-10 code" warning is not repeated next to the block.
    assert "icd10.missing" not in rules(result)


def test_icd10_missing_still_warns_without_documentation_facts() -> None:
    assert "icd10.missing" in rules(run(encounter(icd10=())))


def test_a_dose_of_a_product_with_lots_needs_its_lot_or_a_reason() -> None:
    missing = site(1, "deltoid", L, INJ, lot_dose())
    other = site(2, "deltoid", L, INJ, lot_dose(), DoseFact("nope", Decimal(1), has_lots=True))
    result = run(documented(COMPLETE, missing, other))
    found = [f for f in result.findings if f.rule == "documentation.lot"]
    assert [(f.sites, f.target) for f in found] == [((1,), "lot"), ((2,), "lot")]
    assert found[0].message == (
        "Site 1: no lot recorded for Lidocaine 1%. Choose the lot, or “Lot not available…” "
        "with a reason."
    )
    assert "Lidocaine 1% and nope" in found[1].message
    fine = [
        site(1, "deltoid", L, INJ, lot_dose(recorded=True)),
        site(2, "deltoid", L, INJ, lot_dose(reason="Lot label unreadable; vial photographed")),
        site(3, "deltoid", L, INJ, lot_dose(lots=False)),
    ]
    assert completeness(documented(COMPLETE, *fine)) == []
    blank = site(1, "deltoid", L, INJ, lot_dose(reason="  "))
    assert completeness(documented(COMPLETE, blank)) == ["documentation.lot"]


# ---------------------------------------------------------------- the clinic lowers a rule


def lowered(**reasons: str) -> ClinicPolicy:
    return ClinicPolicy(lowered=MappingProxyType(reasons))


def test_a_lowered_rule_becomes_a_warning_that_needs_a_reason() -> None:
    enc = documented(dataclasses.replace(COMPLETE, time_out_done=False))
    policy = ClinicPolicy(lowered={"documentation.time_out": "Solo practice: no second person"})
    result = run(enc, policy=policy)
    finding = only(result, "documentation.time_out")
    assert finding.severity is Severity.WARNING
    assert finding.needs_reason
    assert finding.message.endswith(
        "(Lowered to a warning by the clinic: Solo practice: no second person)"
    )
    assert result.can_sign
    assert result.reasons_needed == (finding,)


def test_only_rules_that_allow_it_are_lowered_and_only_with_a_reason() -> None:
    enc = documented(dataclasses.replace(COMPLETE, consent_obtained=False), icd10=("M79.1",))
    policy = ClinicPolicy(
        lowered={"icd10.not_billable": "we disagree", "documentation.consent": "  "}
    )
    result = run(enc, policy=policy)
    assert only(result, "icd10.not_billable").severity is Severity.BLOCK
    assert only(result, "documentation.consent").severity is Severity.BLOCK
    # A rule id the book does not know (dose.lidocaine_max is reported, not defined) stays.
    dose = dataclasses.replace(
        encounter(site(1, "deltoid", L, INJ, DoseFact("lidocaine_2", Decimal(20)))),
        documentation=None,
    )
    over = run(dose, policy=ClinicPolicy(lowered={"dose.lidocaine_max": "no"}))
    assert only(over, "dose.lidocaine_max").severity is Severity.BLOCK


def test_the_lowerable_rules_are_the_documentation_group() -> None:
    specs = default_rules().lowerable()
    assert {spec.id for spec in specs} == DOCUMENTATION_RULES
    assert all(spec.severity is Severity.BLOCK and spec.source for spec in specs)
    assert lowered().lowered == {}
