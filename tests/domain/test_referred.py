"""Referred-pain areas: the shipped file, mirroring between sides and views, the loader's checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.domain.catalog import REFERRED_PAIN_AREAS, Catalog, View, load_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.referred import (
    VIEW_SIZES,
    Ellipse,
    FigureView,
    Placement,
    ReferredAreas,
    ReferredAreasError,
    default_referred_areas,
    default_referred_areas_path,
    load_referred_areas,
)
from clinic_app.domain.resource_files import resource

FIGURE_OF_VIEW = {
    View.ANTERIOR: FigureView.ANTERIOR,
    View.POSTERIOR: FigureView.POSTERIOR,
    View.LATERAL: FigureView.LATERAL_RIGHT,
}

# ---------------------------------------------------------------- the shipped file


@pytest.fixture(scope="module")
def areas() -> ReferredAreas:
    return load_referred_areas()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_shipped_file_loads_from_the_resources(areas: ReferredAreas) -> None:
    path = default_referred_areas_path()
    assert path.is_file()
    assert path == resource("anatomy", "bodymap", "referred_areas.toml")
    assert len(areas.placements) >= len(REFERRED_PAIN_AREAS)
    assert repr(areas) == f"<ReferredAreas, {len(areas.placements)} placements>"


def test_default_is_cached_and_shipped(areas: ReferredAreas) -> None:
    assert default_referred_areas() is default_referred_areas()
    assert default_referred_areas().placements == areas.placements


def test_every_vocabulary_tag_is_placed(areas: ReferredAreas) -> None:
    placed = {placement.tag for placement in areas.placements}
    assert placed == set(REFERRED_PAIN_AREAS)
    for tag in REFERRED_PAIN_AREAS:
        figures = [FIGURE_OF_VIEW[view] for view in View]
        assert any(areas.shapes_for([tag], figure, "right") for figure in figures), tag


def test_every_muscle_shades_something_on_one_of_its_views(
    areas: ReferredAreas, catalog: Catalog
) -> None:
    for muscle in catalog:
        for side in Side:
            figures = [FIGURE_OF_VIEW[view] for view in muscle.views]
            if side is Side.LEFT:
                figures = [
                    FigureView.LATERAL_LEFT if f is FigureView.LATERAL_RIGHT else f for f in figures
                ]
            shaded = [areas.shapes_for(muscle.referred_pain_areas, f, side) for f in figures]
            assert any(shaded), (muscle.code, side)


def test_head_areas_are_on_the_lateral_view(areas: ReferredAreas) -> None:
    head = ("forehead", "temple", "eyebrow", "around_eye", "behind_eye", "cheek", "upper_teeth",
            "lower_teeth", "jaw", "jaw_joint", "ear", "behind_ear", "top_of_head",
            "side_of_head", "back_of_head", "throat")  # fmt: skip
    for tag in head:
        assert areas.placement(tag, "lateral") is not None, tag


def test_front_and_back_areas_sit_on_their_own_view(areas: ReferredAreas) -> None:
    front_only = ("chest", "breast", "abdomen", "groin", "thigh_front", "knee_front", "shin",
                  "shoulder_front", "upper_arm_front", "forearm_front")  # fmt: skip
    back_only = ("between_shoulder_blades", "shoulder_blade", "scapula_medial_border",
                 "scapula_lower_tip", "mid_back", "low_back", "sacroiliac", "sacrum",
                 "tailbone", "buttock", "hip_back", "thigh_back", "knee_back", "calf",
                 "achilles", "heel", "upper_arm_back", "forearm_back", "hand_back",
                 "neck_back", "back_of_head")  # fmt: skip
    for tag in front_only:
        assert areas.placement(tag, View.ANTERIOR) is not None, tag
        assert areas.placement(tag, View.POSTERIOR) is None, tag
    for tag in back_only:
        assert areas.placement(tag, View.POSTERIOR) is not None, tag
        assert areas.placement(tag, View.ANTERIOR) is None, tag


def test_midline_areas(areas: ReferredAreas) -> None:
    midline = {placement.tag for placement in areas.placements if placement.midline}
    assert midline == {"forehead", "throat", "between_shoulder_blades", "sacrum", "tailbone"}


def test_shapes_stay_in_the_body_region_they_name(areas: ReferredAreas) -> None:
    def y_of(tag: str, view: View) -> float:
        placement = areas.placement(tag, view)
        assert placement is not None
        return placement.shapes[0].cy

    # landmarks: y_px = 20 + 960 * fraction
    assert y_of("top_of_head", View.ANTERIOR) < y_of("eyebrow", View.ANTERIOR) < 20 + 960 * 0.13
    assert 20 + 960 * 0.13 < y_of("neck_back", View.POSTERIOR) < 20 + 960 * 0.19
    assert 20 + 960 * 0.19 <= y_of("scapula_lower_tip", View.POSTERIOR) <= 20 + 960 * 0.30
    assert 20 + 960 * 0.35 < y_of("low_back", View.POSTERIOR) < 20 + 960 * 0.46
    assert 20 + 960 * 0.70 < y_of("knee_back", View.POSTERIOR) < 20 + 960 * 0.76
    assert y_of("heel", View.POSTERIOR) > 20 + 960 * 0.96
    assert y_of("jaw", View.LATERAL) > y_of("ear", View.LATERAL) > y_of("top_of_head", View.LATERAL)


# ---------------------------------------------------------------- mirroring


def test_anterior_right_is_on_the_viewers_left(areas: ReferredAreas) -> None:
    (right,) = areas.shapes_for(["breast"], "anterior", "right")
    (left,) = areas.shapes_for(["breast"], "anterior", "left")
    assert right.cx < 250 < left.cx
    assert left == Ellipse(500 - right.cx, right.cy, right.rx, right.ry, -right.angle)


def test_posterior_right_is_on_the_viewers_right(areas: ReferredAreas) -> None:
    (right,) = areas.shapes_for(["buttock"], FigureView.POSTERIOR, Side.RIGHT)
    (left,) = areas.shapes_for(["buttock"], FigureView.POSTERIOR, Side.LEFT)
    assert left.cx < 250 < right.cx
    assert left.cx == 500 - right.cx
    assert (left.cy, left.rx, left.ry) == (right.cy, right.rx, right.ry)


def test_every_sided_shape_is_on_the_patients_side(areas: ReferredAreas) -> None:
    for placement in areas.placements:
        if placement.view is View.LATERAL or placement.midline:
            continue
        figure = FIGURE_OF_VIEW[placement.view]
        right = areas.shapes_for([placement.tag], figure, "right")
        left = areas.shapes_for([placement.tag], figure, "left")
        right_on_left_of_viewer = placement.view is View.ANTERIOR
        for right_shape, left_shape in zip(right, left, strict=True):
            assert (right_shape.cx < 250) is right_on_left_of_viewer, placement.tag
            assert (left_shape.cx > 250) is right_on_left_of_viewer, placement.tag


def test_tilted_shapes_mirror_their_angle(areas: ReferredAreas) -> None:
    (right,) = areas.shapes_for(["shoulder_top"], "posterior", "right")
    (left,) = areas.shapes_for(["shoulder_top"], "posterior", "left")
    assert right.angle != 0
    assert left.angle == -right.angle


def test_midline_areas_are_never_mirrored(areas: ReferredAreas) -> None:
    for tag, figure in (("sacrum", "posterior"), ("between_shoulder_blades", "posterior"),
                        ("throat", "anterior"), ("forehead", "anterior")):  # fmt: skip
        right = areas.shapes_for([tag], figure, "right")
        assert right
        assert areas.shapes_for([tag], figure, "left") == right
        assert all(shape.cx - shape.rx <= 250 <= shape.cx + shape.rx for shape in right)


def test_lateral_right_shows_only_the_right_side(areas: ReferredAreas) -> None:
    placement = areas.placement("temple", View.LATERAL)
    assert placement is not None
    assert areas.shapes_for(["temple"], "lateral_right", "right") == placement.shapes
    assert areas.shapes_for(["temple"], "lateral_right", "left") == ()


def test_lateral_left_is_the_mirror_image(areas: ReferredAreas) -> None:
    placement = areas.placement("forehead", View.LATERAL)
    assert placement is not None
    (stored,) = placement.shapes
    assert stored.cx > 200  # the face looks to the viewer's right on the right lateral view
    (left,) = areas.shapes_for(["forehead"], "lateral_left", "left")
    assert left == Ellipse(400 - stored.cx, stored.cy, stored.rx, stored.ry, -stored.angle)
    assert left.cx < 200
    assert areas.shapes_for(["forehead"], "lateral_left", "right") == ()


def test_tags_not_drawn_on_a_view_give_nothing(areas: ReferredAreas) -> None:
    assert areas.shapes_for(["heel"], "lateral_right", "right") == ()
    assert areas.shapes_for(["heel"], "anterior", "right") == ()
    assert areas.shapes_for([], "posterior", "left") == ()


def test_order_follows_the_tags_and_repeats_are_drawn_once(areas: ReferredAreas) -> None:
    calf = areas.shapes_for(["calf"], "posterior", "right")
    heel = areas.shapes_for(["heel"], "posterior", "right")
    assert areas.shapes_for(("heel", "calf", "heel"), "posterior", "right") == heel + calf
    assert areas.shapes_for(iter(["calf", "heel"]), "posterior", "right") == calf + heel


def test_muscle_overlay_end_to_end(areas: ReferredAreas, catalog: Catalog) -> None:
    tags = catalog.get("masseter").referred_pain_areas
    right = areas.shapes_for(tags, "lateral_right", "right")
    left = areas.shapes_for(tags, "lateral_left", "left")
    assert len(right) == len(left) >= len(tags)
    assert [400 - shape.cx for shape in left] == [shape.cx for shape in right]
    assert areas.shapes_for(tags, "lateral_left", "right") == ()


@pytest.mark.parametrize(
    ("tags", "figure", "side", "error", "message"),
    [
        pytest.param(["calf"], "lateral", "right", ValueError,
                     "figure view 'lateral' is not one of anterior, posterior, lateral_right, "
                     "lateral_left", id="file-view-is-not-a-figure"),
        pytest.param(["calf"], "posterior", "both", ValueError, "side 'both' is not 'left' or",
                     id="bad-side"),
        pytest.param(["calf", "elbow_top"], "posterior", "left", ValueError,
                     "unknown referred-pain area 'elbow_top'", id="unknown-tag"),
        pytest.param("calf", "posterior", "left", TypeError, "not a single string",
                     id="string-for-tags"),
    ],
)  # fmt: skip
def test_shapes_for_rejects_bad_arguments(
    areas: ReferredAreas,
    tags: list[str],
    figure: str,
    side: str,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        areas.shapes_for(tags, figure, side)


# ---------------------------------------------------------------- the value types


def test_ellipse_mirror_and_extent() -> None:
    ellipse = Ellipse(100, 50, 20, 10, 30)
    assert ellipse.mirrored(500) == Ellipse(400, 50, 20, 10, -30)
    assert ellipse.mirrored(500).mirrored(500) == ellipse
    assert Ellipse(1, 2, 3, 4).mirrored(10).angle == 0.0
    assert Ellipse(0, 0, 20, 10).half_extents() == (20, 10)
    half_x, half_y = Ellipse(0, 0, 20, 10, 90).half_extents()
    assert half_x == pytest.approx(10)
    assert half_y == pytest.approx(20)


def test_placements_are_unique_per_tag_and_view() -> None:
    shape = (Ellipse(100, 100, 5, 5),)
    with pytest.raises(ValueError, match="'calf' is placed twice on posterior"):
        ReferredAreas([Placement("calf", View.POSTERIOR, shape)] * 2)
    areas = ReferredAreas([Placement("calf", View.POSTERIOR, shape)])
    assert areas.placement("calf", "posterior") == Placement("calf", View.POSTERIOR, shape)
    assert areas.placement("calf", View.ANTERIOR) is None


# ---------------------------------------------------------------- broken files

Area = dict[str, object]


def valid_areas() -> list[Area]:
    """One small right-side ellipse on the anterior view for every tag (a minimal valid file)."""
    return [
        {"tag": tag, "view": "anterior", "shapes": [{"cx": 100, "cy": 100 + 10 * i, "rx": 4,
                                                     "ry": 4}]}
        for i, tag in enumerate(REFERRED_PAIN_AREAS)
    ]  # fmt: skip


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def write_areas(tmp_path: Path, areas: list[Area]) -> Path:
    chunks = []
    for area in areas:
        lines = [f"{key} = {toml_value(value)}" for key, value in area.items()]
        chunks.append("[[area]]\n" + "\n".join(lines) + "\n")
    path = tmp_path / "referred_areas.toml"
    path.write_text("\n".join(chunks), encoding="utf-8")
    return path


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    areas = valid_areas()
    areas[0] = {"tag": "forehead", "view": "anterior", "midline": True,
                "shapes": [{"cx": 250, "cy": 50, "rx": 30, "ry": 12.5}]}  # fmt: skip
    areas.append({"tag": "temple", "view": "lateral",
                  "shapes": [{"cx": 250, "cy": 120, "rx": 20, "ry": 20, "angle": -15.5},
                             {"cx": 240.5, "cy": 130, "rx": 5, "ry": 5}]})  # fmt: skip
    areas.append({"tag": "calf", "view": "posterior", "midline": False,
                  "shapes": [{"cx": 290, "cy": 800, "rx": 20, "ry": 60, "angle": 4}]})  # fmt: skip
    loaded = load_referred_areas(write_areas(tmp_path, areas))
    assert len(loaded.placements) == len(REFERRED_PAIN_AREAS) + 2
    forehead = loaded.placement("forehead", "anterior")
    assert forehead == Placement(
        "forehead", View.ANTERIOR, (Ellipse(250, 50, 30, 12.5, 0),), midline=True
    )
    temple = loaded.shapes_for(["temple"], "lateral_right", "right")
    assert temple == (Ellipse(250, 120, 20, 20, -15.5), Ellipse(240.5, 130, 5, 5, 0))
    assert loaded.shapes_for(["calf"], "posterior", "left") == (Ellipse(210, 800, 20, 60, -4),)


def test_shapes_may_touch_the_edges_of_the_view(tmp_path: Path) -> None:
    areas = valid_areas()
    areas[0]["shapes"] = [{"cx": 10, "cy": 10, "rx": 10, "ry": 10},
                          {"cx": 240, "cy": 990, "rx": 10, "ry": 10}]  # fmt: skip
    areas.append({"tag": "ear", "view": "lateral",
                  "shapes": [{"cx": 395, "cy": 200, "rx": 5, "ry": 200}]})  # fmt: skip
    loaded = load_referred_areas(write_areas(tmp_path, areas))
    assert len(loaded.shapes_for([REFERRED_PAIN_AREAS[0]], "anterior", "right")) == 2
    assert loaded.shapes_for(["ear"], "lateral_left", "left") == (Ellipse(5, 200, 5, 200, 0),)


def _set(key: str, value: object) -> Callable[[Area], None]:
    def change(area: Area) -> None:
        area[key] = value

    return change


def _drop(key: str) -> Callable[[Area], None]:
    def change(area: Area) -> None:
        del area[key]

    return change


def _shape(**values: object) -> Callable[[Area], None]:
    def change(area: Area) -> None:
        shape: dict[str, object] = {"cx": 100, "cy": 100, "rx": 4, "ry": 4}
        shape.update(values)
        for key in [k for k, v in values.items() if v is None]:
            del shape[key]
        area["shapes"] = [{"cx": 100, "cy": 100, "rx": 4, "ry": 4}, shape]

    return change


FOREHEAD = "area #1 (forehead, anterior)"

BROKEN_AREAS = [
    pytest.param(_set("tag", "elbow_top"), "area #1 (elbow_top)", "tag",
                 "'elbow_top' is not in REFERRED_PAIN_AREAS (catalog.py)", id="unknown-tag"),
    pytest.param(_set("tag", 3), "area #1", "tag", "must be a string, not an integer",
                 id="tag-type"),
    pytest.param(_drop("tag"), "area #1", "tag", "is missing", id="no-tag"),
    pytest.param(_set("view", "lateral_right"), "area #1 (forehead)", "view",
                 "'lateral_right' is not one of anterior, posterior, lateral", id="bad-view"),
    pytest.param(_drop("view"), "area #1", "view", "is missing", id="no-view"),
    pytest.param(_set("view", ["anterior"]), "area #1 (forehead)", "view",
                 "must be a string, not an array", id="view-type"),
    pytest.param(_set("colour", "red"), "area #1", None, "unknown field 'colour'",
                 id="extra-field"),
    pytest.param(_set("midline", "yes"), FOREHEAD, "midline",
                 "must be true or false, not a string", id="midline-type"),
    pytest.param(_drop("shapes"), "area #1", "shapes", "is missing", id="no-shapes"),
    pytest.param(_set("shapes", []), FOREHEAD, "shapes", "must list at least one table",
                 id="empty-shapes"),
    pytest.param(_set("shapes", {"cx": 1}), FOREHEAD, "shapes",
                 "must be an array of tables, not a table", id="shapes-table"),
    pytest.param(_set("shapes", [3]), FOREHEAD, "shapes[1]", "must be a table, not an integer",
                 id="shape-type"),
    pytest.param(_shape(rx=-4), FOREHEAD, "shapes[2].rx", "must be more than 0, not -4",
                 id="negative-radius"),
    pytest.param(_shape(ry=0), FOREHEAD, "shapes[2].ry", "must be more than 0, not 0",
                 id="zero-radius"),
    pytest.param(_shape(cy=None), FOREHEAD, "shapes[2].cy", "is missing", id="no-cy"),
    pytest.param(_shape(cx="100"), FOREHEAD, "shapes[2].cx", "must be a number, not a string",
                 id="string-number"),
    pytest.param(_shape(angle=True), FOREHEAD, "shapes[2].angle",
                 "must be a number, not a boolean", id="bool-number"),
    pytest.param(_shape(rx=float("inf")), FOREHEAD, "shapes[2].rx",
                 "must be a finite number, not inf", id="infinite"),
    pytest.param(_shape(cy=float("nan")), FOREHEAD, "shapes[2].cy",
                 "must be a finite number, not nan", id="nan"),
    pytest.param(_shape(colour="red"), FOREHEAD, None, "unknown field 'shapes[2].colour'",
                 id="extra-shape-field"),
    pytest.param(_shape(cx=2), FOREHEAD, "shapes[2]",
                 "is an ellipse at (2, 100) that reaches outside the anterior view "
                 "(0 0 500 1000)", id="outside-left"),
    pytest.param(_shape(cy=-10), FOREHEAD, "shapes[2]", "reaches outside the anterior view",
                 id="outside-top"),
    pytest.param(_shape(cy=998), FOREHEAD, "shapes[2]", "reaches outside the anterior view",
                 id="outside-bottom"),
    pytest.param(_shape(cy=500, rx=2, ry=120, angle=90), FOREHEAD, "shapes[2]",
                 "is an ellipse at (100, 500) that reaches outside", id="outside-when-rotated"),
    pytest.param(_shape(cx=260), FOREHEAD, "shapes[2].cx",
                 "is 260, but the file describes the patient's right side, which the anterior "
                 "view draws on the viewer's left (x < 250)", id="anterior-wrong-side"),
    pytest.param(_set("midline", True), FOREHEAD, "shapes[1]",
                 "must cross x = 250 (the area is midline)", id="midline-off-centre"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "entry", "field", "problem"), BROKEN_AREAS)
def test_broken_area_names_file_entry_and_field(
    tmp_path: Path, change: Callable[[Area], None], entry: str, field: str | None, problem: str
) -> None:
    areas = valid_areas()
    change(areas[0])
    path = write_areas(tmp_path, areas)
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(path)
    error = info.value
    assert isinstance(error, ClinicError)
    assert error.path == path
    assert (error.entry, error.field, error.line) == (entry, field, None)
    assert problem in error.problem
    where = f"referred_areas.toml, entry {entry!r}: "
    assert str(error).startswith(where if field is None else f"{where}{field} ")


def test_posterior_shapes_must_be_on_the_viewers_right(tmp_path: Path) -> None:
    areas = valid_areas()
    areas.insert(1, {"tag": "calf", "view": "posterior",
                     "shapes": [{"cx": 210, "cy": 800, "rx": 20, "ry": 60}]})  # fmt: skip
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(write_areas(tmp_path, areas))
    assert (info.value.entry, info.value.field) == ("area #2 (calf, posterior)", "shapes[1].cx")
    assert (
        "is 210, but the file describes the patient's right side, which the posterior view "
        "draws on the viewer's right (x > 250)" in str(info.value)
    )


def test_lateral_view_has_its_own_box_and_no_midline(tmp_path: Path) -> None:
    areas = valid_areas()
    areas.append({"tag": "ear", "view": "lateral",
                  "shapes": [{"cx": 390, "cy": 170, "rx": 14, "ry": 24}]})  # fmt: skip
    path = write_areas(tmp_path, areas)
    with pytest.raises(ReferredAreasError, match=r"outside the lateral view \(0 0 400 400\)"):
        load_referred_areas(path)
    areas[-1] = {"tag": "throat", "view": "lateral", "midline": True,
                 "shapes": [{"cx": 236, "cy": 272, "rx": 14, "ry": 24}]}  # fmt: skip
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(write_areas(tmp_path, areas))
    assert info.value.entry == f"area #{len(areas)} (throat, lateral)"
    assert "midline applies to the anterior and posterior views only" in str(info.value)
    assert info.value.field == "midline"


def test_duplicate_placement(tmp_path: Path) -> None:
    areas = valid_areas()
    areas.insert(2, dict(areas[0]))
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(write_areas(tmp_path, areas))
    assert str(info.value) == (
        "referred_areas.toml, entry 'area #3 (forehead, anterior)': "
        "duplicate placement (area #1 places it on this view too)"
    )


def test_every_tag_must_be_placed(tmp_path: Path) -> None:
    areas = [area for area in valid_areas() if area["tag"] not in ("knee_front", "heel")]
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(write_areas(tmp_path, areas))
    assert info.value.entry is None
    assert str(info.value) == (
        "referred_areas.toml: 'knee_front', 'heel' never placed: every tag of "
        "REFERRED_PAIN_AREAS (catalog.py) needs at least one [[area]]"
    )


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        pytest.param('[[area]]\ntag = "calf"\nview = = 3\n', "invalid TOML: ", 3, id="bad-value"),
        pytest.param("[[area]]\ntag =", "invalid TOML: ", None, id="truncated"),
        pytest.param("title = 'x'\n", "unknown top-level key 'title'", None, id="top-level"),
        pytest.param("", "expected one or more [[area]] tables", None, id="empty"),
        pytest.param("area = 3\n", "expected one or more [[area]] tables", None, id="scalar"),
    ],
)  # fmt: skip
def test_file_level_problems(tmp_path: Path, text: str, problem: str, line: int | None) -> None:
    path = tmp_path / "referred_areas.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(path)
    assert info.value.entry is None
    assert info.value.line == line
    assert problem in info.value.problem
    assert str(info.value).startswith("referred_areas.toml")
    if line is not None:
        assert str(info.value).startswith(f"referred_areas.toml, line {line}: invalid TOML")
        assert "(at line" not in str(info.value)


def test_entry_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "referred_areas.toml"
    path.write_text("area = [1]\n", encoding="utf-8")
    with pytest.raises(ReferredAreasError, match=r"entry 'area #1': must be a table, not an int"):
        load_referred_areas(path)


def test_date_value_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "referred_areas.toml"
    path.write_text('[[area]]\ntag = "calf"\nview = 2024-01-01\nshapes = []\n', encoding="utf-8")
    with pytest.raises(ReferredAreasError, match="view must be a string, not a date/time"):
        load_referred_areas(path)


def test_missing_unreadable_and_binary_files(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "referred_areas.toml"
    with pytest.raises(ReferredAreasError) as info:
        load_referred_areas(missing)
    assert str(info.value) == "referred_areas.toml: file not found"
    assert info.value.path == missing
    with pytest.raises(ReferredAreasError, match="cannot read the file"):
        load_referred_areas(tmp_path)
    binary = tmp_path / "referred_areas.toml"
    binary.write_bytes(b"\xff\xfe[[area]]")
    with pytest.raises(ReferredAreasError, match="not UTF-8"):
        load_referred_areas(binary)


def test_view_sizes_cover_every_view() -> None:
    assert set(VIEW_SIZES) == set(View)
    assert VIEW_SIZES[View.LATERAL] == (400, 400)
