"""Where the numbered markers of the body figure go, so that none hides another.

Pure geometry, no drawing: :func:`place_markers` takes the exact points of the sites (in the
pixels of one figure panel) and returns, for each, the centre of its round marker. A marker
sits on its point when it can; one that would overlap a marker already placed, or stick out
of the panel, moves to the nearest free spot and is joined to its exact point by a leader
line (the figure draws a dot there), so the figure still shows precisely where the needle
went. Markers are placed in site order, so mark 1 stays on its point.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Point = tuple[float, float]

#: Directions tried around a crowded point, in this order at each distance (24 steps).
_DIRECTIONS = 24
#: Spots tried first that also keep other sites' points uncovered (the first 8 rings).
_NEAR = 1 + 8 * _DIRECTIONS


@dataclass(frozen=True, slots=True)
class Placement:
    """One marker: its centre, and the exact point its leader line ends at.

    Attributes:
        point: the site's exact point.
        centre: where the marker's centre is drawn.
    """

    point: Point
    centre: Point

    @property
    def moved(self) -> bool:
        """True when the marker is not on its point and needs a leader line."""
        return self.centre != self.point

    def leader(self, radius: float) -> tuple[Point, Point]:
        """The leader line: from the marker's rim towards the point, ending on the point."""
        (px, py), (cx, cy) = self.point, self.centre
        length = math.hypot(px - cx, py - cy)
        if length <= radius:
            return self.point, self.point
        ux, uy = (px - cx) / length, (py - cy) / length
        return (cx + ux * radius, cy + uy * radius), self.point


def _inside(centre: Point, radius: float, width: float, height: float) -> bool:
    x, y = centre
    return radius <= x <= width - radius and radius <= y <= height - radius


def _clamp(point: Point, radius: float, width: float, height: float) -> Point:
    x, y = point
    return (min(max(x, radius), width - radius), min(max(y, radius), height - radius))


def _candidates(
    point: Point, radius: float, width: float, height: float, step: float
) -> Iterator[Point]:
    """Spots around ``point``, nearest first: rings at growing distance, then a grid."""
    start = _clamp(point, radius, width, height)
    yield start
    reach = math.hypot(width, height)
    ring = 1
    while ring * step <= reach:
        distance = ring * step
        for k in range(_DIRECTIONS):
            # Sideways first (a neighbour is usually above or below), alternating sides.
            angle = math.pi * ((k + 1) // 2) / (_DIRECTIONS / 2) * (1 if k % 2 else -1)
            yield (start[0] + distance * math.cos(angle), start[1] + distance * math.sin(angle))
        ring += 1
    # The panel's grid, nearest first: reached only when the rings found no room.
    columns = max(1, int((width - 2 * radius) // step) + 1)
    rows = max(1, int((height - 2 * radius) // step) + 1)
    grid = [(radius + i * step, radius + j * step) for i in range(columns) for j in range(rows)]
    grid.sort(key=lambda c: math.hypot(c[0] - start[0], c[1] - start[1]))
    yield from grid


def place_markers(
    points: Sequence[Point],
    radius: float,
    width: float,
    height: float,
    *,
    gap: float = 2.0,
) -> list[Placement]:
    """A centre for each point's marker so that no two markers overlap.

    Args:
        points: the exact points, in drawing order (site order).
        radius: the markers' radius, in the same units.
        width, height: the panel; every marker stays wholly inside it.
        gap: the least space left between two markers.

    Raises:
        ValueError: the panel is too small for a marker, or has no room left for one
            (far more markers than a figure ever carries).
    """
    if 2 * radius > min(width, height):
        raise ValueError("the panel is smaller than one marker")
    apart = 2 * radius + gap
    step = apart / 2
    placed: list[Placement] = []
    for index, point in enumerate(points):
        others = [p for i, p in enumerate(points) if i != index and p != point]
        centres = [p.centre for p in placed]

        def free(centre: Point, centres: list[Point] = centres) -> bool:
            return _inside(centre, radius, width, height) and all(
                math.hypot(centre[0] - x, centre[1] - y) >= apart for x, y in centres
            )

        def clear(centre: Point, others: list[Point] = others) -> bool:
            """Free, and not covering another site's exact point (its leader's end)."""
            return free(centre) and all(
                math.hypot(centre[0] - x, centre[1] - y) >= radius + gap for x, y in others
            )

        near = itertools.islice(_candidates(point, radius, width, height, step), _NEAR)
        centre = next((c for c in near if clear(c)), None)
        if centre is None:
            spots = _candidates(point, radius, width, height, step)
            centre = next((c for c in spots if free(c)), None)
        if centre is None:
            raise ValueError(f"no room for marker {len(placed) + 1} in the panel")
        placed.append(Placement(point, centre))
    return placed


__all__ = ["Placement", "Point", "place_markers"]
