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
from clinic_app.domain.progress_text import (
    change_text,
    number,
    pain_text,
    points_text,
    relief_text,
    score,
    series_text,
    summary,
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
def test_change_needs_both_scores(
    before: int | None, after: int | None, change: int | None
) -> None:
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
    assert progress.first is not None
    assert progress.first.performed_on == DAY
    assert progress.last is not None
    assert progress.last.number == 5
    first, last = progress.first_scored(), progress.last_scored()
    assert first is not None
    assert (first.number, first.pain_before) == (2, 8)
    assert last is not None
    assert (last.number, last.pain_before) == (4, 4)
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


# ---------------------------------------------------------------- the series in words


def test_summary_in_words() -> None:
    progress = progress_of(
        [visit(0, 8, 4), visit(50, 6, 3, (60, 5)), visit(100, 3, 1, (70, None))],
        "medicare",
        PAYERS,
        DAY + timedelta(days=100),
    )
    assert dict(summary(progress)) == {
        "Period": "2026-03-02 to 2026-06-10 (3 signed visits)",
        "Pain before treatment": "8/10 on 2026-03-02 → 3/10 on 2026-06-10 (down 5 points)",
        "Relief after a visit": "65% on average (2 visits reported), lasting 5 weeks on average",
        "Sessions": "3 sessions in the last 365 days; Medicare covers at most 3: 0 left.",
    }


def test_summary_of_a_single_or_empty_series() -> None:
    one = progress_of([visit(0, 7, None, (None, 4))], "acme", PAYERS, DAY)
    assert dict(summary(one)) == {
        "Period": "2026-03-02 (1 signed visit)",
        "Pain before treatment": "7/10 on 2026-03-02 (one scored visit)",
        "Relief after a visit": "none reported yet",
        "Sessions": "1 session so far; No payer rules (the patient's payer profile is not "
        "defined): no session limit.",
    }
    none = progress_of([], "none", PAYERS, DAY)
    assert dict(summary(none))["Period"] == "no signed visits yet"
    assert pain_text(none) == "not scored"
    assert series_text(none.series) == "0 sessions so far; No payer rules: no session limit."


def test_relief_and_limit_wording() -> None:
    progress = progress_of(
        [visit(d) for d in (0, 10, 20, 30)] + [visit(40, 7, 3, (None, 1))],
        "medicare",
        PAYERS,
        DAY + timedelta(days=40),
    )
    assert relief_text(progress) == "lasting 1 week on average"
    assert series_text(progress.series) == (
        "5 sessions in the last 365 days; Medicare covers at most 3: over the limit by 2."
    )
    only_percent = progress_of([visit(0), visit(9, relief=(40, None))], "none", PAYERS, DAY)
    assert relief_text(only_percent) == "40% on average (1 visit reported)"
    single = SeriesCount("Acme", "src", DAY, 1, 7, 2)
    assert (
        series_text(single)
        == "1 session in the last 7 days (1 week); Acme covers at most 2: 1 left."
    )


@pytest.mark.parametrize(
    ("value", "text"), [(None, "—"), (0, "0"), (2.5, "−2.5"), (-1.0, "+1"), (3.0, "−3")]
)
def test_change_text(value: float | None, text: str) -> None:
    assert change_text(value) == text


def test_scores() -> None:
    assert (score(None), score(4)) == ("not scored", "4/10")
    assert (number(2.25), number(4.0)) == ("2.2", "4")


@pytest.mark.parametrize(
    ("rise", "text"),
    [(0, "no change"), (1, "up 1 point"), (-1, "down 1 point"), (-5, "down 5 points")],
)
def test_points_text(rise: int, text: str) -> None:
    assert points_text(rise) == text
