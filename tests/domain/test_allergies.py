"""The allergy record's three states: a list, NKDA, not recorded (issue 12 §4)."""

from __future__ import annotations

import pytest

from clinic_app.domain.allergies import (
    NKDA_TEXT,
    NOT_RECORDED_TEXT,
    AllergyState,
    allergy_status,
    means_no_known_allergies,
)


@pytest.mark.parametrize(
    "typed", ["None", "none.", "NKDA", "No known allergies", " no known drug allergies ", "N/A"]
)
def test_the_ways_of_writing_none_are_recognised(typed: str) -> None:
    assert means_no_known_allergies(typed)


@pytest.mark.parametrize("typed", ["Penicillin", "none of the opioids: codeine", "Latex", ""])
def test_a_real_allergy_is_not_taken_for_none(typed: str) -> None:
    assert not means_no_known_allergies(typed)


def test_a_list_is_an_alert() -> None:
    status = allergy_status(" Penicillin (rash) ", False)
    assert (status.state, status.text, status.alert) == (
        AllergyState.LISTED,
        "Penicillin (rash)",
        True,
    )


def test_nkda_and_not_recorded_are_distinct_and_never_alerts() -> None:
    nkda = allergy_status("", True)
    unknown = allergy_status("  ", False)
    assert (nkda.state, nkda.text, nkda.alert) == (AllergyState.NKDA, NKDA_TEXT, False)
    assert (unknown.state, unknown.text, unknown.alert) == (
        AllergyState.NOT_RECORDED,
        NOT_RECORDED_TEXT,
        False,
    )


def test_none_typed_before_nkda_existed_reads_as_nkda() -> None:
    assert allergy_status("None", False).state is AllergyState.NKDA
