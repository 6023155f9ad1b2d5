"""Loading body-map files: small hand-made figures exercise every rule of the loader."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from clinic_app.domain.bodymap import (
    BodyMapError,
    FigureView,
    Layer,
    default_bodymap,
    load_bodymap,
)
from clinic_app.domain.catalog import Catalog, View, default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ConflictError
from clinic_app.domain.svgpath import Command, flatten
from clinic_app.domain.validation import parse_decimal

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}">{body}</svg>'
SQUARE_R = "M300 100 L340 100 L340 140 L300 140 Z"  # viewer's right half of a 500 box
SQUARE_L = "M160 100 L200 100 L200 140 L160 140 Z"


def region(muscle: str, side: str, d: str) -> str:
    return f'<path id="{muscle}-{side}" data-muscle="{muscle}" data-side="{side}" d="{d}"/>'


def figure(
    regions: str = "",
    deep: str = "",
    extra: str = "",
    box: str = "500 1000",
    silhouette: str = '<path d="M0 0 L500 0 L500 1000 Z" fill="#fff" stroke-width="x"/>',
) -> str:
    w, h = box.split()
    body = (
        f'<g id="silhouette">{silhouette}</g>'
        f'<g id="details"><path d="M1 1 L2 2" stroke="#000" stroke-width="0.5"/></g>'
        f'<g id="muscles-superficial">{regions}</g><g id="muscles-deep">{deep}</g>{extra}'
    )
    return SVG.format(w=w, h=h, body=body)


@pytest.fixture
def tiny_catalog() -> Catalog:
    return Catalog([default_catalog().get("trapezius_upper")])


def write(
    folder: Path, posterior: str, anterior: str | None = None, lateral: str | None = None
) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "posterior.svg").write_text(posterior, "utf-8")
    (folder / "anterior.svg").write_text(anterior or figure(), "utf-8")
    (folder / "lateral.svg").write_text(lateral or figure(box="400 400"), "utf-8")
    return folder


def good_posterior() -> str:
    return figure(
        region("trapezius_upper", "right", SQUARE_R) + region("trapezius_upper", "left", SQUARE_L)
    )


def test_a_minimal_body_map_loads(tmp_path: Path, tiny_catalog: Catalog) -> None:
    bare = SVG.format(
        w=500,
        h=1000,
        body='<g id="details"><path d="M1 1 L2 2"/></g>'
        '<g id="muscles-superficial"/><g id="muscles-deep"/>',
    )
    bodymap = load_bodymap(write(tmp_path / "ok", good_posterior(), anterior=bare), tiny_catalog)
    front = bodymap[FigureView.ANTERIOR]
    assert front.silhouette == ()  # no silhouette group: nothing to draw, not an error
    assert front.details[0].width == 1.0  # no stroke-width: the default
    back = bodymap[FigureView.POSTERIOR]
    right = back.region("trapezius_upper", Side.RIGHT)
    assert right is not None
    assert right.area == pytest.approx(1600)
    assert back.silhouette[0].width == 1.0  # unreadable stroke width → default
    assert back.silhouette[0].fill == "#fff"
    assert back.details[0].width == 0.5
    assert bodymap.views_for("trapezius_upper", Side.LEFT) == [FigureView.POSTERIOR]
    assert [f.view for f in bodymap] == list(FigureView)


def test_a_region_covered_everywhere_has_no_standard_point(
    tmp_path: Path, tiny_catalog: Catalog
) -> None:
    # The left region is entirely under a later, larger one of the same layer.
    cover = region("trapezius_upper", "right", "M100 50 L400 50 L400 200 L100 200 Z")
    bodymap = load_bodymap(
        write(tmp_path / "cov", figure(region("trapezius_upper", "left", SQUARE_L) + cover)),
        tiny_catalog,
    )
    back = bodymap[FigureView.POSTERIOR]
    left = back.region("trapezius_upper", Side.LEFT)
    assert left is not None
    with pytest.raises(BodyMapError, match="no clickable point"):
        back.standard_point(left)


@pytest.mark.parametrize(
    ("posterior", "message"),
    [
        (figure(region("trapezius_upper", "right", SQUARE_R)), r"trapezius_upper \(left\)"),
        (figure().replace('<g id="muscles-deep"></g>', ""), "muscles-deep"),
        (figure(region("trapezius_upper", "right", "M0 0 L1 1 A 1 1 0 0 1 2 2 Z")), "arcs"),
        (figure(region("trapezius_upper", "right", SQUARE_R + " " + SQUARE_L)), "one closed shape"),
        (figure(silhouette='<path d="M0 0 Q"/>'), "needs 4 numbers"),
        (SVG.format(w=1, h=1, body="").replace(' viewBox="0 0 1 1"', ""), "viewBox"),
    ],
)
def test_broken_files_name_the_problem(
    tmp_path: Path, tiny_catalog: Catalog, posterior: str, message: str
) -> None:
    with pytest.raises(BodyMapError, match=message):
        load_bodymap(write(tmp_path / "bad", posterior), tiny_catalog)


def test_figure_views_know_their_orientation() -> None:
    assert FigureView.ANTERIOR.patient_right_on_viewer_left()
    assert not FigureView.POSTERIOR.patient_right_on_viewer_left()
    assert FigureView.LATERAL_LEFT.label == "Head & neck, left side"
    assert FigureView.POSTERIOR.catalog_view is View.POSTERIOR
    assert default_bodymap()[FigureView.ANTERIOR].regions[0].layer in set(Layer)


def test_flatten_edge_cases() -> None:
    assert flatten((Command("Z"),)) == []
    assert flatten((Command("M", (0, 0)), Command("L", (1, 1)))) == []


def test_conflict_errors_can_name_a_field() -> None:
    assert ConflictError("taken", field="mrn").field == "mrn"
    assert ConflictError("stale").field is None


def test_decimal_inputs_must_be_finite() -> None:
    from clinic_app.domain.errors import ValidationError

    assert parse_decimal("x", Decimal("1.5"), label="X") == Decimal("1.5")
    with pytest.raises(ValidationError, match="finite"):
        parse_decimal("x", Decimal("NaN"), label="X")
