"""Generate the body-map drawings (``resources/anatomy/bodymap/*.svg``) and check them.

Usage::

    python scripts/build_bodymap.py            # write the three SVGs, then verify them
    python scripts/build_bodymap.py --check    # only verify the files already on disk

Pure Python (standard library only). Every shape is a list of control points; smooth outlines
come from centripetal Catmull-Rom splines converted to cubic Béziers, and the patient's other
side is the mirror image across x = 250. The conventions the app relies on (ids, layers, path
commands, laterality) are written down in ``resources/anatomy/bodymap/README.md``; the checks at
the end of this file enforce them. Proportions follow ``anatomy-landmarks.md``: on the full-body
views a stature fraction ``f`` is ``y = 20 + 960 f`` and a half-width ``f`` is ``960 f`` px from
the midline.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "resources" / "anatomy" / "bodymap"
CATALOG = ROOT / "resources" / "anatomy" / "muscles.toml"

Pt = tuple[float, float]

# ----------------------------------------------------------------------------- muscles

# code -> (views, depth). Kept here so the generator runs without the app; the checks compare it
# with resources/anatomy/muscles.toml whenever that file is present.
MUSCLES: dict[str, tuple[tuple[str, ...], str]] = {
    "temporalis": (("lateral",), "superficial"),
    "masseter": (("lateral",), "superficial"),
    "sternocleidomastoid": (("anterior", "lateral"), "superficial"),
    "scalenes": (("anterior", "lateral"), "superficial"),
    "splenius_capitis": (("posterior", "lateral"), "superficial"),
    "suboccipitals": (("posterior",), "deep"),
    "levator_scapulae": (("posterior", "lateral"), "superficial"),
    "trapezius_upper": (("posterior",), "superficial"),
    "trapezius_middle": (("posterior",), "superficial"),
    "trapezius_lower": (("posterior",), "superficial"),
    "rhomboids": (("posterior",), "deep"),
    "serratus_posterior_superior": (("posterior",), "deep"),
    "supraspinatus": (("posterior",), "deep"),
    "infraspinatus": (("posterior",), "superficial"),
    "deltoid": (("anterior", "posterior"), "superficial"),
    "latissimus_dorsi": (("posterior",), "superficial"),
    "pectoralis_major": (("anterior",), "superficial"),
    "serratus_anterior": (("anterior",), "superficial"),
    "thoracic_paraspinals": (("posterior",), "superficial"),
    "lumbar_paraspinals": (("posterior",), "superficial"),
    "quadratus_lumborum": (("posterior",), "deep"),
    "gluteus_maximus": (("posterior",), "superficial"),
    "gluteus_medius": (("posterior",), "superficial"),
    "gluteus_minimus": (("posterior",), "deep"),
    "piriformis": (("posterior",), "deep"),
    "tensor_fasciae_latae": (("anterior",), "superficial"),
    "iliopsoas": (("anterior",), "deep"),
    "hamstrings": (("posterior",), "superficial"),
    "vastus_lateralis": (("anterior",), "superficial"),
    "gastrocnemius": (("posterior",), "superficial"),
    "soleus": (("posterior",), "superficial"),
    "tibialis_anterior": (("anterior",), "superficial"),
    "forearm_extensors": (("posterior",), "superficial"),
}

VIEWBOX = {"anterior": (500, 1000), "posterior": (500, 1000), "lateral": (400, 400)}

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


def Y(f: float) -> float:
    """Full-body views: stature fraction from the vertex -> y in px."""
    return 20 + 960 * f


def X(f: float) -> float:
    """Full-body views: half-width fraction on the viewer's right -> x in px."""
    return 250 + 960 * f


# ----------------------------------------------------------------------------- curves


@dataclass(frozen=True)
class Seg:
    """One path segment: a cubic Bézier (``c1``, ``c2`` set) or a straight line to ``p``."""

    p: Pt
    c1: Pt | None = None
    c2: Pt | None = None


@dataclass
class Curve:
    start: Pt
    segs: list[Seg]
    closed: bool = True

    def mirrored(self, width: float = 500) -> Curve:
        """The mirror image across the vertical line x = width / 2."""

        def m(p: Pt) -> Pt:
            return (width - p[0], p[1])

        def mo(p: Pt | None) -> Pt | None:
            return None if p is None else m(p)

        return Curve(
            m(self.start), [Seg(m(s.p), mo(s.c1), mo(s.c2)) for s in self.segs], self.closed
        )

    def d(self) -> str:
        """SVG path data using only absolute M, L, C and Z."""
        out = [f"M {fmt(self.start)}"]
        for s in self.segs:
            if s.c1 is None or s.c2 is None:
                out.append(f"L {fmt(s.p)}")
            else:
                out.append(f"C {fmt(s.c1)} {fmt(s.c2)} {fmt(s.p)}")
        if self.closed:
            out.append("Z")
        return " ".join(out)

    def flatten(self, n: int = 10) -> list[Pt]:
        pts = [self.start]
        cur = self.start
        for s in self.segs:
            if s.c1 is None or s.c2 is None:
                pts.append(s.p)
            else:
                for i in range(1, n + 1):
                    pts.append(bez(cur, s.c1, s.c2, s.p, i / n))
            cur = s.p
        return pts


def num(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt(p: Pt) -> str:
    return f"{num(p[0])} {num(p[1])}"


def bez(p0: Pt, p1: Pt, p2: Pt, p3: Pt, t: float) -> Pt:
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (
        a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
    )


def _cr(p0: Pt, p1: Pt, p2: Pt, p3: Pt) -> tuple[Pt, Pt]:
    """Bézier control points of the centripetal Catmull-Rom segment p1 -> p2."""

    def knot(a: Pt, b: Pt) -> float:
        return max(math.sqrt(math.hypot(b[0] - a[0], b[1] - a[1])), 1e-6)

    t01, t12, t23 = knot(p0, p1), knot(p1, p2), knot(p2, p3)
    m1 = [
        (p2[i] - p1[i]) + t12 * ((p1[i] - p0[i]) / t01 - (p2[i] - p0[i]) / (t01 + t12))
        for i in (0, 1)
    ]
    m2 = [
        (p2[i] - p1[i]) + t12 * ((p3[i] - p2[i]) / t23 - (p3[i] - p1[i]) / (t12 + t23))
        for i in (0, 1)
    ]
    return (p1[0] + m1[0] / 3, p1[1] + m1[1] / 3), (p2[0] - m2[0] / 3, p2[1] - m2[1] / 3)


def _reflect(a: Pt, b: Pt) -> Pt:
    return (2 * a[0] - b[0], 2 * a[1] - b[1])


def open_segs(pts: Sequence[Pt], pre: Pt | None = None, post: Pt | None = None) -> list[Seg]:
    """Smooth segments through ``pts``; ``pre``/``post`` are ghost neighbours for end tangents."""
    if len(pts) == 2 and pre is None and post is None:
        return [Seg(pts[1])]
    chain = [pre or _reflect(pts[0], pts[1]), *pts, post or _reflect(pts[-1], pts[-2])]
    segs = []
    for i in range(1, len(chain) - 2):
        c1, c2 = _cr(chain[i - 1], chain[i], chain[i + 1], chain[i + 2])
        segs.append(Seg(chain[i + 1], c1, c2))
    return segs


def closed_smooth(pts: Sequence[Pt]) -> Curve:
    """A smooth closed curve through ``pts`` (no corners)."""
    n = len(pts)
    segs = []
    for i in range(n):
        c1, c2 = _cr(pts[i - 1], pts[i], pts[(i + 1) % n], pts[(i + 2) % n])
        segs.append(Seg(pts[(i + 1) % n], c1, c2))
    return Curve(pts[0], segs)


def closed_nodes(nodes: Sequence[tuple[float, ...]]) -> Curve:
    """Closed curve through nodes ``(x, y)`` or ``(x, y, 1)``; the latter are sharp corners."""
    corners = [i for i, nd in enumerate(nodes) if len(nd) > 2 and nd[2]]
    pts = [(nd[0], nd[1]) for nd in nodes]
    if not corners:
        return closed_smooth(pts)
    k = corners[0]
    pts = pts[k:] + pts[:k]
    cs = [*sorted((c - k) % len(pts) for c in corners), len(pts)]
    segs: list[Seg] = []
    for a, b in pairwise(cs):
        chain = pts[a : b + 1] if b < len(pts) else [*pts[a:], pts[0]]
        segs.extend(open_segs(chain))
    return Curve(pts[0], segs)


def open_path(pts: Sequence[Pt], pre: Pt | None = None, post: Pt | None = None) -> Curve:
    return Curve(pts[0], open_segs(pts, pre, post), closed=False)


def ellipse(cx: float, cy: float, rx: float, ry: float, rot: float = 0.0, n: int = 8) -> Curve:
    ca, sa = math.cos(math.radians(rot)), math.sin(math.radians(rot))
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        x, y = rx * math.cos(a), ry * math.sin(a)
        pts.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return closed_smooth(pts)


@dataclass(frozen=True)
class Edge:
    """A border between regions: a smooth open curve, shared exactly by every region using it."""

    pts: tuple[Pt, ...]
    pre: Pt | None = None
    post: Pt | None = None

    def rev(self) -> Edge:
        return Edge(tuple(reversed(self.pts)), self.post, self.pre)

    def segs(self) -> list[Seg]:
        return open_segs(self.pts, self.pre, self.post)

    @property
    def a(self) -> Pt:
        return self.pts[0]

    @property
    def b(self) -> Pt:
        return self.pts[-1]


def E(*pts: Pt, pre: Pt | None = None, post: Pt | None = None) -> Edge:
    return Edge(tuple(pts), pre, post)


def ring(*edges: Edge) -> Curve:
    """A closed region outline from edges that join end to start (corners at the joins)."""
    segs: list[Seg] = []
    for e1, e2 in zip(edges, [*edges[1:], edges[0]], strict=True):
        if math.dist(e1.b, e2.a) > 0.05:
            raise ValueError(f"edges do not join: {e1.b} -> {e2.a}")
        segs.extend(e1.segs())
    segs[-1] = Seg(edges[0].a, segs[-1].c1, segs[-1].c2)
    return Curve(edges[0].a, segs)


# ----------------------------------------------------------------------------- polygons


def point_in_poly(p: Pt, poly: Sequence[Pt]) -> bool:
    x, y = p
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def seg_dist(p: Pt, a: Pt, b: Pt) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    sq = dx * dx + dy * dy
    t = 0.0 if sq == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / sq))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def poly_dist(p: Pt, poly: Sequence[Pt]) -> float:
    return min(seg_dist(p, poly[i - 1], poly[i]) for i in range(len(poly)))


def resample(pts: Sequence[Pt], n: int) -> list[Pt]:
    """n points evenly spaced by arc length along a polyline."""
    if len(pts) == 1:
        return [pts[0]] * n
    lens = [0.0]
    for a, b in pairwise(pts):
        lens.append(lens[-1] + math.dist(a, b))
    total = lens[-1]
    out = []
    for k in range(n):
        s = total * (k / (n - 1) if n > 1 else 0.5)
        i = 1
        while i < len(lens) - 1 and lens[i] < s:
            i += 1
        seg = lens[i] - lens[i - 1] or 1.0
        t = (s - lens[i - 1]) / seg
        a, b = pts[i - 1], pts[i]
        out.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return out


def dense(pts: Sequence[Pt], step: float = 2.0) -> list[Pt]:
    """A smooth polyline through pts, sampled about every ``step`` px."""
    flat = open_path(pts).flatten(12)
    total = sum(math.dist(a, b) for a, b in pairwise(flat))
    return resample(flat, max(2, int(total / step) + 1))


class Outline:
    """A silhouette outline, used to run region borders parallel to the skin."""

    def __init__(self, path: Curve) -> None:
        flat = path.flatten(16)[:-1]
        total = sum(math.dist(flat[i - 1], flat[i]) for i in range(len(flat)))
        self.poly = resample([*flat, flat[0]], int(total))[:-1]
        area = sum(
            a[0] * b[1] - b[0] * a[1]
            for a, b in zip(self.poly, [*self.poly[1:], self.poly[0]], strict=True)
        )
        self.sign = 1.0 if area > 0 else -1.0

    def _nearest(self, p: Pt) -> int:
        return min(range(len(self.poly)), key=lambda i: math.dist(self.poly[i], p))

    def _inset(self, i: int, inset: float) -> Pt:
        n = len(self.poly)
        a, b = self.poly[(i - 3) % n], self.poly[(i + 3) % n]
        tx, ty = b[0] - a[0], b[1] - a[1]
        norm = math.hypot(tx, ty) or 1.0
        # inward normal for the outline's orientation (screen coordinates)
        nx, ny = -ty / norm * self.sign, tx / norm * self.sign
        p = self.poly[i]
        return (p[0] + nx * inset, p[1] + ny * inset)

    def at(self, p: Pt, inset: float = 1.5) -> Pt:
        return self._inset(self._nearest(p), inset)

    def edge(self, a: Pt, b: Pt, inset: float = 1.5, step: float = 9.0) -> Edge:
        """The skin between the points nearest a and b (shorter way round), moved inward."""
        n = len(self.poly)
        ia, ib = self._nearest(a), self._nearest(b)
        fwd = (ib - ia) % n
        idx = (
            [(ia + k) % n for k in range(fwd + 1)]
            if fwd <= n - fwd
            else [(ia - k) % n for k in range(n - fwd + 1)]
        )
        count = max(2, int(len(idx) / step) + 1)
        picks = [idx[round(k * (len(idx) - 1) / (count - 1))] for k in range(count)]
        pts = [self._inset(i, inset) for i in picks]
        d = 1 if fwd <= n - fwd else -1
        pre = self._inset((idx[0] - d * int(step)) % n, inset)
        post = self._inset((idx[-1] + d * int(step)) % n, inset)
        return Edge(tuple(pts), pre, post)


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
            inside.append(point_in_poly(q, poly) and poly_dist(q, poly) >= margin)
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


# Geometry tables below stay in their hand-aligned layout (coordinates read as rows of points).
# fmt: off

# ----------------------------------------------------------------------------- full body outline

# The right half of the figure as seen (x > 250), from the vertex clockwise to the crotch; the
# left half is its mirror image. Third value 1 = a sharp corner (ear roots, armpit, crotch,
# finger clefts). Landmark heights from anatomy-landmarks.md, e.g. chin y = Y(0.13) = 145,
# acromion Y(0.18) = 193, elbow Y(0.37) = 375, wrist Y(0.52) = 519, knee Y(0.73) = 721.
HEAD_NECK = [
    (250, 20), (270, 22.5), (284, 31), (291.5, 44), (294, 60), (293.6, 73),
    (293, 79, 1),                                                  # ear: top of the helix root
    (297.5, 78), (301.2, 82), (302.6, 90), (301.2, 99), (298, 106), (294.5, 110.5),
    (291, 112.5, 1),                                               # ear lobe root
    (289.2, 118.5), (287.3, 125),
    (285.5, 130, 1),                                               # jaw angle meets the neck
    (283.2, 141), (283.6, 150),
    (288, 158), (298, 166), (314, 173), (332, 179), (348, 184.2),  # trapezius ridge
    (360, 188.4), (369.5, 194), (376.4, 204), (380.2, 218),        # shoulder cap (deltoid)
    (382, 236), (382.4, 258), (383, 285), (385.5, 318), (389, 350), (392, 372),
    (396, 393), (399.2, 420), (401.6, 455), (403.4, 488),
]
ARM_INNER = [
    (375.2, 496), (370.5, 472), (364.5, 446), (357.6, 420), (350.8, 398), (346.4, 377),
    (343.2, 350), (340.4, 315), (338.8, 284), (338.2, 258),
    (337.4, 244, 1),                                               # armpit
]
TORSO_LEG = [
    (336, 258), (335.5, 280), (334, 305), (331, 335), (327.6, 362), (326.6, 385),
    (328.6, 405), (333, 425), (339, 448), (344, 468), (346.2, 486), (346, 510), (345, 535),
    (343.2, 570), (340.4, 610), (335.5, 650), (330, 685), (326, 706), (324.6, 724),
    (326.6, 745), (330.6, 768), (331, 790), (327.6, 822), (321.6, 860), (316.6, 898),
    (314.2, 924),
]
FOOT_FRONT = [
    (316.8, 936), (317.3, 945), (320.4, 955), (325, 963), (328.4, 969.5), (328.6, 973.6),
    (326.4, 976.4), (323.6, 975.6, 1), (320.6, 978.6), (317.2, 977.6, 1), (313.3, 980),
    (309.2, 979.2, 1), (305, 981.1), (300, 980.3, 1), (294, 981.6), (286.5, 982),
    (280.6, 980.4), (277, 975.4), (275.2, 966), (273.4, 955), (271.8, 944),
]
FOOT_BACK = [
    (316.8, 936), (317.4, 946), (318.4, 958), (317.4, 968), (312.8, 976), (303.5, 980.4),
    (292, 981), (282, 979), (275.8, 972), (272.8, 961), (271.8, 944),
]
LEG_INNER = [
    (271, 930), (271.6, 905), (268.6, 870), (264.6, 832), (261.6, 797), (262, 767),
    (265.6, 744), (267, 724), (265.2, 702), (261.6, 665), (257.6, 620), (254.6, 580),
    (252.3, 552),
    (250, 534, 1),                                                 # crotch
]


def _hand_nodes() -> list[tuple[float, ...]]:
    """The hand in its own frame: a = across the hand (+ = thumb side, lateral because the palm
    faces forward), b = down the hand from the wrist. Finger clefts are corners."""
    nodes: list[tuple[float, ...]] = [
        (14.5, 0), (17.5, 9), (22.5, 19), (27.6, 31), (31.2, 42.5), (32.8, 51.5), (31.4, 57.6),
        (27.8, 59.4), (24.6, 55), (22.2, 47.5), (20.4, 41, 1),      # thumb and its web
        (19.8, 50), (20, 63),
    ]
    fingers = [(14.9, 89.5, 4.7), (5.2, 97.5, 4.8), (-4.4, 94.5, 4.7), (-13.8, 84.5, 4.5)]
    clefts = [(10.1, 80.5), (0.45, 83.5), (-9.1, 78)]
    for k, (c, tip, w) in enumerate(fingers):
        if k:
            nodes.append((*clefts[k - 1], 1))
            nodes.append((c + w * 0.98, clefts[k - 1][1] + 4))
        else:
            nodes.append((c + w, tip - w - 9))
        nodes += [(c + w * 0.93, tip - w * 0.9), (c + w * 0.55, tip - w * 0.18), (c, tip),
                  (c - w * 0.55, tip - w * 0.18), (c - w * 0.93, tip - w * 0.9)]
        if k < 3:
            nodes.append((c - w * 0.98, clefts[k][1] + 4))
    nodes += [(-18.6, 72), (-19.8, 60), (-19.4, 45), (-18, 28), (-16, 12), (-14.5, 0)]
    return nodes


HAND = _hand_nodes()
WRIST = (390.0, 515.0)
HAND_TIP = (398.0, 612.0)


def hand_frame() -> tuple[Pt, Pt]:
    dx, dy = HAND_TIP[0] - WRIST[0], HAND_TIP[1] - WRIST[1]
    length = math.hypot(dx, dy)
    d = (dx / length, dy / length)
    u = (d[1], -d[0])
    return u, d


def hand_pt(a: float, b: float) -> Pt:
    u, d = hand_frame()
    return (WRIST[0] + a * u[0] + b * d[0], WRIST[1] + a * u[1] + b * d[1])


def body_outline(view: str) -> Curve:
    hand = [(*hand_pt(n[0], n[1]), *n[2:]) for n in HAND]
    foot = FOOT_FRONT if view == "anterior" else FOOT_BACK
    right = [*HEAD_NECK, *hand, *ARM_INNER, *TORSO_LEG, *foot, *LEG_INNER]
    left = [(500 - n[0], n[1], *n[2:]) for n in reversed(right[1:-1])]
    return closed_nodes(right + left)


# ----------------------------------------------------------------------------- posterior view

Fib = tuple[Sequence[Pt], Sequence[Pt], int, Sequence[Pt] | None]


def add_pair(view: View, code: str, shape: Curve, right_is_patient: str,
             fibre_specs: Iterable[Fib] = (), width: float = 500) -> None:
    """Add the region drawn on the viewer's right and its mirror image (the other side)."""
    layer = MUSCLES[code][1]
    other = "left" if right_is_patient == "right" else "right"
    for side, path in ((right_is_patient, shape), (other, shape.mirrored(width))):
        view.regions.append(Region(code, side, layer, path))
    for a, b, n, ctrl in fibre_specs:
        for f in fibres(shape, a, b, n, ctrl):
            view.line(f, style=FIBRE_STYLE, mirror=True, width=width)


def build_posterior() -> View:
    v = View("posterior")
    body = body_outline("posterior")
    v.silhouette.append(body)
    sk = Outline(body)
    side = "right"  # posterior view: the viewer's right is the patient's right

    # --- landmarks (viewer's right half)
    occ = (250.0, 104.0)            # external occipital protuberance / superior nuchal line
    c7b = (250.0, 162.0)            # just below C7 (Y(0.14) = 154)
    t4 = (250.0, 240.0)
    t12 = (250.0, 356.0)            # Y(0.35)
    root = (288.0, 223.0)           # root of the scapular spine, T3 level (Y(0.21) = 222)
    sp_mid = (331.0, 205.0)         # where the deltoid's origin starts on the scapular spine
    ia = (299.5, 294.0)             # inferior angle, T7 (Y(0.29) = 298)
    tn_top, tn_split = (262.0, 106.0), (264.5, 127.0)
    n0 = sk.at((286.0, 157.5))      # where the neck meets the trapezius ridge
    acr = sk.at((361.0, 188.6))     # acromion: upper trapezius, middle trapezius, deltoid meet

    # --- trapezius (kite: occiput and C7-T12 -> clavicle, acromion, scapular spine)
    e_nuchal = E(occ, tn_top)
    e_tn1 = E(tn_top, (263.0, 117.0), tn_split, post=(267.0, 142.0))
    e_tn2 = E(tn_split, (267.0, 142.0), (273.5, 151.5), n0, pre=(263.0, 117.0))
    e_ut_top = sk.edge(n0, acr)
    e_ut_mt = E(acr, (350.0, 193.6), (330.0, 193.2), (308.0, 189.0), (288.0, 183.0),
                (268.0, 174.0), c7b)
    e_spine_med = E(root, (300.0, 217.5), (315.0, 211.5), sp_mid, post=(345.0, 198.5))
    e_spine_lat = E(sp_mid, (345.0, 198.5), acr, pre=(315.0, 211.5))
    e_mt_lt = E(root, (269.0, 231.5), t4)
    lt_split, lt_low = (282.0, 254.0), (256.0, 339.0)
    e_lt1 = E(root, (285.6, 238.0), lt_split, post=(276.0, 276.0))
    e_lt2 = E(lt_split, (276.0, 276.0), (268.5, 300.0), (261.5, 322.0), lt_low,
              pre=(285.6, 238.0), post=t12)
    e_lt3 = E(lt_low, t12, pre=(261.5, 322.0))
    ut = ring(e_nuchal, e_tn1, e_tn2, e_ut_top, e_ut_mt, E(c7b, occ))
    mt = ring(e_ut_mt.rev(), e_spine_lat.rev(), e_spine_med.rev(), e_mt_lt, E(t4, c7b))
    lt = ring(e_mt_lt.rev(), e_lt1, e_lt2, e_lt3, E(t12, t4))

    # --- splenius capitis and levator scapulae: the side of the neck beside the trapezius
    spl_tl = (285.4, 115.5)
    lev_tl = sk.at((283.4, 135.0))
    e_spl_top = E(tn_top, (272.0, 107.5), (280.5, 110.5), spl_tl)
    e_spl_lat = E(spl_tl, (285.2, 121.5), (283.8, 128.5), lev_tl)
    e_spl_lev = E(tn_split, (273.5, 130.5), lev_tl)
    spl = ring(e_spl_top, e_spl_lat, e_spl_lev.rev(), e_tn1.rev())
    lev = ring(e_spl_lev, sk.edge(lev_tl, n0), e_tn2.rev())

    # --- infraspinatus and deltoid
    d_end = sk.at((382.6, 268.0))
    td = (378.6, 277.5)                       # deltoid tuberosity, halfway down the humerus
    dp_mid = (343.0, 234.0)
    e_dp1 = E(td, (367.0, 262.5), (355.0, 247.5), dp_mid, post=(336.0, 220.0))
    e_dp2 = E(dp_mid, (336.0, 220.0), sp_mid, pre=(355.0, 247.5))
    delt = ring(sk.edge(acr, d_end), E(d_end, td), e_dp1, e_dp2, e_spine_lat)
    is_low = (296.5, 281.0)
    e_is_low = E(dp_mid, (331.0, 251.5), (316.5, 268.5), (303.0, 280.5), is_low)
    e_is_med = E(is_low, (293.2, 262.0), (290.8, 240.0), root)
    infra = ring(e_spine_med, e_dp2.rev(), e_is_low, e_is_med)

    # --- paraspinals, latissimus dorsi
    tpl = (289.0, 300.0)
    tp_bm, tp_bl = (256.0, 361.0), (290.0, 361.0)   # T12/L1 boundary
    e_tp_a = E(lt_split, (286.2, 277.0), tpl, post=(290.0, 330.0))
    e_tp_b = E(tpl, (290.0, 330.0), tp_bl, pre=(286.2, 277.0))
    e_tl = E(tp_bm, tp_bl)
    tpara = ring(e_tp_a, e_tp_b, e_tl.rev(), E(tp_bm, lt_low), e_lt2.rev())
    lp_crest, psis = (288.0, 433.0), (279.0, 450.0)
    e_lp_lat = E(tp_bl, (292.6, 386.0), (292.6, 410.0), lp_crest, pre=(290.0, 330.0))
    e_lp_low_a = E(lp_crest, psis, post=(268.0, 461.5))
    e_lp_low_b = E(psis, (268.0, 461.5), (256.0, 468.0), pre=lp_crest)
    lpara = ring(e_tl, e_lp_lat, e_lp_low_a, e_lp_low_b, E((256.0, 468.0), tp_bm))
    lat_ax = sk.at((336.0, 252.0))
    lat_crest = sk.at((331.5, 418.0))
    crest_top = (303.0, 410.0)
    e_lat_top = E(tpl, (302.0, 293.5), (317.0, 283.0), (328.5, 268.5), lat_ax)
    e_crest_a = E(crest_top, (318.0, 411.0), lat_crest, pre=(296.0, 419.5))
    e_lat_med = E(tp_bl, (296.0, 384.0), crest_top, pre=(290.0, 330.0))
    lat = ring(e_lat_top, sk.edge(lat_ax, lat_crest), e_crest_a.rev(), e_lat_med.rev(),
               e_tp_b.rev())

    # --- gluteal muscles
    e_crest_b = E(lp_crest, (296.0, 419.5), crest_top, post=(318.0, 411.0))
    gm_troch = sk.at((345.5, 488.0))
    e_gmax_top = E(psis, (295.0, 452.0), (312.0, 461.5), (329.0, 474.0), gm_troch)
    gmed = ring(e_crest_b, e_crest_a, sk.edge(lat_crest, gm_troch), e_gmax_top.rev(),
                e_lp_low_a.rev())
    gf_lat = sk.at((344.5, 522.0))
    gf1, gf2, cleft = (334.0, 533.0), (262.0, 535.0), (253.4, 524.0)
    e_gf_mid = E(gf1, (318.0, 540.5), (298.0, 543.5), (278.0, 540.5), gf2, pre=gf_lat,
                 post=cleft)
    gmax = ring(e_gmax_top, sk.edge(gm_troch, gf_lat), E(gf_lat, gf1, post=(318.0, 540.5)),
                e_gf_mid, E(gf2, cleft, pre=(278.0, 540.5)),
                E(cleft, (253.6, 512.0), (256.0, 500.0), (261.0, 487.0), (267.5, 473.0),
                  (273.5, 461.0), psis))

    # --- thigh and calf
    ham_l, ham_m = (314.5, 706.0), (277.5, 707.0)
    ham = ring(E(gf1, (334.5, 560.0), (331.5, 600.0), (326.5, 640.0), (320.5, 675.0), ham_l),
               E(ham_l, (306.0, 699.0), (296.0, 689.0), (286.0, 699.5), ham_m),
               E(ham_m, (271.0, 682.0), (266.5, 645.0), (263.5, 605.0), (262.0, 570.0),
                 (261.6, 550.0), gf2),
               e_gf_mid.rev())
    ga_l, ga_m = sk.at((325.2, 738.0)), sk.at((266.2, 738.0))
    gs_l, gs_m = sk.at((327.5, 795.0)), sk.at((262.2, 805.0))
    notch = (296.4, 829.0)                  # between the lateral and medial heads
    e_gs1 = E(gs_l, (321.0, 812.0), (313.5, 826.0), (305.5, 834.0), (299.6, 834.6), notch)
    e_gs2 = E(notch, (293.2, 839.0), (287.6, 848.6), (279.6, 850.0), (271.4, 839.0),
              (266.0, 822.0), gs_m)
    gast = ring(E(ga_m, (276.0, 733.0), (286.0, 739.0), (296.0, 746.5), (306.0, 739.0),
                  (316.0, 733.0), ga_l),
                sk.edge(ga_l, gs_l), e_gs1, e_gs2, sk.edge(gs_m, ga_m))
    so_l, so_m = sk.at((318.4, 880.0)), sk.at((268.3, 872.0))
    sol = ring(sk.edge(gs_l, so_l),
               E(so_l, (311.5, 897.0), (302.5, 909.0), (294.0, 911.0), (286.0, 905.0),
                 (277.5, 891.0), so_m),
               sk.edge(so_m, gs_m), e_gs2.rev(), e_gs1.rev())

    # --- forearm extensors: back of the forearm from the lateral epicondyle
    fe_tl, fe_bl = sk.at((392.5, 378.0)), sk.at((403.3, 492.0))
    fext = ring(sk.edge(fe_tl, fe_bl), E(fe_bl, (392.0, 497.0), (382.0, 495.0)),
                E((382.0, 495.0), (374.5, 470.0), (369.5, 440.0), (368.5, 410.0),
                  (371.0, 391.0), (378.0, 381.5), fe_tl))

    # --- deep layer
    subocc = closed_smooth([(254.5, 107.5), (265.0, 108.5), (275.0, 112.0), (279.0, 119.0),
                            (274.0, 125.5), (263.0, 128.0), (254.5, 126.5)])
    # Deep regions that touch keep a 1.5 px gap so each dashed outline stays readable.
    # Rhomboids: spinous processes C7-T5 -> medial border of the scapula (root to inferior angle).
    rhomb = ring(E((254.0, 157.0), (266.0, 172.0), (278.0, 192.0), (287.6, 220.5)),
                 E((287.6, 220.5), (290.5, 240.0), (293.0, 262.0), (296.0, 282.0), ia),
                 E(ia, (276.0, 279.0), (254.0, 265.5)), E((254.0, 265.5), (254.0, 157.0)))
    # Serratus posterior superior (C7-T3 -> ribs 2-5) lies under the rhomboids; it is picked where
    # it is needled, over ribs 2-5 just beneath the upper medial border of the scapula.
    sps = closed_smooth([(292.4, 226.5), (302.0, 220.8), (311.0, 223.0), (313.0, 236.0),
                         (309.5, 252.0), (302.5, 265.0), (297.0, 268.0), (294.6, 255.0),
                         (292.4, 240.0)])
    supra = ring(E((288.8, 199.4), (300.0, 194.0), (318.0, 191.2), (336.0, 192.2), (350.5, 195.5)),
                 E((350.5, 195.5), (338.0, 201.5), (321.0, 208.0), (305.0, 214.4), (290.0, 221.0)),
                 E((290.0, 221.0), (289.4, 210.5), (288.8, 199.4)))
    ql = closed_smooth([(287.0, 358.0), (301.0, 356.5), (315.0, 361.0), (320.5, 376.0),
                        (320.5, 395.0), (316.0, 409.0), (303.0, 413.5), (290.0, 414.0),
                        (285.0, 400.0), (284.0, 380.0), (285.0, 366.0)])
    gmin = ring(E((338.6, 473.2), (339.0, 460.0), (337.4, 445.0), (332.5, 431.0), (322.0, 424.0),
                  (308.0, 427.5), (298.5, 438.0), (294.5, 452.0), (296.0, 467.8)),
                E((296.0, 467.8), (315.0, 468.8), (330.0, 471.0), (338.6, 473.2)))
    pir = closed_nodes([(261.0, 473.0), (279.0, 471.2), (296.0, 470.2), (315.0, 471.0),
                        (330.0, 473.4), (339.6, 476.0), (341.6, 480.2), (338.6, 484.6),
                        (325.0, 485.6), (308.0, 486.6), (290.0, 488.2), (272.0, 490.2),
                        (262.0, 489.8), (258.8, 481.0)])

    f: dict[str, list[Fib]] = {
        "trapezius_upper": [([(251, 100), (251, 160)], [(290, 170), (362, 193)], 11,
                             [(259, 135), (268, 186)])],
        "trapezius_middle": [([(250, 164), (250, 238)], [(362, 192), (289, 224)], 9, None)],
        "trapezius_lower": [([(250, 243), (250, 354)], [(287, 221), (291, 226)], 9, None)],
        "splenius_capitis": [([(246, 150), (250, 126)], [(281, 109), (290, 122)], 6, None)],
        "levator_scapulae": [([(266, 124), (284, 132)], [(272, 162), (288, 164)], 4, None)],
        "deltoid": [([(330, 205), (346, 198), (362, 189), (379, 205)],
                     [(378, 277), (379.5, 278)], 10, None)],
        "infraspinatus": [([(289, 226), (292, 255), (298, 290)], [(352, 214), (354, 226)], 8,
                           None)],
        "latissimus_dorsi": [([(289, 302), (290, 361), (303, 411), (331, 418)],
                              [(335, 251), (338, 257)], 12, [(300, 300), (322, 365)])],
        "thoracic_paraspinals": [([(262, 248), (292, 248)], [(254, 366), (292, 366)], 6, None)],
        "lumbar_paraspinals": [([(255, 356), (293, 356)], [(253, 472), (285, 440)], 6, None)],
        "gluteus_medius": [([(288, 432), (303, 409), (333, 418)], [(344, 487), (346, 489)], 9,
                            None)],
        "gluteus_maximus": [([(280, 447), (262, 488), (253, 525)],
                             [(346, 486), (342, 528)], 12, None)],
        "hamstrings": [([(262, 530), (336, 530)], [(279, 710), (314, 710)], 8, None)],
        "gastrocnemius": [([(268, 736), (326, 736)], [(289, 870), (300, 870)], 9,
                           [(262, 800), (330, 800)])],
        "soleus": [([(262, 790), (330, 790)], [(291, 918), (301, 918)], 10, None)],
        "forearm_extensors": [([(369, 392), (392, 377)], [(383, 500), (403, 494)], 6, None)],
    }
    for code, shape in (("splenius_capitis", spl), ("levator_scapulae", lev),
                        ("trapezius_upper", ut), ("trapezius_middle", mt),
                        ("trapezius_lower", lt), ("infraspinatus", infra), ("deltoid", delt),
                        ("latissimus_dorsi", lat), ("thoracic_paraspinals", tpara),
                        ("lumbar_paraspinals", lpara), ("gluteus_maximus", gmax),
                        ("gluteus_medius", gmed), ("hamstrings", ham),
                        ("gastrocnemius", gast), ("soleus", sol), ("forearm_extensors", fext),
                        ("suboccipitals", subocc), ("rhomboids", rhomb),
                        ("serratus_posterior_superior", sps), ("supraspinatus", supra),
                        ("quadratus_lumborum", ql), ("gluteus_minimus", gmin),
                        ("piriformis", pir)):
        add_pair(v, code, shape, side, f.get(code, ()))
    details_posterior(v)
    return v



# ----------------------------------------------------------------------------- anterior view


def _serratus_nodes(skin: Sequence[Pt]) -> list[tuple[float, ...]]:
    """Serratus anterior: the skin side, then the slips (digitations) pointing forward and
    down, one per rib, from the lowest back up to the armpit. Clefts are corners."""
    tips = [(310.0, 285.0), (307.5, 298.5), (307.5, 312.0), (309.5, 325.5), (314.0, 337.5)]
    dx, dy = -1.0, 0.45                      # a slip points medially and a little down
    length = math.hypot(dx, dy)
    d = (dx / length, dy / length)
    up = (-abs(d[1]), -abs(d[0]))            # across the slip, towards the armpit
    h = 4.3
    nodes: list[tuple[float, ...]] = [(*skin[0], 1), *skin[1:-1], (*skin[-1], 1)]
    tail: list[tuple[float, ...]] = []
    for k, (tx, ty) in enumerate(tips):
        def at(along: float, across: float, tx: float = tx, ty: float = ty) -> Pt:
            return (tx + d[0] * along + up[0] * across, ty + d[1] * along + up[1] * across)

        slip = [at(-9.0, h), at(-2.4, h * 0.92), at(0.0, h * 0.35), at(0.3, -h * 0.3),
                at(-2.0, -h * 0.95), at(-9.0, -h)]
        if k:
            prev = tail[-1]
            cleft = ((prev[0] + slip[0][0]) / 2 + 3.2, (prev[1] + slip[0][1]) / 2)
            tail.append((*cleft, 1))
        tail += slip
    tail.insert(0, (skin[0][0] - 12.0, skin[0][1] + 11.0))
    return nodes + list(reversed(tail))


def build_anterior() -> View:
    v = View("anterior")
    body = body_outline("anterior")
    v.silhouette.append(body)
    sk = Outline(body)
    side = "left"  # anterior view: the viewer's right is the patient's LEFT

    # --- sternocleidomastoid: mastoid (behind the ear lobe) -> manubrium and medial clavicle
    scm_tm, scm_tl = (268.5, 143.0), (282.0, 136.0)
    scm_bl, scm_bm = (278.0, 189.0), (254.0, 190.0)
    scm_mid = (281.6, 147.0)
    e_scm_lat2 = E(scm_mid, (280.6, 165.0), scm_bl, pre=scm_tl)
    scm = ring(E(scm_tm, (276.0, 140.0), scm_tl),
               E(scm_tl, scm_mid, post=(280.6, 165.0)), e_scm_lat2,
               E(scm_bl, (266.0, 191.6), scm_bm),
               E(scm_bm, (256.0, 174.0), (261.0, 158.0), scm_tm))
    # --- scalenes: posterior triangle above the clavicle, lateral to the SCM
    sca = ring(e_scm_lat2, E(scm_bl, (292.0, 188.0), (306.0, 186.4), (318.0, 184.4)),
               E((318.0, 184.4), (305.0, 176.5), (294.0, 168.0), (286.0, 157.5), scm_mid))

    # --- deltoid and pectoralis major, meeting at the deltopectoral groove
    clav_l = (326.0, 188.0)                 # lateral third of the clavicle begins
    j_a = sk.at((362.0, 189.6))
    d_end = sk.at((382.4, 266.0))
    td = (378.2, 277.0)
    dpg = (350.0, 224.0)
    e_dpg1 = E(td, (369.0, 262.0), (359.0, 243.0), dpg, post=(340.0, 205.0))
    e_dpg2 = E(dpg, (340.0, 205.0), (331.0, 193.5), clav_l, pre=(359.0, 243.0))
    delt = ring(E(clav_l, (342.0, 189.2), (354.0, 191.0), j_a), sk.edge(j_a, d_end),
                E(d_end, td), e_dpg1, e_dpg2)
    ax = (334.6, 239.0)
    pec = ring(E((256.0, 193.0), (272.0, 193.6), (292.0, 192.2), (310.0, 190.2), clav_l),
               e_dpg2.rev(), E(dpg, (349.0, 230.0), (342.0, 234.5), ax),
               E(ax, (329.0, 254.0), (318.0, 270.0), (303.0, 284.0), (286.0, 293.5),
                 (270.0, 296.8), (256.0, 295.0)),
               E((256.0, 295.0), (256.0, 193.0)))

    # --- serratus anterior: digitations on the side of the chest below the armpit
    sa_top, sa_bot = sk.at((336.0, 263.0)), sk.at((330.6, 340.0))
    serr = closed_nodes(_serratus_nodes(sk.edge(sa_top, sa_bot).pts))

    # --- hip and thigh
    tfl = closed_nodes([(322.0, 457.5, 1), (330.0, 459.0), (337.0, 470.0), (340.0, 490.0),
                        (340.2, 512.0), (338.8, 531.0), (336.0, 540.0, 1), (332.5, 530.0),
                        (327.5, 510.0), (321.5, 488.0), (318.2, 470.0)])
    va_top, va_bot = sk.at((344.5, 549.0), 2.0), sk.at((325.6, 704.0), 2.0)
    vl = ring(sk.edge(va_top, va_bot, 2.0),
              E(va_bot, (317.0, 714.5), (310.0, 716.0)),
              E((310.0, 716.0), (307.0, 695.0), (308.0, 660.0), (312.0, 620.0), (318.5, 585.0),
                (327.0, 561.0), (335.0, 550.5), va_top))
    ta = closed_nodes([(296.0, 750.0, 1), (305.0, 745.8), (314.0, 751.0), (317.4, 770.0),
                       (316.0, 800.0), (311.6, 840.0), (305.6, 875.0), (300.0, 899.0),
                       (296.6, 904.0, 1), (294.6, 895.0), (295.0, 860.0), (296.0, 820.0),
                       (296.0, 780.0)])
    # --- deep: iliopsoas in the groin, below the inguinal ligament
    ilio = closed_smooth([(314.5, 464.5), (303.0, 471.5), (293.0, 479.5), (287.5, 487.0),
                          (287.5, 498.0), (291.0, 513.0), (296.0, 527.0), (301.5, 529.0),
                          (305.5, 517.0), (310.0, 498.0), (314.0, 480.0)])

    f: dict[str, list[Fib]] = {
        "sternocleidomastoid": [([(268, 142), (284, 135)], [(253, 192), (280, 191)], 5, None)],
        "scalenes": [([(279, 143), (287, 150)], [(279, 190), (319, 186)], 6, None)],
        "deltoid": [([(325, 188), (345, 189), (362, 190), (379, 205)], [(377, 278), (379, 279)],
                     10, None)],
        "pectoralis_major": [([(327, 187), (290, 192), (255, 193), (255, 260), (262, 297),
                               (285, 295)], [(352, 220), (346, 233), (339, 240)], 16, None)],
        "serratus_anterior": [([(306, 287), (307, 335)], [(338, 262), (334, 318)], 7, None)],
        "tensor_fasciae_latae": [([(319, 457), (333, 458)], [(335, 542), (340, 542)], 4, None)],
        "vastus_lateralis": [([(344, 548), (336, 640), (327, 700)],
                              [(322, 585), (308, 660), (306, 720)], 9, None)],
        "tibialis_anterior": [([(297, 748), (315, 748)], [(296, 906), (300, 906)], 4, None)],
    }
    for code, shape in (("sternocleidomastoid", scm), ("scalenes", sca), ("deltoid", delt),
                        ("pectoralis_major", pec), ("serratus_anterior", serr),
                        ("tensor_fasciae_latae", tfl), ("vastus_lateralis", vl),
                        ("tibialis_anterior", ta), ("iliopsoas", ilio)):
        add_pair(v, code, shape, side, f.get(code, ()))
    details_anterior(v)
    return v



# ----------------------------------------------------------------------------- lateral view

# Right lateral head, neck and top of the shoulder, face to the viewer's right, 1600 px per
# stature (1.67x the full-body scale): y = 30 + 1600 f. Head height vertex -> chin 0.13 (y 30 ->
# 243), split in the classical thirds below the hairline (hairline 62, brow 114, nose base 178,
# chin 243); the eyes sit half-way down the head (0.06 -> 126..131), the ear between brow and nose
# base, its front at the middle of the skull's depth (glabella 292 -> occiput 113: 0.86 of the head
# height). C7 (0.14) is on the back contour at y 262, the suprasternal notch and the acromion (0.18)
# at y 318 / 312. The neck is about 0.55 of the head's depth front to back and leans forward.
LAT: dict[str, Pt] = {
    "vertex": (196.0, 30.0),
    "glabella": (291.5, 112.0),
    "nasion": (288.6, 123.0),
    "eye": (273.5, 130.5),
    "nose_tip": (310.0, 168.0),
    "subnasale": (294.5, 178.5),
    "stomion": (292.0, 197.6),
    "pogonion": (293.2, 231.0),
    "menton": (282.0, 243.0),
    "throat": (246.5, 256.5),        # cervicomental angle: under the chin meets the neck
    "notch": (259.5, 318.0),         # suprasternal notch
    "occiput": (113.5, 138.0),       # most posterior point of the skull
    "inion": (131.5, 188.5),         # skull base at the back: the occipital curve ends here
    "nape": (144.4, 219.0),          # deepest point of the nape's hollow
    "c7": (137.0, 261.0),
    "ear": (189.0, 146.0),           # centre of the auricle (x 173..207, y 115..178)
    "tragus": (207.5, 152.0),
    "mastoid": (177.0, 188.0),
    "tmj": (211.0, 154.0),
    "gonion": (215.0, 225.0),        # angle of the jaw
    "acromion": (190.0, 312.5),
    "sc_joint": (254.0, 320.0),
}

LATERAL_HEAD = [
    (196, 30), (226, 32.5), (252, 42), (271, 58), (283, 78), (289.5, 97), (291.5, 112),
    (288.6, 123),                                                  # nasion
    (291.2, 134), (297.6, 148), (305, 160), (310, 168), (308.4, 173.6), (301.6, 177.4),
    (294.5, 178.5, 1),                                             # subnasale
    (295.4, 184), (297.4, 191), (294.8, 196),
    (292, 197.6, 1),                                               # lips meet
    (294.8, 201.2), (295.2, 206), (292, 211.5), (289, 216), (291.8, 223.5), (293.2, 231),
    (289.8, 238.6), (282, 243), (270, 246.6), (256, 250.6), (246.5, 256.5), (243.9, 263.5),
    (245.2, 272), (247.6, 282), (250.6, 294), (254.6, 306), (259.5, 318), (267.8, 335),
    (277.2, 354), (284.6, 375),
    (288.5, 398, 1), (98.5, 398, 1),                                 # cut across the chest
    (99.6, 372), (103, 346), (109.5, 321), (119, 298), (129.5, 279), (137, 261),
    (142.2, 240), (144.4, 219), (142, 201), (131.5, 188.5), (123, 175.5), (116.6, 158),
    (113.5, 138), (114.2, 117), (119.5, 95), (129.5, 73.5), (145, 53), (167, 37.5),
]
# Where the shoulder's outline leaves the back of the neck (at C7): the trapezius slope runs from
# here down to the acromion, then the deltoid's cap curves down the front of the arm, which
# narrows below the cap.
LATERAL_SLOPE_START: Pt = (137.0, 261.0)
LATERAL_DELTOID_FRONT = [(205.0, 317.0), (221.0, 322.5), (235.0, 331.0), (244.0, 344.0),
                         (247.0, 359.0), (244.5, 376.0), (238.5, 389.5), (234.0, 398.0)]
LATERAL_DELTOID_BACK = [(150.0, 325.2), (139.0, 337.0), (133.6, 352.0), (134.6, 370.0),
                        (139.4, 386.0), (143.0, 398.0)]


def node_segs(curve: Curve, a: Pt, b: Pt) -> list[Seg]:
    """The segments of a closed curve from its node at ``a`` forward to its node at ``b``."""
    nodes = [curve.start] + [s.p for s in curve.segs]
    i = next(k for k in range(len(curve.segs)) if math.dist(nodes[k], a) < 1e-6)
    out: list[Seg] = []
    while True:
        seg = curve.segs[i % len(curve.segs)]
        out.append(seg)
        if math.dist(seg.p, b) < 1e-6:
            return out
        i += 1


def lateral_shoulder(head: Curve, e_trap3: Edge) -> Curve:
    """The shoulder in front of the trunk: trapezius slope, acromion, deltoid, upper back. Its
    back edge is the trunk's own outline (the same Bézier segments), so no second line shows;
    from the neck to the clavicle it follows the trapezius' anterior border (``e_trap3``)."""
    slope = E(LATERAL_SLOPE_START, (156.0, 270.0), e_trap3.a, post=e_trap3.pts[1])
    front = E(e_trap3.b, *LATERAL_DELTOID_FRONT, pre=e_trap3.pts[-2])
    segs = [*slope.segs(), *e_trap3.segs(), *front.segs(),
            Seg((98.5, 398.0)), *node_segs(head, (98.5, 398.0), LATERAL_SLOPE_START)]
    return Curve(LATERAL_SLOPE_START, segs)


def build_lateral() -> View:
    v = View("lateral")
    head = closed_nodes(LATERAL_HEAD)

    # --- temporalis: fan over the temporal fossa above the ear, from the superior temporal line
    # to the zygomatic arch (its tendon runs under the arch to the coronoid process)
    t_front, t_back = (257.0, 139.0), (146.0, 119.0)
    temp = ring(E(t_front, (261.5, 124.0), (262.4, 108.0), (257.0, 92.0), (246.0, 78.5),
                  (229.0, 68.5), (207.0, 64.0), (185.0, 65.5), (165.0, 72.5), (150.5, 85.0),
                  (143.5, 101.0), t_back),
                E(t_back, (160.0, 113.5), (176.0, 109.0), (192.0, 107.8), (204.0, 111.5),
                  (210.0, 121.0), (212.0, 134.0), (213.5, 144.5), post=(232.0, 142.5)),
                E((213.5, 144.5), (232.0, 142.5), (250.0, 140.6), t_front, pre=(212.0, 134.0)))
    # --- masseter: zygomatic arch -> angle and outer ramus of the mandible
    mass = closed_nodes([(219.0, 153.0, 1), (236.0, 151.4), (254.5, 149.6, 1), (255.8, 168.0),
                         (253.2, 192.0), (249.4, 214.0), (246.2, 233.4, 1), (236.0, 231.6),
                         (227.0, 228.8), (221.2, 224.8), (218.4, 216.0), (217.2, 195.0),
                         (216.8, 175.0), (217.4, 162.0)])

    # --- sternocleidomastoid: mastoid -> manubrium and medial clavicle, a diagonal band
    scm_tb, scm_bb = (167.5, 193.0), (230.5, 317.5)        # back corners: mastoid, clavicle
    p1, p2 = (185.5, 227.0), (205.5, 266.5)                # where the triangle's borders meet it
    e_scm_post1 = E(scm_tb, (175.0, 209.0), p1, post=(196.0, 247.0))
    e_scm_post2 = E(p1, (196.0, 247.0), p2, pre=(175.0, 209.0), post=(218.0, 292.0))
    e_scm_post3 = E(p2, (218.0, 292.0), scm_bb, pre=(196.0, 247.0))
    scm = ring(E(scm_tb, (177.0, 185.8), (187.0, 184.0), (194.5, 187.5)),
               E((194.5, 187.5), (204.0, 205.0), (215.5, 229.0), (229.0, 257.0),
                 (240.5, 283.0), (247.6, 302.0), (253.0, 316.0)),
               E((253.0, 316.0), (242.0, 318.0), scm_bb),
               e_scm_post3.rev(), e_scm_post2.rev(), e_scm_post1.rev())

    # --- the posterior triangle behind it: trapezius border behind, clavicle below
    trap_top, trap_end = (150.5, 194.0), (193.5, 313.4)
    q1, q2 = (158.6, 246.0), (174.8, 285.0)
    e_trap1 = E(trap_top, (153.5, 218.0), q1, post=(166.0, 266.0))
    e_trap2 = E(q1, (166.0, 266.0), q2, pre=(153.5, 218.0), post=(184.0, 300.0))
    e_trap3 = E(q2, (184.0, 300.0), trap_end, pre=(166.0, 266.0))
    e_l1 = E(p1, (171.0, 234.5), q1)
    e_l2 = E(p2, (189.0, 273.5), q2)
    spl = ring(E(trap_top, (159.0, 192.2), scm_tb), e_scm_post1, e_l1, e_trap1.rev())
    lev = ring(e_l1.rev(), e_scm_post2, e_l2, e_trap2.rev())
    sca = ring(e_l2.rev(), e_scm_post3, E(scm_bb, (212.0, 316.2), trap_end), e_trap3.rev())

    f: dict[str, list[Fib]] = {
        # temporalis fibres converge on the coronoid process under the arch
        "temporalis": [([(146, 116), (143, 100), (150, 84), (165, 71), (185, 64), (207, 62),
                         (229, 67), (247, 77), (258, 91), (263, 107), (261, 124)],
                        [(233, 170), (242, 168)], 15, None)],
        "masseter": [([(254, 149), (219, 152)], [(248, 236), (219, 225)], 7, None)],
        "sternocleidomastoid": [([(166, 190), (195, 185)], [(229, 320), (254, 318)], 6, None)],
        # splenius: up and forward from the nuchal ligament to the mastoid
        "splenius_capitis": [([(136, 222), (147, 262)], [(163, 186), (186, 200)], 6, None)],
        # levator scapulae: down and back from the upper cervical transverse processes
        "levator_scapulae": [([(178, 214), (205, 254)], [(146, 252), (166, 296)], 5, None)],
        "scalenes": [([(190, 252), (213, 268)], [(189, 320), (236, 320)], 7, None)],
    }
    for code, shape in (("temporalis", temp), ("masseter", mass),
                        ("sternocleidomastoid", scm), ("scalenes", sca),
                        ("splenius_capitis", spl), ("levator_scapulae", lev)):
        v.regions.append(Region(code, "right", MUSCLES[code][1], shape))
        for a, b, n, ctrl in f.get(code, ()):
            for fib in fibres(shape, a, b, n, ctrl):
                v.line(fib, style=FIBRE_STYLE)
    v.silhouette += [head, lateral_shoulder(head, e_trap3)]
    details_lateral(v, e_trap1, e_trap2)
    return v


# ----------------------------------------------------------------------------- details

VERTEBRAE = {  # spinous processes, posterior view (y px), interpolated from anatomy-landmarks.md
    "C5": 131.0, "C6": 142.0, "C7": 154.4, "T1": 178.0, "T2": 202.4, "T3": 221.6, "T4": 240.8,
    "T5": 260.0, "T6": 279.2, "T7": 298.4, "T8": 310.0, "T9": 321.5, "T10": 333.0, "T11": 344.5,
    "T12": 356.0, "L1": 368.5, "L2": 382.0, "L3": 396.0, "L4": 413.6, "L5": 428.0,
}


def hand_details(v: View) -> None:
    """Finger clefts and knuckle / palm creases (both views show the same outline)."""
    for a, b in ((10.1, 80.5), (0.45, 83.5), (-9.1, 78.0)):
        v.line(open_path([hand_pt(a, b), hand_pt(a + 0.2, b - 9.0)]), style=FAINT_STYLE,
               mirror=True)
    v.line(open_path([hand_pt(20.0, 41.0), hand_pt(12.0, 45.0), hand_pt(4.0, 44.5)]),
           style=FAINT_STYLE, mirror=True)
    v.line(open_path([hand_pt(18.5, 12.0), hand_pt(14.0, 24.0), hand_pt(13.0, 36.0),
                      hand_pt(17.0, 44.0)]), style=FAINT_STYLE, mirror=True)
    v.line(open_path([hand_pt(-2.0, 58.0), hand_pt(-10.0, 60.0), hand_pt(-18.5, 61.0)]),
           style=FAINT_STYLE, mirror=True)


def details_posterior(v: View) -> None:
    fa = FAINT_STYLE
    # head: back of the ears, skull base
    v.line(open_path([(296.0, 81.0), (299.0, 88.0), (299.4, 97.0), (296.4, 105.0)]), mirror=True)
    v.line(open_path([(250.0, 103.0), (264.0, 104.5), (279.0, 108.5), (290.0, 112.0)]),
           style=fa, mirror=True)
    v.line(open_path([(292.0, 74.0), (291.0, 66.0), (287.0, 52.0), (278.0, 38.0), (264.0, 30.0),
                      (250.0, 28.0)]), style=fa, mirror=True)          # hair mass
    for strand in ([(252.0, 30.0), (256.0, 52.0), (258.0, 76.0), (257.0, 96.0)],
                   [(262.0, 31.0), (270.0, 55.0), (274.0, 80.0), (274.0, 99.0)],
                   [(273.0, 36.0), (283.0, 60.0), (287.0, 82.0)]):
        v.line(open_path(strand), style=HAIR_STYLE, mirror=True)
    # spine: spinous processes C5-L5, sacrum, coccyx, natal cleft
    for y in VERTEBRAE.values():
        v.line(ellipse(250.0, y, 2.1, 2.7))
    v.line(open_path([(250.0, 160.0), (250.0, 440.0)]), style=fa)
    v.line(open_path([(272.5, 440.0), (274.0, 452.0), (268.0, 472.0), (260.0, 490.0),
                      (253.0, 503.0), (250.0, 507.0)]), mirror=True)
    v.line(open_path([(228.0, 440.0), (250.0, 436.0), (272.5, 440.0)]), style=fa)
    v.line(ellipse(278.0, 456.0, 2.6, 2.0, 20.0), mirror=True)           # PSIS dimples
    v.line(open_path([(250.0, 507.0), (250.0, 531.0)]))
    # scapula: medial border, inferior angle, lateral border, superior border, spine, acromion
    v.line(open_path([(322.0, 193.0), (305.0, 192.5), (287.0, 198.0), (287.6, 211.0),
                      (288.0, 223.0), (290.5, 240.0), (293.0, 262.0), (296.0, 282.0),
                      (299.5, 294.0), (304.0, 295.0), (314.0, 284.0), (326.0, 264.0),
                      (336.0, 243.0), (342.0, 226.0)]), mirror=True)
    v.line(open_path([(287.0, 225.5), (300.0, 220.0), (318.0, 212.5), (338.0, 204.0),
                      (352.0, 197.0), (364.0, 193.0)]), mirror=True)
    v.line(open_path([(322.0, 193.0), (332.0, 195.5), (340.0, 197.0)]), style=fa, mirror=True)
    # erector spinae column, also where the trapezius covers it (T1-T5)
    v.line(open_path([(256.0, 168.0), (266.0, 178.0), (276.0, 200.0), (281.0, 230.0),
                      (283.0, 256.0)]), style=fa, mirror=True)
    # ribs 11 and 12 under the latissimus, iliac crest
    v.line(open_path([(291.0, 349.0), (305.0, 352.0), (318.0, 359.0), (326.0, 367.0)]),
           style=fa, mirror=True)
    v.line(open_path([(290.0, 336.0), (308.0, 339.0), (324.0, 346.0), (331.0, 353.0)]),
           style=fa, mirror=True)
    v.line(open_path([(279.0, 450.0), (288.0, 433.0), (303.0, 410.0), (318.0, 411.0),
                      (332.0, 418.0), (339.0, 430.0)]), mirror=True)
    # teres major / minor, triceps, elbow, forearm
    v.line(open_path([(300.0, 286.0), (318.0, 272.5), (333.0, 256.0), (342.0, 242.0)]),
           style=fa, mirror=True)
    v.line(open_path([(341.5, 262.0), (346.0, 290.0), (351.0, 318.0), (357.0, 336.0)]),
           style=fa, mirror=True)
    v.line(open_path([(378.0, 282.0), (379.0, 305.0), (376.0, 325.0), (370.0, 338.0)]),
           style=fa, mirror=True)
    v.line(open_path([(352.0, 334.0), (357.0, 346.0), (363.5, 351.0), (370.0, 346.0),
                      (374.0, 333.0)]), style=fa, mirror=True)
    v.line(open_path([(361.0, 368.0), (365.5, 373.0), (371.0, 369.5)]), mirror=True)
    v.line(open_path([(351.0, 383.0), (357.0, 420.0), (366.0, 462.0), (376.0, 497.0)]),
           style=fa, mirror=True)
    hand_details(v)
    for k in range(4):  # knuckles on the back of the hand
        a = 14.9 - 9.6 * k
        v.line(open_path([hand_pt(a + 2.6, 52.0), hand_pt(a, 50.5), hand_pt(a - 2.6, 52.0)]),
               style=fa, mirror=True)
        v.line(open_path([hand_pt(a * 0.55, 14.0), hand_pt(a * 0.92, 44.0)]), style=fa,
               mirror=True)
    # thigh, knee, calf, ankle
    v.line(open_path([(339.0, 540.0), (336.0, 600.0), (329.0, 660.0), (322.0, 712.0)]),
           style=fa, mirror=True)                                       # iliotibial band
    v.line(open_path([(258.0, 548.0), (262.0, 620.0), (267.0, 690.0), (272.0, 718.0)]),
           style=fa, mirror=True)                                       # gracilis / adductors
    v.line(open_path([(281.0, 724.0), (296.0, 727.0), (311.0, 724.0)]), mirror=True)
    v.line(open_path([(296.0, 748.0), (296.6, 790.0), (296.4, 827.0)]), style=fa, mirror=True)
    v.line(open_path([(288.0, 912.0), (289.0, 935.0), (290.0, 962.0)]), style=fa, mirror=True)
    v.line(open_path([(300.0, 912.0), (299.5, 935.0), (298.5, 962.0)]), style=fa, mirror=True)
    v.line(open_path([(313.0, 932.0), (315.0, 940.0), (313.2, 947.0)]), mirror=True)
    v.line(open_path([(274.5, 926.0), (272.8, 934.0), (274.5, 941.0)]), mirror=True)
    v.line(open_path([(281.0, 966.0), (288.0, 974.0), (300.0, 975.0), (309.0, 967.0)]),
           style=fa, mirror=True)


def details_anterior(v: View) -> None:
    fa = FAINT_STYLE
    # face
    v.line(open_path([(260.5, 70.5), (268.0, 67.6), (276.0, 67.8), (283.0, 71.0)]), mirror=True)
    v.line(Curve((262.0, 78.6), [*open_segs([(262.0, 78.6), (269.0, 75.2), (278.6, 77.8)]),
                                *open_segs([(278.6, 77.8), (270.0, 80.6), (262.0, 78.6)])]),
           mirror=True)
    v.line(ellipse(270.2, 78.0, 2.3, 2.3), style=fa, mirror=True)
    v.line(open_path([(255.0, 80.0), (255.6, 92.0), (257.0, 101.0)]), style=fa, mirror=True)
    v.line(open_path([(253.0, 109.5), (257.6, 110.0), (259.0, 106.2), (256.0, 102.6)]),
           mirror=True)
    v.line(open_path([(245.5, 110.6), (250.0, 112.0), (254.5, 110.6)]))
    v.line(open_path([(240.0, 121.6), (245.0, 120.2), (250.0, 121.2), (255.0, 120.2),
                      (260.0, 121.6)]))
    v.line(open_path([(239.5, 122.0), (245.0, 123.2), (250.0, 123.6), (255.0, 123.2),
                      (260.5, 122.0)]))
    v.line(open_path([(244.0, 127.0), (250.0, 128.2), (256.0, 127.0)]), style=fa)
    v.line(open_path([(245.0, 139.0), (250.0, 140.2), (255.0, 139.0)]), style=fa)
    v.line(open_path([(250.0, 146.0), (262.0, 144.6), (274.5, 139.0), (283.0, 132.5),
                      (287.0, 124.0)]), style=fa, mirror=True)         # lower border of jaw
    v.line(open_path([(294.5, 83.0), (298.4, 86.0), (299.0, 95.0), (296.2, 103.5)]),
           mirror=True)
    v.line(open_path([(250.0, 36.5), (262.0, 37.0), (275.0, 40.5), (285.0, 48.0),
                      (290.0, 58.0)]), style=fa, mirror=True)           # hairline
    # neck and chest skeleton
    v.line(open_path([(245.2, 156.5), (250.0, 161.5), (254.8, 156.5)]), style=fa)
    v.line(open_path([(254.6, 187.5), (250.0, 191.5), (245.4, 187.5)]))
    v.line(open_path([(255.0, 191.6), (270.0, 192.4), (290.0, 191.0), (310.0, 188.6),
                      (328.0, 187.4), (345.0, 188.6), (358.0, 191.6)]), mirror=True)
    v.line(open_path([(245.0, 193.0), (244.6, 215.0), (245.4, 260.0), (246.4, 285.0),
                      (250.0, 297.0), (253.6, 285.0), (254.6, 260.0), (255.4, 215.0),
                      (255.0, 193.0)]))
    v.line(open_path([(245.0, 212.0), (255.0, 212.0)]), style=fa)
    v.line(open_path([(254.0, 292.0), (268.0, 303.5), (286.0, 318.0), (304.0, 334.0),
                      (318.0, 350.0), (325.0, 360.0)]), mirror=True)   # costal margin
    v.line(ellipse(296.0, 279.0, 2.2, 2.2), style=fa, mirror=True)
    # abdomen: linea alba, rectus abdominis, navel, iliac crest, inguinal ligament
    v.line(open_path([(250.0, 299.0), (250.0, 398.0)]), style=fa)
    v.line(open_path([(250.0, 410.0), (250.0, 462.0)]), style=fa)
    v.line(ellipse(250.0, 404.0, 2.2, 3.2))
    v.line(open_path([(274.0, 300.0), (280.0, 340.0), (279.0, 385.0), (274.0, 430.0),
                      (266.0, 475.0), (258.0, 500.0)]), style=fa, mirror=True)
    for y0 in (326.0, 358.0, 388.0):
        v.line(open_path([(251.0, y0 + 1.0), (265.0, y0), (279.5, y0 - 1.5)]), style=fa,
               mirror=True)
    v.line(open_path([(326.0, 362.0), (322.0, 395.0), (322.0, 425.0)]), style=fa, mirror=True)
    v.line(open_path([(333.0, 425.0), (329.0, 440.0), (323.0, 452.0)]), mirror=True)
    v.line(open_path([(323.0, 452.0), (305.0, 466.0), (288.0, 481.0), (272.0, 496.0),
                      (262.0, 505.0)]), mirror=True)                     # inguinal ligament
    # arm
    v.line(open_path([(345.0, 262.0), (350.0, 300.0), (357.0, 340.0), (364.0, 366.0)]),
           style=fa, mirror=True)                                       # biceps
    v.line(open_path([(376.0, 285.0), (378.0, 320.0), (375.0, 350.0), (369.0, 367.0)]),
           style=fa, mirror=True)
    v.line(open_path([(354.0, 380.0), (368.0, 384.0), (384.0, 379.0)]), mirror=True)
    v.line(open_path([(388.0, 380.0), (388.5, 410.0), (393.0, 455.0), (398.0, 495.0)]),
           style=fa, mirror=True)                                       # brachioradialis
    v.line(open_path([(356.0, 392.0), (364.0, 430.0), (373.0, 470.0), (380.0, 500.0)]),
           style=fa, mirror=True)                                       # flexors
    v.line(open_path([(376.5, 511.5), (390.0, 514.0), (403.5, 511.0)]), style=fa, mirror=True)
    hand_details(v)
    # thigh and knee
    v.line(open_path([(322.0, 458.0), (306.0, 520.0), (288.0, 590.0), (274.0, 660.0),
                      (268.0, 712.0)]), style=fa, mirror=True)          # sartorius
    v.line(open_path([(318.0, 500.0), (321.0, 560.0), (316.0, 630.0), (306.0, 700.0)]),
           style=fa, mirror=True)                                       # rectus femoris
    v.line(open_path([(300.0, 545.0), (296.0, 610.0), (294.0, 680.0), (292.0, 706.0)]),
           style=fa, mirror=True)
    v.line(open_path([(272.0, 648.0), (276.0, 685.0), (285.0, 708.0)]), style=fa, mirror=True)
    v.line(ellipse(296.0, 724.0, 10.6, 13.0))
    v.line(ellipse(204.0, 724.0, 10.6, 13.0))
    v.line(open_path([(291.0, 736.5), (292.6, 748.0)]), style=fa, mirror=True)
    v.line(open_path([(301.0, 736.5), (299.4, 748.0)]), style=fa, mirror=True)
    # leg, ankle, foot
    v.line(open_path([(293.0, 752.0), (292.4, 800.0), (291.0, 860.0), (289.0, 910.0)]),
           style=fa, mirror=True)                                       # tibial crest
    v.line(open_path([(268.0, 760.0), (266.5, 800.0), (270.0, 840.0)]), style=fa, mirror=True)
    v.line(open_path([(322.0, 790.0), (320.0, 840.0), (315.0, 890.0)]), style=fa, mirror=True)
    v.line(open_path([(313.5, 933.0), (315.5, 940.0), (313.5, 947.0)]), mirror=True)
    v.line(open_path([(274.5, 927.0), (272.8, 935.0), (274.5, 942.0)]), mirror=True)
    v.line(open_path([(283.0, 948.0), (292.0, 946.0), (303.0, 948.0)]), style=fa, mirror=True)
    for x0, y0 in ((323.6, 975.6), (317.2, 977.6), (309.2, 979.2), (300.0, 980.3)):
        v.line(open_path([(x0, y0), (x0 - 0.8, y0 - 5.0)]), style=fa, mirror=True)


def details_lateral(v: View, *trap_border: Edge) -> None:
    fa = FAINT_STYLE
    # ear: helix, antihelix, concha, tragus and antitragus, lobe
    v.line(open_path([(205.0, 126.5), (199.5, 118.8), (189.5, 115.4), (180.0, 118.6),
                      (174.4, 127.5), (173.2, 141.0), (175.0, 155.0), (179.4, 166.5),
                      (185.0, 175.4), (191.6, 178.0), (196.6, 173.6), (198.2, 165.5)]))
    v.line(open_path([(198.0, 123.5), (189.5, 121.0), (181.5, 124.5), (179.4, 135.0),
                      (180.6, 148.0), (185.0, 158.5), (191.0, 163.5)]))
    v.line(open_path([(183.0, 129.5), (190.0, 131.5), (197.0, 135.0)]), style=fa)
    v.line(open_path([(199.6, 140.5), (191.5, 138.6), (186.8, 145.0), (188.6, 153.5),
                      (196.0, 158.0)]), style=fa)
    v.line(open_path([(204.0, 146.5), (207.6, 152.0), (205.0, 158.0)]))
    v.line(open_path([(197.8, 160.0), (199.6, 164.0), (197.4, 167.6)]), style=fa)
    # eye (lids, iris, lid crease), brow
    v.line(open_path([(264.6, 130.0), (270.0, 126.8), (276.6, 126.0), (282.4, 129.0)]))
    v.line(open_path([(265.4, 131.2), (271.6, 133.8), (278.0, 134.2), (282.4, 131.2)]))
    v.line(open_path([(278.8, 127.0), (281.2, 130.4), (279.0, 133.8)]), style=fa)
    v.line(open_path([(266.2, 125.4), (273.0, 122.4), (280.4, 123.4)]), style=fa)
    v.line(open_path([(259.0, 117.6), (268.0, 113.6), (278.0, 113.2), (286.4, 116.0)]))
    # nose wing, nasolabial fold, mouth corner, chin crease
    v.line(open_path([(293.0, 165.0), (288.0, 169.8), (290.2, 175.4), (297.4, 176.4)]))
    v.line(open_path([(288.0, 178.6), (283.4, 188.0), (281.6, 199.5)]), style=fa)
    v.line(open_path([(292.0, 197.6), (286.0, 198.6), (281.6, 197.0)]))
    v.line(open_path([(287.0, 216.5), (283.0, 218.0)]), style=fa)
    # skull and jaw: zygomatic arch, mandible (ramus, angle, lower border), temporal line
    v.line(open_path([(206.0, 148.8), (230.0, 147.0), (250.0, 145.2), (262.0, 140.0)]),
           style=fa)
    v.line(open_path([(210.0, 157.0), (212.6, 180.0), (213.6, 205.0), (214.2, 218.0),
                      (217.5, 226.0), (228.0, 232.0), (246.0, 237.6), (264.0, 242.0),
                      (280.0, 244.6)]), style=fa)
    v.line(open_path([(262.0, 112.0), (264.4, 124.0), (262.0, 138.0)]), style=fa)
    # hair: front hairline and sideburn, the hair mass over the crown and the occiput
    v.line(open_path([(279.0, 64.0), (270.0, 77.0), (265.0, 95.0), (264.0, 106.0)]),
           style=fa)
    v.line(open_path([(213.0, 138.0), (210.0, 124.0), (206.0, 113.0)]), style=fa)
    v.line(open_path([(168.0, 122.0), (160.0, 140.0), (153.0, 160.0), (146.0, 178.0),
                      (139.0, 190.0)]), style=fa)
    for strand in ([(268.0, 56.0), (246.0, 44.0), (216.0, 38.0), (186.0, 39.0)],
                   [(150.0, 54.0), (133.0, 76.0), (123.0, 100.0), (119.0, 124.0)],
                   [(139.0, 92.0), (130.0, 118.0), (127.0, 146.0), (130.0, 170.0)]):
        v.line(open_path(strand), style=HAIR_STYLE)
    # neck: thyroid cartilage, the trapezius' anterior border above the shoulder's outline
    # (shared with splenius capitis), the skull base behind the triangle
    v.line(open_path([(244.6, 268.0), (241.0, 275.0), (242.5, 283.0)]), style=fa)
    for e in trap_border:
        v.line(Curve(e.a, e.segs(), closed=False))
    v.line(open_path([(132.0, 189.5), (142.0, 192.0), (150.5, 194.0)]), style=fa)
    # shoulder: clavicle (upper and lower border) from the sternoclavicular joint to the
    # acromion, the spine of the scapula behind it, the deltoid's back border, pectoralis major in
    # front of the arm
    v.line(open_path([(255.0, 318.8), (240.0, 317.8), (220.0, 316.2), (203.0, 313.6),
                      (193.5, 313.4)]))
    v.line(open_path([(255.5, 323.6), (240.0, 322.8), (222.0, 321.6), (206.0, 318.6),
                      (197.0, 316.2)]), style=fa)
    spine = [(193.5, 313.4), (176.0, 317.0), (156.0, 323.5), (134.0, 333.0), (112.5, 342.0)]
    v.line(open_path(spine), style=fa)
    v.line(open_path(LATERAL_DELTOID_BACK))
    # non-clickable muscles for context. Trapezius: occiput and nuchal ligament -> lateral
    # clavicle, acromion and scapular spine; its fibres converge on the acromion, drawn in the
    # band behind the triangle and in the shoulder below the slope line.
    back = [(136.0, 194.0), (142.0, 220.0), (140.0, 244.0), (133.0, 268.0), (121.0, 294.0),
            (110.0, 328.0)]
    insertion = [(184.0, 300.0), (193.5, 313.4), (176.0, 317.0), (156.0, 323.5),
                 (134.0, 333.0), (113.0, 341.5)]
    trap_neck = closed_nodes([(131.5, 189.0, 1), (150.5, 194.0, 1), (153.5, 218.0),
                              (158.6, 246.0), (166.0, 266.0), (174.8, 285.0, 1),
                              (156.0, 270.0), (137.0, 261.0, 1), (142.2, 240.0), (144.4, 219.0),
                              (142.0, 201.0)])
    trap_back = closed_nodes([(137.0, 261.0, 1), (156.0, 270.0), (174.8, 285.0), (184.0, 300.0),
                              (193.5, 313.4, 1), *spine[1:-1], (*spine[-1], 1), (109.5, 321.0),
                              (119.0, 298.0), (129.5, 279.0)])
    for region in (trap_neck, trap_back):
        for fib in fibres(region, back, insertion, 10, None, 2.0):
            v.line(fib, style=HAIR_STYLE)
    # deltoid: clavicle, acromion and scapular spine -> its tuberosity below the cut
    delt = closed_nodes([(193.5, 313.4, 1), *LATERAL_DELTOID_FRONT[:-1],
                         (*LATERAL_DELTOID_FRONT[-1], 1), (*LATERAL_DELTOID_BACK[-1], 1),
                         *reversed(LATERAL_DELTOID_BACK[:-1]), (176.0, 317.0)])
    for fib in fibres(delt, [(148.0, 326.0), (172.0, 317.5), (193.0, 314.0), (213.0, 319.0),
                             (232.0, 329.0), (244.0, 343.0)],
                      [(186.0, 470.0), (192.0, 470.0)], 9, None, 2.5):
        v.line(fib, style=HAIR_STYLE)


# fmt: on

# ----------------------------------------------------------------------------- output

SVG_NS = "http://www.w3.org/2000/svg"
LAYER_ORDER = ("silhouette", "details", "muscles-superficial", "muscles-deep")
CODE_ORDER = list(MUSCLES)


def to_svg(view: View) -> str:
    w, h = VIEWBOX[view.name]

    def attrs(d: dict[str, str]) -> str:
        return " ".join(f'{k}="{val}"' for k, val in d.items())

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- Generated by scripts/build_bodymap.py ({view.name} view). Conventions: README.md "
        "next to this file. Regenerate rather than hand-edit, or keep the conventions. -->",
        f'<svg xmlns="{SVG_NS}" version="1.1" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        '  <g id="silhouette">',
    ]
    # Styles sit on every path (readers such as clinic_app.domain.bodymap look at the path only).
    lines += [f'    <path d="{p.d()}" {attrs(SILHOUETTE_STYLE)}/>' for p in view.silhouette]
    lines.append("  </g>")
    lines.append('  <g id="details">')
    lines += [f'    <path d="{p.d()}" {attrs(style)}/>' for p, style in view.details]
    lines.append("  </g>")
    for layer in ("superficial", "deep"):
        style = SUPERFICIAL_STYLE if layer == "superficial" else DEEP_STYLE
        lines.append(f'  <g id="muscles-{layer}">')
        regs = sorted(
            (r for r in view.regions if r.layer == layer),
            key=lambda r: (CODE_ORDER.index(r.code), r.side != "right"),
        )
        for r in regs:
            lines.append(
                f'    <path id="{r.code}-{r.side}" data-muscle="{r.code}" '
                f'data-side="{r.side}" {attrs(style)} d="{r.path.d()}"/>'
            )
        lines.append("  </g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


BUILDERS = {"anterior": build_anterior, "posterior": build_posterior, "lateral": build_lateral}


# ----------------------------------------------------------------------------- checks

PATH_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ALLOWED_COMMANDS = set("MLCQZ")
MIN_CLICK = 8  # px of solid interior, in viewBox units (about 7 screen px at 900 px tall)
# The head-and-neck view has few, larger regions (it is the place to chart them): keep them roomy.
MIN_CLICK_VIEW = {"lateral": 15}
REFERRED = OUT_DIR / "referred_areas.toml"

# Lateral view placement: a point each region must cover (where that muscle really lies) and the
# landmarks no region may cover (the face and ear stay visible, the neck's outline clear).
LATERAL_PROBES: dict[str, Pt] = {
    "temporalis": (215.0, 90.0),  # temporal fossa, above the ear
    "masseter": (236.0, 190.0),  # cheekbone -> angle of the jaw
    "sternocleidomastoid": (  # half-way from the mastoid to the SC joint
        (LAT["mastoid"][0] + LAT["sc_joint"][0]) / 2,
        (LAT["mastoid"][1] + LAT["sc_joint"][1]) / 2,
    ),
    "splenius_capitis": (163.0, 212.0),  # apex of the posterior triangle, under the skull
    "levator_scapulae": (180.0, 258.0),  # mid-neck, behind the SCM
    "scalenes": (207.0, 300.0),  # behind the SCM, above the clavicle
}
LATERAL_CLEAR = (
    "eye",
    "ear",
    "tragus",
    "nose_tip",
    "stomion",
    "throat",
    "notch",
    "nape",
    "occiput",
    "acromion",
)


def parse_d(d: str) -> tuple[list[list[Pt]], list[str]]:
    """Flatten path data into subpaths; returns (subpaths, problems)."""
    problems = []
    tokens = PATH_TOKEN.findall(d)
    if "".join(tokens).replace(" ", "") != re.sub(r"[\s,]+", "", d):
        problems.append("unexpected characters in path data")
    subpaths: list[list[Pt]] = []
    cur: list[Pt] = []
    i, cmd = 0, ""
    while i < len(tokens):
        t = tokens[i]
        if t.isalpha():
            if t not in ALLOWED_COMMANDS:
                problems.append(f"command {t!r} not allowed (only M L C Q Z)")
                return subpaths, problems
            cmd = t
            i += 1
            if cmd == "Z":
                continue
        n = {"M": 2, "L": 2, "C": 6, "Q": 4}.get(cmd, 0)
        if n == 0 or i + n > len(tokens):
            problems.append("malformed path data")
            return subpaths, problems
        v = [float(x) for x in tokens[i : i + n]]
        i += n
        if cmd == "M":
            cur = [(v[0], v[1])]
            subpaths.append(cur)
        elif cmd == "L":
            cur.append((v[0], v[1]))
        elif cmd == "C":
            p0 = cur[-1]
            for k in range(1, 13):
                cur.append(bez(p0, (v[0], v[1]), (v[2], v[3]), (v[4], v[5]), k / 12))
        else:
            p0 = cur[-1]
            c1 = (p0[0] + 2 / 3 * (v[0] - p0[0]), p0[1] + 2 / 3 * (v[1] - p0[1]))
            c2 = (v[2] + 2 / 3 * (v[0] - v[2]), v[3] + 2 / 3 * (v[1] - v[3]))
            for k in range(1, 13):
                cur.append(bez(p0, c1, c2, (v[2], v[3]), k / 12))
    if not tokens or tokens[-1] != "Z":
        problems.append("not closed (must end with Z)")
    if sum(1 for t in tokens if t == "M") != 1 or tokens.count("Z") != 1:
        problems.append("must be exactly one closed subpath")
    return subpaths, problems


def raster(poly: Sequence[Pt]) -> set[tuple[int, int]]:
    """Pixels (1 viewBox unit) whose centres lie inside the polygon (even-odd rule)."""
    cells: set[tuple[int, int]] = set()
    ys = [p[1] for p in poly]
    n = len(poly)
    for iy in range(math.floor(min(ys)), math.ceil(max(ys)) + 1):
        y = iy + 0.5
        xs = []
        for k in range(n):
            (x1, y1), (x2, y2) = poly[k - 1], poly[k]
            if (y1 > y) != (y2 > y):
                xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        xs.sort()
        for a, b in zip(xs[::2], xs[1::2], strict=False):
            for ix in range(math.ceil(a - 0.5), math.floor(b - 0.5) + 1):
                cells.add((ix, iy))
    return cells


def largest_square(cells: set[tuple[int, int]]) -> int:
    """Side of the largest axis-aligned square made only of the given pixels."""
    if not cells:
        return 0
    best = 0
    size: dict[tuple[int, int], int] = {}
    for ix, iy in sorted(cells, key=lambda c: (c[1], c[0])):
        s = 1 + min(
            size.get((ix - 1, iy), 0), size.get((ix, iy - 1), 0), size.get((ix - 1, iy - 1), 0)
        )
        size[(ix, iy)] = s
        best = max(best, s)
    return best


def centroid(poly: Sequence[Pt]) -> Pt:
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(poly, [*poly[1:], poly[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(a) < 1e-9:
        return poly[0]
    return (cx / (3 * a), cy / (3 * a))


def expected_regions() -> set[tuple[str, str, str]]:
    out = set()
    for code, (views, _depth) in MUSCLES.items():
        for view in views:
            for side in ("right",) if view == "lateral" else ("left", "right"):
                out.add((view, code, side))
    return out


def check_catalog() -> list[str]:
    """Compare the generator's muscle table with resources/anatomy/muscles.toml."""
    if not CATALOG.exists():
        return [f"note: {CATALOG} not found, catalog comparison skipped"]
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    problems = []
    cat = {m["code"]: (tuple(m["views"]), m["depth"]) for m in data.get("muscle", [])}
    for code in sorted(set(cat) | set(MUSCLES)):
        if code not in MUSCLES:
            problems.append(f"catalog muscle {code!r} has no geometry in the generator")
        elif code not in cat:
            problems.append(f"generator muscle {code!r} is not in the catalog")
        elif (set(cat[code][0]), cat[code][1]) != (set(MUSCLES[code][0]), MUSCLES[code][1]):
            problems.append(f"{code}: catalog says {cat[code]}, generator says {MUSCLES[code]}")
    return problems


def check_lateral_placement(polys: dict[str, list[Pt]]) -> list[str]:
    """Each lateral region covers its anatomical probe point; no region hides a landmark."""
    problems = []
    for code, probe in LATERAL_PROBES.items():
        poly = polys.get(code)
        if poly is not None and not point_in_poly(probe, poly):
            problems.append(f"lateral: {code}-right does not cover {probe} where it belongs")
    for name in LATERAL_CLEAR:
        for code, poly in polys.items():
            if point_in_poly(LAT[name], poly):
                problems.append(f"lateral: {code}-right covers the {name} {LAT[name]}")
    return problems


def ellipse_points(shape: dict[str, float], n: int = 12) -> list[Pt]:
    """Sample points spread over an ellipse of referred_areas.toml (grid in its own frame)."""
    cx, cy, rx, ry = shape["cx"], shape["cy"], shape["rx"], shape["ry"]
    ca, sa = (
        math.cos(math.radians(shape.get("angle", 0.0))),
        math.sin(math.radians(shape.get("angle", 0.0))),
    )
    out = []
    for i in range(n):
        for j in range(n):
            u, w = (2 * i + 1) / n - 1, (2 * j + 1) / n - 1
            if u * u + w * w <= 1:
                x, y = u * rx, w * ry
                out.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return out


def check_referred(sil_polys: dict[str, list[list[Pt]]]) -> tuple[list[str], str]:
    """Every referred-pain ellipse has its centre on the body (inside a silhouette path of its
    view); reports the ellipse with the least of its area on the body."""
    if not REFERRED.exists():
        return [], f"referred areas: {REFERRED.name} not found, skipped"
    data = tomllib.loads(REFERRED.read_text(encoding="utf-8"))
    problems = []
    worst = (2.0, "")
    count = 0
    for area in data.get("area", []):
        view, tag = area.get("view", "?"), area.get("tag", "?")
        polys = sil_polys.get(view)
        if not polys:
            continue
        for k, shape in enumerate(area.get("shapes", [])):
            count += 1

            def on_body(p: Pt, polys: list[list[Pt]] = polys) -> bool:
                return any(point_in_poly(p, poly) for poly in polys)

            name = f"{tag} ({view}, shape {k + 1})"
            if not on_body((shape["cx"], shape["cy"])):
                problems.append(
                    f"referred area {name}: centre {shape['cx']}, {shape['cy']} is off the body"
                )
            pts = ellipse_points(shape)
            share = sum(on_body(p) for p in pts) / max(1, len(pts))
            worst = min(worst, (share, name))
    summary = (
        f"referred areas: {count} ellipses, centres on the body: {count - len(problems)}; "
        f"least on the body: {worst[1]} {worst[0]:.0%}"
    )
    return problems, summary


def check(out_dir: Path) -> bool:
    """Verify the written SVGs against the conventions; print a summary. True when all pass."""
    errors: list[str] = []
    warnings = check_catalog()
    found: set[tuple[str, str, str]] = set()
    sil_polys: dict[str, list[list[Pt]]] = {}
    print("\nbody-map check")
    for view in ("anterior", "posterior", "lateral"):
        path = out_dir / f"{view}.svg"
        root = ET.parse(path).getroot()
        w, h = VIEWBOX[view]
        if root.get("viewBox") != f"0 0 {w} {h}":
            errors.append(f"{view}: viewBox is {root.get('viewBox')!r}, expected '0 0 {w} {h}'")
        groups = [el.get("id") for el in root if el.tag == f"{{{SVG_NS}}}g"]
        if groups != list(LAYER_ORDER):
            errors.append(f"{view}: top-level groups {groups}, expected {list(LAYER_ORDER)}")
        ids = [el.get("id", "") for el in root.iter() if el.get("id")]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            errors.append(f"{view}: duplicate ids {sorted(dupes)}")
        sil: set[tuple[int, int]] = set()
        sil_polys[view] = []
        lateral_polys: dict[str, list[Pt]] = {}
        sil_group = root.find(f"{{{SVG_NS}}}g[@id='silhouette']")
        for el in sil_group if sil_group is not None else []:
            subs, probs = parse_d(el.get("d", ""))
            errors += [f"{view} silhouette: {p}" for p in probs]
            for sp in subs:
                sil |= raster(sp)
                sil_polys[view].append(sp)
        det_group = root.find(f"{{{SVG_NS}}}g[@id='details']")
        for el in det_group if det_group is not None else []:
            bad = {t for t in PATH_TOKEN.findall(el.get("d", "")) if t.isalpha()} - ALLOWED_COMMANDS
            if bad:
                errors.append(f"{view} details: commands {sorted(bad)} not allowed")
        layers: dict[str, list[tuple[str, set[tuple[int, int]]]]] = {}
        n_regions = 0
        min_click = (999, "")
        max_overlap = 0
        for layer in ("superficial", "deep"):
            group = root.find(f"{{{SVG_NS}}}g[@id='muscles-{layer}']")
            for el in group if group is not None else []:
                rid, code, side = el.get("id"), el.get("data-muscle"), el.get("data-side")
                n_regions += 1
                if rid != f"{code}-{side}" or side not in ("left", "right"):
                    errors.append(
                        f"{view}: region id {rid!r} / data-muscle {code!r} / "
                        f"data-side {side!r} do not agree"
                    )
                if code not in MUSCLES:
                    errors.append(f"{view}: {rid}: unknown muscle")
                    continue
                if MUSCLES[code][1] != layer:
                    errors.append(f"{view}: {rid} is {MUSCLES[code][1]} but sits in {layer}")
                found.add((view, code, side or "?"))
                subs, probs = parse_d(el.get("d", ""))
                errors += [f"{view}: {rid}: {p}" for p in probs]
                if not subs:
                    continue
                poly = subs[0]
                if any(not (0 <= x <= w and 0 <= y <= h) for x, y in poly):
                    errors.append(f"{view}: {rid} leaves the viewBox")
                cx, _cy = centroid(poly)
                if view != "lateral":
                    want_right = (side == "right") == (view == "posterior")
                    if (cx > 250) != want_right:
                        errors.append(
                            f"{view}: {rid} centroid x={cx:.1f} is on the wrong side of the midline"
                        )
                if view == "lateral" and code:
                    lateral_polys[code] = poly
                cells = raster(poly)
                outside = len(cells - sil)
                if outside:
                    errors.append(f"{view}: {rid}: {outside} px outside the silhouette")
                layers.setdefault(layer, []).append((rid or "?", cells))
        for layer, regs in layers.items():
            for i, (rid, cells) in enumerate(regs):
                others: set[tuple[int, int]] = set()
                for j, (rid2, cells2) in enumerate(regs):
                    if j == i:
                        continue
                    common = len(cells & cells2)
                    if j > i:
                        max_overlap = max(max_overlap, common)
                    if j > i and common > 2:
                        errors.append(
                            f"{view}: {rid} and {rid2} overlap by {common} px in the {layer} layer"
                        )
                    if j > i:
                        others |= cells2
                visible = cells - others
                sq = largest_square(visible)
                if sq < min_click[0]:
                    min_click = (sq, rid)
                if sq < MIN_CLICK_VIEW.get(view, MIN_CLICK):
                    errors.append(f"{view}: {rid}: clickable interior only {sq}x{sq} px")
        details = root.find(f"{{{SVG_NS}}}g[@id='details']")
        n_details = len(details) if details is not None else 0
        print(
            f"  {view:9s} {n_regions:2d} regions, {n_details:4d} detail paths; smallest "
            f"clickable square {min_click[0]} px ({min_click[1]}); largest overlap within a "
            f"layer {max_overlap} px"
        )
        if view == "lateral":
            errors += check_lateral_placement(lateral_polys)
    expected = expected_regions()
    for view, code, side in sorted(expected - found):
        errors.append(f"missing region {code}-{side} in {view}")
    for view, code, side in sorted(found - expected):
        errors.append(f"unexpected region {code}-{side} in {view}")
    print(
        f"  expected (muscle, side, view) triples: {len(expected)}, found: {len(found & expected)}"
    )
    for wmsg in warnings:
        print(f"  catalog: {wmsg}")
    referred_errors, referred_summary = check_referred(sil_polys)
    errors += referred_errors
    print(f"  {referred_summary}")
    if errors:
        print(f"  FAILED: {len(errors)} problem(s)")
        for e in errors:
            print(f"   - {e}")
        return False
    print(
        "  OK: ids unique; every expected region present; only M/L/C/Q/Z; every region one "
        "closed subpath inside the viewBox and the silhouette, on the right side of the "
        "midline; no overlaps within a layer"
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write and check the body-map SVGs.")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="only check the existing files")
    args = parser.parse_args(argv)
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, build in BUILDERS.items():
            (args.out / f"{name}.svg").write_text(to_svg(build()), encoding="utf-8")
            print(f"wrote {args.out / f'{name}.svg'}")
    return 0 if check(args.out) else 1


if __name__ == "__main__":
    sys.exit(main())
