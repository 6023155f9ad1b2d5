"""Which muscles could cause the pain drawn: ranked by their referred-pain patterns.

A muscle's *pattern* on one side is the set of grid cells (:mod:`clinic_app.domain.pain_drawing`)
covered by its referred-pain zones: the ellipses of ``referred_areas.toml`` for the tags its
``muscles.toml`` entry lists, on every figure, rasterised by cell centre (and always including
the cell under each ellipse's centre, so a small zone is never lost between cell centres).
Both files cite their source: the Travell & Simons referral patterns as summarised in
tpi-reference.md §2; each muscle's ``source`` is carried into its :class:`Suggestion`.

For a drawing ``D`` and a pattern ``P``:

- *covered* = |D ∩ P| / |P|: how much of the muscle's pattern the patient shaded;
- *explained* = |D ∩ P| / |D|: how much of what the patient shaded the muscle accounts for;
- *score* = their harmonic mean (F1 = 2 |D ∩ P| / (|D| + |P|)). It is 1 only when the
  drawing is exactly the pattern, and it punishes a muscle whose zones are far larger than the
  drawing as much as one that explains only a corner of it. Both parts are shown to the
  provider: the ranking suggests what to examine, it decides nothing.

Ties (equal score) are ordered by covered, then catalog order, then right before left.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import Side
from clinic_app.domain.pain_drawing import CELL, OFFSETS, PainDrawing, cell_at, grid_size
from clinic_app.domain.referred import Ellipse, ReferredAreas, default_referred_areas

#: How many suggestions the body map shows.
DEFAULT_LIMIT: Final = 5
_SIDE_ORDER: Final = (Side.RIGHT, Side.LEFT)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One muscle and side whose referred pain matches the drawing.

    Attributes:
        muscle_code, side: the muscle to examine, on the patient's side.
        covered: share of the muscle's pattern the drawing shades (0..1).
        explained: share of the drawing the pattern accounts for (0..1).
        score: the harmonic mean of the two (0..1), the rank's key.
        source: where the muscle's referral pattern comes from (its catalog ``source``).
    """

    muscle_code: str
    side: Side
    covered: float
    explained: float
    score: float
    source: str


def _inside(ellipse: Ellipse, x: float, y: float) -> bool:
    theta = math.radians(ellipse.angle)
    dx, dy = x - ellipse.cx, y - ellipse.cy
    u = dx * math.cos(theta) + dy * math.sin(theta)
    v = -dx * math.sin(theta) + dy * math.cos(theta)
    return (u / ellipse.rx) ** 2 + (v / ellipse.ry) ** 2 <= 1.0


def rasterise(view: FigureView, ellipse: Ellipse) -> frozenset[int]:
    """The cells of ``view`` whose centre lies in the ellipse, and the cell at its centre."""
    columns, rows = grid_size(view)
    half_x, half_y = ellipse.half_extents()
    cells: set[int] = set()
    centre = cell_at(view, ellipse.cx, ellipse.cy)
    if centre is not None:
        cells.add(centre)
    first_column = max(0, math.floor((ellipse.cx - half_x) / CELL))
    last_column = min(columns - 1, math.floor((ellipse.cx + half_x) / CELL))
    first_row = max(0, math.floor((ellipse.cy - half_y) / CELL))
    last_row = min(rows - 1, math.floor((ellipse.cy + half_y) / CELL))
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            if _inside(ellipse, (column + 0.5) * CELL, (row + 0.5) * CELL):
                cells.add(OFFSETS[view] + row * columns + column)
    return frozenset(cells)


class PatternIndex:
    """Every muscle's pattern on each side, rasterised once.

    Attributes:
        catalog: the muscles (their tags, order and sources).
    """

    __slots__ = ("_order", "_patterns", "catalog")

    def __init__(self, catalog: Catalog, referred: ReferredAreas) -> None:
        self.catalog = catalog
        patterns: dict[tuple[str, Side], frozenset[int]] = {}
        for muscle in catalog:
            for side in _SIDE_ORDER:
                cells: set[int] = set()
                for view in FigureView:
                    for ellipse in referred.shapes_for(
                        muscle.referred_pain_areas, view.value, side.value
                    ):
                        cells |= rasterise(view, ellipse)
                patterns[(muscle.code, side)] = frozenset(cells)
        self._patterns: Mapping[tuple[str, Side], frozenset[int]] = MappingProxyType(patterns)
        self._order = {muscle.code: number for number, muscle in enumerate(catalog)}

    @property
    def patterns(self) -> Mapping[tuple[str, Side], frozenset[int]]:
        """(muscle code, side) → the pattern's cells."""
        return self._patterns

    def pattern(self, muscle_code: str, side: Side) -> PainDrawing:
        """The muscle's pattern as a drawing (what a drawing of exactly its zones would be)."""
        return PainDrawing(self._patterns[(muscle_code, Side(side))])

    def rank(self, drawing: PainDrawing, limit: int | None = DEFAULT_LIMIT) -> list[Suggestion]:
        """The muscles whose pattern overlaps the drawing, best first (at most ``limit``).

        An empty drawing suggests nothing; a muscle whose pattern misses the drawing entirely
        is never suggested.
        """
        drawn = drawing.cells
        if not drawn:
            return []
        found: list[tuple[tuple[float, float, int, int], Suggestion]] = []
        for (code, side), pattern in self._patterns.items():
            common = len(drawn & pattern)
            if not common:
                continue
            covered, explained = common / len(pattern), common / len(drawn)
            score = 2 * common / (len(drawn) + len(pattern))
            source = self.catalog.get(code).source
            suggestion = Suggestion(code, side, covered, explained, score, source)
            key = (-score, -covered, self._order[code], _SIDE_ORDER.index(side))
            found.append((key, suggestion))
        found.sort(key=lambda pair: pair[0])
        ranked = [suggestion for _, suggestion in found]
        return ranked if limit is None else ranked[: max(0, limit)]


@functools.cache
def default_pattern_index() -> PatternIndex:
    """The shipped catalog's patterns, rasterised once per process."""
    return PatternIndex(default_catalog(), default_referred_areas())


def suggest(
    drawing: PainDrawing, limit: int | None = DEFAULT_LIMIT, index: PatternIndex | None = None
) -> list[Suggestion]:
    """The muscles to examine for ``drawing`` (see :meth:`PatternIndex.rank`)."""
    return (index or default_pattern_index()).rank(drawing, limit)


__all__ = [
    "DEFAULT_LIMIT",
    "PatternIndex",
    "Suggestion",
    "default_pattern_index",
    "rasterise",
    "suggest",
]
