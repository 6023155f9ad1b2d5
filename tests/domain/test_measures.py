"""Scoring the outcome measures with their published rules (clinic_app.domain.measures)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic_app.domain.errors import ValidationError
from clinic_app.domain.measure_files import default_measures
from clinic_app.domain.measures import Measure, band_of, percent_text, score


@pytest.fixture
def ndi() -> Measure:
    return default_measures()["ndi"]


@pytest.fixture
def odi() -> Measure:
    return default_measures()["odi"]


def test_the_oswestry_worked_example_all_ten_answered(odi: Measure) -> None:
    # Fairbank & Pynsent 2000: 16 points of a possible 50 is 32%.
    result = score(odi, [2, 2, 2, 2, 2, 2, 2, 2, 0, 0])
    assert (result.total, result.answered) == (16, 10)
    assert result.percent == 32.0
    assert result.band == "Moderate disability"


def test_the_oswestry_worked_example_one_section_missed(odi: Measure) -> None:
    # The same 16 points with one section left out: 16 / 45 x 100 (printed 35.5% there,
    # truncated; 35.56 exactly).
    result = score(odi, [2, 2, 2, 2, 2, 2, 2, None, 2, 0])
    assert (result.total, result.answered) == (16, 9)
    assert result.percent == pytest.approx(35.556, abs=0.001)
    assert percent_text(result.percent) == "35.6%"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal disability"),
        (10, "Minimal disability"),  # 20%
        (11, "Moderate disability"),  # 22%
        (20, "Moderate disability"),  # 40%
        (21, "Severe disability"),  # 42%
        (30, "Severe disability"),  # 60%
        (31, "Crippled"),  # 62%
        (40, "Crippled"),  # 80%
        (41, "Bed-bound"),  # 82%
        (50, "Bed-bound"),
    ],
)
def test_oswestry_bands_on_the_percent(odi: Measure, total: int, band: str) -> None:
    answers = [5] * (total // 5) + ([total % 5] if total % 5 else [])
    answers += [0] * (10 - len(answers))
    result = score(odi, answers)
    assert result.total == total
    assert result.percent == total * 2
    assert result.band == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "No disability"),
        (4, "No disability"),
        (5, "Mild disability"),
        (14, "Mild disability"),
        (15, "Moderate disability"),
        (24, "Moderate disability"),
        (25, "Severe disability"),
        (34, "Severe disability"),
        (35, "Complete disability"),
        (50, "Complete disability"),
    ],
)
def test_neck_disability_bands_on_the_raw_points(ndi: Measure, total: int, band: str) -> None:
    answers = [5] * (total // 5) + ([total % 5] if total % 5 else [])
    answers += [0] * (10 - len(answers))
    result = score(ndi, answers)
    assert (result.total, result.percent) == (total, total * 2)
    assert result.band == band


def test_neck_disability_with_one_section_missing_is_prorated(ndi: Measure) -> None:
    # 13 points over nine sections = 28.9%, i.e. 14.4 of 50: still mild; 14 points over nine
    # = 15.6 of 50: moderate (the raw 14 alone would have read mild).
    mild = score(ndi, [5, 5, 3, 0, 0, 0, 0, 0, 0, None])
    assert (mild.total, mild.answered, mild.band) == (13, 9, "Mild disability")
    assert mild.percent == pytest.approx(28.889, abs=0.001)
    moderate = score(ndi, [5, 5, 4, 0, 0, 0, 0, 0, None, 0])
    assert (moderate.total, moderate.band) == (14, "Moderate disability")


def test_the_neck_disability_index_allows_one_missing_section_only(ndi: Measure) -> None:
    with pytest.raises(
        ValidationError, match="2 of the NDI's 10 sections are unanswered; at most 1"
    ):
        score(ndi, [1, 1, 1, 1, 1, 1, 1, 1, None, None])


def test_the_oswestry_allows_two_missing_sections_not_three(odi: Measure) -> None:
    assert score(odi, [1, 1, 1, 1, 1, 1, 1, 1, None, None]).answered == 8
    with pytest.raises(ValidationError, match="3 of the ODI's 10 sections are unanswered"):
        score(odi, [1, 1, 1, 1, 1, 1, 1, None, None, None])


def test_a_measure_that_allows_no_missing_section_says_so(ndi: Measure) -> None:
    strict = replace(ndi, max_missing=0)
    with pytest.raises(ValidationError, match="every section must be answered") as caught:
        score(strict, [0] * 9 + [None])
    assert caught.value.field == "answers"


@pytest.mark.parametrize("bad", [6, -1, True, 2.0, "3"])
def test_an_answer_outside_0_to_5_is_refused_naming_the_section(ndi: Measure, bad: object) -> None:
    answers: list[object] = [0] * 10
    answers[3] = bad
    with pytest.raises(ValidationError, match=r"NDI section 4 \(Reading\)") as caught:
        score(ndi, answers)  # type: ignore[arg-type]
    assert caught.value.field == "reading"


@pytest.mark.parametrize("count", [0, 9, 11])
def test_one_answer_per_section(ndi: Measure, count: int) -> None:
    with pytest.raises(ValidationError, match=f"has 10 sections; {count} answers"):
        score(ndi, [0] * count)


def test_band_of_a_value_below_every_band_is_the_first(ndi: Measure) -> None:
    assert band_of(ndi, -1) == "No disability"
    assert ndi.max_total == 50


@pytest.mark.parametrize(("value", "text"), [(32.0, "32%"), (35.5555, "35.6%"), (0.04, "0%")])
def test_percent_text(value: float, text: str) -> None:
    assert percent_text(value) == text
