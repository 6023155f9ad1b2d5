"""The shipped body-map geometry: coverage of the catalog, laterality, clickability."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.bodymap import (
    BodyMapError,
    FigureView,
    Layer,
    default_bodymap,
    default_bodymap_dir,
    load_bodymap,
)
from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import Side

BODYMAP = default_bodymap()
ALL_REGIONS = [(f.view, r.muscle_code, r.side) for f in BODYMAP for r in f.regions]


def test_every_catalog_muscle_is_clickable_on_both_sides_in_each_of_its_views() -> None:
    for muscle in default_catalog():
        for view in muscle.views:
            for side in Side:
                figure_view = FigureView.for_site(view, side)
                assert BODYMAP[figure_view].region(muscle.code, side) is not None, (
                    muscle.code,
                    side,
                    figure_view,
                )


@pytest.mark.parametrize(
    ("view", "muscle", "side"), ALL_REGIONS, ids=[f"{v}-{m}-{s}" for v, m, s in ALL_REGIONS]
)
def test_standard_point_hits_exactly_that_muscle_and_side(
    view: FigureView, muscle: str, side: Side
) -> None:
    figure = BODYMAP[view]
    region = figure.region(muscle, side)
    assert region is not None
    x, y = figure.standard_point(region)
    hit = figure.hit_test(x, y, deep=region.layer is Layer.DEEP)
    assert hit is region
    # Laterality: the patient's right is on the viewer's left only in the front view.
    cx = (region.bbox[0] + region.bbox[2]) / 2
    on_viewer_left = cx < figure.width / 2
    if view is FigureView.ANTERIOR:
        assert on_viewer_left == (side is Side.RIGHT)
    elif view is FigureView.POSTERIOR:
        assert on_viewer_left == (side is Side.LEFT)


def test_clicks_outside_every_muscle_hit_nothing() -> None:
    for figure in BODYMAP:
        assert figure.hit_test(1, 1) is None
        assert figure.hit_test(figure.width - 1, figure.height - 1, deep=True) is None


def test_deep_muscles_need_the_deep_layer() -> None:
    figure = BODYMAP[FigureView.POSTERIOR]
    piriformis = figure.region("piriformis", Side.RIGHT)
    assert piriformis is not None
    assert piriformis.layer is Layer.DEEP
    x, y = figure.standard_point(piriformis)
    surface = figure.hit_test(x, y, deep=False)
    assert surface is None or surface.layer is Layer.SUPERFICIAL
    assert figure.hit_test(x, y, deep=True) is piriformis


def test_left_lateral_view_mirrors_the_right() -> None:
    right = BODYMAP[FigureView.LATERAL_RIGHT]
    left = BODYMAP[FigureView.LATERAL_LEFT]
    r = right.region("masseter", Side.RIGHT)
    m = left.region("masseter", Side.LEFT)
    assert r is not None
    assert m is not None
    assert m.bbox[0] == pytest.approx(right.width - r.bbox[2])
    assert left.region("masseter", Side.RIGHT) is None
    assert FigureView.for_site(View.LATERAL, Side.LEFT) is FigureView.LATERAL_LEFT
    assert FigureView.LATERAL_LEFT.catalog_view is View.LATERAL


def test_normalised_coordinates_round_trip() -> None:
    figure = BODYMAP[FigureView.ANTERIOR]
    assert figure.denormalise(*figure.normalise(125.0, 400.0)) == pytest.approx((125.0, 400.0))


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bodymap"
    folder.mkdir()
    for name in ("anterior.svg", "posterior.svg", "lateral.svg"):
        (folder / name).write_text((default_bodymap_dir() / name).read_text("utf-8"), "utf-8")
    return folder


def test_a_region_without_a_side_and_a_missing_region_are_named(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    svg = folder / "posterior.svg"
    original = svg.read_text("utf-8")
    marker = 'data-muscle="piriformis" data-side="left"'
    assert marker in original
    svg.write_text(original.replace(marker, 'data-muscle="piriformis" data-side="middle"'), "utf-8")
    with pytest.raises(BodyMapError, match="data-side"):
        load_bodymap(folder)
    svg.write_text(original.replace(marker, 'data-muscle="piriformis" data-side="right"'), "utf-8")
    with pytest.raises(BodyMapError, match="piriformis"):
        load_bodymap(folder)


def test_unknown_muscle_and_duplicates_and_syntax(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    svg = folder / "anterior.svg"
    original = svg.read_text("utf-8")
    svg.write_text(
        original.replace('data-muscle="pectoralis_major"', 'data-muscle="bicepz"', 1), "utf-8"
    )
    with pytest.raises(BodyMapError, match="bicepz"):
        load_bodymap(folder)
    svg.write_text(
        original.replace('data-muscle="pectoralis_major"', 'data-muscle="deltoid"', 2), "utf-8"
    )
    with pytest.raises(BodyMapError, match=r"(twice|no region)"):
        load_bodymap(folder)
    svg.write_text(
        original.replace("<svg", "<svg broken", 1).replace('viewBox="', 'x="', 1), "utf-8"
    )
    with pytest.raises(BodyMapError, match=r"viewBox|valid"):
        load_bodymap(folder)
    svg.write_text("<svg", "utf-8")
    with pytest.raises(BodyMapError, match="not valid"):
        load_bodymap(folder)
    svg.unlink()
    with pytest.raises(BodyMapError, match="missing"):
        load_bodymap(folder)
