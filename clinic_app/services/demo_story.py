"""A demo patient's story: the treatment series, its schedule and what the clinic stocks.

Pure: a random generator in, the facts that stay the same across a patient's visits out;
:mod:`clinic_app.services.demo_charting` charts each visit from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from clinic_app.domain.enums import Side, SkinPrep
from clinic_app.services import demo_phrases as words
from clinic_app.services.demo_phrases import PATTERNS, Pattern

#: Formulary codes the demo clinic stocks by lot; the anesthetic is chosen per series.
ANESTHETICS = ("lidocaine_1", "lidocaine_1", "lidocaine_1", "lidocaine_0_5", "bupivacaine_0_25")
STEROIDS = (
    "triamcinolone_40",
    "triamcinolone_40",
    "triamcinolone_40",
    "methylprednisolone_acetate_40",
)
STOCKED = tuple(sorted(set(ANESTHETICS) | set(STEROIDS)))


@dataclass(frozen=True, slots=True)
class Story:
    """What stays the same across a patient's visits."""

    pattern: Pattern
    codes: tuple[str, ...]
    medicare: bool
    sides: tuple[Side, ...]
    dry_needling: bool
    anesthetic: str
    skin_prep: SkinPrep
    anticoagulant: str
    needle_phobia: bool
    keloid: bool


def make_story(rng: Random, *, medicare: bool, anticoagulant: bool) -> Story:
    pattern = rng.choice(PATTERNS)
    codes = pattern.codes
    if medicare:  # a coder bills the diagnoses Medicare's article covers
        codes = tuple(c for c in codes if c.startswith(("M79.1", "G44.2")))
    sides = rng.choice(((Side.LEFT,), (Side.RIGHT,), (Side.LEFT, Side.RIGHT)))
    return Story(
        pattern=pattern,
        codes=codes,
        medicare=medicare,
        sides=sides,
        dry_needling=not medicare and rng.random() < 0.15,
        anesthetic=rng.choice(ANESTHETICS),
        skin_prep=rng.choice((SkinPrep.CHLORHEXIDINE,) * 3 + (SkinPrep.ALCOHOL,) * 2),
        anticoagulant=rng.choice(words.ANTICOAGULANTS) if anticoagulant else "",
        needle_phobia=rng.random() < 0.06,
        keloid=rng.random() < 0.03,
    )


@dataclass(frozen=True, slots=True)
class Slot:
    """One visit of the schedule."""

    day: date
    first_of_series: bool
    next_day: date | None


def _weekday(day: date) -> date:
    while day.weekday() >= 5:  # the clinic is closed at weekends
        day += timedelta(days=1)
    return day


def schedule(rng: Random, start: date, today: date, *, medicare: bool) -> list[Slot]:
    """Series of visits 2–5 weeks apart (6–10 for Medicare), with pauses between series."""
    days: list[tuple[date, bool]] = []
    day = _weekday(start)
    while day <= today:
        count = rng.randint(2, 3) if medicare else rng.randint(3, 7)
        for i in range(count):
            if day > today:
                break
            days.append((day, i == 0))
            gap = rng.choice((42, 49, 56, 70)) if medicare else rng.choice((14, 21, 21, 28, 35))
            day = _weekday(day + timedelta(days=gap))
        pause = rng.randint(120, 240) if medicare else rng.randint(60, 200)
        day = _weekday(day + timedelta(days=pause))
    return [
        Slot(d, first, days[i + 1][0] if i + 1 < len(days) else None)
        for i, (d, first) in enumerate(days)
    ]
