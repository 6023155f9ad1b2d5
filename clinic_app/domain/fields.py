"""Shape checks for values that reach a service: closed vocabularies, yes/no, dates, ids, JSON
and byte payloads.

A service gets its input from a form, from the command line or from a script; none of these
is trusted to hand over the type a dataclass annotation promises. Each function here returns
the value in its proper type or raises :class:`ValidationError` naming the field, so a wrong
value is refused with a sentence instead of failing somewhere in the database driver.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from clinic_app.domain.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

#: The largest id either backend stores (a signed 64-bit integer); a bigger number is a typo.
MAX_ID = 2**63 - 1
#: Screening answers of one encounter, serialised (a full questionnaire is about 2 kB).
MAX_SCREENING_BYTES = 64 * 1024
#: Screening questions in one encounter (the shipped questionnaire has about a dozen).
MAX_SCREENING_ITEMS = 100
#: Longest screening question code ("infection_at_site").
MAX_SCREENING_CODE = 64
#: Longest note typed beside one screening answer.
MAX_SCREENING_NOTE = 2000
#: The clinic's logo as stored and printed (a print-quality PNG is well under 1 MB).
MAX_LOGO_BYTES = 2 * 1024 * 1024
#: What a PNG file starts with (the only logo format the handouts embed).
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_enum(field: str, value: object, kind: type[E], *, label: str) -> E:
    """A member of ``kind``, given as the member or its stored value ("female")."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    choices = ", ".join(member.value for member in kind)
    raise ValidationError(field, f"{label} must be one of {choices} (got {_shown(value)}).")


def check_optional_enum(field: str, value: object, kind: type[E], *, label: str) -> E | None:
    """Like :func:`check_enum`, with ``None`` meaning "not recorded"."""
    return None if value is None else check_enum(field, value, kind, label=label)


def check_bool(field: str, value: object, *, label: str) -> bool:
    """A yes/no value: only ``True`` or ``False`` ("no" as text is not False)."""
    if isinstance(value, bool):
        return value
    raise ValidationError(field, f"{label} must be yes or no (got {_shown(value)}).")


def check_optional_bool(field: str, value: object, *, label: str) -> bool | None:
    """Yes, no, or ``None`` for not recorded."""
    return None if value is None else check_bool(field, value, label=label)


def check_date(field: str, value: object, *, label: str) -> date | None:
    """A calendar date (not a date-time, not text), or ``None``."""
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(field, f"{label} must be a calendar date (got {_shown(value)}).")
    return value


def check_moment(field: str, value: object, *, label: str) -> datetime | None:
    """A point in time with its time zone, or ``None`` (a naive time is a bug: whose clock?)."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError(
            field, f"{label} must be a date and time with its time zone (got {_shown(value)})."
        )
    return value


def check_id(field: str, value: object, *, label: str) -> int:
    """A record id: a whole number from 1 to the largest the database stores."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(field, f"{label} must be a record number (got {_shown(value)}).")
    return value


def check_int(field: str, value: object, *, label: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"{label} must be a whole number (got {_shown(value)}).")
    if not low <= value <= high:
        raise ValidationError(field, f"{label} must be between {low} and {high}.")
    return value


def check_text_type(field: str, value: object, *, label: str) -> str | None:
    """``value`` itself when it is text or ``None``; anything else is refused."""
    if value is None or isinstance(value, str):
        return value
    raise ValidationError(field, f"{label} must be text (got {_shown(value)}).")


def check_screening(value: object) -> dict[str, Any]:
    """Screening answers: ``{code: answer}`` where an answer is yes/no/``None`` or
    ``{"answer": yes/no/None, "note": text}`` (see :mod:`clinic_app.domain.screening`).

    The size is bounded (items and serialised bytes) and every value is plain JSON.
    """
    field, label = "screening", "Screening answers"
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"{label} must be a table of answers (got {_shown(value)}).")
    if len(value) > MAX_SCREENING_ITEMS:
        raise ValidationError(field, f"{label} hold more than {MAX_SCREENING_ITEMS} questions.")
    cleaned: dict[str, Any] = {}
    for code, answer in value.items():
        if not isinstance(code, str) or not code or len(code) > MAX_SCREENING_CODE:
            raise ValidationError(field, f"{label}: {_shown(code)} is not a question code.")
        cleaned[code] = _screening_answer(code, answer)
    try:
        size = len(json.dumps(cleaned, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):  # pragma: no cover - every value was checked above
        raise ValidationError(field, f"{label} are not plain values.") from None
    if size > MAX_SCREENING_BYTES:
        raise ValidationError(
            field, f"{label} are too large ({size} bytes; at most {MAX_SCREENING_BYTES})."
        )
    return cleaned


def _screening_answer(code: str, answer: object) -> object:
    field, label = "screening", f"Screening answer {code!r}"
    if answer is None or isinstance(answer, bool):
        return answer
    if not isinstance(answer, Mapping) or not set(answer) <= {"answer", "note"}:
        raise ValidationError(
            field, f"{label} must be yes, no or not asked, with a note (got {_shown(answer)})."
        )
    yes_no = answer.get("answer")
    if yes_no is not None and not isinstance(yes_no, bool):
        raise ValidationError(field, f"{label} must be yes, no or not asked.")
    note = answer.get("note", "")
    if not isinstance(note, str):
        raise ValidationError(field, f"{label}: the note must be text.")
    if len(note) > MAX_SCREENING_NOTE:
        raise ValidationError(
            field, f"{label}: the note is longer than {MAX_SCREENING_NOTE} characters."
        )
    return {"answer": yes_no, "note": note}


def check_logo(value: object) -> bytes | None:
    """The clinic's logo: a PNG image of at most :data:`MAX_LOGO_BYTES`, or ``None``."""
    if value is None:
        return None
    if not isinstance(value, bytes | bytearray):
        raise ValidationError("logo_png", f"Logo must be a PNG image (got {_shown(value)}).")
    if len(value) > MAX_LOGO_BYTES:
        raise ValidationError(
            "logo_png",
            f"Logo is too large ({len(value) // 1024} kB; at most "
            f"{MAX_LOGO_BYTES // (1024 * 1024)} MB). Save a smaller PNG.",
        )
    if not bytes(value[:8]) == PNG_SIGNATURE:
        raise ValidationError("logo_png", "Logo must be a PNG image; this file is not one.")
    return bytes(value)


def _shown(value: object) -> str:
    """A short, safe rendering of a refused value for the message (never a whole payload)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
