"""The body map driven like a provider drives it: real clicks on a real widget (offscreen).

Click points are computed from the geometry (each region's standard point), never typed in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QUndoStack
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinic_app.domain.bodymap import FigureView, Layer, default_bodymap
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Side, Technique
from clinic_app.ui.bodymap.items import MarkerItem
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.chart.model import ChartModel

BODYMAP = default_bodymap()


@pytest.fixture
def mapw(qtbot: QtBot) -> Iterator[tuple[BodyMapWidget, ChartModel, QUndoStack]]:
    model = ChartModel()
    stack = QUndoStack()
    widget = BodyMapWidget(model, stack)
    qtbot.addWidget(widget)
    widget.resize(700, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()  # shortcuts (1-4, Alt+L) only fire in the active window
    qtbot.waitUntil(widget.isActiveWindow)
    yield widget, model, stack
    stack.clear()


def view_point(widget: BodyMapWidget, view: FigureView, x: float, y: float) -> QPoint:
    widget.set_current_view(view)
    canvas = widget.canvases[view]
    return canvas.mapFromScene(QPointF(x, y))


def click(qtbot: QtBot, widget: BodyMapWidget, view: FigureView, x: float, y: float) -> None:
    pos = view_point(widget, view, x, y)
    qtbot.mouseClick(widget.canvases[view].viewport(), Qt.MouseButton.LeftButton, pos=pos)


def send_mouse(
    widget: BodyMapWidget, view: FigureView, kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton
) -> None:
    viewport = widget.canvases[view].viewport()
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(viewport.mapToGlobal(pos)),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


@pytest.mark.parametrize("view", list(FigureView))
def test_a_click_on_every_muscle_charts_exactly_that_muscle_and_side(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack], view: FigureView
) -> None:
    widget, model, stack = mapw
    figure = BODYMAP[view]
    for region in figure.regions:
        widget.set_deep_layer(region.layer is Layer.DEEP)
        x, y = figure.standard_point(region)
        click(qtbot, widget, view, x, y)
        assert len(model) == 1, (region.muscle_code, region.side)
        site = model.at(0).site
        assert (site.muscle_code, site.side) == (region.muscle_code, region.side)
        assert site.view is view.catalog_view
        sx, sy = figure.denormalise(site.point_x, site.point_y)
        assert abs(sx - x) < 2  # placed where clicked (to the pixel)
        assert abs(sy - y) < 2
        stack.undo()
        assert len(model) == 0


def test_a_click_outside_every_muscle_adds_nothing_and_says_why(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    with qtbot.waitSignal(widget.status_message) as sig:
        click(qtbot, widget, FigureView.POSTERIOR, 5, 5)
    assert len(model) == 0
    assert "No muscle" in sig.args[0]


def test_laterality_markers_read_from_the_patients_side(
    mapw: tuple[BodyMapWidget, ChartModel, QUndoStack],
) -> None:
    widget, _, _ = mapw
    front = widget.scenes[FigureView.ANTERIOR].side_labels
    back = widget.scenes[FigureView.POSTERIOR].side_labels
    assert front["R"].x() < front["L"].x()  # facing us: their right is our left
    assert back["R"].x() > back["L"].x()
    assert set(widget.scenes[FigureView.LATERAL_LEFT].side_labels) == {"L"}


def _add(
    qtbot: QtBot,
    widget: BodyMapWidget,
    muscle: str,
    side: Side,
    view: FigureView = FigureView.POSTERIOR,
) -> tuple[float, float]:
    figure = BODYMAP[view]
    region = figure.region(muscle, side)
    assert region is not None
    x, y = figure.standard_point(region)
    click(qtbot, widget, view, x, y)
    return x, y


def test_drag_reassigns_and_a_drop_outside_is_refused(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, stack = mapw
    view = FigureView.POSTERIOR
    start = _add(qtbot, widget, "trapezius_upper", Side.RIGHT)
    target_region = BODYMAP[view].region("infraspinatus", Side.RIGHT)
    assert target_region is not None
    target = BODYMAP[view].standard_point(target_region)
    p0 = view_point(widget, view, *start)
    p1 = view_point(widget, view, *target)
    send_mouse(widget, view, QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
    send_mouse(widget, view, QEvent.Type.MouseMove, p1, Qt.MouseButton.LeftButton)
    send_mouse(widget, view, QEvent.Type.MouseButtonRelease, p1, Qt.MouseButton.NoButton)
    assert len(model) == 1
    assert model.at(0).site.muscle_code == "infraspinatus"
    assert stack.undoText() == "Move site 1"
    stack.undo()
    assert model.at(0).site.muscle_code == "trapezius_upper"
    # Dragging into empty space: refused, the marker returns.
    marker = widget.scenes[view].markers[model.at(0).key]
    before = marker.pos()
    p0 = view_point(widget, view, before.x(), before.y())
    outside = view_point(widget, view, 5, 5)
    with qtbot.waitSignal(widget.status_message) as sig:
        send_mouse(widget, view, QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
        send_mouse(widget, view, QEvent.Type.MouseMove, outside, Qt.MouseButton.LeftButton)
        send_mouse(widget, view, QEvent.Type.MouseButtonRelease, outside, Qt.MouseButton.NoButton)
    assert "went back" in sig.args[0]
    assert marker.pos() == before
    assert model.at(0).site.muscle_code == "trapezius_upper"


def test_delete_undo_redo_and_numbering(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, stack = mapw
    _add(qtbot, widget, "trapezius_upper", Side.LEFT)
    _add(qtbot, widget, "levator_scapulae", Side.LEFT)
    _add(qtbot, widget, "infraspinatus", Side.RIGHT)
    scene = widget.scenes[FigureView.POSTERIOR]
    assert sorted(m.number for m in scene.markers.values()) == [1, 2, 3]
    first = model.at(0).key
    widget.select_site(first)
    widget.remove_selected()
    assert [s.site.muscle_code for s in model.sites()] == ["levator_scapulae", "infraspinatus"]
    assert sorted(m.number for m in scene.markers.values()) == [1, 2]
    stack.undo()
    assert model.at(0).key == first
    assert scene.markers[first].number == 1
    stack.redo()
    assert first not in scene.markers


def test_selecting_a_marker_is_announced(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    _add(qtbot, widget, "rhomboids", Side.LEFT) if False else _add(
        qtbot, widget, "infraspinatus", Side.LEFT
    )
    key = model.at(0).key
    marker = widget.scenes[FigureView.POSTERIOR].markers[key]
    widget.scenes[FigureView.POSTERIOR].clearSelection()
    with qtbot.waitSignal(widget.marker_selected) as sig:
        marker.setSelected(True)
    assert sig.args == [key]


def test_keyboard_picker_adds_at_the_standard_point(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    widget.picker.left.setChecked(True)
    widget.picker.edit.setFocus()
    qtbot.keyClicks(widget.picker.edit, "levat")
    qtbot.keyClick(widget.picker.edit, Qt.Key.Key_Return)
    assert len(model) == 1
    site = model.at(0).site
    assert (site.muscle_code, site.side) == ("levator_scapulae", Side.LEFT)
    figure = BODYMAP[FigureView.for_site(site.view, Side.LEFT)]
    hit = figure.hit_test(*figure.denormalise(site.point_x, site.point_y))
    assert hit is not None
    assert hit.muscle_code == "levator_scapulae"
    picker = widget.picker
    button, side = picker.add_button.geometry(), picker.left.geometry()
    qtbot.keyClicks(picker.edit, "zzzz")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert "No muscle" in picker.feedback.text()
    assert len(model) == 1
    # The message sits inside the field: the side choice and Add site stay where they were.
    assert picker.feedback.isVisibleTo(picker)
    assert picker.edit.rect().contains(picker.feedback.geometry())
    assert (picker.add_button.geometry(), picker.left.geometry()) == (button, side)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Backspace)  # typing again takes it away
    assert not picker.feedback.isVisibleTo(picker)


def test_deep_layer_decides_what_a_click_charts(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, stack = mapw
    figure = BODYMAP[FigureView.POSTERIOR]
    piriformis = figure.region("piriformis", Side.RIGHT)
    assert piriformis is not None
    x, y = figure.standard_point(piriformis)
    click(qtbot, widget, FigureView.POSTERIOR, x, y)
    assert all(s.site.muscle_code != "piriformis" for s in model.sites())
    while len(model):
        stack.undo()
    widget.set_deep_layer(True)
    click(qtbot, widget, FigureView.POSTERIOR, x, y)
    assert model.at(len(model) - 1).site.muscle_code == "piriformis"


def test_hover_highlights_and_overlay_shades_referred_pain(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, _, _ = mapw
    view = FigureView.POSTERIOR
    figure = BODYMAP[view]
    region = figure.region("trapezius_upper", Side.RIGHT)
    assert region is not None
    scene = widget.scenes[view]
    widget.set_overlay(True)
    pos = view_point(widget, view, *figure.standard_point(region))
    with qtbot.waitSignal(scene.hovered_changed) as sig:
        qtbot.mouseMove(widget.canvases[view].viewport(), pos)
    assert sig.args == ["trapezius_upper", "right"]
    assert scene.hovered_region is region
    assert scene.overlay.shapes  # somewhere is shaded
    assert "Trapezius" in widget.info.text()
    widget.set_overlay(False)
    assert scene.overlay.shapes == ()


def test_dry_needling_markers_look_different(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    from clinic_app.services.dto import SiteDraft, SiteInput

    widget, model, _ = mapw

    def needling(muscle: str, side: Side, view: View, x: float, y: float) -> SiteDraft:
        return SiteDraft(SiteInput(muscle, side, view, x, y, technique=Technique.DRY_NEEDLING))

    widget.set_site_factory(needling)
    _add(qtbot, widget, "gluteus_medius", Side.LEFT)
    marker = widget.scenes[FigureView.POSTERIOR].markers[model.at(0).key]
    assert isinstance(marker, MarkerItem)
    assert marker.technique is Technique.DRY_NEEDLING


def test_read_only_map_refuses_clicks(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    widget.set_read_only(True)
    with qtbot.waitSignal(widget.status_message):
        _add(qtbot, widget, "gluteus_medius", Side.LEFT)
    assert len(model) == 0


def test_number_keys_switch_figures_even_after_counts_change(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, _, _ = mapw
    _add(qtbot, widget, "infraspinatus", Side.LEFT)  # relabels "Back (1)"
    assert widget.view_buttons[FigureView.POSTERIOR].text() == "Back (1)"
    widget.canvases[FigureView.POSTERIOR].setFocus()
    qtbot.keyClick(widget.canvases[FigureView.POSTERIOR], Qt.Key.Key_1)
    assert widget.current_view is FigureView.ANTERIOR
    qtbot.keyClick(widget.canvases[FigureView.ANTERIOR], Qt.Key.Key_3)
    assert widget.current_view is FigureView.LATERAL_RIGHT


def test_leaving_the_figure_clears_the_hover(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, _, _ = mapw
    view = FigureView.POSTERIOR
    figure = BODYMAP[view]
    region = figure.region("gluteus_maximus", Side.LEFT)
    assert region is not None
    scene = widget.scenes[view]
    qtbot.mouseMove(
        widget.canvases[view].viewport(), view_point(widget, view, *figure.standard_point(region))
    )
    assert scene.hovered_region is region
    with qtbot.waitSignal(scene.hovered_changed) as sig:
        QApplication.sendEvent(widget.canvases[view], QEvent(QEvent.Type.Leave))
    assert sig.args == ["", ""]
    assert scene.hovered_region is None
    assert widget.canvases[view].toolTip() == ""


def test_nudging_a_deep_muscle_marker_keeps_its_muscle(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    view = FigureView.POSTERIOR
    key = widget.add_site("piriformis", Side.RIGHT, view)
    assert key is not None
    widget.set_deep_layer(False)
    marker = widget.scenes[view].markers[key]
    assert marker.deep
    start = marker.pos()
    p0 = view_point(widget, view, start.x(), start.y())
    p1 = p0 + QPoint(3, 2)
    send_mouse(widget, view, QEvent.Type.MouseButtonPress, p0, Qt.MouseButton.LeftButton)
    send_mouse(widget, view, QEvent.Type.MouseMove, p1, Qt.MouseButton.LeftButton)
    send_mouse(widget, view, QEvent.Type.MouseButtonRelease, p1, Qt.MouseButton.NoButton)
    site = model.site(key).site
    assert site.muscle_code == "piriformis"
    assert site.point_x != pytest.approx(BODYMAP[view].normalise(start.x(), start.y())[0])


def test_picker_side_by_keyboard_then_enter(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, model, _ = mapw
    widget.picker.edit.setFocus()
    qtbot.keyClicks(widget.picker.edit, "quadratus")
    qtbot.keyClick(widget.picker.edit, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(widget.picker.left.isChecked)  # a mnemonic clicks after a short animation
    assert widget.picker.edit.hasFocus()
    qtbot.keyClick(widget.picker.edit, Qt.Key.Key_Return)
    assert len(model) == 1
    site = model.at(0).site
    assert (site.muscle_code, site.side) == ("quadratus_lumborum", Side.LEFT)


def test_safety_findings_badge_their_markers(
    qtbot: QtBot, mapw: tuple[BodyMapWidget, ChartModel, QUndoStack]
) -> None:
    widget, _, _ = mapw
    _add(qtbot, widget, "trapezius_upper", Side.LEFT)
    _add(qtbot, widget, "gluteus_medius", Side.LEFT)
    widget.set_flagged_sites({1})
    assert widget.flagged_numbers() == {1}
    widget.set_flagged_sites(set())
    assert widget.flagged_numbers() == set()
