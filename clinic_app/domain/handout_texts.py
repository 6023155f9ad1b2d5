"""Every printed word of the aftercare handout, per language.

:class:`HandoutTexts` serves the words of one language from ``resources/handouts/<language>.toml``.
:func:`load_texts` reads each file through :mod:`clinic_app.domain.datafile`, so a broken file
is reported like every other data file (file and dotted key: ``es.toml: label.left is
missing``). The field types are declared by name: a key ending in one of :data:`LINE_FIELDS`
is an array of lines, every other key one string. Every language must have English's keys and,
in each text, English's ``{placeholders}``; every :class:`~clinic_app.domain.handout.Block`
needs its heading and lines.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain.datafile import DataFileError, Entry, read_toml
from clinic_app.domain.enums import Language
from clinic_app.domain.handout import Block, clean
from clinic_app.domain.resource_files import resource

#: Keys ending in one of these hold an array of lines (printed one per line or bullet); every
#: other key holds one string.
LINE_FIELDS: Final = frozenset({"lines", "needling_lines", "lung", "bullets", "months"})


class HandoutTextError(DataFileError):
    """A handout text file is missing, not TOML, has a key of the wrong type, or disagrees with
    en.toml (keys, placeholders)."""


TextValue = str | tuple[str, ...]
_FORMATTER: Final = string.Formatter()


def placeholders(value: TextValue) -> frozenset[str]:
    """The ``{names}`` used in a string or a list of strings."""
    items = (value,) if isinstance(value, str) else value
    return frozenset(name for item in items for _, name, _, _ in _FORMATTER.parse(item) if name)


@dataclass(frozen=True)
class HandoutTexts:
    """Every printed word of one language, keyed by dotted path (``block.activity.heading``)."""

    language: Language
    values: Mapping[str, TextValue] = field(repr=False)

    def text(self, key: str) -> str:
        value = self.values[key]
        if not isinstance(value, str):
            raise TypeError(f"{key} holds lines, not one string: use lines()")
        return value

    def lines(self, key: str) -> tuple[str, ...]:
        value = self.values[key]
        if isinstance(value, str):
            raise TypeError(f"{key} holds one string, not lines: use text()")
        return value

    def format(self, key: str, **values: object) -> str:
        return self.text(key).format(**values)

    def drug_name(self, generic: str) -> str:
        """The medicine in this language (the formulary's generic name when not listed)."""
        translated = self.values.get(f"drug_name.{generic}")
        return translated if isinstance(translated, str) else clean(generic)

    def date(self, when: date) -> str:
        """``when`` written out, e.g. "March 4, 2025" / "4 de marzo de 2025"."""
        month = self.lines("label.months")[when.month - 1]
        return self.format("label.date", day=when.day, month=month, year=when.year)


def _flatten(table: Entry) -> dict[str, TextValue]:
    """Every string and array of lines under ``table``, keyed by dotted path."""
    out: dict[str, TextValue] = {}
    for key, value in table.raw.items():
        if isinstance(value, dict):
            out.update(_flatten(table.table(key)))
        elif key in LINE_FIELDS:
            out[table.prefix + key] = table.texts(key, allow_empty=False)
        else:
            out[table.prefix + key] = table.text(key)
    return out


def default_texts_dir() -> Traversable:
    """The shipped ``handouts`` folder (one TOML file per language, and settings.toml)."""
    return resource("handouts")


def _read(path: Traversable) -> dict[str, TextValue]:
    return _flatten(Entry(path, None, read_toml(path, HandoutTextError), HandoutTextError))


def load_texts(folder: Traversable | None = None) -> dict[Language, HandoutTexts]:
    """Read every language and check they agree.

    Raises:
        HandoutTextError: a file is missing or malformed; a key holds the wrong type (see
            :data:`LINE_FIELDS`); en.toml lacks a block's heading or lines; another language
            lacks a key of en.toml or has one en.toml does not; a text's placeholders differ
            from the English one.
    """
    folder = default_texts_dir() if folder is None else folder
    paths = {language: folder / f"{language.value}.toml" for language in Language}
    read = {language: _read(path) for language, path in paths.items()}
    reference = read[Language.ENGLISH]
    blocks = [f"block.{block.value}.{part}" for block in Block for part in ("heading", "lines")]
    Entry(paths[Language.ENGLISH], None, reference, HandoutTextError).fields(blocks, reference)
    for language, values in read.items():
        Entry(paths[language], None, values, HandoutTextError).fields(reference)
        for key, value in values.items():
            if placeholders(value) != placeholders(reference[key]):
                raise HandoutTextError(
                    paths[language],
                    None,
                    f"uses {sorted(placeholders(value))}, en.toml uses "
                    f"{sorted(placeholders(reference[key]))}",
                    field=key,
                )
    return {language: HandoutTexts(language, values) for language, values in read.items()}


@functools.cache
def _default_texts() -> dict[Language, HandoutTexts]:
    return load_texts()


def default_texts(language: Language) -> HandoutTexts:
    """The shipped texts of ``language``, loaded and checked once per process."""
    return _default_texts()[language]
