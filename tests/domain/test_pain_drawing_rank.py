"""The ranking of muscles by referred-pain pattern, tested with the catalog's own patterns."""

from __future__ import annotations

import pytest

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.pain_drawing import OFFSETS, PainDrawing, cell_at, view_of_cell
from clinic_app.domain.pain_drawing_rank import (
    DEFAULT_LIMIT,
    PatternIndex,
    default_pattern_index,
    rasterise,
    suggest,
)
from clinic_app.domain.referred import Ellipse, default_referred_areas

INDEX = default_pattern_index()
PAIRS = [(m.code, side) for m in default_catalog() for side in (Side.LEFT, Side.RIGHT)]


def test_every_pattern_is_drawn_somewhere() -> None:
    assert set(INDEX.patterns) == set(PAIRS)
    assert all(INDEX.patterns[pair] for pair in PAIRS)


@pytest.mark.parametrize(("code", "side"), PAIRS, ids=[f"{c}-{s}" for c, s in PAIRS])
def test_a_drawing_equal_to_a_pattern_ranks_that_muscle_first(code: str, side: Side) -> None:
    drawing = INDEX.pattern(code, side)
    ranked = suggest(drawing, limit=None)
    top = ranked[0]
    assert top.score == pytest.approx(1.0)
    tied = [s for s in ranked if s.score == pytest.approx(top.score)]
    assert (code, side) in {(s.muscle_code, s.side) for s in tied}
    # a tie at the top is only ever a muscle with the very same pattern
    assert all(INDEX.patterns[(s.muscle_code, s.side)] == drawing.cells for s in tied)
    mine = next(s for s in tied if (s.muscle_code, s.side) == (code, side))
    assert mine.covered == pytest.approx(1.0)
    assert mine.explained == pytest.approx(1.0)
    assert "Travell & Simons" in mine.source


def test_empty_drawing_suggests_nothing() -> None:
    assert suggest(PainDrawing()) == []


def test_a_drawing_on_the_left_ranks_left_side_muscles() -> None:
    # the posterior figure shows the patient's left on the viewer's left (x < 250)
    cells = {
        cell
        for y in range(250, 330, 10)
        for x in range(185, 245, 10)
        if (cell := cell_at(FigureView.POSTERIOR, x, y)) is not None
    }
    ranked = suggest(PainDrawing(frozenset(cells)))
    assert ranked
    assert len(ranked) <= DEFAULT_LIMIT
    assert ranked[0].side is Side.LEFT
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_scores_are_the_parts_of_the_overlap() -> None:
    pattern = INDEX.patterns[("infraspinatus", Side.RIGHT)]
    half = frozenset(sorted(pattern)[: len(pattern) // 2])
    extra = frozenset(range(OFFSETS[FigureView.ANTERIOR], OFFSETS[FigureView.ANTERIOR] + 3))
    extra -= pattern
    drawing = PainDrawing(half | extra)
    found = next(
        s
        for s in suggest(drawing, limit=None)
        if (s.muscle_code, s.side) == ("infraspinatus", Side.RIGHT)
    )
    assert found.covered == pytest.approx(len(half) / len(pattern))
    assert found.explained == pytest.approx(len(half) / len(drawing))
    expected = 2 * found.covered * found.explained / (found.covered + found.explained)
    assert found.score == pytest.approx(expected)


def test_limit() -> None:
    drawing = INDEX.pattern("trapezius_upper", Side.RIGHT)
    assert len(suggest(drawing, limit=2)) == 2
    assert suggest(drawing, limit=0) == []
    assert len(suggest(drawing, limit=None)) > DEFAULT_LIMIT


def test_a_drawing_nothing_refers_to_suggests_nothing() -> None:
    index = PatternIndex(default_catalog(), default_referred_areas())
    every = frozenset().union(*index.patterns.values())
    free = next(c for c in range(OFFSETS[FigureView.ANTERIOR], 5000) if c not in every)
    assert index.rank(PainDrawing(frozenset({free}))) == []


def test_rasterise_covers_a_rotated_ellipse_and_its_centre() -> None:
    small = rasterise(FigureView.ANTERIOR, Ellipse(103, 103, 1, 1))
    assert small == {cell_at(FigureView.ANTERIOR, 103, 103)}
    tilted = rasterise(FigureView.LATERAL_LEFT, Ellipse(200, 200, 40, 10, 90))
    xs = {c % 40 for c in (cell - OFFSETS[FigureView.LATERAL_LEFT] for cell in tilted)}
    ys = {c // 40 for c in (cell - OFFSETS[FigureView.LATERAL_LEFT] for cell in tilted)}
    assert len(ys) > len(xs)  # turned 90 degrees: tall, not wide
    assert {view_of_cell(c) for c in tilted} == {FigureView.LATERAL_LEFT}
    edge = rasterise(FigureView.ANTERIOR, Ellipse(5, 5, 30, 30))
    assert min(edge) == 0  # clipped at the figure's edge
    off = rasterise(FigureView.ANTERIOR, Ellipse(-5, 55, 20, 20))
    assert off
    assert cell_at(FigureView.ANTERIOR, 5, 55) in off
