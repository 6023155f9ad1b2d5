"""Polylines and polygons: resampling, distances, and the skin outline regions follow."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from clinic_app.bodymap_builder.curves import Curve, Edge, Pt, open_path


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
