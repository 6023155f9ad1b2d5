"""Pain-drawing mode on the body map: shade where it hurts, one undo step per stroke.

The drawing is a :class:`~clinic_app.domain.pain_drawing.PainDrawing` held by a
:class:`DrawingModel`; each figure shows its cells as a translucent red :class:`DrawingLayer`.
While the mode is on, :class:`PainBrush` takes the pointer on every figure (an event filter
on each canvas's viewport, so the scene never sees the press and charts nothing): a
left-drag (or one finger) shades the cells under a round brush, a right-drag or a
Shift+left-drag erases, the middle button still pans. The cells change live while the stroke
goes on; at release one :class:`StrokeCommand` goes on the editor's undo stack, so Ctrl+Z
takes the whole stroke back.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.pain_drawing import (
    CELL,
    FIGURE_SIZES,
    OFFSETS,
    PainDrawing,
    cells_in_disc,
    grid_size,
)
from clinic_app.ui.bodymap.items import Z_DEEP, Z_OVERLAY
from clinic_app.ui.bodymap.view import FigureCanvas

#: The shading: a deep crimson that reads on skin and on the red muscles alike, with a darker
#: edge round each shaded patch; translucent, so the anatomy shows through.
PAIN_FILL = QColor(190, 0, 60, 120)
PAIN_EDGE = QColor(120, 0, 40, 230)
#: Above the muscles, under the referred-pain overlay and the markers.
Z_DRAWING = (Z_DEEP + Z_OVERLAY) / 2
#: The brush's radius in figure pixels (a fingertip on a full-body figure at fit).
BRUSH_RADIUS = 14.0


class DrawingModel(QObject):
    """The pain drawing being edited.

    Signals:
        changed(object): the new :class:`PainDrawing` (set by a command, a load or a reset).
    """

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._drawing = PainDrawing()

    @property
    def drawing(self) -> PainDrawing:
        return self._drawing

    def set_drawing(self, drawing: PainDrawing) -> None:
        if drawing != self._drawing:
            self._drawing = drawing
            self.changed.emit(drawing)


class StrokeCommand(QUndoCommand):
    """One stroke of the brush: the drawing before and after it."""

    def __init__(
        self, model: DrawingModel, before: PainDrawing, after: PainDrawing, *, erase: bool
    ) -> None:
        super().__init__("Erase pain drawing" if erase else "Shade pain drawing")
        self._model = model
        self._before = before
        self._after = after

    def redo(self) -> None:
        self._model.set_drawing(self._after)

    def undo(self) -> None:
        self._model.set_drawing(self._before)


class DrawingLayer(QGraphicsItem):
    """The shaded cells of one figure, as one cached path of row runs."""

    def __init__(self, view: FigureView) -> None:
        super().__init__()
        self.view = view
        width, height = FIGURE_SIZES[view]
        self._rect = QRectF(0, 0, width, height)
        self._path = QPainterPath()
        self.cells: frozenset[int] = frozenset()
        self.setZValue(Z_DRAWING)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_cells(self, cells: frozenset[int]) -> None:
        """Show these cells (of this figure, in the one numbering of all cells)."""
        if cells == self.cells:
            return
        self.cells = cells
        columns, _rows = grid_size(self.view)
        path = QPainterPath()
        local = sorted(c - OFFSETS[self.view] for c in cells)
        start = 0
        while start < len(local):
            end = start
            row = local[start] // columns
            while (
                end + 1 < len(local)
                and local[end + 1] == local[end] + 1
                and local[end + 1] // columns == row
            ):
                end += 1
            column = local[start] % columns
            path.addRect(QRectF(column * CELL, row * CELL, (end - start + 1) * CELL, CELL))
            start = end + 1
        self._path = path.simplified()  # one outline per patch, not one per cell
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.fillPath(self._path, PAIN_FILL)
        pen = QPen(PAIN_EDGE, 1.5)
        pen.setCosmetic(True)
        painter.strokePath(self._path, pen)


class PainBrush(QObject):
    """Turns pointer drags on the figures into strokes while the mode is on.

    Signals:
        status_message(str): feedback (a refused stroke on a read-only visit).

    Attributes:
        layers: each figure's :class:`DrawingLayer`.
    """

    status_message = Signal(str)

    def __init__(
        self,
        canvases: dict[FigureView, FigureCanvas],
        model: DrawingModel,
        stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._stack = stack
        self._active = False
        self._read_only = False
        self._canvases: dict[QObject, FigureCanvas] = {}
        self.layers: dict[FigureView, DrawingLayer] = {}
        for view, canvas in canvases.items():
            layer = DrawingLayer(view)
            canvas.figure_scene.addItem(layer)
            self.layers[view] = layer
            self._canvases[canvas.viewport()] = canvas
            canvas.viewport().installEventFilter(self)
        self._stroke: set[int] | None = None
        self._before = PainDrawing()
        self._erase = False
        self._view = FigureView.ANTERIOR
        self._last = QPointF()
        model.changed.connect(self._show)

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, on: bool) -> None:
        """Pain-drawing mode on (drags shade) or off (clicks chart sites again)."""
        self._active = on
        self._stroke = None
        for viewport, canvas in self._canvases.items():
            if isinstance(viewport, QWidget):
                if on:
                    viewport.setCursor(Qt.CursorShape.CrossCursor)
                else:
                    viewport.unsetCursor()
            canvas.figure_scene.clear_hover()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._stroke = None

    def _show(self, drawing: PainDrawing) -> None:
        for view, layer in self.layers.items():
            layer.set_cells(drawing.in_view(view))

    # ------------------------------------------------------------------ strokes
    def _brush(self, point: QPointF) -> None:
        """Shade or erase along the segment from the last point to ``point``."""
        assert self._stroke is not None
        distance = math.hypot(point.x() - self._last.x(), point.y() - self._last.y())
        steps = max(1, math.ceil(distance / (BRUSH_RADIUS / 2)))
        for step in range(1, steps + 1):
            t = step / steps
            x = self._last.x() + (point.x() - self._last.x()) * t
            y = self._last.y() + (point.y() - self._last.y()) * t
            cells = cells_in_disc(self._view, x, y, BRUSH_RADIUS)
            if self._erase:
                self._stroke -= cells
            else:
                self._stroke |= cells
        self._last = point
        self.layers[self._view].set_cells(PainDrawing(frozenset(self._stroke)).in_view(self._view))

    def _press(self, canvas: FigureCanvas, event: QMouseEvent) -> bool:
        button = event.button()
        if button == Qt.MouseButton.MiddleButton:
            return False  # the canvas pans
        if self._read_only:
            self.status_message.emit("This encounter is read-only: the pain drawing is as saved.")
            return True
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._erase = button == Qt.MouseButton.RightButton or shift
        self._view = canvas.figure_scene.figure.view
        self._before = self._model.drawing
        self._stroke = set(self._before.cells)
        self._last = canvas.mapToScene(event.position().toPoint())
        self._brush(self._last)
        return True

    def _release(self) -> None:
        assert self._stroke is not None
        after = PainDrawing(frozenset(self._stroke))
        self._stroke = None
        if after != self._before:
            self._stack.push(StrokeCommand(self._model, self._before, after, erase=self._erase))
        self._show(self._model.drawing)  # a locked stack took nothing: show what is stored

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        canvas = self._canvases.get(watched)
        if canvas is None or not self._active or not isinstance(event, QMouseEvent):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            return self._press(canvas, event)
        if kind == QEvent.Type.MouseButtonDblClick:
            return event.button() != Qt.MouseButton.MiddleButton
        if kind == QEvent.Type.MouseMove and self._stroke is not None:
            self._brush(canvas.mapToScene(event.position().toPoint()))
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._stroke is not None:
            self._release()
            return True
        return False


__all__ = [
    "BRUSH_RADIUS",
    "PAIN_FILL",
    "DrawingLayer",
    "DrawingModel",
    "PainBrush",
    "StrokeCommand",
]
