"""Which part of the body each panel of the handout's figure shows.

Only the views that carry a site are drawn, side by side at the same height; a whole-body
view is cropped to the smallest fixed window that holds its marks and to its silhouette's
width. :func:`figure_panels` says which views and how wide, so the PDF can caption each one;
:func:`figure_aspect` how wide the whole figure is. Drawing is :mod:`clinic_app.reports.figure`.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.bodymap import BodyMap, Figure, FigureView, default_bodymap
from clinic_app.domain.handout import HandoutData, HandoutSite
from clinic_app.domain.svgpath import flatten

#: Output height of every panel in pixels (150 to 200 dpi at the sizes the handout prints).
PANEL_HEIGHT = 640
GAP = 40

_VIEW_ORDER = (
    FigureView.POSTERIOR,
    FigureView.ANTERIOR,
    FigureView.LATERAL_RIGHT,
    FigureView.LATERAL_LEFT,
)


def view_of(site: HandoutSite) -> FigureView:
    return FigureView.for_site(site.view, site.side)


#: Parts of a whole-body view a panel may show, as (top, bottom) in 0..1 of its height:
#: the smallest that holds every mark is drawn, so a neck-and-back visit shows the upper body
#: twice as large as the whole figure would. Fixed windows keep the drawn panels cacheable.
WINDOWS: tuple[tuple[float, float], ...] = (
    (0.0, 0.5),
    (0.25, 0.75),
    (0.5, 1.0),
    (0.0, 0.75),
    (0.25, 1.0),
    (0.0, 1.0),
)
#: Room kept around the marks inside a window (0..1 of the figure's height).
_WINDOW_MARGIN = 0.06
#: A whole-body figure is cropped to its silhouette's width plus this margin (figure units).
_SIDE_MARGIN = 12.0


@dataclass(frozen=True)
class Window:
    """The part of a figure a panel shows, in the figure's own units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _whole_body(figure: Figure) -> bool:
    return figure.height > figure.width * 1.5


#: The silhouette's horizontal extent per figure, keyed by ``id`` (hashing a Figure walks
#: all its geometry), with the figure held so the id stays unique.
_SILHOUETTE_X: dict[int, tuple[Figure, tuple[float, float]]] = {}


def _silhouette_x(figure: Figure) -> tuple[float, float]:
    cached = _SILHOUETTE_X.get(id(figure))
    if cached is not None and cached[0] is figure:
        return cached[1]
    xs = [x for stroke in figure.silhouette for poly in flatten(stroke.commands) for x, _ in poly]
    extent = max(0.0, min(xs) - _SIDE_MARGIN), min(figure.width, max(xs) + _SIDE_MARGIN)
    if len(_SILHOUETTE_X) >= 16:
        _SILHOUETTE_X.clear()
    _SILHOUETTE_X[id(figure)] = (figure, extent)
    return extent


def panel_windows(data: HandoutData, bodymap: BodyMap) -> dict[FigureView, Window]:
    """The window of each view with sites; whole-body views share one vertical window."""
    used = {view_of(site) for site in data.sites}
    views = [view for view in _VIEW_ORDER if view in used]
    body = [s for s in data.sites if _whole_body(bodymap[view_of(s)])]
    top = max(0.0, min((s.y for s in body), default=0.0) - _WINDOW_MARGIN)
    bottom = min(1.0, max((s.y for s in body), default=1.0) + _WINDOW_MARGIN)
    span = next((w for w in WINDOWS if w[0] <= top and bottom <= w[1]), (0.0, 1.0))
    out: dict[FigureView, Window] = {}
    for view in views:
        figure = bodymap[view]
        if _whole_body(figure):
            # The silhouette's width, wider when a mark lies beside it (its leader must show).
            x0, x1 = _silhouette_x(figure)
            xs = [s.x * figure.width for s in body if view_of(s) is view]
            margin = _SIDE_MARGIN * 2
            x0 = max(0.0, min([x0, *(x - margin for x in xs)]))
            x1 = min(figure.width, max([x1, *(x + margin for x in xs)]))
            out[view] = Window(x0, span[0] * figure.height, x1, span[1] * figure.height)
        else:
            out[view] = Window(0.0, 0.0, figure.width, figure.height)
    return out


def figure_panels(
    data: HandoutData, bodymap: BodyMap | None = None
) -> list[tuple[FigureView, float]]:
    """The views that have sites, in drawing order, each with its share of the image width."""
    bodymap = bodymap or default_bodymap()
    windows = panel_windows(data, bodymap)
    widths = [w.width / w.height for w in windows.values()]
    total = sum(widths) or 1.0
    return [(view, width / total) for view, width in zip(windows, widths, strict=True)]


def figure_aspect(data: HandoutData, bodymap: BodyMap | None = None) -> float:
    """Width over height of the figure :func:`body_figure_image` draws (1.0 with no sites)."""
    bodymap = bodymap or default_bodymap()
    windows = list(panel_windows(data, bodymap).values())
    if not windows:
        return 1.0
    width = sum(w.width / w.height * PANEL_HEIGHT for w in windows) + GAP * (len(windows) - 1)
    return width / PANEL_HEIGHT


__all__ = [
    "GAP",
    "PANEL_HEIGHT",
    "WINDOWS",
    "Window",
    "figure_aspect",
    "figure_panels",
    "panel_windows",
    "view_of",
]
