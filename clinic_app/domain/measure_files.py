"""Reading the outcome measures from ``resources/measures/*.toml`` (one file per measure).

Every field is checked (:mod:`clinic_app.domain.datafile`): a missing source, a section with
five answers instead of six, a band that does not start at 0 or goes down, a missing Spanish
text stop start-up with one sentence naming the file, the section and the field.
"""

from __future__ import annotations

import functools
from importlib.resources.abc import Traversable

from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.enums import Language
from clinic_app.domain.measures import MAX_ITEM_SCORE, Band, BandScale, Measure, Section
from clinic_app.domain.resource_files import resource

_KEYS = (
    "code", "name", "short_name", "version", "source", "licence", "scoring", "max_missing",
    "max_missing_source", "band_scale", "band_source", "bands", "sections",
)  # fmt: skip


class MeasureFileError(DataFileError):
    """A measure's data file is missing, not TOML, or has an entry that breaks a rule."""


def measures_folder() -> Traversable:
    """The shipped ``resources/measures`` folder."""
    return resource("measures")


def _languages(entry: Entry) -> dict[Language, str]:
    """A table with exactly one non-empty text per language."""
    entry.fields(tuple(language.value for language in Language))
    return {language: entry.text(language.value) for language in Language}


def _section(entry: Entry) -> Section:
    entry.fields(("code", "title", "options"))
    options = entry.tables("options")
    if len(options) != MAX_ITEM_SCORE + 1:
        raise entry.error(
            f"must list {MAX_ITEM_SCORE + 1} answers (scored 0 to {MAX_ITEM_SCORE}), "
            f"not {len(options)}",
            "options",
        )
    return Section(
        entry.snake("code"),
        entry.languages("title"),
        tuple(_languages(option) for option in options),
    )


def _bands(document: Entry) -> tuple[Band, ...]:
    bands: list[Band] = []
    for entry in entries(document, "bands", "band", code_key=None):
        entry.fields(("from", "label"))
        lower = entry.number("from")
        if not bands and lower != 0:
            raise entry.error(f"must be 0 for the first band, not {lower:g}", "from")
        if bands and lower <= bands[-1].lower:
            raise entry.error(f"must be above the band before ({bands[-1].lower:g})", "from")
        bands.append(Band(lower, entry.text("label")))
    return tuple(bands)


def load_measure(path: Traversable) -> Measure:
    """Read and check one measure's file.

    Raises:
        MeasureFileError: the file is missing or malformed, a field is missing, unknown or of
            the wrong kind, a section has not six answers, a text lacks a language, the
            allowance of unanswered sections is not below the number of sections, or the
            bands do not start at 0 and rise (or start above the highest possible score).
    """
    document = read_document(path, MeasureFileError, _KEYS)
    document.fields(_KEYS)
    sections = tuple(
        _section(entry) for entry in entries(document, "sections", "section", snake=True)
    )
    max_missing = document.integer("max_missing", minimum=0, maximum=len(sections) - 1)
    scale = document.choice("band_scale", BandScale)
    bands = _bands(document)
    top = 100.0 if scale is BandScale.PERCENT else float(MAX_ITEM_SCORE * len(sections))
    if bands[-1].lower > top:
        raise document.error(f"the last band starts above the highest score ({top:g})", "bands")
    return Measure(
        code=document.snake("code"),
        name=document.text("name"),
        short_name=document.text("short_name"),
        version=document.text("version"),
        source=document.text("source"),
        licence=document.text("licence"),
        scoring=document.text("scoring"),
        max_missing=max_missing,
        max_missing_source=document.text("max_missing_source"),
        band_scale=scale,
        bands=bands,
        band_source=document.text("band_source"),
        sections=sections,
    )


def load_measures(folder: Traversable | None = None) -> dict[str, Measure]:
    """Every ``*.toml`` measure of ``folder`` (the shipped one by default), by code.

    Raises:
        MeasureFileError: a file is broken, or two files use the same code.
    """
    folder = measures_folder() if folder is None else folder
    found: dict[str, Measure] = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".toml"):
            continue
        measure = load_measure(path)
        if measure.code in found:
            raise MeasureFileError(path, measure.code, "another measure file uses this code")
        found[measure.code] = measure
    if not found:
        raise MeasureFileError(folder, None, "no measure files (*.toml) found")
    return found


@functools.cache
def default_measures() -> dict[str, Measure]:
    """The shipped measures, loaded once per process (by code, in file-name order)."""
    return load_measures()


def measure(code: str) -> Measure | None:
    """The shipped measure ``code``, or ``None`` when there is none."""
    return default_measures().get(code)


__all__ = [
    "MeasureFileError",
    "default_measures",
    "load_measure",
    "load_measures",
    "measure",
    "measures_folder",
]
