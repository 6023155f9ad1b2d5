"""A pain drawing: where the patient hurts, as shaded cells of a fixed grid on each figure.

Every figure of the body map (:class:`~clinic_app.domain.bodymap.FigureView`) is cut into
square cells of :data:`CELL` pixels of its viewBox: the full-body figures (500 x 1000) into
50 x 100 cells, each head-and-neck side view (400 x 400) into 40 x 40. A drawing is a set of
cells; a cell is one integer, its figure's offset plus ``row * columns + column``, so set
operations over all figures (the ranking's intersections) are plain ``frozenset`` algebra.

Stored as text (:meth:`PainDrawing.encode`): JSON ``{"cell": 10, "views": {"anterior":
"120-125,170"}}`` with each figure's local cell numbers as sorted runs. A shaded patch is a
few runs per row, so a large drawing stays a few hundred characters.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from clinic_app.domain.bodymap import FigureView

#: Side of one grid cell, in the figure's viewBox pixels.
CELL: Final = 10
#: Size (width, height) of each figure's viewBox.
FIGURE_SIZES: Final[Mapping[FigureView, tuple[int, int]]] = MappingProxyType({
    FigureView.ANTERIOR: (500, 1000),
    FigureView.POSTERIOR: (500, 1000),
    FigureView.LATERAL_RIGHT: (400, 400),
    FigureView.LATERAL_LEFT: (400, 400),
})  # fmt: skip
#: Largest text :meth:`PainDrawing.decode` reads (every cell of every figure fits easily).
MAX_TEXT: Final = 200_000


def _grid(view: FigureView) -> tuple[int, int]:
    width, height = FIGURE_SIZES[view]
    return width // CELL, height // CELL


def _offsets() -> dict[FigureView, int]:
    offsets: dict[FigureView, int] = {}
    total = 0
    for view in FigureView:
        offsets[view] = total
        columns, rows = _grid(view)
        total += columns * rows
    return offsets


#: Where each figure's cells start in the one numbering of all cells.
OFFSETS: Final[Mapping[FigureView, int]] = MappingProxyType(_offsets())
#: How many cells all figures have together.
TOTAL_CELLS: Final = sum(_grid(v)[0] * _grid(v)[1] for v in FigureView)


class PainDrawingError(ValueError):
    """A stored drawing's text cannot be read (not JSON, an unknown figure, a bad run)."""


def grid_size(view: FigureView) -> tuple[int, int]:
    """Columns and rows of a figure's grid."""
    return _grid(FigureView(view))


def cell_at(view: FigureView, x: float, y: float) -> int | None:
    """The cell under the figure point (x, y), or None outside the figure."""
    columns, rows = _grid(view)
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    column, row = math.floor(x / CELL), math.floor(y / CELL)
    if not (0 <= column < columns and 0 <= row < rows):
        return None
    return OFFSETS[view] + row * columns + column


def cells_in_disc(view: FigureView, x: float, y: float, radius: float) -> frozenset[int]:
    """Cells whose centre lies within ``radius`` of (x, y) (the brush), plus the one under it."""
    columns, rows = _grid(view)
    found: set[int] = set()
    here = cell_at(view, x, y)
    if here is not None:
        found.add(here)
    reach = math.ceil(radius / CELL) + 1
    base_column, base_row = math.floor(x / CELL), math.floor(y / CELL)
    for row in range(max(0, base_row - reach), min(rows, base_row + reach + 1)):
        for column in range(max(0, base_column - reach), min(columns, base_column + reach + 1)):
            cx, cy = (column + 0.5) * CELL, (row + 0.5) * CELL
            if (cx - x) ** 2 + (cy - y) ** 2 <= radius * radius:
                found.add(OFFSETS[view] + row * columns + column)
    return frozenset(found)


def view_of_cell(cell: int) -> FigureView:
    """The figure a cell belongs to."""
    if not 0 <= cell < TOTAL_CELLS:
        raise ValueError(f"cell {cell} is outside every figure")
    found = FigureView.ANTERIOR
    for view, offset in OFFSETS.items():
        if cell >= offset:
            found = view
    return found


def cell_rect(cell: int) -> tuple[FigureView, float, float, float, float]:
    """The figure and the (x, y, width, height) of a cell, in that figure's pixels."""
    view = view_of_cell(cell)
    columns, _rows = _grid(view)
    row, column = divmod(cell - OFFSETS[view], columns)
    return view, float(column * CELL), float(row * CELL), float(CELL), float(CELL)


def _runs(numbers: Iterable[int]) -> str:
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _parse_runs(text: str, size: int) -> Iterator[int]:
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise PainDrawingError(f"{part!r} is not a cell number or a run a-b") from None
        if not 0 <= first <= last < size:
            raise PainDrawingError(f"run {part!r} is outside the figure's {size} cells")
        yield from range(first, last + 1)


@dataclass(frozen=True, slots=True)
class PainDrawing:
    """The shaded cells of every figure (immutable; editing returns a new drawing).

    Attributes:
        cells: every shaded cell, in the one numbering of all figures.
    """

    cells: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if any(not 0 <= cell < TOTAL_CELLS for cell in self.cells):
            raise ValueError("a pain drawing cell lies outside every figure")

    @property
    def is_empty(self) -> bool:
        return not self.cells

    def __len__(self) -> int:
        return len(self.cells)

    def with_cells(self, cells: Iterable[int]) -> PainDrawing:
        return PainDrawing(self.cells | frozenset(cells))

    def without_cells(self, cells: Iterable[int]) -> PainDrawing:
        return PainDrawing(self.cells - frozenset(cells))

    def in_view(self, view: FigureView) -> frozenset[int]:
        """The cells shaded on one figure (in the one numbering)."""
        start = OFFSETS[view]
        columns, rows = _grid(view)
        end = start + columns * rows
        return frozenset(c for c in self.cells if start <= c < end)

    def views(self) -> tuple[FigureView, ...]:
        """The figures that carry shading, in :class:`FigureView` order."""
        return tuple(v for v in FigureView if self.in_view(v))

    def encode(self) -> str:
        """The compact text stored with the encounter (see the module)."""
        views = {
            view.value: _runs(cell - OFFSETS[view] for cell in self.in_view(view))
            for view in self.views()
        }
        return json.dumps({"cell": CELL, "views": views}, sort_keys=True, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | None) -> PainDrawing:
        """Read :meth:`encode`'s text ("" or None is the empty drawing).

        Raises:
            PainDrawingError: the text is not a drawing of this grid.
        """
        if not text:
            return cls()
        if len(text) > MAX_TEXT:
            raise PainDrawingError("the pain drawing text is too long")
        try:
            document = json.loads(text)
        except ValueError:
            raise PainDrawingError("the pain drawing is not JSON") from None
        if not isinstance(document, dict) or document.get("cell") != CELL:
            raise PainDrawingError(f"the pain drawing is not on the {CELL}-pixel grid")
        views = document.get("views")
        if not isinstance(views, dict):
            raise PainDrawingError("the pain drawing has no figures")
        cells: set[int] = set()
        for name, runs in views.items():
            try:
                view = FigureView(name)
            except ValueError:
                raise PainDrawingError(f"{name!r} is not a figure of the body map") from None
            if not isinstance(runs, str):
                raise PainDrawingError(f"the cells of {name!r} are not text")
            columns, rows = _grid(view)
            cells.update(OFFSETS[view] + n for n in _parse_runs(runs, columns * rows))
        return cls(frozenset(cells))


__all__ = [
    "CELL",
    "FIGURE_SIZES",
    "OFFSETS",
    "TOTAL_CELLS",
    "PainDrawing",
    "PainDrawingError",
    "cell_at",
    "cell_rect",
    "cells_in_disc",
    "grid_size",
    "view_of_cell",
]
