"""The site details panel: the selected site's technique, needle, twitch, aspiration and
findings, edited through the same undo commands as the table's cells."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QMessageBox

from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.details import DETAIL_COLUMNS, NO_SITE_TITLE
from clinic_app.ui.encounter.sites.text import Column
from tests.ui.encounter.ten_sites import ten_site_encounter

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def editor(qtbot, services, admin, make_patient, prompts) -> EncounterEditor:
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Discard)
    patient = make_patient()
    editor = EncounterEditor(services, ten_site_encounter(services, patient.id, admin.id))
    qtbot.addWidget(editor)
    editor.session.autosave_timer.setInterval(60_000)
    return editor


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def cell(editor: EncounterEditor, row: int, column: Column) -> str:
    return str(editor.model.index(row, column).data())


def test_the_panel_follows_the_selected_site(editor):
    details = editor.sites.details
    assert details.row is None
    assert details.title() == NO_SITE_TITLE
    assert not any(c.isEnabled() for cs in details.fields.values() for c in cs)
    editor.table.select_key(editor.chart.at(3).key)  # infraspinatus, dry needling
    assert details.title() == "Site 4 details: Infraspinatus, Left"
    shown = {c: [combo.currentText() for combo in details.fields[c]] for c in DETAIL_COLUMNS}
    assert shown == {
        Column.TECHNIQUE: ["Dry needling"],
        Column.NEEDLE: ["25 G", "1.5 in"],
        Column.TWITCH: ["Local"],
        Column.ASPIRATION: ["Not done"],
        Column.TAUT_BAND: ["Yes"],
        Column.JUMP_SIGN: ["No"],
        Column.REFERRED_PAIN: ["Yes"],
    }
    editor.body_map.marker_selected.emit(editor.chart.at(0).key)  # a click on the map
    assert details.title() == "Site 1 details: Trapezius (upper), Right"


def test_a_detail_is_one_undo_step_like_a_cell(editor):
    details = editor.sites.details
    editor.table.select_key(editor.chart.at(3).key)
    (technique,) = details.fields[Column.TECHNIQUE]
    choose(technique, "Injection")  # dry needling → injection: the new-site doses come
    assert cell(editor, 3, Column.TECHNIQUE) == "Injection"
    assert cell(editor, 3, Column.MEDICATION) != "None (dry needling)"
    assert editor.stack.count() == 1
    assert editor.stack.undoText() == "Change technique of site 4"
    (jump,) = details.fields[Column.JUMP_SIGN]
    choose(jump, "Yes")
    assert cell(editor, 3, Column.JUMP_SIGN) == "Yes"
    editor.undo_action.trigger()
    assert jump.currentText() == "No"  # the panel shows what undo restored
    editor.undo_action.trigger()
    assert technique.currentText() == "Dry needling"
    assert cell(editor, 3, Column.MEDICATION) == "None (dry needling)"


def test_read_only_details_cannot_be_changed(editor):
    details = editor.sites.details
    editor.table.select_key(editor.chart.at(0).key)
    assert all(c.isEnabled() for cs in details.fields.values() for c in cs)
    editor.sites.set_editable(False)
    assert not any(c.isEnabled() for cs in details.fields.values() for c in cs)
    (twitch,) = details.fields[Column.TWITCH]
    choose(twitch, "Referred")  # even if a list were reached, nothing changes
    assert cell(editor, 0, Column.TWITCH) == "Local"
    assert twitch.currentText() == "Local"
    assert editor.stack.count() == 0
