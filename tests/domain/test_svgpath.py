from __future__ import annotations

import pytest

from clinic_app.domain.svgpath import (
    Command,
    PathSyntaxError,
    distance_to_edges,
    flatten,
    mirror_commands,
    parse_path,
    point_in_polygon,
    polygon_area,
)


def test_absolute_and_relative_commands_become_absolute() -> None:
    cmds = parse_path("M10,10 l10 0 h5 v5 H10 V10 z")
    assert cmds == (
        Command("M", (10, 10)),
        Command("L", (20, 10)),
        Command("L", (25, 10)),
        Command("L", (25, 15)),
        Command("L", (10, 15)),
        Command("L", (10, 10)),
        Command("Z"),
    )


def test_implicit_lineto_after_moveto_and_exponents() -> None:
    cmds = parse_path("m 1 1 2 0 0 2e0 Z")
    assert [c.args for c in cmds[:3]] == [(1, 1), (3, 1), (3, 3)]


def test_curves_smooth_and_quadratic() -> None:
    cmds = parse_path("M0 0 C0 10 10 10 10 0 S20 -10 20 0 Q25 5 30 0 T40 0 Z")
    assert cmds[1] == Command("C", (0, 10, 10, 10, 10, 0))
    assert cmds[2] == Command("C", (10, -10, 20, -10, 20, 0))  # reflected control point
    assert cmds[3] == Command("Q", (25, 5, 30, 0))
    assert cmds[4] == Command("Q", (35, -5, 40, 0))
    rel = parse_path("M0 0 c0 10 10 10 10 0 s10 -10 10 0 q5 5 10 0 t10 0 z")
    assert rel[1:5] == cmds[1:5]


def test_smooth_without_previous_curve_uses_current_point() -> None:
    assert parse_path("M0 0 S5 5 10 0")[1] == Command("C", (0, 0, 5, 5, 10, 0))
    assert parse_path("M0 0 T10 0")[1] == Command("Q", (0, 0, 10, 0))


@pytest.mark.parametrize(
    "bad", ["", "L 1 1", "M 0 0 A 1 1 0 0 1 2 2", "M 0", "M 0 0 L x 1", "10 10"]
)
def test_bad_path_data_is_refused(bad: str) -> None:
    with pytest.raises(PathSyntaxError):
        parse_path(bad)


def test_flatten_point_in_polygon_area_and_distance() -> None:
    square = flatten(parse_path("M0 0 L10 0 L10 10 L0 10 Z M20 20 L30 20 L30 30 Z"))
    assert len(square) == 2
    assert point_in_polygon(5, 5, square[0])
    assert not point_in_polygon(15, 5, square[0])
    assert polygon_area(square[0]) == 100
    assert distance_to_edges(5, 5, square[0]) == 5
    circle_ish = flatten(parse_path("M0 5 C0 -2 10 -2 10 5 Q5 12 0 5 Z"), steps=8)[0]
    assert len(circle_ish) == 1 + 8 + 8
    assert point_in_polygon(5, 4, circle_ish)


def test_mirror_flips_x_only() -> None:
    cmds = parse_path("M10 20 C1 2 3 4 5 6 Z")
    assert mirror_commands(cmds, 100) == (
        Command("M", (90, 20)),
        Command("C", (99, 2, 97, 4, 95, 6)),
        Command("Z"),
    )
