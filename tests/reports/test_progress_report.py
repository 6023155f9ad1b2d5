"""The one-page progress report, read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
import itertools
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Circle, PolyLine, Rect, String

from clinic_app.domain.enums import Language, Side
from clinic_app.domain.handout import PainThenNow
from clinic_app.domain.progress import Progress, VisitFacts, progress_of
from clinic_app.domain.rules import default_rules
from clinic_app.reports.handout import render_handout
from clinic_app.reports.progress_chart import LABEL_SPACING, progress_drawing
from clinic_app.reports.progress_report import (
    MAX_MUSCLE_ROWS,
    ProgressReportData,
    ReportMeasure,
    render_progress_report,
)
from clinic_app.services.demo_names import POOLS
from tests.reports.factories import low_back_dry_needling
from tests.reports.test_scripts import (
    assert_every_glyph_in_its_font,
    assert_fonts_embedded_subsets,
    assert_reads_back,
    name_pairs,
    read,
)

DAY = date(2026, 1, 5)
TODAY = date(2026, 6, 1)


def series(count: int = 4, muscles: int = 2) -> Progress:
    codes = ["trapezius_upper", "levator_scapulae", "infraspinatus", "rhomboids"]
    visits = [
        VisitFacts(
            performed_on=DAY + timedelta(days=21 * i),
            pain_before=8 - i,
            pain_after=max(4 - i, 0),
            prior_relief_percent=None if i == 0 else 50 + 5 * i,
            prior_relief_weeks=None if i == 0 else 3,
            sites=frozenset(
                {(f"{codes[m % 4]}{m // 4 or ''}", Side.RIGHT) for m in range(min(muscles, 40))}
            ),
        )
        for i in range(count)
    ]
    return progress_of(visits, "medicare", default_rules().payers, TODAY)


def data(progress: Progress | None = None, **changes: object) -> ProgressReportData:
    progress = series() if progress is None else progress
    base = ProgressReportData(
        clinic_name="J&C <Pain> Clinic",
        clinic_address="12 River Road",
        clinic_phone="(555) 010-2000",
        patient_name="Łukasz Nguyễn",
        patient_mrn="N-7",
        date_of_birth=date(1961, 7, 14),
        made_on=TODAY,
        progress=progress,
        muscle_names={
            "trapezius_upper": "Trapezius, upper",
            "levator_scapulae": "Levator scapulae",
        },
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def pages_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_says_the_series_effect_on_one_page() -> None:
    pages, text = pages_text(render_progress_report(data()))
    assert pages == 1
    for expected in (
        "J&C <Pain> Clinic",
        "Progress report",
        "Łukasz Nguyễn",
        "MRN N-7",
        "2026-01-05 to 2026-03-09 (4 signed visits)",
        "8/10 on 2026-01-05",
        "5/10 on 2026-03-09",
        "60% on average (3 visits reported)",
        "lasting 3 weeks on average",
        "4 sessions in the last 365 days; Medicare covers at most 3: over the limit by 1.",
        "Trapezius, upper",
        "Levator scapulae",
        "Times treated",
    ):
        assert expected in text, expected
    assert "Outcome questionnaires" not in text


def test_measures_print_when_present() -> None:
    measures = (
        ReportMeasure(DAY, "Neck Disability Index", 24, 48.0, "moderate"),
        ReportMeasure(DAY + timedelta(days=42), "Neck Disability Index", 14, 28.0, "mild"),
    )
    pages, text = pages_text(render_progress_report(data(measures=measures)))
    assert pages == 1
    assert "Outcome questionnaires" in text
    assert "Neck Disability Index" in text
    for expected in ("48%", "28%", "moderate"):
        assert expected in text


def test_many_muscles_still_one_page() -> None:
    pages, text = pages_text(render_progress_report(data(series(count=12, muscles=30))))
    assert pages == 1
    assert f"and {30 - MAX_MUSCLE_ROWS} more muscles" in text


def test_an_empty_series() -> None:
    pages, text = pages_text(render_progress_report(data(series(count=0))))
    assert pages == 1
    assert "no signed visits yet" in text
    assert "Muscles treated" not in text


def test_the_chart_draws_both_lines_and_the_relief_bars() -> None:
    drawing = progress_drawing(series(), 500, 180)
    lines = [s for s in drawing.contents if isinstance(s, PolyLine)]
    dots = [s for s in drawing.contents if isinstance(s, Circle)]
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.y == 30.0]
    assert len(lines) == 2  # before and after
    assert len(dots) == 8  # 4 visits x 2 scores
    assert len(bars) == 3  # the last visit's relief is not known yet
    # Pain falls: the first "before" point sits higher than the last.
    before = lines[0].points
    assert before[1] > before[-1]


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_every_demo_name_prints_in_the_progress_report(pool: str) -> None:
    for given, family in name_pairs(pool):
        name = f"{given} {family}"
        pdf = render_progress_report(data(patient_name=name, clinic_name=f"{family} Clinic"))
        text, runs = read(pdf)
        assert_reads_back(text, name, pool)
        assert_every_glyph_in_its_font(runs)
    assert_fonts_embedded_subsets(pdf)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (Language.ENGLISH, "Your pain: 8/10 at your first visit on January 5, 2026, 3/10 today."),
        (
            Language.SPANISH,
            "Su dolor: 8/10 en su primera consulta, el 5 de enero de 2026; 3/10 hoy.",
        ),
    ],
)
def test_the_handout_prints_the_progress_line(language: Language, line: str) -> None:
    handout = dataclasses.replace(
        low_back_dry_needling(), language=language, progress=PainThenNow(DAY, 8, 3)
    )
    text = " ".join(read(render_handout(handout))[0].split())
    assert line in text


def test_close_visits_keep_their_dates_apart() -> None:
    visits = [VisitFacts(DAY + timedelta(days=d), 7, 3, 50, 2) for d in (0, 3, 6, 9, 200, 203, 400)]
    progress = progress_of(visits, "none", default_rules().payers, TODAY)
    drawing = progress_drawing(progress, 500, 180)
    labels = [s for s in drawing.contents if isinstance(s, String) and s.text.startswith("202")]
    xs = [s.x for s in labels]
    assert labels[0].text == "2026-01-05"
    assert labels[-1].text == (DAY + timedelta(days=400)).isoformat()
    assert all(b - a >= LABEL_SPACING for a, b in itertools.pairwise(xs))
    assert len(labels) < len(visits)
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.y == 30.0]
    # Bars three days apart do not overlap.
    assert all(b.x >= a.x + a.width for a, b in itertools.pairwise(bars))
