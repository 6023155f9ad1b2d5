"""Pinch to zoom and two-finger pan on the body map, within the map's zoom limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice, QUndoStack
from PySide6.QtWidgets import QApplication, QGestureEvent, QPanGesture, QPinchGesture
from pytestqt.qtbot import QtBot

from clinic_app.domain.bodymap import FigureView
from clinic_app.ui.bodymap.view import MAX_ZOOM, MIN_ZOOM, FigureCanvas
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


def send_gesture(canvas: FigureCanvas, gesture: QPinchGesture | QPanGesture) -> None:
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


def test_two_fingers_pan_the_zoomed_figure(canvas: FigureCanvas) -> None:
    native_zoom(canvas, 2.0)
    h, v = canvas.horizontalScrollBar(), canvas.verticalScrollBar()
    h.setValue((h.minimum() + h.maximum()) // 2)
    v.setValue((v.minimum() + v.maximum()) // 2)
    start = (h.value(), v.value())
    pan = QPanGesture()
    pan.setLastOffset(QPointF(0, 0))
    pan.setOffset(QPointF(-30, -40))  # fingers move up and left: the figure follows them
    assert pan.delta() == QPointF(-30, -40)
    send_gesture(canvas, pan)
    assert (h.value(), v.value()) == (start[0] + 30, start[1] + 40)
    # A pinch whose centre moves pans too.
    send_gesture(canvas, pinch(canvas, 1.0, QPointF(100, 100), QPointF(110, 120)))
    assert (h.value(), v.value()) == (start[0] + 40, start[1] + 60)
    assert canvas.zoom == pytest.approx(3.0)


def test_other_viewport_events_still_reach_the_view(canvas: FigureCanvas) -> None:
    event = QEvent(QEvent.Type.Leave)
    QApplication.sendEvent(canvas.viewport(), event)
    assert canvas.zoom == pytest.approx(1.0)
