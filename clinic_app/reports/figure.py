"""The handout's body figure: the GUI's body-map geometry with the patient's numbered marks.

Drawn with Pillow at :data:`SUPERSAMPLE` times the output size and scaled down, so outlines
and marks stay smooth on paper. Which views are drawn, and which part of each, is
:mod:`clinic_app.reports.figure_windows` (its :func:`figure_panels` and :func:`figure_aspect`
are re-exported here).

Each view is flattened and drawn plain (nothing treated, no marks) once per process; a
handout then redraws only the part its treated regions and marks can reach, at supersampled
size, and scales that part into a copy of the plain panel.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont, ImagePath

from clinic_app.domain.bodymap import BodyMap, Figure, default_bodymap
from clinic_app.domain.enums import Side, Technique
from clinic_app.domain.fonts import BOLD_FONT, font_path
from clinic_app.domain.handout import HandoutData, HandoutSite
from clinic_app.domain.svgpath import Command, Point, flatten
from clinic_app.reports.figure_windows import (
    GAP,
    PANEL_HEIGHT,
    Window,
    figure_aspect,
    figure_panels,
    panel_windows,
    view_of,
)
from clinic_app.reports.placement import Placement, place_markers

SUPERSAMPLE = 2
FONT_PATH = font_path(BOLD_FONT)
_REGION_EDGE = (176, 143, 122)
_TREATED_FILL = (240, 170, 160)
_TREATED_EDGE = (150, 55, 48)
_INJECTION_FILL = (196, 30, 58)
_NEEDLING_EDGE = (20, 90, 170)


def _polylines(commands: tuple[Command, ...]) -> list[list[Point]]:
    """Every subpath as points, open ones included (``flatten`` keeps only polygons)."""
    subpaths: list[list[Command]] = []
    for command in commands:
        if command.op == "M" or not subpaths:
            subpaths.append([])
        subpaths[-1].append(command)
    lines: list[list[Point]] = []
    for sub in subpaths:
        start = sub[0]
        # Repeating the start point keeps a single straight segment from being dropped.
        padded = (start, Command("L", start.args[:2]), *sub[1:])
        for points in flatten(padded):
            if sub[-1].op == "Z":
                points.append(points[0])
            lines.append(points[1:])
    return lines


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


_Pts = list[tuple[float, float]]
_Box = tuple[float, float, float, float]
_Key = tuple[str, Side]


class _Shape(NamedTuple):
    path: ImagePath.Path  # a C-level point list Pillow draws and shifts without Python loops
    colour: str | tuple[int, int, int]
    box: _Box  # bounding box of the points


def _shape(points: _Pts, colour: str | tuple[int, int, int]) -> _Shape:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return _Shape(ImagePath.Path(points), colour, (min(xs), min(ys), max(xs), max(ys)))


@dataclass(frozen=True)
class _Geometry:
    """One view flattened once and scaled to supersampled pixels, in drawing order."""

    width: int
    height: int
    fills: tuple[_Shape, ...]
    details: tuple[_Shape, ...]
    regions: tuple[tuple[_Key, _Shape, _Shape], ...]  # each region's polygon and outline
    outlines: tuple[_Shape, ...]
    plain: Image.Image  # the panel at output size with nothing treated and no marks
    origin: tuple[float, float] = (0.0, 0.0)  # the window's top left, in scaled units
    scale: float = 1.0  # supersampled pixels per figure unit


#: Flattened geometry per figure and window, keyed by the figure's ``id`` and the window,
#: with the figure held so the id stays unique.
_GEOMETRY: dict[tuple[int, Window], tuple[Figure, _Geometry]] = {}


def _geometry(figure: Figure, window: Window | None = None) -> _Geometry:
    """The figure's geometry and plain panel for ``window``, computed once per figure and
    window (body maps are cached)."""
    window = window or Window(0.0, 0.0, figure.width, figure.height)
    cached = _GEOMETRY.get((id(figure), window))
    if cached is not None and cached[0] is figure:
        return cached[1]
    scale = PANEL_HEIGHT * SUPERSAMPLE / window.height

    def pts(points: Sequence[Point]) -> _Pts:
        return [(x * scale, y * scale) for x, y in points]

    geometry = _Geometry(
        width=round(window.width * scale),
        height=PANEL_HEIGHT * SUPERSAMPLE,
        fills=tuple(
            _shape(pts(poly), stroke.fill or "white")
            for stroke in figure.silhouette
            for poly in flatten(stroke.commands)
        ),
        details=tuple(
            _shape(pts(line), stroke.stroke or "grey")
            for stroke in figure.details
            for line in _polylines(stroke.commands)
        ),
        regions=tuple(
            (
                (r.muscle_code, r.side),
                _shape(pts(r.polygon), _TREATED_FILL),
                _shape(pts([*r.polygon, r.polygon[0]]), _REGION_EDGE),
            )
            for r in figure.regions
        ),
        outlines=tuple(
            _shape(pts(line), stroke.stroke or "black")
            for stroke in figure.silhouette
            for line in _polylines(stroke.commands)
        ),
        plain=Image.new("RGB", (1, 1)),
        origin=(window.x0 * scale, window.y0 * scale),
        scale=scale,
    )
    full = Image.new("RGB", (geometry.width, geometry.height), "white")
    _paint(full, geometry, set(), (), (0, 0))
    plain = full.resize(
        (round(geometry.width / SUPERSAMPLE), PANEL_HEIGHT), Image.Resampling.LANCZOS
    )
    geometry = replace(geometry, plain=plain)
    if len(_GEOMETRY) >= 32:
        _GEOMETRY.clear()
    _GEOMETRY[(id(figure), window)] = (figure, geometry)
    return geometry


#: Marker radius and label sizes in output pixels at scale 1 (PANEL_HEIGHT = 750).
MARKER_RADIUS = 17
_LABEL_SIZE = (18, 14)  # two digits, three digits
_LEADER = (70, 70, 70)
_DOT_RADIUS = 4


def marker_scale(data: HandoutData) -> float:
    """Large print draws bigger marks and numbers."""
    return 1.4 if data.large_print else 1.0


def _placements(
    figure: Figure, geometry: _Geometry, sites: Sequence[HandoutSite], scale: float
) -> tuple[list[tuple[HandoutSite, Placement]], float]:
    """Each site with its marker, moved off its point where it would hide another, and the
    marker scale used: smaller marks when the panel has no room for that many at ``scale``.

    Positions are in the panel's supersampled pixels (the window's top left is 0, 0).
    """
    ox, oy = geometry.origin
    points = [
        (s.x * figure.width * geometry.scale - ox, s.y * figure.height * geometry.scale - oy)
        for s in sites
    ]
    while True:
        radius = MARKER_RADIUS * SUPERSAMPLE * scale
        try:
            placed = place_markers(
                points, radius, geometry.width, geometry.height, gap=SUPERSAMPLE * 2
            )
        except ValueError:
            if scale < 0.3:  # pragma: no cover - hundreds of marks on one panel
                raise
            scale *= 0.8
            continue
        return list(zip(sites, placed, strict=True)), scale


def _paint(
    image: Image.Image,
    geometry: _Geometry,
    treated: set[_Key],
    marks: Sequence[tuple[HandoutSite, Placement]],
    offset: tuple[int, int],
    scale: float = 1.0,
) -> None:
    """Draw the panel at supersampled size, or the part of it whose top left is ``offset``.

    Shapes that cannot reach the image are skipped; the rest are drawn in the same order as
    always, so the part looks exactly like the same part of the whole panel.
    """
    draw = ImageDraw.Draw(image)
    mx, my = offset  # marks are in panel pixels
    dx, dy = offset[0] + geometry.origin[0], offset[1] + geometry.origin[1]
    slack = 3 * SUPERSAMPLE  # the widest line is 3 × SUPERSAMPLE
    x0, y0 = dx - slack, dy - slack
    x1, y1 = dx + image.width + slack, dy + image.height + slack

    def visible(shape: _Shape) -> bool:
        bx0, by0, bx1, by1 = shape.box
        return bx1 >= x0 and bx0 <= x1 and by1 >= y0 and by0 <= y1

    def shift(path: ImagePath.Path) -> ImagePath.Path:
        if not dx and not dy:
            return path
        moved = ImagePath.Path(path)
        moved.transform((1, 0, -dx, 0, 1, -dy))
        return moved

    for shape in geometry.fills:
        if visible(shape):
            draw.polygon(shift(shape.path), fill=shape.colour)
    for key, polygon, _ in geometry.regions:
        if key in treated and visible(polygon):
            draw.polygon(shift(polygon.path), fill=_TREATED_FILL)
    for shape in geometry.details:
        if visible(shape):
            draw.line(shift(shape.path), fill=shape.colour, width=SUPERSAMPLE, joint="curve")
    for key, _, shape in geometry.regions:
        if visible(shape):
            treated_here = key in treated
            edge = _TREATED_EDGE if treated_here else _REGION_EDGE
            width = SUPERSAMPLE * (3 if treated_here else 1)
            draw.line(shift(shape.path), fill=edge, width=width)
    for shape in geometry.outlines:
        if visible(shape):
            draw.line(shift(shape.path), fill=shape.colour, width=2 * SUPERSAMPLE)
    radius = MARKER_RADIUS * SUPERSAMPLE * scale
    dot = _DOT_RADIUS * SUPERSAMPLE * scale
    for _, placement in marks:  # leaders under every marker
        if placement.moved:
            (x0, y0), (x1, y1) = placement.leader(radius)
            draw.line((x0 - mx, y0 - my, x1 - mx, y1 - my), fill=_LEADER, width=2 * SUPERSAMPLE)
            px, py = x1 - mx, y1 - my
            draw.ellipse((px - dot, py - dot, px + dot, py + dot), fill=_LEADER)
    for site, placement in marks:
        cx, cy = placement.centre[0] - mx, placement.centre[1] - my
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        label = str(site.number)
        size = round(_LABEL_SIZE[len(label) >= 3] * SUPERSAMPLE * scale)
        if site.technique is Technique.INJECTION:
            draw.ellipse(box, fill=_INJECTION_FILL, outline="white", width=2 * SUPERSAMPLE)
            colour = "white"
        else:
            draw.ellipse(box, fill="white", outline=_NEEDLING_EDGE, width=4 * SUPERSAMPLE)
            colour = "black"
        draw.text((cx, cy), label, fill=colour, font=_font(size), anchor="mm")


#: Output pixels either side of a change that the Lanczos filter (3 lobes) can reach, with slack.
_REACH = 5


def _draw_panel(
    figure: Figure, sites: Sequence[HandoutSite], scale: float = 1.0, window: Window | None = None
) -> Image.Image:
    """The panel at output size: the cached plain panel with only the changed part redrawn.

    Treated regions and marks are painted at supersampled size into a crop that covers every
    output pixel they can reach through the Lanczos filter, and that crop is scaled with the
    same filter geometry as the whole panel would be, so the result matches drawing it all.
    """
    geometry = _geometry(figure, window)
    panel = geometry.plain.copy()
    treated = {(s.muscle_code, s.side) for s in sites}
    boxes = [shape.box for key, _, shape in geometry.regions if key in treated]
    pad = 2 * SUPERSAMPLE  # half the thick treated outline, rounded up
    ox, oy = geometry.origin
    boxes = [
        (x0 - pad - ox, y0 - pad - oy, x1 + pad - ox, y1 + pad - oy) for x0, y0, x1, y1 in boxes
    ]
    marks, scale = _placements(figure, geometry, sites, scale)
    radius = (MARKER_RADIUS + 1) * SUPERSAMPLE * scale
    for _, placement in marks:
        for cx, cy in (placement.centre, placement.point):
            boxes.append((cx - radius, cy - radius, cx + radius, cy + radius))
    if not boxes:
        return panel
    out_w, out_h = panel.size
    sx, sy = geometry.width / out_w, geometry.height / out_h
    ox0 = max(0, math.floor(min(b[0] for b in boxes) / sx) - _REACH)
    oy0 = max(0, math.floor(min(b[1] for b in boxes) / sy) - _REACH)
    ox1 = min(out_w, math.ceil(max(b[2] for b in boxes) / sx) + _REACH)
    oy1 = min(out_h, math.ceil(max(b[3] for b in boxes) / sy) + _REACH)
    if ox0 >= ox1 or oy0 >= oy1:
        return panel
    cx0 = max(0, math.floor((ox0 - _REACH) * sx))
    cy0 = max(0, math.floor((oy0 - _REACH) * sy))
    cx1 = min(geometry.width, math.ceil((ox1 + _REACH) * sx))
    cy1 = min(geometry.height, math.ceil((oy1 + _REACH) * sy))
    crop = Image.new("RGB", (cx1 - cx0, cy1 - cy0), "white")
    _paint(crop, geometry, treated, marks, (cx0, cy0), scale)
    part = crop.resize(
        (ox1 - ox0, oy1 - oy0),
        Image.Resampling.LANCZOS,
        box=(ox0 * sx - cx0, oy0 * sy - cy0, ox1 * sx - cx0, oy1 * sy - cy0),
    )
    panel.paste(part, (ox0, oy0))
    return panel


def plain_panel(figure: Figure) -> Image.Image:
    """A copy of the whole figure drawn plain (nothing treated, no marks) at panel height."""
    return _geometry(figure).plain.copy()


def body_figure_image(
    data: HandoutData, bodymap: BodyMap | None = None, *, scale: float | None = None
) -> Image.Image | None:
    """The figure with the patient's marks, or None when there are no sites.

    Args:
        scale: the marks' size, times :data:`MARKER_RADIUS`; by default bigger in large print.
    """
    bodymap = bodymap or default_bodymap()
    scale = marker_scale(data) if scale is None else scale
    panels = [
        _draw_panel(bodymap[view], [s for s in data.sites if view_of(s) is view], scale, window)
        for view, window in panel_windows(data, bodymap).items()
    ]
    return side_by_side(panels)


def side_by_side(panels: Sequence[Image.Image]) -> Image.Image | None:
    """The panels left to right on one white sheet, :data:`GAP` apart; None without panels."""
    if not panels:
        return None
    width = sum(p.width for p in panels) + GAP * (len(panels) - 1)
    sheet = Image.new("RGB", (width, PANEL_HEIGHT), "white")
    x = 0
    for panel in panels:
        sheet.paste(panel, (x, 0))
        x += panel.width + GAP
    return sheet


def body_figure_png(data: HandoutData, bodymap: BodyMap | None = None) -> bytes | None:
    """The figure with the patient's marks as PNG bytes, or None when there are no sites."""
    sheet = body_figure_image(data, bodymap)
    if sheet is None:
        return None
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=False, dpi=(250, 250))
    return out.getvalue()


__all__ = [
    "MARKER_RADIUS",
    "PANEL_HEIGHT",
    "SUPERSAMPLE",
    "body_figure_image",
    "body_figure_png",
    "figure_aspect",
    "figure_panels",
    "marker_scale",
    "plain_panel",
    "side_by_side",
]
