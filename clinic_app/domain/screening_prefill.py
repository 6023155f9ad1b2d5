"""Screening answers the patient record already gives, and the "all clear" answer of each
question (issue 12 §4: "All negative / reviewed" in one action, record carried over).

Pure data: the form shows a proposal as "carried over from the record" until the provider
confirms it; nothing here is stored by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from clinic_app.domain.allergies import AllergyState, AllergyStatus
from clinic_app.domain.rules.data import FiresWhen, ScreeningQuestion

#: Questions answered by a flag of the patient record, besides those a rule names in
#: ``also_from`` (diabetes feeds the steroid rule and has no rule of its own).
RECORD_FLAGS: Final[dict[str, str]] = {"diabetes": "patient.diabetes"}
ALLERGY_QUESTION: Final = "allergies_reviewed"


@dataclass(frozen=True, slots=True)
class Proposal:
    """An answer the record gives to one question, and what in the record says so."""

    answer: bool
    because: str


def all_clear_answer(question: ScreeningQuestion) -> bool:
    """The answer that raises nothing: yes for "reviewed" questions, else no."""
    return question.fires_when is FiresWhen.NOT_YES


def record_proposals(
    questions: Sequence[ScreeningQuestion],
    flags: Mapping[str, bool],
    allergies: AllergyStatus,
) -> dict[str, Proposal]:
    """What the record answers, by question code.

    Args:
        flags: the record's safety flags by name (``patient.anticoagulant``: True...); only
            a flag that is set proposes a yes: an unset flag was never asked.
        allergies: the record's allergy state; a list or NKDA proposes "reviewed", to be
            confirmed today (nothing recorded proposes nothing).
    """
    proposals: dict[str, Proposal] = {}
    for question in questions:
        names = (*question.also_from, RECORD_FLAGS.get(question.code, ""))
        raised = [name for name in names if flags.get(name)]
        if raised:
            proposals[question.code] = Proposal(True, question.label.lower())
    if allergies.state is not AllergyState.NOT_RECORDED and any(
        q.code == ALLERGY_QUESTION for q in questions
    ):
        proposals[ALLERGY_QUESTION] = Proposal(True, allergies.text)
    return proposals
