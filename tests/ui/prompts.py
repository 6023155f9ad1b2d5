"""Answers the GUI's prompts in tests (after qutebrowser's tests/helpers/messagemock.py).

Every message box, question and file/print dialog goes through ``clinic_app.ui.common.messages``;
the ``prompts`` fixture installs a :class:`Prompts` as its answerer for every UI test. A test
queues the answers it expects to give, by the name of the ``messages`` function that asks
(``prompts.answer("confirm_discard", True)``). The test fails when a prompt is shown that
nobody answered, when the prompt shown is not the one answered next, or when an answer is
left unused. Names are checked against ``messages``, so a renamed prompt fails loudly instead
of a patch silently doing nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clinic_app.ui.common import messages
from clinic_app.ui.common.messages import Prompt


@dataclass
class _Queued:
    name: str
    value: Any


class Prompts:
    """The answerer tests talk to; ``shown`` lists every prompt shown, in order."""

    def __init__(self) -> None:
        self.shown: list[Prompt] = []
        self.failures: list[str] = []
        self._queue: list[_Queued] = []
        self._standing: dict[str, Any] = {}

    @staticmethod
    def _check_name(name: str) -> None:
        shown_by = getattr(messages, name, None)
        is_prompt = inspect.isfunction(shown_by) and name[0] != "_" and name != "set_answerer"
        assert is_prompt, f"messages has no prompt {name!r}"

    def answer(self, name: str, *values: Any) -> None:
        """Answer the next prompts, each named ``name``, with ``values`` in order.

        A value may be a callable taking the :class:`Prompt`; its result is the answer.
        Notices (``warn``, ``show_error``, ``inform``...) are answered with ``None``.
        """
        self._check_name(name)
        self._queue.extend(_Queued(name, value) for value in (values or (None,)))

    def always(self, name: str, value: Any) -> None:
        """Answer every ``name`` prompt not answered by a queued answer with ``value``."""
        self._check_name(name)
        self._standing[name] = value

    def names(self) -> list[str]:
        return [prompt.name for prompt in self.shown]

    def titles(self) -> list[str]:
        return [prompt.title for prompt in self.shown]

    def __call__(self, prompt: Prompt) -> Any:
        self.shown.append(prompt)
        if self._queue and self._queue[0].name == prompt.name:
            value = self._queue.pop(0).value
        elif prompt.name in self._standing:
            value = self._standing[prompt.name]
        else:
            expected = self._queue[0].name if self._queue else "no prompt"
            failure = f"unanswered prompt {prompt.name}: {prompt.title!r} (expected {expected})"
            self.failures.append(failure)
            raise AssertionError(failure)
        return value(prompt) if isinstance(value, Callable) else value  # type: ignore[arg-type]

    def verify(self) -> None:
        """Fail on prompts nobody answered and on answers nobody used."""
        problems = list(self.failures)
        problems += [f"answer for {q.name} was never used" for q in self._queue]
        assert not problems, "; ".join(problems)
