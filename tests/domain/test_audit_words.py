"""Audit actions in words, for the audit screen and the access report."""

from __future__ import annotations

from clinic_app.domain.audit_words import action_words


def test_known_actions_read_as_sentences() -> None:
    assert action_words("patient.read") == "Opened the patient's record"
    assert action_words("emergency.access") == "Emergency access (break the glass)"


def test_a_refusal_names_what_was_refused() -> None:
    assert action_words("permission.denied", "encounter.sign") == ("Refused: sign a procedure note")


def test_other_matrix_actions_use_the_matrix_words_and_unknown_ones_their_name() -> None:
    assert action_words("user.list") == "List the clinic's users"
    assert action_words("future.thing") == "future.thing"
