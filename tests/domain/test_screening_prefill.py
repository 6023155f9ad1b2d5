"""What the patient record answers before screening (issue 12 §4)."""

from __future__ import annotations

from clinic_app.domain.allergies import allergy_status
from clinic_app.domain.rules import default_rules
from clinic_app.domain.screening_prefill import Proposal, all_clear_answer, record_proposals

QUESTIONS = default_rules().questions


def by_code(code: str):
    return next(q for q in QUESTIONS if q.code == code)


def test_the_all_clear_answer_is_yes_only_for_reviewed_questions() -> None:
    assert all_clear_answer(by_code("allergies_reviewed")) is True
    assert all_clear_answer(by_code("anticoagulant")) is False
    assert all_clear_answer(by_code("diabetes")) is False


def test_set_flags_and_a_recorded_allergy_state_are_proposed() -> None:
    flags = {
        "patient.anticoagulant": True,
        "patient.pregnant_or_breastfeeding": False,
        "patient.diabetes": True,
    }
    proposals = record_proposals(QUESTIONS, flags, allergy_status("", True))
    assert set(proposals) == {"anticoagulant", "diabetes", "allergies_reviewed"}
    assert proposals["anticoagulant"].answer is True
    assert proposals["allergies_reviewed"] == Proposal(True, "No known drug allergies")
    assert proposals["anticoagulant"].because == "anticoagulant / antiplatelet"


def test_an_empty_record_proposes_nothing() -> None:
    assert record_proposals(QUESTIONS, {}, allergy_status("", False)) == {}


def test_no_allergy_proposal_without_the_question() -> None:
    others = [q for q in QUESTIONS if q.code != "allergies_reviewed"]
    assert record_proposals(others, {}, allergy_status("Latex", False)) == {}
