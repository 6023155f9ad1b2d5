"""A view being built: silhouette, detail lines and muscle regions, with their preview styles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clinic_app.bodymap_builder.curves import Curve, Pt, Seg
from clinic_app.bodymap_builder.muscles import MUSCLES
from clinic_app.bodymap_builder.polygons import poly_dist, resample
from clinic_app.domain.svgpath import point_in_polygon

# Preview styling only: the app restyles the regions itself.
SILHOUETTE_STYLE = {
    "fill": "#f3e3d3",
    "stroke": "#8a6f5a",
    "stroke-width": "1.2",
    "stroke-linejoin": "round",
}
DETAIL_STYLE = {
    "fill": "none",
    "stroke": "#b08f7a",
    "stroke-width": "0.6",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
}
FIBRE_STYLE = {
    "fill": "none",
    "stroke": "#c29a86",
    "stroke-width": "0.4",
    "stroke-linecap": "round",
}
FAINT_STYLE = {
    "fill": "none",
    "stroke": "#c7aa98",
    "stroke-width": "0.45",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
}
HAIR_STYLE = {"fill": "none", "stroke": "#d2b8a6", "stroke-width": "0.5", "stroke-linecap": "round"}
SUPERFICIAL_STYLE = {
    "fill": "#d9776f",
    "fill-opacity": "0.55",
    "stroke": "#9c3d36",
    "stroke-width": "0.7",
    "stroke-linejoin": "round",
}
DEEP_STYLE = {
    "fill": "none",
    "stroke": "#5a4fa0",
    "stroke-width": "0.9",
    "stroke-dasharray": "3 2",
    "stroke-linejoin": "round",
}


# ----------------------------------------------------------------------------- views


@dataclass
class Region:
    code: str
    side: str
    layer: str  # "superficial" | "deep"
    path: Curve


@dataclass
class View:
    name: str
    silhouette: list[Curve] = field(default_factory=list)
    details: list[tuple[Curve, dict[str, str]]] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)

    def line(
        self,
        *paths: Curve,
        style: dict[str, str] | None = None,
        mirror: bool = False,
        width: float = 500,
    ) -> None:
        for p in paths:
            self.details.append((p, style or DETAIL_STYLE))
            if mirror:
                self.details.append((p.mirrored(width), style or DETAIL_STYLE))


def fibres(
    region: Curve,
    a: Sequence[Pt],
    b: Sequence[Pt],
    n: int,
    ctrl: Sequence[Pt] | None = None,
    margin: float = 1.6,
) -> list[Curve]:
    """Fibre hatching: n curves from guide line a to guide line b, clipped inside ``region``."""
    poly = region.flatten(8)
    starts, ends = resample(a, n + 2)[1:-1], resample(b, n + 2)[1:-1]
    mids = resample(ctrl, n + 2)[1:-1] if ctrl else None
    out = []
    for i in range(n):
        p0, p2 = starts[i], ends[i]
        p1 = mids[i] if mids else ((p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2)
        length = math.dist(p0, p1) + math.dist(p1, p2)
        steps = max(8, int(length / 1.5))
        inside = []
        for k in range(steps + 1):
            t = k / steps
            q = (
                (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
                (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
            )
            inside.append(point_in_polygon(*q, poly) and poly_dist(q, poly) >= margin)
        k = 0
        while k <= steps:
            if not inside[k]:
                k += 1
                continue
            j = k
            while j + 1 <= steps and inside[j + 1]:
                j += 1
            if j - k >= 3:
                out.append(_sub_quad(p0, p1, p2, k / steps, j / steps))
            k = j + 1
    return out


def _sub_quad(p0: Pt, p1: Pt, p2: Pt, t0: float, t1: float) -> Curve:
    def at(t: float) -> Pt:
        return (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
        )

    def deriv(t: float) -> Pt:
        return (
            2 * (1 - t) * (p1[0] - p0[0]) + 2 * t * (p2[0] - p1[0]),
            2 * (1 - t) * (p1[1] - p0[1]) + 2 * t * (p2[1] - p1[1]),
        )

    a, b = at(t0), at(t1)
    da = deriv(t0)
    h = (t1 - t0) / 2
    mid = (a[0] + da[0] * h, a[1] + da[1] * h)
    # elevate the quadratic piece to a cubic so the output only needs M and C
    c1 = (a[0] + 2 / 3 * (mid[0] - a[0]), a[1] + 2 / 3 * (mid[1] - a[1]))
    c2 = (b[0] + 2 / 3 * (mid[0] - b[0]), b[1] + 2 / 3 * (mid[1] - b[1]))
    return Curve(a, [Seg(b, c1, c2)], closed=False)


Fib = tuple[Sequence[Pt], Sequence[Pt], int, Sequence[Pt] | None]


def add_pair(
    view: View,
    code: str,
    shape: Curve,
    right_is_patient: str,
    fibre_specs: Iterable[Fib] = (),
    width: float = 500,
) -> None:
    """Add the region drawn on the viewer's right and its mirror image (the other side)."""
    layer = MUSCLES[code][1]
    other = "left" if right_is_patient == "right" else "right"
    for side, path in ((right_is_patient, shape), (other, shape.mirrored(width))):
        view.regions.append(Region(code, side, layer, path))
    for a, b, n, ctrl in fibre_specs:
        for f in fibres(shape, a, b, n, ctrl):
            view.line(f, style=FIBRE_STYLE, mirror=True, width=width)
