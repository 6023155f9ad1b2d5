"""The prompt answerer every UI test relies on must itself fail when it should."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox

from clinic_app.ui.common import messages
from tests.ui.prompts import Prompts


@pytest.fixture
def own() -> Iterator[Prompts]:
    """A second answerer, installed for the duration of one test only."""
    answers = Prompts()
    previous = messages.set_answerer(answers)
    yield answers
    messages.set_answerer(previous)


def test_queued_answers_are_given_in_order_and_recorded(own):
    own.answer("confirm_discard", False, True)
    own.answer("ask_void_reason", "Registered twice")
    assert messages.confirm_discard(None) is False
    assert messages.confirm_discard(None) is True
    assert messages.ask_void_reason(None, "Zeller, Ana") == "Registered twice"
    assert own.names() == ["confirm_discard", "confirm_discard", "ask_void_reason"]
    assert "Zeller, Ana" in own.shown[2].text
    own.verify()


def test_an_unanswered_prompt_fails(own):
    with pytest.raises(AssertionError, match="unanswered prompt ask_unsaved_close"):
        messages.ask_unsaved_close(None)
    with pytest.raises(AssertionError, match="unanswered prompt ask_unsaved_close"):
        own.verify()
    own.failures.clear()


def test_a_prompt_other_than_the_next_answered_fails(own):
    own.answer("confirm_discard", True)
    with pytest.raises(AssertionError, match=r"expected confirm_discard"):
        messages.confirm_reload_theirs(None)
    own.failures.clear()
    assert messages.confirm_discard(None) is True


def test_an_unused_answer_fails(own):
    own.answer("ask_conflict_close", QMessageBox.StandardButton.Save)
    with pytest.raises(AssertionError, match="ask_conflict_close was never used"):
        own.verify()


def test_answers_name_prompts_that_exist(own):
    with pytest.raises(AssertionError, match="no prompt 'ask_conflict_question'"):
        own.answer("ask_conflict_question", True)
    with pytest.raises(AssertionError, match="no prompt"):
        own.always("Prompt", True)


def test_standing_answers_and_callables(own):
    own.always("warn", lambda prompt: None)
    own.answer("ask_choice", lambda prompt: prompt.options[-1])
    messages.warn(None, "Careful", "Twice")
    messages.warn(None, "Careful", "Twice")
    assert messages.ask_choice(None, "Provider", "Who?", ["A", "B"]) == "B"
    assert own.titles() == ["Careful", "Careful", "Provider"]
    own.verify()
