"""Screening questions, record flags and allergy matching (tpi-reference §5)."""

from __future__ import annotations

import pytest

from clinic_app.domain.rules import PatientFact, Severity, default_rules

from .helpers import INJ, L, R, dose, encounter, only, patient, rules, run, site

YES_RULES = [
    ("anticoagulant", "screening.anticoagulant", Severity.WARNING, True),
    ("infection", "screening.infection", Severity.BLOCK, False),
    ("pregnancy", "screening.pregnancy", Severity.WARNING, True),
    ("acute_trauma", "screening.acute_trauma", Severity.WARNING, True),
    ("needle_phobia", "screening.needle_phobia", Severity.INFO, False),
    ("keloid", "screening.keloid", Severity.INFO, False),
]


def test_questions_are_data_in_form_order() -> None:
    book = default_rules()
    assert [q.code for q in book.questions] == [
        "allergies_reviewed", "anticoagulant", "infection", "pregnancy", "diabetes",
        "acute_trauma", "needle_phobia", "keloid",
    ]  # fmt: skip
    diabetes = next(q for q in book.questions if q.code == "diabetes")
    assert (diabetes.rule, diabetes.fires_when, diabetes.message) == (None, None, None)
    assert diabetes.label == "Diabetes"


@pytest.mark.parametrize(("code", "rule", "severity", "needs_reason"), YES_RULES)
@pytest.mark.parametrize(("answer", "fires"), [(True, True), (False, False), (None, False)])
def test_a_yes_answer_raises_its_finding(
    code: str, rule: str, severity: Severity, needs_reason: bool, answer: bool | None, fires: bool
) -> None:
    result = run(encounter(screening={"allergies_reviewed": True, code: answer}))
    assert rules(result) == ([rule] if fires else [])
    if fires:
        finding = only(result, rule)
        assert (finding.severity, finding.needs_reason) == (severity, needs_reason)
        assert finding.source
        assert "tpi-reference" not in finding.source
        assert "(from" not in finding.message


def test_infection_blocks_signing() -> None:
    result = run(encounter(screening={"allergies_reviewed": True, "infection": True}))
    assert only(result, "screening.infection").message == (
        "Infection at the site or a systemic infection was recorded: do not inject."
    )
    assert not result.can_sign


@pytest.mark.parametrize(("answer", "fires"), [(True, False), (False, True), (None, True)])
def test_allergies_not_reviewed_warns_with_a_reason(answer: bool | None, fires: bool) -> None:
    result = run(encounter(screening={"allergies_reviewed": answer}))
    assert ("screening.allergies_not_reviewed" in rules(result)) is fires
    assert result.can_sign
    if fires:
        assert result.reasons_needed[0].rule == "screening.allergies_not_reviewed"
    missing = run(encounter(screening={}))
    assert rules(missing) == ["screening.allergies_not_reviewed"]


@pytest.mark.parametrize(
    ("pat", "rule", "where"),
    [
        (patient(anticoagulant=True), "screening.anticoagulant", "the patient record"),
        (patient(pregnant=True), "screening.pregnancy", "the patient record"),
    ],
)
def test_patient_flags_raise_the_finding_without_an_answer(
    pat: PatientFact, rule: str, where: str
) -> None:
    result = run(encounter(screening={"allergies_reviewed": True, "anticoagulant": False}), pat)
    finding = only(result, rule)
    assert finding.message.endswith(f"go ahead (from {where}).")
    assert finding.needs_reason


def test_encounter_acute_trauma_flag() -> None:
    flagged = run(encounter(acute_trauma=True))
    assert only(flagged, "screening.acute_trauma").message == (
        "Acute muscle trauma was recorded: document why it is safe to go ahead "
        "(from the encounter)."
    )
    assert rules(run(encounter(acute_trauma=False))) == []
    both = run(
        encounter(screening={"allergies_reviewed": True, "acute_trauma": True}, acute_trauma=True)
    )
    assert "(from" not in only(both, "screening.acute_trauma").message


def test_unknown_answers_are_ignored() -> None:
    assert (
        rules(run(encounter(screening={"allergies_reviewed": True, "favourite_colour": True})))
        == []
    )


# ---------------------------------------------------------------- allergies


@pytest.mark.parametrize(
    ("allergies", "code", "matched"),
    [
        ("Lidocaine", "lidocaine_1", "lidocaine"),
        ("rash with XYLOCAINE", "lidocaine_1", "xylocaine"),
        ("amide anesthetic", "lidocaine_1", "amide anesthetic"),
        ("amide anesthetics (hives)", "bupivacaine_0_25", "amide anesthetic"),
        ("local anaesthetics", "bupivacaine_0_5", "local anaesthetic"),
        ("-caine drugs", "lidocaine_1", "caine"),
        ("Kenalog", "triamcinolone_40", "kenalog"),
        ("triamcinolone", "triamcinolone_40", "triamcinolone"),
        ("steroids", "triamcinolone_40", "steroid"),
        ("Corticosteroid", "dexamethasone_4", "corticosteroid"),
        ("depo-medrol", "methylprednisolone_acetate_40", "depo-medrol"),
        ("botox", "onabotulinumtoxina_50", "botox"),
        ("penicillin; sulfa", "lidocaine_1", None),
        ("NSAIDs (nonsteroidal anti-inflammatories)", "triamcinolone_40", None),
        ("general anesthetic", "lidocaine_1", None),
        ("cocaine", "lidocaine_1", None),
        ("lidocaine", "saline_0_9", None),
        ("   ", "lidocaine_1", None),
        ("", "lidocaine_1", None),
    ],
)
def test_allergy_to_a_drug_in_the_mix_blocks(
    allergies: str, code: str, matched: str | None
) -> None:
    sites = (
        site(1, "deltoid", L, INJ, dose(code, "0.5")),
        site(2, "deltoid", R, INJ, dose(code, "0.5")),
    )
    result = run(encounter(*sites), patient(allergies=allergies))
    if matched is None:
        assert "screening.allergy" not in rules(result)
        return
    finding = only(result, "screening.allergy")
    assert finding.severity is Severity.BLOCK
    assert finding.message.startswith(f'The allergy list mentions "{matched}": ')
    assert finding.message.endswith("is in the mix (sites 1 and 2). Do not give it.")
    assert finding.sites == (1, 2)
    assert not result.can_sign


def test_allergy_names_each_matching_drug() -> None:
    sites = (site(1, "deltoid", L, INJ, dose("lidocaine_1"), dose("triamcinolone_40", "0.25")),)
    result = run(encounter(*sites), patient(allergies="lidocaine, steroid"))
    messages = [f.message for f in result.blocks]
    assert messages == [
        'The allergy list mentions "lidocaine": Lidocaine is in the mix (site 1). Do not give it.',
        'The allergy list mentions "steroid": Triamcinolone acetonide is in the mix (site 1). '
        "Do not give it.",
    ]
