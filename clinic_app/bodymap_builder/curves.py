"""Smooth outlines from control points: centripetal Catmull-Rom splines as cubic Béziers.

A :class:`Curve` writes itself as SVG path data with absolute M, L, C and Z only; an
:class:`Edge` is a border shared exactly by the regions on either side of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

Pt = tuple[float, float]


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
