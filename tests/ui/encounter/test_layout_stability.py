"""Issue 12 §2: nothing in the encounter editor moves or resizes under the mouse.

Toolbar buttons keep their place whatever Undo/Redo would do; the body map keeps its size
and zoom while the pointer crosses it (the hover text never wraps it smaller); a message
bar appearing leaves the map where it was; typing ICD-10 codes leaves the form in place.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar, QWidget

from clinic_app.domain.bodymap import FigureView
from clinic_app.domain.catalog import default_catalog
from clinic_app.domain.enums import Language, Side, TwitchResponse
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.encounter.editor import RETRY_TEXT as RETRY
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.text import Column
from tests.ui.encounter.ten_sites import ten_site_encounter

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
EDIT = Qt.ItemDataRole.EditRole


@pytest.fixture
def editor(qtbot, services, admin, make_patient, prompts) -> EncounterEditor:
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Discard)
    patient = make_patient(family_name="Nguyễn", given_name="Thị Minh")
    editor = EncounterEditor(services, ten_site_encounter(services, patient.id, admin.id))
    qtbot.addWidget(editor)
    editor.resize(1280, 800)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def toolbar_geometry(editor: EncounterEditor) -> dict[str, QRect]:
    """Every toolbar and every widget on it, by a name that tells them apart."""
    found: dict[str, QRect] = {}
    for toolbar in editor.findChildren(QToolBar):
        found[toolbar.objectName()] = QRect(toolbar.geometry())
        for i, child in enumerate(toolbar.findChildren(QWidget)):
            if child.isVisible():
                name = child.accessibleName() or type(child).__name__
                found[f"{toolbar.objectName()}/{i}/{name}"] = QRect(child.geometry())
    body_map = editor.body_map
    assert isinstance(body_map, BodyMapWidget)
    buttons = [*body_map.view_buttons.values(), body_map.deep_button, body_map.overlay_button]
    for button in buttons:  # the map's own buttons: "Head L" becoming "Head L (1)" too
        found[button.accessibleName()] = QRect(button.mapTo(editor, QPoint(0, 0)), button.size())
    return found


def relayout() -> None:
    """Run the posted layout requests now (what the next event-loop turn would do)."""
    for _ in range(3):  # a layout may post another one to its parent
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def test_toolbar_buttons_never_move_or_resize(qtbot, editor):
    body_map = editor.body_map
    assert isinstance(body_map, BodyMapWidget)
    before = toolbar_geometry(editor)
    assert len(before) > 8
    model = editor.model
    medication = model.index(3, Column.MEDICATION).data(EDIT)
    edits: list[Callable[[], object]] = [
        lambda: model.setData(model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT),
        lambda: model.setData(model.index(4, Column.MEDICATION), medication, EDIT),
        lambda: model.setData(model.index(1, Column.VOLUME), "0.5 + 0.5", EDIT),
        lambda: body_map.add_site("masseter", Side.LEFT),  # the first site on "Head L"
        editor.undo_action.trigger,
        editor.undo_action.trigger,
        editor.undo_action.trigger,
        editor.redo_action.trigger,
        lambda: editor.table.select_key(editor.chart.at(6).key),
        editor.save_now,
        lambda: editor.message_bar.show_message("Not saved: a long reason\nand more", "error"),
    ]
    for edit in edits:
        edit()
        relayout()
        assert toolbar_geometry(editor) == before
    assert editor.undo_action.text() == "&Undo"
    assert editor.undo_action.toolTip() == "Undo: Change medication(s) of site 5 (Ctrl+Z)"
    assert editor.redo_action.text() == "&Redo"


def map_geometry(editor: EncounterEditor) -> tuple[object, ...]:
    """Where the map's figure sits in the window, how big it is and how it is scaled."""
    body_map = editor.body_map
    assert isinstance(body_map, BodyMapWidget)
    canvas = body_map.current_canvas
    origin = canvas.mapTo(editor, QPoint(0, 0))
    return (
        QRect(body_map.geometry()),
        QRect(origin, canvas.size()),
        QRect(canvas.viewport().geometry()),
        canvas.transform(),
        canvas.horizontalScrollBar().value(),
        canvas.verticalScrollBar().value(),
    )


@pytest.mark.parametrize("size", [(1280, 800), (853, 533)])
def test_the_map_never_moves_or_rescales_while_the_pointer_crosses_it(qtbot, editor, size):
    editor.resize(*size)
    relayout()
    body_map = editor.body_map
    assert isinstance(body_map, BodyMapWidget)
    body_map.set_overlay(True)  # the longest texts: "… (shaded orange)"
    hovered: set[str] = set()
    for view in FigureView:
        body_map.set_current_view(view)
        relayout()
        canvas = body_map.current_canvas
        scene = body_map.scenes[view]
        before = map_geometry(editor)
        width, height = canvas.viewport().width(), canvas.viewport().height()
        points = [
            QPoint(width * (i + 0.5) // 14, height * (j + 0.5) // 24)
            for j in range(24)
            for i in range(14)
        ]
        figure = scene.figure
        points += [
            canvas.mapFromScene(QPointF(*figure.standard_point(region)))
            for region in figure.regions
        ]
        for point in points:
            qtbot.mouseMove(canvas.viewport(), point)
            relayout()
            if scene.hovered_region is not None:
                hovered.add(scene.hovered_region.muscle_code)
            assert map_geometry(editor) == before, (view, point, body_map.info.text())
    assert len(hovered) >= 20
    # Some texts are longer than a line under the map: a wrapping label would have grown.
    info = body_map.info
    longest = max(
        (default_catalog().get(code).referred_pain(Language.ENGLISH) for code in hovered), key=len
    )
    assert info.fontMetrics().horizontalAdvance(longest) > info.width()


def test_a_message_never_pushes_the_map_or_the_table(qtbot, editor):
    body_map = editor.body_map
    before = (map_geometry(editor), editor.table.mapTo(editor, QPoint(0, 0)), editor.table.size())
    editor.message_bar.show_message(
        "Not saved: the database is locked by another program.\n" + RETRY, "error"
    )
    editor.banner.show_message("Repeated from the last visit: check the highlighted sites.")
    relayout()
    assert editor.message_bar.isVisible()
    assert editor.banner.isVisible()
    after = (map_geometry(editor), editor.table.mapTo(editor, QPoint(0, 0)), editor.table.size())
    assert after == before
    # The bars lie over the bottom of the form, which keeps room to scroll every field above them.
    panel = editor.notices.panel
    form_bottom = editor.form_scroll.mapTo(editor, QPoint(0, editor.form_scroll.height()))
    assert panel.mapTo(editor, QPoint(0, panel.height())).y() == form_bottom.y()
    assert editor.form_scroll.viewportMargins().bottom() == panel.height() > 0
    assert not panel.geometry().intersects(body_map.geometry())
    editor.message_bar.hide()
    editor.banner.hide()
    relayout()
    assert not panel.isVisible()
    assert editor.form_scroll.viewportMargins().bottom() == 0
    assert (map_geometry(editor), editor.table.mapTo(editor, QPoint(0, 0))) == before[:2]


def test_typing_icd10_codes_never_moves_the_form(qtbot, editor):
    form = editor.form
    scroll = editor.form_scroll
    editor.live_checks.run_now()
    relayout()
    scroll.ensureWidgetVisible(form.icd10)
    relayout()
    form.icd10.setFocus()
    watched = [form.icd10, *(answer for answer, _note in form.screening.values())]

    def where() -> tuple[object, ...]:
        return (
            scroll.verticalScrollBar().value(),
            *(w.mapTo(editor, QPoint(0, 0)) for w in watched),
        )

    before = where()
    heights = {(form.checks.height(), form.codes.height())}
    form.icd10.selectAll()
    for key in "M54.2, M79.1, G44.209, M7":
        qtbot.keyClicks(form.icd10, key)
        editor.live_checks.run_now()  # what the debounce timer does after a pause in typing
        relayout()
        heights.add((form.checks.height(), form.codes.height()))
        assert where() == before, (form.icd10.text(), heights)
    assert form.icd10.text() == "M54.2, M79.1, G44.209, M7"
    assert len(heights) > 1  # the checks and codes did grow and shrink meanwhile


def test_the_checks_coming_back_move_nothing_under_the_table(qtbot, editor):
    details, totals = editor.sites.details, editor.totals_label
    editor.table.select_key(editor.chart.at(0).key)
    relayout()
    before = (details.mapTo(editor, QPoint(0, 0)), editor.table.size(), map_geometry(editor))
    text = totals.text()
    editor.live_checks.run_now()  # the totals now name each drug's limit: a longer text
    relayout()
    assert totals.text() != text
    assert "max" in totals.text()
    after = (details.mapTo(editor, QPoint(0, 0)), editor.table.size(), map_geometry(editor))
    assert after == before
