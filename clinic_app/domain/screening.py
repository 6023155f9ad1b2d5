"""A screening question's answer as the encounter stores it: ``{"answer": bool|None, "note": str}``.

Every reader of the stored JSON goes through :meth:`ScreeningAnswer.parse`, so a value written
by an older version (a bare ``true``) or damaged by hand reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ScreeningAnswer:
    """One question's answer: yes, no or not asked (``None``), and the provider's note."""

    answer: bool | None = None
    note: str = ""

    @classmethod
    def parse(cls, value: object) -> ScreeningAnswer:
        """The stored JSON value; anything that is not a yes/no answer reads as not asked."""
        if isinstance(value, Mapping):
            answer, note = value.get("answer"), value.get("note")
        else:
            answer, note = value, ""
        return cls(
            answer if isinstance(answer, bool) else None, note if isinstance(note, str) else ""
        )

    @property
    def recorded(self) -> bool:
        """True when there is anything to store (an answer or a note)."""
        return self.answer is not None or bool(self.note)

    def to_json(self) -> dict[str, Any]:
        """The value to store (the format :meth:`parse` reads)."""
        return {"answer": self.answer, "note": self.note}


def parse_screening(screening: Mapping[str, object] | None) -> dict[str, ScreeningAnswer]:
    """A stored ``{code: value}`` screening as typed answers (``None``: no answers)."""
    return {code: ScreeningAnswer.parse(value) for code, value in (screening or {}).items()}


def answer_of(screening: Mapping[str, object] | None, code: str) -> bool | None:
    """The yes/no answer to ``code`` in a stored screening (``None``: not asked)."""
    return ScreeningAnswer.parse((screening or {}).get(code)).answer
