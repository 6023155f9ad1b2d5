"""Where referred pain is felt, as soft shapes on the body-map figures.

The data lives in ``resources/anatomy/bodymap/referred_areas.toml``: one ``[[area]]`` table per
(area tag, view) with ellipses in that view's pixels, for the patient's right side only. This
module loads and checks it and answers the overlay's one question, :meth:`ReferredAreas.shapes_for`:
which ellipses to shade on a figure for a muscle on one side of the patient. The left side is the
mirror image of the right; midline areas (forehead, sacrum...) are drawn once. A broken file fails
loudly at load time with :class:`ReferredAreasError` naming the file, the entry and the field.

Figures: ``anterior`` and ``posterior`` are full-body drawings (viewBox ``0 0 500 1000``, midline
x = 250; anterior shows the patient's right on the viewer's left, posterior on the viewer's
right). ``lateral`` is the right head-and-neck side view (viewBox ``0 0 400 400``); the left side
view (``lateral_left``) is its mirror image.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Final

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import REFERRED_PAIN_AREAS, View
from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.enums import Side
from clinic_app.domain.resource_files import resource

#: viewBox width and height of each view of the file (the lateral figures are 400 x 400).
VIEW_SIZES: Final[Mapping[View, tuple[int, int]]] = MappingProxyType({
    View.ANTERIOR: (500, 1000),
    View.POSTERIOR: (500, 1000),
    View.LATERAL: (400, 400),
})  # fmt: skip

#: x of the midline on the full-body figures.
MIDLINE_X: Final = 250.0

_AREA_SET: Final = frozenset(REFERRED_PAIN_AREAS)
_EPSILON: Final = 1e-9


@dataclass(frozen=True, slots=True)
class Ellipse:
    """An ellipse in a figure's pixels.

    Attributes:
        cx, cy: centre.
        rx, ry: radii along the ellipse's own axes (positive).
        angle: rotation in degrees, clockwise on screen, as SVG ``rotate(angle cx cy)``.
    """

    cx: float
    cy: float
    rx: float
    ry: float
    angle: float = 0.0

    def mirrored(self, width: float) -> Ellipse:
        """The mirror image across the vertical line x = ``width`` / 2."""
        return Ellipse(width - self.cx, self.cy, self.rx, self.ry, -self.angle + 0.0)

    def half_extents(self) -> tuple[float, float]:
        """Half width and half height of the axis-aligned box around the (rotated) ellipse."""
        theta = math.radians(self.angle)
        cos, sin = math.cos(theta), math.sin(theta)
        return (
            math.hypot(self.rx * cos, self.ry * sin),
            math.hypot(self.rx * sin, self.ry * cos),
        )


@dataclass(frozen=True, slots=True)
class Placement:
    """One ``[[area]]`` table: where a tag lies on one view, for the patient's right side.

    Attributes:
        tag: a tag of :data:`~clinic_app.domain.catalog.REFERRED_PAIN_AREAS`.
        view: the drawing of the file the shapes belong to.
        shapes: the ellipses, in that view's pixels.
        midline: the area straddles the midline: drawn once for either side, never mirrored.
    """

    tag: str
    view: View
    shapes: tuple[Ellipse, ...]
    midline: bool = False


class ReferredAreasError(DataFileError):
    """The referred-areas file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the file.
        entry: ``"area #N"`` (with its tag and view once known), or None for the whole file.
        field: the field at fault (``shapes[2].cx``), or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


class ReferredAreas:
    """The checked placements, looked up by (tag, view)."""

    __slots__ = ("_by_key", "_placements")

    def __init__(self, placements: Iterable[Placement]) -> None:
        ordered = tuple(placements)
        by_key: dict[tuple[str, View], Placement] = {}
        for placement in ordered:
            key = (placement.tag, placement.view)
            if key in by_key:
                raise ValueError(f"{placement.tag!r} is placed twice on {placement.view.value}")
            by_key[key] = placement
        self._placements = ordered
        self._by_key: Mapping[tuple[str, View], Placement] = MappingProxyType(by_key)

    def __repr__(self) -> str:
        return f"<ReferredAreas, {len(self._placements)} placements>"

    @property
    def placements(self) -> tuple[Placement, ...]:
        """Every placement, in file order."""
        return self._placements

    def placement(self, tag: str, view: View | str) -> Placement | None:
        """The placement of ``tag`` on the file's ``view``, or None where the tag is not drawn."""
        return self._by_key.get((tag, View(view)))

    def shapes_for(self, tags: Iterable[str], figure_view: str, side: str) -> tuple[Ellipse, ...]:
        """The ellipses to shade on ``figure_view`` for a muscle on the patient's ``side``.

        Args:
            tags: the muscle's ``referred_pain_areas``, in order; repeats are drawn once and tags
                not placed on that figure are skipped.
            figure_view: ``"anterior"``, ``"posterior"``, ``"lateral_right"`` or ``"lateral_left"``
                (or a :class:`FigureView`).
            side: the patient's side of the muscle, ``"left"`` or ``"right"`` (or a ``Side``).

        Full-body figures show both sides: the file's right-side shapes are mirrored
        (x' = 500 - x) for a left muscle, midline areas are never mirrored. A lateral figure shows
        one side of the head only: ``lateral_right`` the right-side areas as stored,
        ``lateral_left`` the left-side areas mirrored (x' = 400 - x); a muscle on the other side
        gives no shapes there.

        Raises:
            ValueError: an unknown figure view, side or tag.
            TypeError: ``tags`` is a single string instead of an iterable of tags.
        """
        if isinstance(tags, str):
            raise TypeError("tags must be an iterable of area tags, not a single string")
        figure = _figure_view(figure_view)
        patient_side = _side(side)
        unique = tuple(dict.fromkeys(tags))
        unknown = [tag for tag in unique if tag not in _AREA_SET]
        if unknown:
            raise ValueError(f"unknown referred-pain area {', '.join(map(repr, unknown))}")
        if figure is FigureView.LATERAL_RIGHT and patient_side is not Side.RIGHT:
            return ()
        if figure is FigureView.LATERAL_LEFT and patient_side is not Side.LEFT:
            return ()
        view = View.LATERAL if figure.value.startswith("lateral") else View(figure.value)
        width = VIEW_SIZES[view][0]
        shapes: list[Ellipse] = []
        for tag in unique:
            placement = self._by_key.get((tag, view))
            if placement is None:
                continue
            if patient_side is Side.RIGHT or placement.midline:
                shapes.extend(placement.shapes)
            else:
                shapes.extend(shape.mirrored(width) for shape in placement.shapes)
        return tuple(shapes)


def _figure_view(value: str) -> FigureView:
    try:
        return FigureView(value)
    except ValueError:
        allowed = ", ".join(member.value for member in FigureView)
        raise ValueError(f"figure view {value!r} is not one of {allowed}") from None


def _side(value: str) -> Side:
    try:
        return Side(value)
    except ValueError:
        raise ValueError(f"side {value!r} is not 'left' or 'right'") from None


# ---------------------------------------------------------------- loading


def _read_shape(entry: Entry, shape: Entry, where: str, view: View) -> Ellipse:
    shape.fields(("cx", "cy", "rx", "ry"), ("angle",))
    ellipse = Ellipse(
        shape.number("cx"),
        shape.number("cy"),
        shape.number("rx", positive=True),
        shape.number("ry", positive=True),
        shape.number("angle") if shape.has("angle") else 0.0,
    )
    width, height = VIEW_SIZES[view]
    half_x, half_y = ellipse.half_extents()
    if (
        ellipse.cx - half_x < -_EPSILON
        or ellipse.cx + half_x > width + _EPSILON
        or ellipse.cy - half_y < -_EPSILON
        or ellipse.cy + half_y > height + _EPSILON
    ):
        raise entry.error(
            f"is an ellipse at ({ellipse.cx:g}, {ellipse.cy:g}) that reaches outside the "
            f"{view.value} view (0 0 {width} {height})",
            where,
        )
    return ellipse


def _check_side(entry: Entry, view: View, midline: bool, shapes: tuple[Ellipse, ...]) -> None:
    """Midline shapes cross x = 250; right-side shapes lie on the patient's right of it."""
    if view is View.LATERAL:
        if midline:
            raise entry.error(
                "applies to the anterior and posterior views only "
                "(the lateral view shows one side of the head)",
                "midline",
            )
        return
    for number, shape in enumerate(shapes, start=1):
        if midline:
            half_x = shape.half_extents()[0]
            if not shape.cx - half_x <= MIDLINE_X <= shape.cx + half_x:
                raise entry.error("must cross x = 250 (the area is midline)", f"shapes[{number}]")
        elif (shape.cx >= MIDLINE_X) if view is View.ANTERIOR else (shape.cx <= MIDLINE_X):
            viewer = "left (x < 250)" if view is View.ANTERIOR else "right (x > 250)"
            raise entry.error(
                f"is {shape.cx:g}, but the file describes the patient's right side, which the "
                f"{view.value} view draws on the viewer's {viewer} "
                "(set midline = true for an area that straddles the midline)",
                f"shapes[{number}].cx",
            )


def _read_area(entry: Entry) -> Placement:
    """One ``[[area]]``; its label grows from "area #N" to "area #N (tag, view)" as it is read."""
    base = entry.label
    entry.fields(("tag", "view", "shapes"), ("midline",))
    tag = entry.text("tag")
    entry.label = f"{base} ({tag})"
    if tag not in _AREA_SET:
        raise entry.error(f"{tag!r} is not in REFERRED_PAIN_AREAS (catalog.py)", "tag")
    view = entry.choice("view", View)
    entry.label = f"{base} ({tag}, {view.value})"
    midline = entry.flag("midline") if entry.has("midline") else False
    shapes = tuple(
        _read_shape(entry, shape, f"shapes[{number}]", view)
        for number, shape in enumerate(entry.tables("shapes", allow_empty=False), start=1)
    )
    _check_side(entry, view, midline, shapes)
    return Placement(tag=tag, view=view, shapes=shapes, midline=midline)


def default_referred_areas_path() -> Traversable:
    """The shipped ``anatomy/bodymap/referred_areas.toml``."""
    return resource("anatomy", "bodymap", "referred_areas.toml")


def load_referred_areas(path: Traversable | None = None) -> ReferredAreas:
    """Read and check a referred-areas file (the shipped one by default).

    Raises:
        ReferredAreasError: the file is missing or unreadable, is not TOML, an entry breaks a
            rule, a (tag, view) is placed twice, or a tag of ``REFERRED_PAIN_AREAS`` is never
            placed.
    """
    path = default_referred_areas_path() if path is None else path
    document = read_document(path, ReferredAreasError, {"area"})
    placements: list[Placement] = []
    first_seen: dict[tuple[str, View], int] = {}
    for number, entry in enumerate(entries(document, "area", "area", code_key=None), start=1):
        placement = _read_area(entry)
        key = (placement.tag, placement.view)
        if key in first_seen:
            previous = first_seen[key]
            raise entry.error(f"duplicate placement (area #{previous} places it on this view too)")
        first_seen[key] = number
        placements.append(placement)
    placed = {placement.tag for placement in placements}
    missing = [tag for tag in REFERRED_PAIN_AREAS if tag not in placed]
    if missing:
        raise document.error(
            f"{', '.join(map(repr, missing))} never placed: every tag of REFERRED_PAIN_AREAS "
            "(catalog.py) needs at least one [[area]]"
        )
    return ReferredAreas(placements)


@functools.cache
def default_referred_areas() -> ReferredAreas:
    """The shipped referred areas, loaded once per process."""
    return load_referred_areas()
