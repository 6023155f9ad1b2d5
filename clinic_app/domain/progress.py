"""A patient's series of visits: pain per visit, relief, muscles treated, the payer's count.

Pure arithmetic over signed visits (issue 14 §1). Relief is reported at the visit AFTER the
session that gave it (the form's "relief since last session"), so what visit n+1 recorded is
attributed here to visit n; the last visit's relief is not known yet. The series count uses the
patient's payer profile (resources/rules/payers.toml) and the session-count rule's own reading
of its rolling window (:func:`clinic_app.domain.rules.intervals.within_window`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from clinic_app.domain.enums import Side
from clinic_app.domain.rules.intervals import within_window
from clinic_app.domain.rules.tables import NO_PAYER, PayerProfile


@dataclass(frozen=True, slots=True)
class VisitFacts:
    """One signed visit as stored.

    Attributes:
        prior_relief_percent / prior_relief_weeks: what the patient reported AT this visit
            about the session before it (None = not recorded).
        sites: the (muscle code, side) places treated.
    """

    performed_on: date
    pain_before: int | None
    pain_after: int | None
    prior_relief_percent: int | None = None
    prior_relief_weeks: int | None = None
    sites: frozenset[tuple[str, Side]] = frozenset()


@dataclass(frozen=True, slots=True)
class VisitPoint:
    """One visit of the series, with the relief IT gave (reported at the next visit).

    Attributes:
        number: 1 for the first visit of the series.
        relief_percent / relief_weeks: None when the next visit did not record it, or there
            is no next visit yet.
    """

    number: int
    performed_on: date
    pain_before: int | None
    pain_after: int | None
    relief_percent: int | None
    relief_weeks: int | None

    @property
    def change(self) -> int | None:
        """Pain before minus pain after (positive = better); None unless both were scored."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_before - self.pain_after


@dataclass(frozen=True, slots=True)
class MuscleTally:
    """How often one muscle and side was treated, and the average change of those visits.

    Attributes:
        average_change: mean of (pain before - pain after) over the visits that treated it
            and scored both; None when none did.
    """

    muscle_code: str
    side: Side
    times: int
    average_change: float | None


@dataclass(frozen=True, slots=True)
class SeriesCount:
    """The sessions counted against the payer's limit in the window ending at ``reference``.

    Attributes:
        window_days / maximum: the payer's numbers; None when the payer sets no limit.
        known_payer: False when the patient's payer code is not a defined profile (the
            "No payer rules" profile is used, as the checks do).
    """

    payer_name: str
    source: str
    reference: date
    count: int
    window_days: int | None
    maximum: int | None
    known_payer: bool = True

    @property
    def limited(self) -> bool:
        return self.window_days is not None and self.maximum is not None

    @property
    def over(self) -> bool:
        """More sessions in the window than the payer covers."""
        if self.window_days is None or self.maximum is None:
            return False
        return self.count > self.maximum

    @property
    def remaining(self) -> int | None:
        """Sessions still covered in the window (never below 0); None without a limit."""
        if self.window_days is None or self.maximum is None:
            return None
        return max(self.maximum - self.count, 0)


@dataclass(frozen=True, slots=True)
class Progress:
    """The whole series, oldest visit first."""

    points: tuple[VisitPoint, ...]
    muscles: tuple[MuscleTally, ...]
    series: SeriesCount

    @property
    def first(self) -> VisitPoint | None:
        return self.points[0] if self.points else None

    @property
    def last(self) -> VisitPoint | None:
        return self.points[-1] if self.points else None

    def first_scored(self) -> VisitPoint | None:
        """The earliest visit with a pain-before score."""
        return next((p for p in self.points if p.pain_before is not None), None)

    def last_scored(self) -> VisitPoint | None:
        """The latest visit with a pain-before score."""
        return next((p for p in reversed(self.points) if p.pain_before is not None), None)

    @property
    def average_relief_percent(self) -> float | None:
        return _mean([p.relief_percent for p in self.points])

    @property
    def average_relief_weeks(self) -> float | None:
        return _mean([p.relief_weeks for p in self.points])


def _mean(values: Iterable[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def points_of(visits: Iterable[VisitFacts]) -> tuple[VisitPoint, ...]:
    """Each visit, oldest first, with the relief the NEXT visit reported about it."""
    ordered = sorted(visits, key=lambda v: v.performed_on)  # stable: same-day order kept
    following: list[VisitFacts | None] = [*ordered[1:], None]
    return tuple(
        VisitPoint(
            number=index,
            performed_on=visit.performed_on,
            pain_before=visit.pain_before,
            pain_after=visit.pain_after,
            relief_percent=after.prior_relief_percent if after else None,
            relief_weeks=after.prior_relief_weeks if after else None,
        )
        for index, (visit, after) in enumerate(zip(ordered, following, strict=False), 1)
    )


def muscles_of(visits: Iterable[VisitFacts]) -> tuple[MuscleTally, ...]:
    """Per (muscle, side): visits that treated it and their average change; most treated
    first, then by muscle code and side."""
    times: dict[tuple[str, Side], int] = {}
    changes: dict[tuple[str, Side], list[int]] = {}
    for visit in visits:
        change = None
        if visit.pain_before is not None and visit.pain_after is not None:
            change = visit.pain_before - visit.pain_after
        for place in visit.sites:
            times[place] = times.get(place, 0) + 1
            if change is not None:
                changes.setdefault(place, []).append(change)
    ordered = sorted(times, key=lambda place: (-times[place], place[0], place[1].value))
    return tuple(
        MuscleTally(code, side, times[code, side], _mean(changes.get((code, side), [])))
        for code, side in ordered
    )


def series_count(
    dates: Iterable[date],
    payer: str,
    payers: Mapping[str, PayerProfile],
    reference: date,
) -> SeriesCount:
    """The visits on ``dates`` that count in the payer's rolling window ending at
    ``reference``; without a window every visit up to ``reference`` counts."""
    profile = payers.get(payer)
    known = profile is not None
    if profile is None:
        profile = payers[NO_PAYER]
    window = profile.session_window_days
    if window is None or profile.max_sessions_in_window is None:
        counted = [d for d in dates if d <= reference]
    else:
        counted = [d for d in dates if within_window(d, reference, window)]
    return SeriesCount(
        payer_name=profile.name,
        source=profile.source,
        reference=reference,
        count=len(counted),
        window_days=window,
        maximum=profile.max_sessions_in_window,
        known_payer=known,
    )


def progress_of(
    visits: Iterable[VisitFacts],
    payer: str,
    payers: Mapping[str, PayerProfile],
    reference: date,
) -> Progress:
    """The series of ``visits`` (signed ones) as of ``reference`` (today, in the clinic)."""
    listed = list(visits)
    return Progress(
        points=points_of(listed),
        muscles=muscles_of(listed),
        series=series_count((v.performed_on for v in listed), payer, payers, reference),
    )
