"""Standard outcome measures (questionnaires) and their published scoring rules.

A measure — the Neck Disability Index, the Oswestry Disability Index — is data: its
sections, answers, the number of sections that may be left unanswered and the bands that
name a score are read with their sources from ``resources/measures/*.toml``
(:mod:`clinic_app.domain.measure_files`). This module holds the value types and
:func:`score`, which applies the rule both publications share:

- each section scores the position of the answer chosen (0 = first answer, 5 = last);
- the total is the sum over the sections answered;
- percent = total / (5 × sections answered) × 100, so an unanswered section lowers the
  possible score instead of counting as 0;
- more unanswered sections than the measure allows: no score at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ValidationError

#: The highest score of one section (its last answer); each section has this + 1 answers.
MAX_ITEM_SCORE: Final = 5


class BandScale(StrEnum):
    """What a measure's bands are read on."""

    #: The total in points over all sections (NDI 0-50); a score with unanswered sections
    #: is prorated to all of them first (percent × sections × 5 / 100).
    POINTS = "points"
    #: The percent score (ODI 0-100).
    PERCENT = "percent"


@dataclass(frozen=True, slots=True)
class Band:
    """A named range of scores: from ``lower`` (inclusive) up to the next band's lower bound."""

    lower: float
    label: str


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a questionnaire: its title and its answers, in score order (0 first)."""

    code: str
    title: dict[Language, str]
    options: tuple[dict[Language, str], ...]


@dataclass(frozen=True, slots=True)
class Measure:
    """One questionnaire as its data file describes it.

    Attributes:
        code: the stored code ("ndi").
        name, short_name: "Neck Disability Index", "NDI".
        version: the version scored ("2.1a"); stored with every response.
        source: the publication the scoring follows.
        licence: the terms of use, and that the wording here is our own paraphrase.
        scoring: the scoring rule, in words.
        max_missing: sections that may be left unanswered and still give a score.
        max_missing_source: where that allowance comes from.
        band_scale: what the bands are read on.
        bands: the bands, lowest first (the first starts at 0).
        band_source: where the bands come from.
        sections: the sections in questionnaire order.
    """

    code: str
    name: str
    short_name: str
    version: str
    source: str
    licence: str
    scoring: str
    max_missing: int
    max_missing_source: str
    band_scale: BandScale
    bands: tuple[Band, ...]
    band_source: str
    sections: tuple[Section, ...]

    @property
    def max_total(self) -> int:
        """The highest possible total (all sections answered with their last answer)."""
        return MAX_ITEM_SCORE * len(self.sections)


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """A scored questionnaire.

    Attributes:
        total: the sum of the answered sections' scores.
        answered: how many sections were answered.
        percent: total / (5 × answered) × 100, not rounded.
        band: the label of the band the score falls in.
    """

    total: int
    answered: int
    percent: float
    band: str


def band_of(measure: Measure, value: float) -> str:
    """The label of the band ``value`` (on the measure's band scale) falls in."""
    label = measure.bands[0].label
    for band in measure.bands:
        if value >= band.lower:
            label = band.label
    return label


def score(measure: Measure, answers: Sequence[int | None]) -> MeasureResult:
    """Score one completed questionnaire (one answer per section; ``None`` = unanswered).

    Raises:
        ValidationError: not one answer per section, an answer outside 0-5, or more
            sections unanswered than the measure allows.
    """
    sections = measure.sections
    if len(answers) != len(sections):
        raise ValidationError(
            "answers",
            f"The {measure.short_name} has {len(sections)} sections; "
            f"{len(answers)} answers were given.",
        )
    for number, (section, answer) in enumerate(zip(sections, answers, strict=True), start=1):
        in_range = isinstance(answer, int) and 0 <= answer <= MAX_ITEM_SCORE
        ok = answer is None or (in_range and not isinstance(answer, bool))
        if not ok:
            raise ValidationError(
                section.code,
                f"{measure.short_name} section {number} ({section.title[Language.ENGLISH]}): "
                f"the answer must be a score from 0 to {MAX_ITEM_SCORE}, not {answer!r}.",
            )
    given = [a for a in answers if a is not None]
    missing = len(sections) - len(given)
    if missing > measure.max_missing:
        allowed = (
            "every section must be answered"
            if measure.max_missing == 0
            else f"at most {measure.max_missing} may be left unanswered"
        )
        raise ValidationError(
            "answers",
            f"{missing} of the {measure.short_name}'s {len(sections)} sections are unanswered; "
            f"{allowed} for a score.",
        )
    total = sum(given)
    percent = total * 100 / (MAX_ITEM_SCORE * len(given))
    points = measure.band_scale is BandScale.POINTS
    value = percent * measure.max_total / 100 if points else percent
    return MeasureResult(total, len(given), percent, band_of(measure, value))


def percent_text(percent: float) -> str:
    """ "35.6%" (one decimal, trailing ".0" kept off: "32%")."""
    rounded = round(percent, 1)
    return f"{rounded:g}%" if rounded == int(rounded) else f"{rounded:.1f}%"


__all__ = [
    "MAX_ITEM_SCORE",
    "Band",
    "BandScale",
    "Measure",
    "MeasureResult",
    "Section",
    "band_of",
    "percent_text",
    "score",
]
