"""A zoomable, pannable view of one figure scene."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QResizeEvent,
    QShowEvent,
    QTouchEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGestureEvent, QGraphicsView, QPinchGesture, QWidget

from clinic_app.ui.bodymap.scene import FigureScene
from clinic_app.ui.bodymap.touch import TouchToMouse
from clinic_app.ui.common.theme import FIGURE_CANVAS

MIN_ZOOM, MAX_ZOOM = 0.5, 8.0
STEP = 1.2


class FigureCanvas(QGraphicsView):
    """Wheel zooms around the pointer; +/− zoom, 0 fits; middle- or right-drag pans.

    On a touch screen a pinch zooms around the fingers and a two-finger drag pans (Qt's
    gestures); on a touchpad the pinch arrives as a native zoom gesture and a two-finger
    drag as a phased pixel scroll, which pans. Every zoom keeps to the same limits. The left
    button (and one finger) is kept for charting, so panning never adds a site by accident.
    The figure is drawn on a light canvas in the dark theme too: it is an anatomical drawing.
    """

    def __init__(self, scene: FigureScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.figure_scene = scene
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setMouseTracking(True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Body map, {scene.figure.view.label}")
        self.setBackgroundBrush(FIGURE_CANVAS)
        self._touch = TouchToMouse(self.viewport())
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._zoom = 1.0  # relative to "fit"
        self._pan_from: QPoint | None = None
        self._pinch_centre: QPointF | None = None  # global, as the pinch last put it

    @property
    def zoom(self) -> float:
        return self._zoom

    def fit(self) -> None:
        """Show the whole figure."""
        self._zoom = 1.0
        self.resetTransform()
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        target = max(MIN_ZOOM, min(MAX_ZOOM, self._zoom * factor))
        if target != self._zoom:
            self.scale(target / self._zoom, target / self._zoom)
            self._zoom = target

    def zoom_at(self, factor: float, pos: QPointF) -> None:
        """Zoom by ``factor`` (within the limits) keeping the scene point at ``pos`` still."""
        zoom, anchor = self._zoom, self.mapToScene(pos.toPoint())
        previous = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.zoom_by(factor)
        self.setTransformationAnchor(previous)
        if self._zoom != zoom:  # (no pixel rounding creeps in while the scale stays)
            self.pan_by(self.mapFromScene(anchor).toPointF() - pos)

    def pan_by(self, delta: QPointF) -> None:
        """Scroll the figure by ``delta`` viewport pixels (positive: towards its end)."""
        for bar, step in (
            (self.horizontalScrollBar(), delta.x()),
            (self.verticalScrollBar(), delta.y()),
        ):
            bar.setValue(bar.value() + round(step))

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QGestureEvent):
            return self._on_gesture(event)
        if isinstance(event, QTouchEvent):
            return self._touch.handle(event)
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_at(1.0 + event.value(), event.position())
            event.accept()
            return True
        return super().viewportEvent(event)

    def _on_gesture(self, event: QGestureEvent) -> bool:
        pinch = event.gesture(Qt.GestureType.PinchGesture)
        if isinstance(pinch, QPinchGesture):
            # The fingers' midpoint drags the figure (two-finger pan); measured from where this
            # view last saw it, since Qt repeats the last step when the gesture finishes.
            centre = pinch.centerPoint()
            if pinch.state() == Qt.GestureState.GestureStarted or self._pinch_centre is None:
                self._pinch_centre = pinch.lastCenterPoint()
            self.pan_by(self._pinch_centre - centre)
            self._pinch_centre = centre
            if pinch.state() in (Qt.GestureState.GestureFinished, Qt.GestureState.GestureCanceled):
                self._pinch_centre = None
            if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                at = self.viewport().mapFromGlobal(centre.toPoint())
                self.zoom_at(pinch.scaleFactor(), QPointF(at))
            event.accept(pinch)
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._zoom == 1.0:
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._zoom == 1.0:
            self.fit()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.figure_scene.clear_hover()
        self.setToolTip("")

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.phase() != Qt.ScrollPhase.NoScrollPhase and not event.pixelDelta().isNull():
            # Two fingers on a touchpad (a scroll with phases, in pixels): pan, as on a
            # touch screen; a pinch on the touchpad zooms (a native gesture).
            self.pan_by(-QPointF(event.pixelDelta()))
            event.accept()
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(STEP**steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position().toPoint() - self._pan_from
            self._pan_from = event.position().toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
