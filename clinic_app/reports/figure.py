"""The handout's body figure: the GUI's body-map geometry with the patient's numbered marks.

Drawn with Pillow at :data:`SUPERSAMPLE` times the output size and scaled down, so outlines
and marks stay smooth on paper. Only the views that carry a site are drawn, side by side at
the same height; :func:`figure_panels` says which views and how wide, so the PDF can caption
each one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from clinic_app.domain.bodymap import BodyMap, Figure, FigureView, default_bodymap
from clinic_app.domain.enums import Technique
from clinic_app.domain.handout import HandoutData, HandoutSite
from clinic_app.domain.svgpath import Command, Point, flatten

#: Output height of every panel in pixels (about 250 dpi at the printed size).
PANEL_HEIGHT = 750
SUPERSAMPLE = 3
GAP = 40
FONT_PATH = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "DejaVuSans-Bold.ttf"

_VIEW_ORDER = (
    FigureView.POSTERIOR,
    FigureView.ANTERIOR,
    FigureView.LATERAL_RIGHT,
    FigureView.LATERAL_LEFT,
)
_REGION_EDGE = (176, 143, 122)
_TREATED_FILL = (240, 170, 160)
_TREATED_EDGE = (150, 55, 48)
_INJECTION_FILL = (196, 30, 58)
_NEEDLING_EDGE = (20, 90, 170)


def _view_of(site: HandoutSite) -> FigureView:
    return FigureView.for_site(site.view, site.side)


def figure_panels(
    data: HandoutData, bodymap: BodyMap | None = None
) -> list[tuple[FigureView, float]]:
    """The views that have sites, in drawing order, each with its share of the image width."""
    bodymap = bodymap or default_bodymap()
    used = {_view_of(site) for site in data.sites}
    views = [view for view in _VIEW_ORDER if view in used]
    widths = [bodymap[view].width / bodymap[view].height for view in views]
    total = sum(widths) or 1.0
    return [(view, width / total) for view, width in zip(views, widths, strict=True)]


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


def _draw_panel(figure: Figure, sites: Sequence[HandoutSite]) -> Image.Image:
    scale = PANEL_HEIGHT * SUPERSAMPLE / figure.height
    width = round(figure.width * scale)
    image = Image.new("RGB", (width, PANEL_HEIGHT * SUPERSAMPLE), "white")
    draw = ImageDraw.Draw(image)

    def pts(points: list[Point]) -> list[tuple[float, float]]:
        return [(x * scale, y * scale) for x, y in points]

    for stroke in figure.silhouette:
        for poly in flatten(stroke.commands):
            draw.polygon(pts(poly), fill=stroke.fill or "white")
    treated = {(s.muscle_code, s.side) for s in sites}
    for region in figure.regions:
        if (region.muscle_code, region.side) in treated:
            draw.polygon(pts(list(region.polygon)), fill=_TREATED_FILL)
    for stroke in figure.details:
        for line in _polylines(stroke.commands):
            draw.line(pts(line), fill=stroke.stroke or "grey", width=SUPERSAMPLE, joint="curve")
    for region in figure.regions:
        treated_here = (region.muscle_code, region.side) in treated
        edge = _TREATED_EDGE if treated_here else _REGION_EDGE
        outline = [*pts(list(region.polygon)), pts([region.polygon[0]])[0]]
        draw.line(outline, fill=edge, width=SUPERSAMPLE * (3 if treated_here else 1))
    for stroke in figure.silhouette:
        for line in _polylines(stroke.commands):
            draw.line(pts(line), fill=stroke.stroke or "black", width=2 * SUPERSAMPLE)
    radius = 17 * SUPERSAMPLE
    for site in sites:
        cx, cy = site.x * width, site.y * PANEL_HEIGHT * SUPERSAMPLE
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        label = str(site.number)
        size = (18 if len(label) < 3 else 14) * SUPERSAMPLE
        if site.technique is Technique.INJECTION:
            draw.ellipse(box, fill=_INJECTION_FILL, outline="white", width=2 * SUPERSAMPLE)
            colour = "white"
        else:
            draw.ellipse(box, fill="white", outline=_NEEDLING_EDGE, width=4 * SUPERSAMPLE)
            colour = "black"
        draw.text((cx, cy), label, fill=colour, font=_font(size), anchor="mm")
    return image.resize((round(width / SUPERSAMPLE), PANEL_HEIGHT), Image.Resampling.LANCZOS)


def body_figure_png(data: HandoutData, bodymap: BodyMap | None = None) -> bytes | None:
    """The figure with the patient's marks as PNG bytes, or None when there are no sites."""
    bodymap = bodymap or default_bodymap()
    panels = [
        _draw_panel(bodymap[view], [s for s in data.sites if _view_of(s) is view])
        for view, _ in figure_panels(data, bodymap)
    ]
    if not panels:
        return None
    width = sum(p.width for p in panels) + GAP * (len(panels) - 1)
    sheet = Image.new("RGB", (width, PANEL_HEIGHT), "white")
    x = 0
    for panel in panels:
        sheet.paste(panel, (x, 0))
        x += panel.width + GAP
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=False, dpi=(250, 250))
    return out.getvalue()
