"""The pain drawing's grid and its stored text."""

from __future__ import annotations

import json
import math

import pytest

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.pain_drawing import (
    CELL,
    OFFSETS,
    TOTAL_CELLS,
    PainDrawing,
    PainDrawingError,
    cell_at,
    cell_rect,
    cells_in_disc,
    grid_size,
    view_of_cell,
)


def test_grid_sizes_follow_the_view_boxes() -> None:
    assert grid_size(FigureView.ANTERIOR) == (50, 100)
    assert grid_size(FigureView.LATERAL_LEFT) == (40, 40)
    assert TOTAL_CELLS == 2 * 5000 + 2 * 1600
    assert OFFSETS[FigureView.POSTERIOR] == 5000
    assert OFFSETS[FigureView.LATERAL_LEFT] == 11600


def test_cell_at_and_back() -> None:
    cell = cell_at(FigureView.POSTERIOR, 255.0, 31.0)
    assert cell == 5000 + 3 * 50 + 25
    assert cell_rect(cell) == (FigureView.POSTERIOR, 250.0, 30.0, float(CELL), float(CELL))
    assert view_of_cell(0) is FigureView.ANTERIOR
    assert view_of_cell(TOTAL_CELLS - 1) is FigureView.LATERAL_LEFT


@pytest.mark.parametrize(
    ("x", "y"), [(-1.0, 5.0), (500.0, 5.0), (5.0, 1000.0), (math.nan, 1.0), (1.0, math.inf)]
)
def test_cell_at_outside_the_figure_is_none(x: float, y: float) -> None:
    assert cell_at(FigureView.ANTERIOR, x, y) is None


@pytest.mark.parametrize("cell", [-1, TOTAL_CELLS])
def test_cells_outside_every_figure_are_refused(cell: int) -> None:
    with pytest.raises(ValueError, match="outside every figure"):
        view_of_cell(cell)
    with pytest.raises(ValueError, match="outside every figure"):
        PainDrawing(frozenset({cell}))


def test_brush_disc_covers_the_cells_around_the_point() -> None:
    disc = cells_in_disc(FigureView.LATERAL_RIGHT, 200.0, 200.0, 16.0)
    local = {c - OFFSETS[FigureView.LATERAL_RIGHT] for c in disc}
    assert 20 * 40 + 20 in local
    assert 19 * 40 + 19 in local
    assert 20 * 40 + 22 not in local  # centre 225 is 25 px away
    assert len(disc) == 4 + 8  # 4 cells around the point, 8 more within 16 px
    corner = cells_in_disc(FigureView.ANTERIOR, 0.0, 0.0, 4.0)
    assert corner == {0}  # off the grid's edge, only the cell under the point
    assert cells_in_disc(FigureView.ANTERIOR, -50.0, -50.0, 4.0) == frozenset()


def test_edit_and_query() -> None:
    drawing = PainDrawing().with_cells({1, 2, 5001})
    assert len(drawing) == 3
    assert not drawing.is_empty
    assert PainDrawing().is_empty
    assert drawing.in_view(FigureView.ANTERIOR) == {1, 2}
    assert drawing.views() == (FigureView.ANTERIOR, FigureView.POSTERIOR)
    assert drawing.without_cells({2, 5001}).cells == {1}


def test_encode_is_compact_runs_and_round_trips() -> None:
    drawing = PainDrawing(frozenset({3, 4, 5, 9, 5000, 10001, 10002}))
    text = drawing.encode()
    assert json.loads(text) == {
        "cell": CELL,
        "views": {"anterior": "3-5,9", "posterior": "0", "lateral_right": "1-2"},
    }
    assert PainDrawing.decode(text) == drawing
    assert PainDrawing.decode("") == PainDrawing() == PainDrawing.decode(None)
    assert PainDrawing.decode(PainDrawing().encode()) == PainDrawing()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("x" * 200_001, "too long"),
        ("{", "not JSON"),
        ("[]", "grid"),
        ('{"cell": 5, "views": {}}', "grid"),
        ('{"cell": 10}', "no figures"),
        ('{"cell": 10, "views": {"side": "1"}}', "not a figure"),
        ('{"cell": 10, "views": {"anterior": 1}}', "not text"),
        ('{"cell": 10, "views": {"anterior": "a-b"}}', "not a cell number"),
        ('{"cell": 10, "views": {"anterior": "5-2"}}', "outside"),
        ('{"cell": 10, "views": {"lateral_left": "1600"}}', "outside"),
    ],
)
def test_decode_refuses_what_is_not_a_drawing(text: str, problem: str) -> None:
    with pytest.raises(PainDrawingError, match=problem):
        PainDrawing.decode(text)
