"""The series of visits: points, relief attribution, per-muscle averages, the payer's count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_app.domain.enums import Side
from clinic_app.domain.progress import (
    MuscleTally,
    SeriesCount,
    VisitFacts,
    VisitPoint,
    muscles_of,
    points_of,
    progress_of,
    series_count,
)
from clinic_app.domain.rules import default_rules

L, R = Side.LEFT, Side.RIGHT
DAY = date(2026, 3, 2)
PAYERS = default_rules().payers


def visit(
    days: int,
    before: int | None = 7,
    after: int | None = 3,
    relief: tuple[int | None, int | None] = (None, None),
    *sites: tuple[str, Side],
) -> VisitFacts:
    return VisitFacts(
        performed_on=DAY + timedelta(days=days),
        pain_before=before,
        pain_after=after,
        prior_relief_percent=relief[0],
        prior_relief_weeks=relief[1],
        sites=frozenset(sites),
    )


def test_points_are_oldest_first_and_numbered() -> None:
    points = points_of([visit(30, 5, 2), visit(0, 8, 4), visit(60, 3, 1)])
    assert [(p.number, p.performed_on, p.pain_before, p.pain_after) for p in points] == [
        (1, DAY, 8, 4),
        (2, DAY + timedelta(days=30), 5, 2),
        (3, DAY + timedelta(days=60), 3, 1),
    ]


def test_relief_reported_at_the_next_visit_belongs_to_the_visit_before() -> None:
    points = points_of([visit(0, relief=(90, 12)), visit(30, relief=(60, 4)), visit(60)])
    # Visit 1's own "prior relief" (90%, 12 weeks) refers to a session outside the series.
    assert [(p.relief_percent, p.relief_weeks) for p in points] == [
        (60, 4),
        (None, None),
        (None, None),
    ]


def test_the_last_visit_has_no_relief_yet() -> None:
    (only,) = points_of([visit(0, relief=(80, 6))])
    assert (only.relief_percent, only.relief_weeks) == (None, None)


@pytest.mark.parametrize(
    ("before", "after", "change"), [(7, 3, 4), (3, 5, -2), (None, 3, None), (7, None, None)]
)
def test_change_needs_both_scores(before: int | None, after: int | None, change: int | None) -> None:
    point = VisitPoint(1, DAY, before, after, None, None)
    assert point.change == change


def test_per_muscle_and_side_times_and_average_change() -> None:
    tallies = muscles_of(
        [
            visit(0, 8, 4, (None, None), ("trapezius_upper", L), ("trapezius_upper", R)),
            visit(30, 6, 4, (None, None), ("trapezius_upper", L)),
            visit(60, None, 2, (None, None), ("trapezius_upper", L), ("deltoid", R)),
        ]
    )
    assert tallies == (
        # Three visits; the third scored no pain before, so the average is over two: (4+2)/2.
        MuscleTally("trapezius_upper", L, 3, 3.0),
        MuscleTally("deltoid", R, 1, None),
        MuscleTally("trapezius_upper", R, 1, 4.0),
    )


def test_no_visits_no_progress() -> None:
    progress = progress_of([], "medicare", PAYERS, DAY)
    assert progress.points == progress.muscles == ()
    assert progress.first is progress.last is None
    assert progress.first_scored() is progress.last_scored() is None
    assert progress.average_relief_percent is progress.average_relief_weeks is None
    assert progress.series.count == 0


def test_first_and_last_scores_and_average_relief() -> None:
    progress = progress_of(
        [
            visit(0, None, None),
            visit(20, 8, 5),
            visit(40, 6, 3, (50, 2)),
            visit(60, 4, 1, (70, None)),
            visit(80, None, None, (None, 5)),
        ],
        "none",
        PAYERS,
        DAY + timedelta(days=80),
    )
    assert progress.first is not None and progress.first.performed_on == DAY
    assert progress.last is not None and progress.last.number == 5
    first, last = progress.first_scored(), progress.last_scored()
    assert first is not None and (first.number, first.pain_before) == (2, 8)
    assert last is not None and (last.number, last.pain_before) == (4, 4)
    assert progress.average_relief_percent == 60.0  # (50 + 70) / 2
    assert progress.average_relief_weeks == 3.5  # (2 + 5) / 2


def test_series_count_against_medicare_three_in_365_days() -> None:
    dates = [DAY - timedelta(days=400), DAY - timedelta(days=364), DAY - timedelta(days=100), DAY]
    count = series_count(dates, "medicare", PAYERS, DAY)
    # 400 days back is outside the window; 364 days back is inside (fewer than 365).
    assert (count.count, count.window_days, count.maximum) == (3, 365, 3)
    assert (count.payer_name, count.known_payer, count.limited) == ("Medicare", True, True)
    assert (count.over, count.remaining) == (False, 0)
    assert count.source.startswith("CMS LCD")


def test_series_count_over_the_limit() -> None:
    dates = [DAY - timedelta(days=d) for d in (300, 200, 100, 0)]
    count = series_count(dates, "medicare", PAYERS, DAY)
    assert (count.count, count.over, count.remaining) == (4, True, 0)


def test_window_ends_at_the_reference_day() -> None:
    dates = [DAY - timedelta(days=365), DAY + timedelta(days=1)]
    assert series_count(dates, "medicare", PAYERS, DAY).count == 0


def test_no_payer_limit_counts_every_visit_up_to_today() -> None:
    dates = [DAY - timedelta(days=900), DAY, DAY + timedelta(days=3)]
    count = series_count(dates, "none", PAYERS, DAY)
    assert (count.count, count.limited, count.over, count.remaining) == (2, False, False, None)
    assert count.window_days is count.maximum is None


def test_an_unknown_payer_falls_back_to_no_payer_rules() -> None:
    count = series_count([DAY], "acme", PAYERS, DAY)
    assert (count.payer_name, count.known_payer, count.count) == ("No payer rules", False, 1)


def test_a_window_without_a_maximum_is_no_limit() -> None:
    count = SeriesCount("X", "src", DAY, 9, 365, None)
    assert (count.limited, count.over, count.remaining) == (False, False, None)
