"""Pain-drawing mode in the encounter editor: real drags shade, undo takes a stroke back, the
drawing is saved with the visit, and a suggestion charts a site on its muscle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_app.domain import clock
from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.enums import Side
from clinic_app.domain.pain_drawing import PainDrawing, cell_at
from clinic_app.domain.pain_drawing_rank import default_pattern_index
from clinic_app.services.dto import EncounterInput, UserView
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.pain_drawing import PainDrawingPanel
from tests.ui.prompts import Prompts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
VIEW = FigureView.POSTERIOR


@pytest.fixture(autouse=True)
def questions(prompts: Prompts) -> Prompts:
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Discard)
    return prompts


@pytest.fixture
def editor(qtbot: QtBot, services, admin: UserView, make_patient) -> EncounterEditor:
    patient = make_patient(family_name="Nguyễn", given_name="An")
    draft = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(draft.id, draft.version, EncounterInput(), [])
    window = EncounterEditor(services, draft.id)
    qtbot.addWidget(window)
    window.session.autosave_timer.setInterval(20)
    window.show()
    qtbot.waitExposed(window)
    return window


def parts(editor: EncounterEditor) -> tuple[PainDrawingPanel, BodyMapWidget]:
    panel, body_map = editor.pain_drawing, editor.body_map
    assert panel is not None
    assert isinstance(body_map, BodyMapWidget)
    return panel, body_map


def drag(
    body_map: BodyMapWidget,
    points: list[tuple[float, float]],
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press at the first figure point, move through the others, release at the last."""
    body_map.set_current_view(VIEW)
    canvas = body_map.canvases[VIEW]
    viewport = canvas.viewport()
    at = [canvas.mapFromScene(QPointF(x, y)) for x, y in points]

    def send(kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
        event = QMouseEvent(
            kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), button, buttons, modifiers
        )
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, at[0], button)
    for pos in at[1:]:
        send(QEvent.Type.MouseMove, pos, button)
    send(QEvent.Type.MouseButtonRelease, at[-1], Qt.MouseButton.NoButton)


def stored(services, editor: EncounterEditor) -> Callable[[], PainDrawing]:
    return lambda: services.pain_drawings.get(editor.encounter_id).drawing


def test_a_drag_shades_undo_takes_the_stroke_back_and_both_are_saved(
    qtbot: QtBot, services, editor: EncounterEditor
) -> None:
    panel, body_map = parts(editor)
    assert not panel.box.isVisible()
    qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert panel.action.isChecked()
    assert panel.box.isVisible()
    drag(body_map, [(300, 250), (310, 275), (320, 300)])
    drawn = panel.drawing.cells
    assert cell_at(VIEW, 300, 250) in drawn
    assert cell_at(VIEW, 320, 300) in drawn
    assert cell_at(VIEW, 200, 250) not in drawn
    assert editor.model.rowCount() == 0  # shading charts no site
    assert panel.brush.layers[VIEW].cells == drawn
    assert editor.stack.undoText() == "Shade pain drawing"
    assert panel.suggestions.count() > 0
    qtbot.waitUntil(lambda: stored(services, editor)().cells == drawn)
    editor.undo_action.trigger()
    assert panel.drawing.is_empty
    assert panel.brush.layers[VIEW].cells == frozenset()
    assert panel.suggestions.count() == 0
    qtbot.waitUntil(lambda: stored(services, editor)().is_empty)
    editor.redo_action.trigger()
    assert panel.drawing.cells == drawn


def test_right_drag_and_shift_drag_erase(qtbot: QtBot, editor: EncounterEditor) -> None:
    panel, body_map = parts(editor)
    panel.set_mode(True)
    drag(body_map, [(280, 250), (280, 330)])
    assert cell_at(VIEW, 280, 330) in panel.drawing.cells
    drag(body_map, [(280, 320), (280, 340)], Qt.MouseButton.RightButton)
    assert cell_at(VIEW, 280, 330) not in panel.drawing.cells
    assert cell_at(VIEW, 280, 250) in panel.drawing.cells
    assert editor.stack.undoText() == "Erase pain drawing"
    drag(body_map, [(280, 240), (280, 260)], modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert cell_at(VIEW, 280, 250) not in panel.drawing.cells


def test_with_the_mode_off_a_click_charts_a_site_again(
    qtbot: QtBot, editor: EncounterEditor
) -> None:
    panel, body_map = parts(editor)
    panel.set_mode(True)
    panel.set_mode(False)
    assert not panel.box.isVisible()
    figure = body_map.scenes[VIEW].figure
    region = figure.region("infraspinatus", Side.RIGHT)
    assert region is not None
    x, y = figure.standard_point(region)
    drag(body_map, [(x, y)])
    assert editor.model.rowCount() == 1
    assert panel.drawing.is_empty


def test_a_suggestion_previews_its_zones_and_a_click_charts_it(
    qtbot: QtBot, services, editor: EncounterEditor
) -> None:
    panel, _body_map = parts(editor)
    panel.set_mode(True)
    panel.model.set_drawing(default_pattern_index().pattern("infraspinatus", Side.LEFT))
    qtbot.waitUntil(lambda: not stored(services, editor)().is_empty)
    first = panel.suggestions.item(0)
    assert first.text().startswith("Infraspinatus, left — covers 100 %, explains 100 %")
    assert panel.suggestions.count() <= 5
    rect = panel.suggestions.visualItemRect(first)
    with qtbot.waitSignal(panel.suggestions.previewed) as previewed:
        qtbot.mouseMove(panel.suggestions.viewport(), rect.center())
    assert previewed.args == ["infraspinatus", "left"]
    assert panel.overlays[VIEW].shapes
    qtbot.mouseClick(panel.suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.model.rowCount() == 1
    charted = editor.chart.at(0).site
    assert (charted.muscle_code, charted.side) == ("infraspinatus", Side.LEFT)
    editor.undo_action.trigger()  # one undo step, as a click on the map
    assert editor.model.rowCount() == 0
    panel.suggestions.setCurrentRow(1)
    second = panel.suggestions.item(1).data(Qt.ItemDataRole.UserRole)
    panel.suggestions.setFocus()
    qtbot.keyClick(panel.suggestions, Qt.Key.Key_Return)
    assert (editor.chart.at(0).site.muscle_code, editor.chart.at(0).site.side.value) == second


def test_a_read_only_visit_shows_its_drawing_and_refuses_strokes(
    qtbot: QtBot, services, admin: UserView, make_patient
) -> None:
    patient = make_patient(family_name="Ortiz", given_name="Ana")
    past = clock.now() - timedelta(days=3)
    draft = services.encounters.create(patient.id, admin.id, performed_at=past)
    pattern = default_pattern_index().pattern("trapezius_upper", Side.RIGHT)
    services.pain_drawings.save(draft.id, pattern, expected_version=0)
    window = EncounterEditor(services, draft.id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.read_only  # a past draft opens locked
    panel, body_map = parts(window)
    assert panel.drawing == pattern
    assert panel.brush.layers[VIEW].cells == pattern.in_view(VIEW)
    panel.set_mode(True)
    assert panel.suggestions.item(0).text().startswith("Trapezius (upper), right")
    with qtbot.waitSignal(body_map.status_message) as said:
        drag(body_map, [(100, 100), (120, 120)])
    assert "read-only" in said.args[0]
    assert panel.drawing == pattern
    assert window.stack.count() == 0
