"""The generator's self-checks, piece by piece (pure: no files written, no Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.bodymap_builder import checks
from clinic_app.bodymap_builder.muscles import MUSCLES
from clinic_app.domain.svgpath import parse_path


def test_a_closed_path_flattens_with_the_apps_parser() -> None:
    subpaths, problems = checks.parse_d("M 0 0 L 10 0 C 10 5 5 10 0 10 Z")
    assert problems == []
    assert len(subpaths) == 1
    assert subpaths[0][0] == (0.0, 0.0)
    assert subpaths[0][-1] == pytest.approx((0.0, 10.0))
    assert len(subpaths[0]) == 2 + 12  # M, L, and the curve in 12 steps


def test_a_quadratic_curve_is_allowed() -> None:
    subpaths, problems = checks.parse_d("M 0 0 Q 5 5 10 0 L 5 -5 Z")
    assert problems == []
    assert (10.0, 0.0) in subpaths[0]


@pytest.mark.parametrize(
    ("d", "problem"),
    [
        ("M 0 0 l 10 0 L 0 10 Z", "command 'l' not allowed"),
        ("M 0 0 H 10 L 0 10 Z", "command 'H' not allowed"),
        ("M 0 0 L 10 0 L 0 10", "not closed"),
        ("M 0 0 L 10 0 L 0 10 Z M 20 20 L 30 20 L 20 30 Z", "exactly one closed subpath"),
        ("M 0 0 L 10 Z", "malformed path data"),
        ("M 0 0 L 10 0 # L 0 10 Z", "malformed path data"),
    ],
)
def test_paths_outside_the_conventions_are_reported(d: str, problem: str) -> None:
    _, problems = checks.parse_d(d)
    assert any(problem in p for p in problems), problems


def test_an_exponent_is_not_a_command() -> None:
    assert checks.parse_d("M 0 0 L 1e1 0 L 0 10 Z")[1] == []


def test_raster_counts_pixel_centres_inside() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 3.0), (0.0, 3.0)]
    cells = checks.raster(square)
    assert cells == {(x, y) for x in range(4) for y in range(3)}
    assert checks.largest_square(cells) == 3
    assert checks.largest_square(set()) == 0


def test_centroid_of_a_rectangle_and_a_degenerate_polygon() -> None:
    assert checks.centroid([(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0)]) == pytest.approx(
        (2.0, 1.0)
    )
    line = [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]
    assert checks.centroid(line) == (1.0, 1.0)


def test_each_muscle_is_expected_in_each_of_its_views_on_both_sides() -> None:
    expected = checks.expected_regions()
    assert ("lateral", "masseter", "right") in expected
    assert ("lateral", "masseter", "left") not in expected  # one lateral view: the right
    assert ("posterior", "rhomboids", "left") in expected
    assert len(expected) == 70


def test_the_generators_muscles_match_the_catalog() -> None:
    assert checks.check_catalog() == []


def test_a_catalog_that_disagrees_is_reported(tmp_path: Path) -> None:
    catalog = tmp_path / "muscles.toml"
    rows = [
        f'[[muscle]]\ncode = "{code}"\nviews = {list(views)!r}\ndepth = "{depth}"\n'.replace(
            "'", '"'
        )
        for code, (views, depth) in MUSCLES.items()
        if code != "soleus"
    ]
    rows.append('[[muscle]]\ncode = "new_one"\nviews = ["anterior"]\ndepth = "deep"\n')
    catalog.write_text("\n".join(rows), encoding="utf-8")
    problems = checks.check_catalog(catalog)
    assert "catalog muscle 'new_one' has no geometry in the generator" in problems
    assert "generator muscle 'soleus' is not in the catalog" in problems
    assert len(problems) == 2
    missing = checks.check_catalog(tmp_path / "none.toml")
    assert missing[0].startswith("note:")


def test_lateral_placement_flags_a_region_over_the_eye() -> None:
    eye = checks.LAT["eye"]
    over_eye = [(eye[0] - 5, eye[1] - 5), (eye[0] + 5, eye[1] - 5), (eye[0], eye[1] + 5)]
    problems = checks.check_lateral_placement({"masseter": over_eye})
    assert any("covers the eye" in p for p in problems)
    assert any("masseter-right does not cover" in p for p in problems)


def test_ellipse_points_lie_inside_their_ellipse() -> None:
    shape = {"cx": 100.0, "cy": 50.0, "rx": 10.0, "ry": 5.0}
    points = checks.ellipse_points(shape)
    assert points
    assert all(((x - 100) / 10) ** 2 + ((y - 50) / 5) ** 2 <= 1 for x, y in points)


def test_a_referred_area_off_the_body_is_reported(tmp_path: Path) -> None:
    body = {"anterior": [[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0)]]}
    areas = tmp_path / "referred_areas.toml"
    areas.write_text(
        '[[area]]\ntag = "on"\nview = "anterior"\nshapes = [{cx = 50, cy = 50, rx = 5, ry = 5}]\n'
        '[[area]]\ntag = "off"\nview = "anterior"\n'
        "shapes = [{cx = 150, cy = 50, rx = 5, ry = 5}]\n",
        encoding="utf-8",
    )
    problems, summary = checks.check_referred(body, areas)
    assert problems == ["referred area off (anterior, shape 1): centre 150, 50 is off the body"]
    assert "2 ellipses" in summary
    assert checks.check_referred(body, tmp_path / "none.toml")[0] == []


def test_the_parser_used_is_the_apps() -> None:
    # One path parser in the code base: the checks read the drawings as the app does.
    assert checks.parse_path is parse_path
