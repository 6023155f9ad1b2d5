"""The pain brush on a bare body map: a finger shades, a stroke is one undo step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.pain_drawing import PainDrawing, cell_at
from clinic_app.ui.bodymap.drawing import DrawingModel, PainBrush, StrokeCommand
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.chart.model import ChartModel

VIEW = FigureView.POSTERIOR


@pytest.fixture
def brush_map(qtbot: QtBot) -> Iterator[tuple[BodyMapWidget, ChartModel, QUndoStack, PainBrush]]:
    model, stack = ChartModel(), QUndoStack()
    widget = BodyMapWidget(model, stack)
    qtbot.addWidget(widget)
    widget.resize(600, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_current_view(VIEW)
    brush = PainBrush(widget.canvases, DrawingModel(widget), stack, widget)
    brush.set_active(True)
    yield widget, model, stack, brush
    stack.clear()


def on_window(widget: BodyMapWidget, x: float, y: float) -> QPoint:
    canvas = widget.canvases[VIEW]
    viewport = canvas.viewport()
    return viewport.mapTo(viewport.window(), canvas.mapFromScene(QPointF(x, y)))


def test_one_finger_shades_and_charts_nothing(brush_map) -> None:
    widget, model, stack, brush = brush_map
    window = widget.canvases[VIEW].viewport().window()
    device = QTest.createTouchDevice()
    start, end = on_window(widget, 300, 400), on_window(widget, 300, 480)
    QTest.touchEvent(window, device).press(0, start, window).commit()
    for step in range(1, 6):
        at = start + (end - start) * (step / 5)
        QTest.touchEvent(window, device).move(0, at, window).commit()
    QTest.touchEvent(window, device).release(0, end, window).commit()
    assert len(model) == 0
    cells = brush.layers[VIEW].cells
    assert cell_at(VIEW, 300, 440) in cells
    assert stack.count() == 1
    stack.undo()
    assert brush.layers[VIEW].cells == frozenset()


def test_a_stroke_command_restores_exactly_the_drawing_before(brush_map) -> None:
    _widget, _model, stack, brush = brush_map
    drawing_model = DrawingModel()
    before = PainDrawing(frozenset({1, 2}))
    drawing_model.set_drawing(before)
    after = before.with_cells({3})
    stack.push(StrokeCommand(drawing_model, before, after, erase=False))
    assert drawing_model.drawing == after
    assert stack.undoText() == "Shade pain drawing"
    stack.undo()
    assert drawing_model.drawing == before
    assert brush.active


def test_with_the_mode_off_the_brush_lets_clicks_chart(qtbot: QtBot, brush_map) -> None:
    widget, model, _stack, brush = brush_map
    brush.set_active(False)
    figure = widget.scenes[VIEW].figure
    region = next(r for r in figure.regions if r.muscle_code == "infraspinatus")
    x, y = figure.standard_point(region)
    canvas = widget.canvases[VIEW]
    qtbot.mouseClick(
        canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.mapFromScene(QPointF(x, y))
    )
    assert len(model) == 1
    assert brush.layers[VIEW].cells == frozenset()
