"""Issue 12 §2: nothing in the encounter editor moves or resizes under the mouse.

Toolbar buttons keep their place whatever Undo/Redo would do; the body map keeps its size
and zoom while the pointer crosses it (the hover text never wraps it smaller); a message
bar appearing leaves the map where it was; typing ICD-10 codes leaves the form in place.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar, QWidget

from clinic_app.domain.enums import TwitchResponse
from clinic_app.ui.bodymap.widget import BodyMapWidget
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
    return found


def relayout() -> None:
    """Run the posted layout requests now (what the next event-loop turn would do)."""
    for _ in range(3):  # a layout may post another one to its parent
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def test_toolbar_buttons_never_move_or_resize(qtbot, editor):
    before = toolbar_geometry(editor)
    assert len(before) > 8
    model = editor.model
    medication = model.index(3, Column.MEDICATION).data(EDIT)
    edits: list[Callable[[], object]] = [
        lambda: model.setData(model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT),
        lambda: model.setData(model.index(4, Column.MEDICATION), medication, EDIT),
        lambda: model.setData(model.index(1, Column.VOLUME), "0.5 + 0.5", EDIT),
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
