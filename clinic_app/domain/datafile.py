"""Reading the reference-data files (TOML): one reader, one error format.

Every data file of the app — muscle catalog, formulary, favourites, referred-pain areas, rule
tables, handout settings and texts — is read through :func:`read_document` and :class:`Entry`,
whose getters declare each field's type (``text``, ``flag``, ``integer``, ``decimal``...). A
problem raises a subclass of :class:`DataFileError` worded the same way everywhere, naming the
file, the entry and the field::

    muscles.toml, entry 'trapezius_upper': lay_name.es is missing
    formulary.toml, entry 'lidocaine_1': epinephrine must be true or false, not a string

so a broken file stops start-up with one clear sentence.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib.resources.abc import Traversable
from typing import Final, TypeVar

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError

SNAKE_CASE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_TOML_LINE: Final = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_DECIMAL: Final = re.compile(r"\d+(?:\.(\d+))?")
_TOML_TYPES: Final[dict[type, str]] = {
    bool: "a boolean", int: "an integer", float: "a float", str: "a string",
    list: "an array", dict: "a table",
}  # fmt: skip
_E = TypeVar("_E", bound=StrEnum)


class DataFileError(ClinicError):
    """A data file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the file.
        entry: the entry at fault (a code, or "muscle #3" when it has none), or None.
        field: the field at fault (``lay_name.es``), or None.
        problem: what is wrong, in words (after the field's name when there is one).
        line: the line in the file, when the TOML parser reported one.
    """

    def __init__(
        self,
        path: Traversable,
        entry: str | None,
        problem: str,
        *,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        self.problem = problem
        self.line = line
        where = path.name
        if entry is not None:
            where += f", entry {entry!r}"
        if line is not None:
            where += f", line {line}"
        super().__init__(f"{where}: {problem}" if field is None else f"{where}: {field} {problem}")


def toml_type(value: object) -> str:
    """What a TOML value is, in words ("an integer", "a table"...)."""
    return _TOML_TYPES.get(type(value), "a date/time")


def read_toml(path: Traversable, error: type[DataFileError]) -> dict[str, object]:
    """The parsed document; any failure is raised as ``error`` naming the file (and line)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(path, None, "file not found") from None
    except OSError as exc:
        raise error(path, None, f"cannot read the file ({exc.strerror})") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(path, None, "the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        line = int(found.group(1)) if found else None
        raise error(path, None, f"invalid TOML: {_TOML_LINE.sub('', message)}", line=line) from None


class Entry:
    """One table of a data file being read; every getter checks its field's declared type.

    Attributes:
        path: the file.
        label: the entry's name in errors (its code, ``"muscle #3"``), None for the document.
        raw: the table as parsed.
        error_type: the file's error class (a :class:`DataFileError`).
    """

    __slots__ = ("error_type", "label", "path", "prefix", "raw")

    def __init__(
        self,
        path: Traversable,
        label: str | None,
        raw: Mapping[str, object],
        error_type: type[DataFileError] = DataFileError,
        prefix: str = "",
    ) -> None:
        self.path = path
        self.label = label
        self.raw = raw
        self.error_type = error_type
        self.prefix = prefix  # "lay_name." for the fields of a sub-table

    def error(self, problem: str, field: str | None = None) -> DataFileError:
        """The error for ``problem`` in this entry (and ``field``), ready to raise."""
        named = None if field is None else self.prefix + field
        return self.error_type(self.path, self.label, problem, field=named)

    def fields(self, required: Collection[str], optional: Collection[str] = ()) -> None:
        """Refuse missing required keys and keys that are neither required nor optional."""
        missing = [key for key in required if key not in self.raw]
        if len(missing) == 1:
            raise self.error("is missing", missing[0])
        if missing:
            raise self.error(f"{', '.join(self.prefix + key for key in missing)} are missing")
        unknown = sorted(self.prefix + key for key in set(self.raw) - {*required, *optional})
        if unknown:
            raise self.error(f"unknown field {', '.join(map(repr, unknown))}")

    def has(self, key: str) -> bool:
        return key in self.raw

    def value(self, key: str) -> object:
        """The raw value of ``key``; a missing key is an error naming it."""
        if key not in self.raw:
            raise self.error("is missing", key)
        return self.raw[key]

    def text(self, key: str, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
        """A non-empty string, stripped; with ``pattern``, one that matches it (``what``)."""
        value = self.value(key)
        if not isinstance(value, str):
            raise self.error(f"must be a string, not {toml_type(value)}", key)
        if not value.strip():
            raise self.error("must not be empty", key)
        if pattern is not None and not pattern.fullmatch(value.strip()):
            raise self.error(f"{value.strip()!r} must be {what}", key)
        return value.strip()

    def snake(self, key: str) -> str:
        """A lowercase snake_case code."""
        return self.text(key, SNAKE_CASE, "lowercase snake_case")

    def texts(self, key: str, *, allow_empty: bool = True, lower: bool = False) -> tuple[str, ...]:
        """An array of distinct non-empty strings, stripped."""
        value = self.value(key)
        if not isinstance(value, list):
            raise self.error(f"must be an array of strings, not {toml_type(value)}", key)
        if not value and not allow_empty:
            raise self.error("must list at least one item", key)
        items: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"must hold only non-empty strings, found {item!r}", key)
            if lower and item != item.lower():
                raise self.error(f"must hold lowercase text, found {item!r}", key)
            if item.strip() in items:
                raise self.error(f"lists {item!r} twice", key)
            items.append(item.strip())
        return tuple(items)

    def flag(self, key: str) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, not {toml_type(value)}", key)
        return value

    def integer(self, key: str, *, minimum: int = 1, maximum: int | None = None) -> int:
        """A whole number from ``minimum`` to ``maximum`` (inclusive)."""
        value = self.value(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(f"must be an integer, not {toml_type(value)}", key)
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise self.error(f"must be at least {minimum}{upper}, not {value}", key)
        return value

    def number(self, key: str, *, positive: bool = False) -> float:
        """A finite integer or float; more than 0 with ``positive``."""
        value = self.value(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"must be a number, not {toml_type(value)}", key)
        if not math.isfinite(value):
            raise self.error(f"must be a finite number, not {value}", key)
        if positive and value <= 0:
            raise self.error(f"must be more than 0, not {value:g}", key)
        return float(value)

    def decimal(self, key: str, *, places: int | None = None, allow_zero: bool = False) -> Decimal:
        """An exact decimal written as a string ("2.5"), never a float; more than 0 unless
        ``allow_zero``; at most ``places`` decimals when given."""
        value = self.value(key)
        found = _DECIMAL.fullmatch(value.strip()) if isinstance(value, str) else None
        digits = "" if found is None else found.group(1) or ""
        if found is None or (places is not None and len(digits) > places):
            most = "" if places is None else f" with at most {places} decimals"
            raise self.error(f'must be a decimal written as a string{most}, e.g. "2.5"', key)
        number = Decimal(found.group(0))
        if number == 0 and not allow_zero:
            raise self.error("must be more than 0", key)
        return number

    def day(self, key: str) -> date:
        value = self.value(key)
        if type(value) is not date:
            raise self.error(f"must be a date such as 2021-10-01, not {toml_type(value)}", key)
        return value

    def choice(self, key: str, enum: type[_E]) -> _E:
        """A member of ``enum``, written as its value."""
        return self._member(key, self.text(key), enum)

    def choices(self, key: str, enum: type[_E]) -> tuple[_E, ...]:
        """A non-empty array of distinct members of ``enum``."""
        return tuple(self._member(key, item, enum) for item in self.texts(key, allow_empty=False))

    def _member(self, key: str, value: str, enum: type[_E]) -> _E:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.error(f"{value!r} is not one of {allowed}", key) from None

    def table(self, key: str) -> Entry:
        """A sub-table, read with the same file, entry and error type."""
        value = self.value(key)
        if not isinstance(value, dict):
            raise self.error(f"must be a table, not {toml_type(value)}", key)
        return Entry(self.path, self.label, value, self.error_type, f"{self.prefix}{key}.")

    def tables(self, key: str, *, allow_empty: bool = True) -> list[Entry]:
        """An array of tables (``shapes = [{...}, {...}]``), each read with the same file, entry
        and error type; their fields are named ``key[N].field`` (N from 1)."""
        value = self.value(key)
        if not isinstance(value, list):
            raise self.error(f"must be an array of tables, not {toml_type(value)}", key)
        if not value and not allow_empty:
            raise self.error("must list at least one table", key)
        result: list[Entry] = []
        for number, item in enumerate(value, start=1):
            where = f"{key}[{number}]"
            if not isinstance(item, dict):
                raise self.error(f"must be a table, not {toml_type(item)}", where)
            result.append(
                Entry(self.path, self.label, item, self.error_type, f"{self.prefix}{where}.")
            )
        return result

    def languages(self, key: str) -> dict[Language, str]:
        """A table with one non-empty string per language (``lay_name.en``, ``lay_name.es``)."""
        table = self.table(key)
        unknown = sorted(set(table.raw) - {language.value for language in Language})
        if unknown:
            allowed = ", ".join(language.value for language in Language)
            raise self.error(f"has {', '.join(map(repr, unknown))}, not one of {allowed}", key)
        return {language: table.text(language.value) for language in Language}


def read_document(path: Traversable, error: type[DataFileError], keys: Collection[str]) -> Entry:
    """Parse ``path`` and refuse top-level keys outside ``keys``."""
    document = read_toml(path, error)
    unknown = sorted(set(document) - set(keys))
    if unknown:
        raise error(path, None, f"unknown top-level key {', '.join(map(repr, unknown))}")
    return Entry(path, None, document, error)


def entries(
    document: Entry, key: str, noun: str, code_key: str | None = "code", *, snake: bool = False
) -> list[Entry]:
    """The ``[[key]]`` tables of a document, each labelled by its code (else ``"noun #N"``).

    The code (``code_key``, when the table has one; lowercase snake_case with ``snake``)
    becomes the entry's label, and a code used twice is refused, so callers can build dicts
    without checking.
    """
    tables = document.raw.get(key)
    if not isinstance(tables, list) or not tables:
        raise document.error(f"expected one or more [[{key}]] tables")
    result: list[Entry] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(tables, start=1):
        entry = Entry(document.path, f"{noun} #{number}", {}, document.error_type)
        if not isinstance(raw, dict):
            raise entry.error(f"must be a table, not {toml_type(raw)}")
        entry.raw = raw
        if code_key is not None and code_key in raw:
            entry.label = entry.snake(code_key) if snake else entry.text(code_key)
            if entry.label in first_seen:
                previous = first_seen[entry.label]
                raise entry.error(f"duplicate {code_key} ({noun} #{previous} has it too)")
            first_seen[entry.label] = number
        result.append(entry)
    return result
