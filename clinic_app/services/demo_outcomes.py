"""What a demo patient fills in besides the visit: questionnaires and a pain drawing.

Pure: a random generator and the visit's facts in, a questionnaire's answers or a drawing
out; :class:`clinic_app.services.demo.DemoSeeder` stores them through the services the
editor uses. The demo draws these from a generator of their own, so the rest of the demo
clinic (patients, visits, lots) stays the same as without them.
"""

from __future__ import annotations

from random import Random

from clinic_app.domain.enums import Side
from clinic_app.domain.pain_drawing import PainDrawing
from clinic_app.domain.pain_drawing_rank import PatternIndex
from clinic_app.services.dto import SiteDraft

#: The questionnaire a clinic hands out for each demo presentation (None: none fits; the
#: NDI is for neck pain and the headache that comes with it, the ODI for low-back pain).
MEASURE_FOR_REGION: dict[str, str | None] = {
    "neck": "ndi",
    "head": "ndi",
    "shoulder_blade": "ndi",
    "low_back": "odi",
    "buttock": "odi",
    "jaw": None,
}
#: Sections of both questionnaires (resources/measures/*.toml).
SECTIONS = 10
#: How often a repeat visit comes with a questionnaire (the first of a series always does).
REPEAT_SHARE = 0.34
#: How often a section is left unanswered (the NDI and ODI score one missing section).
UNANSWERED_SHARE = 0.04
#: The muscles whose zones a patient shades at the first visit of a series.
DRAWN_SITES = 2


def wants_questionnaire(rng: Random, region: str, *, first_of_series: bool) -> str | None:
    """The measure to record at this visit, or None."""
    measure = MEASURE_FOR_REGION.get(region)
    if measure is None:
        return None
    return measure if first_of_series or rng.random() < REPEAT_SHARE else None


def answers(rng: Random, pain: int | None) -> tuple[int | None, ...]:
    """Ten section scores (0-5) that follow the visit's pain (0-10): a patient in more pain
    reports more difficulty; at most one section left unanswered."""
    level = 0.42 * (pain if pain is not None else 5)
    scores: list[int | None] = [
        min(5, max(0, round(rng.gauss(level, 0.8)))) for _ in range(SECTIONS)
    ]
    if rng.random() < UNANSWERED_SHARE * SECTIONS:
        scores[rng.randrange(SECTIONS)] = None
    return tuple(scores)


def drawing_for(sites: tuple[SiteDraft, ...], index: PatternIndex) -> PainDrawing:
    """Where the patient shades pain: the referred zones of the first muscles charted (a
    patient draws what hurts; the provider then finds the trigger points that refer there).
    Empty when those muscles have no zone on the figures."""
    chosen: list[tuple[str, Side | None]] = []
    for draft in sites:
        key = (draft.site.muscle_code, draft.site.side)
        if key not in chosen:
            chosen.append(key)
        if len(chosen) == DRAWN_SITES:
            break
    cells: frozenset[int] = frozenset()
    for code, side in chosen:  # a midline muscle (no side) refers to both sides
        for each in (side,) if side is not None else (Side.RIGHT, Side.LEFT):
            cells |= index.patterns.get((code, each), frozenset())
    return PainDrawing(cells)


__all__ = [
    "MEASURE_FOR_REGION",
    "answers",
    "drawing_for",
    "wants_questionnaire",
]
