"""The generator's geometry library: curves, edges, mirror images, number formatting."""

from __future__ import annotations

import pytest

from clinic_app.bodymap_builder.curves import (
    E,
    closed_nodes,
    ellipse,
    fmt,
    num,
    open_path,
    ring,
)
from clinic_app.bodymap_builder.polygons import dense, poly_dist, resample
from clinic_app.domain.svgpath import flatten, parse_path, point_in_polygon


@pytest.mark.parametrize(
    ("value", "text"), [(1.0, "1"), (1.5, "1.5"), (1.234, "1.23"), (-0.001, "0"), (0.0, "0")]
)
def test_numbers_print_short(value: float, text: str) -> None:
    assert num(value) == text


def test_path_data_uses_absolute_m_l_c_z_only_and_the_app_reads_it() -> None:
    curve = ellipse(100.0, 100.0, 20.0, 10.0)
    d = curve.d()
    assert {c for c in d if c.isalpha()} <= set("MCZ")
    (poly,) = flatten(parse_path(d))
    assert point_in_polygon(100.0, 100.0, poly)
    assert not point_in_polygon(125.0, 100.0, poly)


def test_a_straight_open_path_is_one_line_segment() -> None:
    assert open_path([(0.0, 0.0), (10.0, 0.0)]).d() == "M 0 0 L 10 0"


def test_the_mirror_image_is_across_the_middle() -> None:
    curve = open_path([(300.0, 10.0), (320.0, 20.0), (310.0, 40.0)])
    mirrored = curve.mirrored()
    assert mirrored.start == (200.0, 10.0)
    assert [s.p for s in mirrored.segs] == [(180.0, 20.0), (190.0, 40.0)]
    assert mirrored.mirrored().d() == curve.d()


def test_corner_nodes_keep_a_sharp_corner() -> None:
    square = closed_nodes([(0, 0, 1), (10, 0, 1), (10, 10, 1), (0, 10, 1)])
    assert square.d() == "M 0 0 L 10 0 L 10 10 L 0 10 L 0 0 Z"


def test_a_ring_of_edges_must_join() -> None:
    a = E((0.0, 0.0), (10.0, 0.0))
    b = E((10.0, 0.0), (10.0, 10.0), (0.0, 0.0))
    assert ring(a, b).d().startswith("M 0 0")
    with pytest.raises(ValueError, match="do not join"):
        ring(a, E((11.0, 0.0), (0.0, 0.0)))


def test_resample_spaces_points_evenly() -> None:
    points = resample([(0.0, 0.0), (10.0, 0.0)], 6)
    assert [x for x, _ in points] == pytest.approx([0, 2, 4, 6, 8, 10])
    assert all(y == 0.0 for _, y in points)
    assert resample([(3.0, 4.0)], 3) == [(3.0, 4.0)] * 3
    assert len(dense([(0.0, 0.0), (10.0, 0.0), (20.0, 5.0)], step=2.0)) >= 10


def test_distance_to_a_polygons_outline() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    assert poly_dist((5.0, 5.0), square) == pytest.approx(5.0)
    assert poly_dist((5.0, 12.0), square) == pytest.approx(2.0)
    assert fmt((1.0, 2.5)) == "1 2.5"
