"""Pinch to zoom and two-finger pan on the body map, within the map's zoom limits.

The gestures here are what Qt hands the view; tests/ui/bodymap/test_touch.py sends real touch
sequences through Qt's own gesture recognition.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice, QUndoStack, QWheelEvent
from PySide6.QtWidgets import QApplication, QGestureEvent, QPinchGesture
from pytestqt.qtbot import QtBot

from clinic_app.domain.bodymap import FigureView
from clinic_app.ui.bodymap.view import MAX_ZOOM, MIN_ZOOM, STEP, FigureCanvas
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.chart.model import ChartModel
from clinic_app.ui.common.theme import FIGURE_CANVAS


@pytest.fixture
def canvas(qtbot: QtBot) -> Iterator[FigureCanvas]:
    stack = QUndoStack()
    widget = BodyMapWidget(ChartModel(), stack)
    qtbot.addWidget(widget)
    widget.resize(600, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget.canvases[FigureView.POSTERIOR]
    stack.clear()


def native_zoom(canvas: FigureCanvas, value: float) -> None:
    """What a macOS trackpad pinch delivers: a native zoom gesture at the pointer."""
    viewport = canvas.viewport()
    centre = QPointF(viewport.rect().center())
    event = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        centre,
        centre,
        QPointF(viewport.mapToGlobal(centre)),
        value,
        QPointF(),
    )
    QApplication.sendEvent(viewport, event)
    assert event.isAccepted()


def send_gesture(canvas: FigureCanvas, gesture: QPinchGesture) -> None:
    """A touch-screen gesture as Qt's gesture recogniser hands it to the viewport."""
    event = QGestureEvent([gesture])
    QApplication.sendEvent(canvas.viewport(), event)
    assert event.isAccepted(gesture)


def pinch(canvas: FigureCanvas, scale: float, centre: QPointF, last: QPointF) -> QPinchGesture:
    gesture = QPinchGesture()
    gesture.setScaleFactor(scale)
    gesture.setCenterPoint(canvas.viewport().mapToGlobal(centre))
    gesture.setLastCenterPoint(canvas.viewport().mapToGlobal(last))
    flags = QPinchGesture.ChangeFlag.ScaleFactorChanged
    if centre != last:
        flags |= QPinchGesture.ChangeFlag.CenterPointChanged
    gesture.setChangeFlags(flags)
    return gesture


def test_the_canvas_grabs_pinch_and_pan_and_stays_light(canvas: FigureCanvas) -> None:
    assert canvas.viewport().testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    assert canvas.backgroundBrush().color() == FIGURE_CANVAS


def test_a_trackpad_pinch_zooms_within_the_limits(canvas: FigureCanvas) -> None:
    before = canvas.transform().m11()
    native_zoom(canvas, 0.5)
    assert canvas.zoom == pytest.approx(1.5)
    assert canvas.transform().m11() == pytest.approx(before * 1.5)
    for _ in range(20):
        native_zoom(canvas, 0.5)
    assert canvas.zoom == pytest.approx(MAX_ZOOM)
    for _ in range(40):
        native_zoom(canvas, -0.5)
    assert canvas.zoom == pytest.approx(MIN_ZOOM)


def test_a_touch_pinch_zooms_around_the_fingers(canvas: FigureCanvas) -> None:
    native_zoom(canvas, 2.0)  # zoomed in enough that the figure can move every way
    fingers = QPointF(250, 350)
    under = canvas.mapToScene(fingers.toPoint())
    send_gesture(canvas, pinch(canvas, 1.5, fingers, fingers))
    assert canvas.zoom == pytest.approx(4.5)
    # The point of the figure under the fingers stays under them (to a pixel).
    after = QPointF(canvas.mapFromScene(under))
    assert (after - fingers).manhattanLength() <= 2
    send_gesture(canvas, pinch(canvas, 100.0, fingers, fingers))
    assert canvas.zoom == pytest.approx(MAX_ZOOM)
    send_gesture(canvas, pinch(canvas, 0.001, fingers, fingers))
    assert canvas.zoom == pytest.approx(MIN_ZOOM)


def test_the_fingers_midpoint_pans_the_zoomed_figure(canvas: FigureCanvas) -> None:
    native_zoom(canvas, 2.0)
    h, v = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
    h.setValue((h.minimum() + h.maximum()) // 2)
    v.setValue((v.minimum() + v.maximum()) // 2)
    start = (h.value(), v.value())
    # Both fingers move 30 px left and 40 px up: the figure follows them.
    send_gesture(canvas, pinch(canvas, 1.0, QPointF(270, 260), QPointF(300, 300)))
    assert (h.value(), v.value()) == (start[0] + 30, start[1] + 40)
    send_gesture(canvas, pinch(canvas, 1.0, QPointF(280, 250), QPointF(270, 260)))
    assert (h.value(), v.value()) == (start[0] + 20, start[1] + 50)
    assert canvas.zoom == pytest.approx(3.0)


def test_other_viewport_events_still_reach_the_view(canvas: FigureCanvas) -> None:
    event = QEvent(QEvent.Type.Leave)
    QApplication.sendEvent(canvas.viewport(), event)
    assert canvas.zoom == pytest.approx(1.0)


def wheel(canvas: FigureCanvas, pixels: QPointF, phase: Qt.ScrollPhase) -> None:
    viewport = canvas.viewport()
    centre = QPointF(viewport.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre)),
        pixels.toPoint(),
        (pixels * 4).toPoint(),  # angle delta: what a wheel-only consumer would read
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        phase,
        False,
    )
    QApplication.sendEvent(viewport, event)
    assert event.isAccepted()


def test_two_fingers_on_a_touchpad_pan_and_a_mouse_wheel_zooms(canvas: FigureCanvas) -> None:
    native_zoom(canvas, 2.0)
    h, v = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
    h.setValue((h.minimum() + h.maximum()) // 2)
    v.setValue((v.minimum() + v.maximum()) // 2)
    start = (h.value(), v.value())
    wheel(canvas, QPointF(-12, -20), Qt.ScrollPhase.ScrollUpdate)
    assert (h.value(), v.value()) == (start[0] + 12, start[1] + 20)
    assert canvas.zoom == pytest.approx(3.0)
    wheel(canvas, QPointF(0, 30), Qt.ScrollPhase.NoScrollPhase)  # a mouse wheel notch
    assert canvas.zoom == pytest.approx(3.0 * STEP)
