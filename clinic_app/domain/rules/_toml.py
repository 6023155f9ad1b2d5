"""Reading the rule files: one error type naming file and entry, and a checked table reader.

Follows catalog.py / formulary.py: a broken file fails at load time with
``"payers.toml, entry 'medicare': max_sessions_in_window must be an integer"``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from enum import StrEnum
from importlib.resources.abc import Traversable
from typing import Final, TypeVar

from clinic_app.domain.datafile import DataFileError, read_toml

SNAKE_CASE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
RULE_ID: Final = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_TOML_TYPES: Final[dict[type, str]] = {
    bool: "a boolean", int: "an integer", float: "a float", str: "a string",
    list: "an array", dict: "a table",
}  # fmt: skip
_E = TypeVar("_E", bound=StrEnum)


class RulesDataError(DataFileError):
    """A rule file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the file.
        entry: the entry's code (``"medicare"``), ``"profile #2"`` when it has none, or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


def toml_type(value: object) -> str:
    return _TOML_TYPES.get(type(value), "a date/time")


class Table:
    """One TOML table being checked; every getter raises :class:`RulesDataError`."""

    def __init__(self, path: Traversable, label: str | None, raw: Mapping[str, object]) -> None:
        self.path = path
        self.label = label
        self.raw = raw

    def error(self, problem: str) -> RulesDataError:
        return RulesDataError(self.path, self.label, problem)

    def fields(self, required: Collection[str], optional: Collection[str] = ()) -> None:
        """Refuse missing required keys and keys that are neither required nor optional."""
        missing = [key for key in required if key not in self.raw]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            raise self.error(f"{', '.join(missing)} {verb} missing")
        unknown = sorted(set(self.raw) - {*required, *optional})
        if unknown:
            raise self.error(f"unknown field {', '.join(map(repr, unknown))}")

    def has(self, key: str) -> bool:
        return key in self.raw

    def text(self, key: str) -> str:
        value = self.raw[key]
        if not isinstance(value, str):
            raise self.error(f"{key} must be a string, not {toml_type(value)}")
        if not value.strip():
            raise self.error(f"{key} must not be empty")
        return value.strip()

    def pattern(self, key: str, regex: re.Pattern[str], what: str) -> str:
        value = self.text(key)
        if not regex.fullmatch(value):
            raise self.error(f"{key} {value!r} must be {what}")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw[key]
        if not isinstance(value, bool):
            raise self.error(f"{key} must be true or false, not {toml_type(value)}")
        return value

    def integer(self, key: str, *, minimum: int = 1, maximum: int | None = None) -> int:
        value = self.raw[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"{key} must be an integer, not {toml_type(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise self.error(f"{key} must be at least {minimum}{upper}, not {value}")
        return value

    def day(self, key: str) -> date:
        value = self.raw[key]
        if type(value) is not date:
            raise self.error(f"{key} must be a date such as 2021-10-01, not {toml_type(value)}")
        return value

    def texts(self, key: str, *, lower: bool = False) -> tuple[str, ...]:
        value = self.raw[key]
        if not isinstance(value, list):
            raise self.error(f"{key} must be an array of strings, not {toml_type(value)}")
        items: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key} must hold only non-empty strings, found {item!r}")
            if lower and item != item.lower():
                raise self.error(f"{key} must hold lowercase text, found {item!r}")
            if item.strip() in items:
                raise self.error(f"{key} lists {item!r} twice")
            items.append(item.strip())
        return tuple(items)

    def choice(self, key: str, enum: type[_E]) -> _E:
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.error(f"{key}: {value!r} is not one of {allowed}") from None

    def table(self, key: str) -> Table:
        value = self.raw[key]
        if not isinstance(value, dict):
            raise self.error(f"{key} must be a table, not {toml_type(value)}")
        return Table(self.path, self.label, value)


def read_document(path: Traversable, keys: Collection[str]) -> Table:
    """Parse ``path`` and refuse top-level keys outside ``keys``."""
    document = read_toml(path, RulesDataError)
    unknown = sorted(set(document) - set(keys))
    if unknown:
        raise RulesDataError(path, None, f"unknown top-level key {', '.join(map(repr, unknown))}")
    return Table(path, None, document)


def entries(document: Table, key: str, noun: str, code_key: str = "code") -> list[Table]:
    """The ``[[key]]`` tables of a document, each labelled by its code (or ``"noun #N"``).

    Duplicate codes are refused here, so callers can build dicts without checking.
    """
    tables = document.raw.get(key)
    if not isinstance(tables, list) or not tables:
        raise document.error(f"expected one or more [[{key}]] tables")
    result: list[Table] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(tables, start=1):
        label = f"{noun} #{number}"
        if not isinstance(raw, dict):
            raise RulesDataError(document.path, label, f"must be a table, not {toml_type(raw)}")
        table = Table(document.path, label, raw)
        if code_key in raw:
            table.label = table.text(code_key)
            if table.label in first_seen:
                previous = first_seen[table.label]
                raise table.error(f"duplicate {code_key} ({noun} #{previous} has it too)")
            first_seen[table.label] = number
        result.append(table)
    return result
