"""The body-map geometry: figures, muscle regions, hit-testing and laterality.

One source for the GUI and the printed handout: the SVG files in
``resources/anatomy/bodymap/`` (conventions in that folder's README). This module reads them
with the standard library only, so it is testable without Qt.

Laterality is decided here and nowhere else: a region carries the *patient's* side, and
:class:`FigureView` knows which way each view faces.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources.abc import Traversable

from clinic_app.domain.catalog import Catalog, View, default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.resource_files import resource
from clinic_app.domain.svgpath import (
    Command,
    PathSyntaxError,
    Point,
    distance_to_edges,
    flatten,
    mirror_commands,
    parse_path,
    point_in_polygon,
    polygon_area,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


class FigureView(StrEnum):
    """A figure the provider can click on (the left lateral view mirrors the right one)."""

    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    LATERAL_RIGHT = "lateral_right"
    LATERAL_LEFT = "lateral_left"

    @property
    def catalog_view(self) -> View:
        """The catalog's view (both lateral figures are the catalog's "lateral")."""
        if self in (FigureView.LATERAL_RIGHT, FigureView.LATERAL_LEFT):
            return View.LATERAL
        return View(self.value)

    @property
    def label(self) -> str:
        return {
            FigureView.ANTERIOR: "Front",
            FigureView.POSTERIOR: "Back",
            FigureView.LATERAL_RIGHT: "Head & neck, right side",
            FigureView.LATERAL_LEFT: "Head & neck, left side",
        }[self]

    def patient_right_on_viewer_left(self) -> bool:
        """True when the patient faces the viewer (anterior): their right is our left."""
        return self is FigureView.ANTERIOR

    @staticmethod
    def for_site(view: View, side: Side) -> FigureView:
        """The figure that shows a stored site (a lateral site shows on its own side)."""
        if view is View.LATERAL:
            return FigureView.LATERAL_RIGHT if side is Side.RIGHT else FigureView.LATERAL_LEFT
        return FigureView(view.value)


class Layer(StrEnum):
    SUPERFICIAL = "superficial"
    DEEP = "deep"


class BodyMapError(ClinicError):
    """The geometry files are missing, malformed or disagree with the catalog."""


@dataclass(frozen=True, slots=True)
class Stroke:
    """A decorative, non-clickable line or shape from the SVG."""

    commands: tuple[Command, ...]
    fill: str | None
    stroke: str | None
    width: float


@dataclass(frozen=True, slots=True)
class Region:
    """The clickable area of one muscle on one side in one figure.

    Attributes:
        polygon: the outline flattened for hit-testing, in figure units.
        order: drawing order within the figure (later is on top).
    """

    muscle_code: str
    side: Side
    layer: Layer
    commands: tuple[Command, ...]
    polygon: tuple[Point, ...]
    order: int
    bbox: tuple[float, float, float, float] = field(init=False)

    def __post_init__(self) -> None:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        object.__setattr__(self, "bbox", (min(xs), min(ys), max(xs), max(ys)))

    def contains(self, x: float, y: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= x <= x1 and y0 <= y <= y1 and point_in_polygon(x, y, self.polygon)

    @property
    def area(self) -> float:
        return polygon_area(self.polygon)


@dataclass(frozen=True, slots=True)
class Figure:
    """One view: its size, the drawing and the muscle regions on it."""

    view: FigureView
    width: float
    height: float
    silhouette: tuple[Stroke, ...]
    details: tuple[Stroke, ...]
    regions: tuple[Region, ...]
    _points: dict[tuple[str, Side], Point] = field(default_factory=dict, compare=False, repr=False)

    def hit_test(self, x: float, y: float, *, deep: bool = False) -> Region | None:
        """The region a click at (x, y) selects, in figure units.

        With the deep layer off only superficial muscles can be hit. With it on, a deep
        muscle under the point wins over the superficial one covering it; elsewhere the
        superficial muscle is still hit. Within a layer the region drawn last wins.
        """
        layers = (Layer.DEEP, Layer.SUPERFICIAL) if deep else (Layer.SUPERFICIAL,)
        for layer in layers:
            for region in reversed(self.regions):
                if region.layer is layer and region.contains(x, y):
                    return region
        return None

    def region(self, muscle_code: str, side: Side) -> Region | None:
        for r in self.regions:
            if r.muscle_code == muscle_code and r.side is side:
                return r
        return None

    def standard_point(self, region: Region) -> Point:
        """A point well inside ``region`` that a click selects it at (its label point)."""
        key = (region.muscle_code, region.side)
        if key not in self._points:
            self._points[key] = _standard_point(self, region)
        return self._points[key]

    def normalise(self, x: float, y: float) -> Point:
        """Figure units → the 0..1 coordinates stored with a site."""
        return x / self.width, y / self.height

    def denormalise(self, nx: float, ny: float) -> Point:
        return nx * self.width, ny * self.height


def _standard_point(figure: Figure, region: Region) -> Point:
    # Search a grid inside the bounding box for the hittable point farthest from the
    # outline (a cheap "pole of inaccessibility"). Deterministic, so tests can rely on it.
    # Distances use every third outline point: plenty for choosing a label position.
    deep = region.layer is Layer.DEEP
    x0, y0, x1, y1 = region.bbox
    outline = region.polygon[::3] if len(region.polygon) > 60 else region.polygon
    best: tuple[float, Point] | None = None
    steps = 18
    for i in range(steps):
        for j in range(steps):
            x = x0 + (x1 - x0) * (i + 0.5) / steps
            y = y0 + (y1 - y0) * (j + 0.5) / steps
            if not region.contains(x, y):
                continue
            score = distance_to_edges(x, y, outline)
            if best is not None and score <= best[0]:
                continue
            if figure.hit_test(x, y, deep=deep) is region:
                best = (score, (x, y))
    if best is None:
        raise BodyMapError(
            f"{region.muscle_code}-{region.side}: no clickable point in "
            f"the {figure.view} figure (covered by other regions?)"
        )
    return best[1]


# ---------------------------------------------------------------------- loading
def default_bodymap_dir() -> Traversable:
    """The shipped ``anatomy/bodymap`` folder (the SVG figures)."""
    return resource("anatomy", "bodymap")


def _float(value: str | None, default: float = 0.0) -> float:
    if value is None:
        return default
    try:
        return float(value.replace("px", ""))
    except ValueError:
        return default


def _strokes(group: ET.Element | None, path: Traversable) -> tuple[Stroke, ...]:
    if group is None:
        return ()
    out = []
    for el in group.iter(f"{SVG_NS}path"):
        try:
            commands = parse_path(el.get("d", ""))
        except PathSyntaxError as exc:
            raise BodyMapError(f"{path.name}, path {el.get('id', '?')!r}: {exc}") from None
        fill = el.get("fill")
        out.append(
            Stroke(
                commands,
                None if fill in (None, "none") else fill,
                el.get("stroke"),
                _float(el.get("stroke-width"), 1.0),
            )
        )
    return tuple(out)


def _read_svg(path: Traversable) -> tuple[float, float, dict[str, ET.Element]]:
    try:
        with path.open("rb") as handle:
            root = ET.parse(handle).getroot()
    except FileNotFoundError:
        raise BodyMapError(f"{path}: the body-map file is missing") from None
    except ET.ParseError as exc:
        raise BodyMapError(f"{path.name}: not valid SVG/XML ({exc})") from None
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) != 4:
        raise BodyMapError(f"{path.name}: the <svg> element needs a viewBox")
    groups = {g.get("id", ""): g for g in root.iter(f"{SVG_NS}g")}
    return float(box[2]), float(box[3]), groups


def _regions(groups: dict[str, ET.Element], path: Traversable) -> list[Region]:
    regions: list[Region] = []
    for layer in Layer:
        group = groups.get(f"muscles-{layer.value}")
        if group is None:
            raise BodyMapError(f'{path.name}: missing the <g id="muscles-{layer.value}"> layer')
        for el in group.iter(f"{SVG_NS}path"):
            ident = el.get("id", "?")
            muscle, side = el.get("data-muscle"), el.get("data-side")
            if not muscle or side not in ("left", "right"):
                raise BodyMapError(
                    f'{path.name}, region {ident!r}: needs data-muscle and data-side="left|right"'
                )
            try:
                commands = parse_path(el.get("d", ""))
            except PathSyntaxError as exc:
                raise BodyMapError(f"{path.name}, region {ident!r}: {exc}") from None
            polys = flatten(commands)
            if len(polys) != 1:
                raise BodyMapError(f"{path.name}, region {ident!r}: must be one closed shape")
            regions.append(
                Region(muscle, Side(side), layer, commands, tuple(polys[0]), len(regions))
            )
    regions.sort(key=lambda r: r.order)
    return regions


def _load_figure(path: Traversable, view: FigureView) -> Figure:
    width, height, groups = _read_svg(path)
    return Figure(
        view,
        width,
        height,
        _strokes(groups.get("silhouette"), path),
        _strokes(groups.get("details"), path),
        tuple(_regions(groups, path)),
    )


def _mirrored(figure: Figure, view: FigureView) -> Figure:
    """The left lateral view: the right one flipped, every region on the other side."""

    def flip(strokes: tuple[Stroke, ...]) -> tuple[Stroke, ...]:
        return tuple(
            Stroke(mirror_commands(s.commands, figure.width), s.fill, s.stroke, s.width)
            for s in strokes
        )

    regions = tuple(
        Region(
            r.muscle_code,
            Side.LEFT if r.side is Side.RIGHT else Side.RIGHT,
            r.layer,
            mirror_commands(r.commands, figure.width),
            tuple((figure.width - x, y) for x, y in r.polygon),
            r.order,
        )
        for r in figure.regions
    )
    return Figure(
        view, figure.width, figure.height, flip(figure.silhouette), flip(figure.details), regions
    )


@dataclass(frozen=True)
class BodyMap:
    """All four figures, checked against the catalog."""

    figures: dict[FigureView, Figure]

    def __getitem__(self, view: FigureView) -> Figure:
        return self.figures[view]

    def __iter__(self) -> Iterator[Figure]:
        return iter(self.figures.values())

    def views_for(self, muscle_code: str, side: Side) -> list[FigureView]:
        """The figures on which this muscle and side can be clicked."""
        return [f.view for f in self if f.region(muscle_code, side) is not None]


def load_bodymap(folder: Traversable | None = None, catalog: Catalog | None = None) -> BodyMap:
    """Read the three SVG files and derive the left lateral view.

    Raises:
        BodyMapError: a file is missing or malformed, a region names an unknown muscle, or a
            catalog muscle lacks a region in a view the catalog lists it in.
    """
    folder = folder or default_bodymap_dir()
    catalog = catalog or default_catalog()
    anterior = _load_figure(folder / "anterior.svg", FigureView.ANTERIOR)
    posterior = _load_figure(folder / "posterior.svg", FigureView.POSTERIOR)
    lateral = _load_figure(folder / "lateral.svg", FigureView.LATERAL_RIGHT)
    figures = {
        f.view: f
        for f in (anterior, posterior, lateral, _mirrored(lateral, FigureView.LATERAL_LEFT))
    }
    for figure in figures.values():
        seen: set[tuple[str, Side]] = set()
        for r in figure.regions:
            if r.muscle_code not in catalog:
                raise BodyMapError(
                    f"{figure.view} figure: region {r.muscle_code}-{r.side} "
                    "names a muscle that is not in the catalog"
                )
            if (r.muscle_code, r.side) in seen:
                raise BodyMapError(f"{figure.view} figure: {r.muscle_code}-{r.side} is drawn twice")
            seen.add((r.muscle_code, r.side))
        for muscle in catalog.in_view(figure.view.catalog_view):
            sides = (
                (Side.RIGHT,)
                if figure.view is FigureView.LATERAL_RIGHT
                else (Side.LEFT,)
                if figure.view is FigureView.LATERAL_LEFT
                else (Side.LEFT, Side.RIGHT)
            )
            for side in sides:
                if (muscle.code, side) not in seen:
                    raise BodyMapError(
                        f"{figure.view} figure: {muscle.code} ({side}) has no "
                        "region, but the catalog lists it in this view"
                    )
    return BodyMap(figures)


@functools.cache
def default_bodymap() -> BodyMap:
    """The shipped body map, loaded once per process."""
    return load_bodymap()
