"""Marker placement on the body figure: no marker hides another (clinic_app.reports.placement)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.reports.placement import Placement, place_markers

RADIUS = 17.0
GAP = 2.0


def check(points: list[tuple[float, float]], placed: list[Placement], w: float, h: float) -> None:
    assert [p.point for p in placed] == points  # one marker per site, in site order
    for i, a in enumerate(placed):
        x, y = a.centre
        assert RADIUS - 1e-9 <= x <= w - RADIUS + 1e-9  # wholly inside the panel
        assert RADIUS - 1e-9 <= y <= h - RADIUS + 1e-9
        start, end = a.leader(RADIUS)
        assert end == a.point  # each leader ends at its exact point
        if a.moved:  # and starts on the marker's rim
            assert math.dist(start, a.centre) == pytest.approx(
                min(RADIUS, math.dist(a.point, a.centre))
            )
        for b in placed[i + 1 :]:
            assert math.dist(a.centre, b.centre) >= 2 * RADIUS + GAP - 1e-9  # no overlap


@st.composite
def panels(draw: st.DrawFn) -> tuple[float, float, list[tuple[float, float]]]:
    w = draw(st.floats(200, 600))
    h = draw(st.floats(300, 1200))
    count = draw(st.integers(0, 25))
    # Sites cluster as on a real body (a neck with six marks), or anywhere, edges included.
    cx, cy = draw(st.floats(0, w)), draw(st.floats(0, h))
    near = st.tuples(
        st.floats(max(0, cx - 40), min(w, cx + 40)), st.floats(max(0, cy - 40), min(h, cy + 40))
    )
    anywhere = st.tuples(st.floats(0, w), st.floats(0, h))
    points = draw(st.lists(st.one_of(near, anywhere), min_size=count, max_size=count))
    return w, h, points


@settings(max_examples=300, deadline=None)
@given(panels())
def test_no_two_markers_overlap_and_leaders_end_on_their_points(
    panel: tuple[float, float, list[tuple[float, float]]],
) -> None:
    w, h, points = panel
    placed = place_markers(points, RADIUS, w, h, gap=GAP)
    check(points, placed, w, h)


def test_a_lone_marker_stays_on_its_point() -> None:
    (only,) = place_markers([(100.0, 200.0)], RADIUS, 300, 600)
    assert only.centre == (100.0, 200.0)
    assert not only.moved
    assert only.leader(RADIUS) == ((100.0, 200.0), (100.0, 200.0))


def test_the_same_point_twice_gives_two_markers_and_a_leader() -> None:
    placed = place_markers([(100.0, 200.0)] * 2, RADIUS, 300, 600, gap=GAP)
    check([(100.0, 200.0)] * 2, placed, 300, 600)
    assert placed[0].centre == (100.0, 200.0)
    assert placed[1].moved


def test_a_point_on_the_edge_moves_its_marker_inside() -> None:
    (edge,) = place_markers([(0.0, 0.0)], RADIUS, 300, 600)
    assert edge.centre == (RADIUS, RADIUS)
    assert edge.leader(RADIUS)[1] == (0.0, 0.0)


def test_a_marker_does_not_cover_another_sites_point_when_it_can_move() -> None:
    points = [(100.0, 200.0), (110.0, 200.0)]
    placed = place_markers(points, RADIUS, 300, 600, gap=GAP)
    check(points, placed, 300, 600)
    for a, other in ((placed[0], points[1]), (placed[1], points[0])):
        assert math.dist(a.centre, other) >= RADIUS


def test_a_full_panel_is_refused_rather_than_overlapped() -> None:
    with pytest.raises(ValueError, match="smaller than one marker"):
        place_markers([(5.0, 5.0)], RADIUS, 20, 600)
    with pytest.raises(ValueError, match="no room for marker"):
        place_markers([(40.0, 40.0)] * 10, RADIUS, 80, 80)
