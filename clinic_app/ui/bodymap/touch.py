"""Fingers on the body map: one finger charts and drags like the mouse, two never chart.

Qt turns a touch nobody accepts into mouse events at once, so the first finger of a pinch
would press the map and chart a site before the second finger lands. The map's canvas
accepts touch instead and hands it here: a tap becomes a click where it was, a one-finger
drag becomes a mouse drag (a marker follows the finger), and as soon as a second finger
touches, the fingers belong to Qt's pinch and pan gestures and no mouse event is sent.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QApplication, QWidget

#: How far (pixels) one finger may wander and still be a tap, not a drag.
TAP_SLOP = 8.0


class TouchToMouse:
    """Turns one-finger touch on ``viewport`` into mouse events; ignores multi-finger touch."""

    def __init__(self, viewport: QWidget) -> None:
        self._viewport = viewport
        viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self._start: QPointF | None = None  # where the one finger went down
        self._last = QPointF()
        self._dragging = False  # mouse events are being sent for this touch
        self._gesture = False  # a second finger came: nothing more for the mouse

    def handle(self, event: QTouchEvent) -> bool:
        """Take a touch event of the viewport; True (always: touch is ours, not Qt's mouse)."""
        points = event.points()
        kind = event.type()
        if kind == QEvent.Type.TouchBegin:
            self._start, self._dragging, self._gesture = points[0].position(), False, False
            self._last = self._start
        if kind == QEvent.Type.TouchCancel:
            self._finish(None)
        elif len(points) > 1 or self._gesture:
            if not self._gesture and self._dragging:
                self._send(QEvent.Type.MouseButtonRelease, self._last, Qt.MouseButton.NoButton)
            self._gesture = True
        elif self._start is not None:
            where = points[0].position()
            self._last = where
            if not self._dragging and (where - self._start).manhattanLength() > TAP_SLOP:
                self._dragging = True
                self._send(QEvent.Type.MouseButtonPress, self._start, Qt.MouseButton.LeftButton)
            if self._dragging:
                self._send(QEvent.Type.MouseMove, where, Qt.MouseButton.LeftButton)
            if kind == QEvent.Type.TouchEnd:
                self._finish(where)
        if kind == QEvent.Type.TouchEnd:
            self._start = None
        event.accept()
        return True

    def _finish(self, where: QPointF | None) -> None:
        if where is not None and not self._gesture and self._start is not None:
            if not self._dragging:  # a tap: a click where the finger went down
                self._send(QEvent.Type.MouseButtonPress, self._start, Qt.MouseButton.LeftButton)
                where = self._start
            self._send(QEvent.Type.MouseButtonRelease, where, Qt.MouseButton.NoButton)
        self._start, self._dragging, self._gesture = None, False, False

    def _send(self, kind: QEvent.Type, pos: QPointF, buttons: Qt.MouseButton) -> None:
        event = QMouseEvent(
            kind,
            pos,
            QPointF(self._viewport.mapToGlobal(pos)),
            Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(self._viewport, event)
