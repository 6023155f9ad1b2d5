"""The encounter editor on real services: open, edit, autosave, undo, close, sign, repeat."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget
from sqlalchemy import text

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Side, Technique, TwitchResponse
from clinic_app.domain.errors import ClinicError, StorageError
from clinic_app.services.dto import (
    DoseInput,
    EncounterInput,
    PatientView,
    SiteDraft,
    SiteInput,
    UserView,
)
from clinic_app.ui.bodymap.widget import BodyMapWidget
from clinic_app.ui.common.messages import conflict_close_box
from clinic_app.ui.encounter import parts as encounter_parts
from clinic_app.ui.encounter import session as encounter_session
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.parts import (
    DISCARD_MINE_TEXT,
    EDIT_DRAFT_TEXT,
    RELOAD_THEIRS_TEXT,
    SAVE_AS_NEW_TEXT,
    BodyMapUnavailable,
)
from clinic_app.ui.encounter.sites.table_model import HighlightRole
from clinic_app.ui.encounter.sites.text import Column
from tests.complete_documentation import complete_form
from tests.ui.prompts import Prompts

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
EDIT = Qt.ItemDataRole.EditRole
Button = QMessageBox.StandardButton


@dataclass
class Chart:
    patient: PatientView
    provider: UserView
    meds: dict[str, int]
    lot_id: int
    encounter_id: int


def site(muscle: str, side: Side, x: float, **kw: object) -> SiteInput:
    values: dict[str, object] = {"view": View.POSTERIOR, "point_x": x, "point_y": 0.25}
    values.update(kw)
    return SiteInput(muscle, side, **values)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def questions(prompts: Prompts) -> Prompts:
    """Closing and reloading are answered "Discard" unless a test queues other answers."""
    prompts.always("ask_unsaved_close", Button.Discard)
    prompts.always("ask_conflict_close", Button.Discard)
    prompts.always("confirm_reload_theirs", True)
    return prompts


@pytest.fixture
def chart(services, admin, make_patient) -> Chart:
    patient = make_patient(family_name="Kowalski", given_name="Łukasz", allergies="Latex")
    meds = {m.code: m.id for m in services.clinic.medications()}
    lot = services.clinic.add_lot(
        meds["lidocaine_1"], "LD-2291", clock.today() + timedelta(days=90)
    )
    encounter = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(
        encounter.id,
        encounter.version,
        EncounterInput(indication="Myofascial pain", icd10_codes=("M79.18",), pain_before=6),
        [
            SiteDraft(
                site("trapezius_upper", Side.RIGHT, 0.62, needle_gauge=25, needle_length_in="1.5"),
                (DoseInput(meds["lidocaine_1"], Decimal("0.5"), lot.id),),
            ),
            SiteDraft(
                site("trapezius_upper", Side.LEFT, 0.38, technique=Technique.DRY_NEEDLING), ()
            ),
        ],
    )
    return Chart(patient, admin, meds, lot.id, encounter.id)


@pytest.fixture
def open_editor(qtbot, services) -> Callable[..., EncounterEditor]:
    def make(encounter_id: int) -> EncounterEditor:
        editor = EncounterEditor(services, encounter_id)
        qtbot.addWidget(editor)
        editor.session.autosave_timer.setInterval(20)
        return editor

    return make


def texts(editor: EncounterEditor, column: Column) -> list[str]:
    model = editor.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def real_map(editor: EncounterEditor) -> BodyMapWidget:
    """The editor's body map, which must be the real one here (the stand-in hides bugs)."""
    body_map = editor.body_map
    reason = getattr(body_map, "reason", "")
    assert isinstance(body_map, BodyMapWidget), f"body map not drawn: {reason}"
    return body_map


def map_selection(editor: EncounterEditor) -> int | None:
    keys = real_map(editor).selected_keys()
    return keys[0] if keys else None


def test_the_body_map_is_the_real_one(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    assert type(editor.body_map) is BodyMapWidget
    assert not editor.findChildren(BodyMapUnavailable)


def test_without_its_drawings_the_map_is_replaced_by_a_stand_in(monkeypatch, open_editor, chart):
    def broken(*args):
        raise ClinicError("lateral.svg is missing")

    monkeypatch.setattr(encounter_parts, "BodyMapWidget", broken)
    editor = open_editor(chart.encounter_id)
    stand_in = editor.body_map
    assert isinstance(stand_in, BodyMapUnavailable)
    assert stand_in.reason == "lateral.svg is missing"
    editor.table.select_key(editor.chart.at(1).key)
    assert stand_in.selected == editor.chart.at(1).key
    assert texts(editor, Column.SIDE) == ["Right", "Left"]  # the table still charts


def test_opens_with_its_sites_and_the_patient_header(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    assert texts(editor, Column.MUSCLE) == ["Trapezius (upper)"] * 2
    assert texts(editor, Column.SIDE) == ["Right", "Left"]
    assert texts(editor, Column.DOSE) == ["5 mg", ""]
    assert texts(editor, Column.LOT) == ["LD-2291", ""]
    assert texts(editor, Column.NEEDLE) == ["25 G × 1.5 in", "—"]
    assert editor.totals_label.text() == "Totals (2 sites): Lidocaine: 5 mg"
    assert editor.header.name.text() == "Kowalski, Łukasz"
    assert editor.header.allergies.text() == "Allergies: Latex"
    assert chart.patient.mrn in editor.header.details.text()
    assert "Ana Ruiz" in editor.header.encounter.text()
    assert "Draft" in editor.header.encounter.text()
    assert editor.form.form_input().indication == "Myofascial pain"
    assert editor.save_label.text() == "All changes saved"
    assert not editor.is_dirty()
    assert not editor.undo_action.isEnabled()
    assert editor.banner.isHidden()
    assert not editor.grab().isNull()


def test_a_cell_edit_autosaves_and_reopens_identical(qtbot, open_editor, services, chart):
    editor = open_editor(chart.encounter_id)
    version = editor.session.version
    with qtbot.waitSignal(editor.encounter_saved) as saved:
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
        editor.model.setData(editor.model.index(0, Column.VOLUME), "1.25", EDIT)
        assert editor.is_dirty()
        assert editor.save_label.text() == "Unsaved changes…"
    assert saved.args == [chart.encounter_id]
    assert editor.save_label.text().startswith("Saved ")
    assert not editor.is_dirty()
    stored = services.encounters.get(chart.encounter_id)
    assert stored.version == editor.session.version != version
    assert stored.sites[0].twitch_response is TwitchResponse.LOCAL
    assert stored.sites[0].doses[0].dose == Decimal("12.5")

    again = open_editor(chart.encounter_id)
    assert again.chart.drafts() == editor.chart.drafts()
    assert again.form.form_input() == editor.form.form_input()
    assert texts(again, Column.DOSE) == ["12.5 mg", ""]


def test_a_form_edit_autosaves(qtbot, open_editor, services, chart):
    editor = open_editor(chart.encounter_id)
    with qtbot.waitSignal(editor.encounter_saved):
        qtbot.keyClicks(editor.form.icd10, ", M54.2")
    assert services.encounters.get(chart.encounter_id).form.icd10_codes == ("M79.18", "M54.2")


def test_ctrl_s_saves_now(qtbot, open_editor, services, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT)
    assert editor.session.autosave_timer.isActive()
    with qtbot.waitSignal(editor.encounter_saved):
        editor.save_action.trigger()
    assert not editor.session.autosave_timer.isActive()
    stored = services.encounters.get(chart.encounter_id)
    assert stored.sites[0].twitch_response is TwitchResponse.REFERRED
    assert editor.save_action.shortcut().toString() == "Ctrl+S"


def test_delete_then_undo_and_redo_by_keyboard(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.show()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.table.setFocus()
    editor.table.select_key(editor.chart.at(0).key)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert texts(editor, Column.SIDE) == ["Left"]
    assert editor.undo_action.text() == "&Undo"  # fixed: the detail is in the tips
    assert editor.undo_action.toolTip() == "Undo: Remove trapezius upper R (Ctrl+Z)"
    assert editor.undo_action.statusTip() == "Undo: Remove trapezius upper R"
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert texts(editor, Column.SIDE) == ["Right", "Left"]
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, shift_ctrl)
    assert texts(editor, Column.SIDE) == ["Left"]
    editor.undo_action.trigger()
    qtbot.keyClick(editor.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert texts(editor, Column.SIDE) == ["Left"]
    assert editor.is_dirty()


def map_focus(editor: EncounterEditor) -> QWidget:
    """The widget that holds the keyboard focus when the provider works on the map."""
    return real_map(editor).current_canvas


def test_undo_and_delete_work_with_the_focus_on_the_map(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.show()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    target = map_focus(editor)
    target.setFocus()
    assert target.hasFocus()
    qtbot.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert texts(editor, Column.TWITCH)[0] == "Not assessed"
    qtbot.keyClick(target, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert texts(editor, Column.TWITCH)[0] == "Local"
    editor.table.select_key(editor.chart.at(1).key)  # the map deletes its own marker
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Delete)
    assert texts(editor, Column.SIDE) == ["Right"]


def test_table_and_map_selection_follow_each_other(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    first, second = (s.key for s in editor.chart.sites())
    editor.table.select_key(second)
    assert map_selection(editor) == second
    editor.body_map.marker_selected.emit(first)
    assert editor.table.current_key() == first
    editor.body_map.marker_selected.emit(-1)
    assert editor.table.current_key() is None


def test_apply_to_all_from_the_context_menu_is_one_undo(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    table = editor.table
    rect = table.visualRect(editor.model.index(0, Column.MEDICATION))
    menu = table.context_menu(rect.center())
    apply = menu.actions()[0]
    assert apply.text() == "Apply medication(s) “Lidocaine 1%” to all sites"
    assert "Remove site" in [a.text() for a in table.context_menu(QPoint(-5, -5)).actions()]
    # The needle is in the site details (no longer a table column): same menu, same undo.
    assert table.isColumnHidden(Column.NEEDLE)
    details = editor.sites.details
    assert details.row == 0  # the context menu made site 1 current
    apply = details.context_menu(Column.NEEDLE).actions()[0]
    assert apply.text() == "Apply needle “25 G × 1.5 in” to all sites"
    apply.trigger()
    assert texts(editor, Column.NEEDLE) == ["25 G × 1.5 in"] * 2
    assert editor.stack.count() == 1
    editor.undo_action.trigger()
    assert texts(editor, Column.NEEDLE) == ["25 G × 1.5 in", "—"]


def test_closing_with_unsaved_edits_asks(qtbot, open_editor, services, chart, questions):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.show()
    editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    questions.answer("ask_unsaved_close", Button.Cancel, Button.Save)
    assert not editor.close()
    assert editor.isVisible()
    assert services.encounters.get(chart.encounter_id).sites[0].twitch_response is not (
        TwitchResponse.LOCAL
    )
    with qtbot.waitSignal(editor.encounter_closed):
        assert editor.close()
    assert services.encounters.get(chart.encounter_id).sites[0].twitch_response is (
        TwitchResponse.LOCAL
    )


def test_discard_closes_without_saving(qtbot, open_editor, services, chart, questions):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.show()
    qtbot.keyClicks(editor.form.follow_up, "Review in 2 weeks")
    with qtbot.waitSignal(editor.encounter_closed):
        assert editor.close()
    assert questions.names() == ["ask_unsaved_close"]
    assert services.encounters.get(chart.encounter_id).form.follow_up_plan == ""


def test_a_clean_editor_closes_without_asking(open_editor, chart, questions):
    editor = open_editor(chart.encounter_id)
    editor.show()
    assert editor.close()
    assert questions.shown == []


def test_a_signed_encounter_opens_read_only(qtbot, open_editor, ui_engine, chart, questions):
    with ui_engine.begin() as conn:
        conn.execute(
            text("UPDATE encounter SET status = 'signed', signed_by_id = :u, signed_at = :t"),
            {"u": chart.provider.id, "t": "2026-01-05 10:00:00"},
        )
    editor = open_editor(chart.encounter_id)
    assert editor.read_only
    assert "read-only" in editor.banner.text()
    assert editor.banner.button(EDIT_DRAFT_TEXT) is None  # signed is final
    assert editor.banner.close_button.isHidden()
    assert editor.save_label.text() == "Signed — read-only"
    model = editor.model
    assert not any(model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable for c in Column)
    assert not model.setData(model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    assert editor.form.indication.isReadOnly()
    assert not editor.remove_site_action.isEnabled()
    assert not editor.new_sites.injection_action.isEnabled()
    editor.remove_site_action.trigger()
    editor.table.select_key(editor.chart.at(0).key)
    editor.on_remove_site()
    assert model.rowCount() == 2
    with qtbot.assertNotEmitted(editor.encounter_saved):
        qtbot.keyClicks(editor.form.icd10, "X")
        assert editor.save_now()
    editor.show()
    assert editor.close()
    assert questions.shown == []


def test_repeat_last_visit_opens_a_prefilled_draft_with_a_banner(qtbot, services, chart):
    old_lot = services.clinic.add_lot(
        chart.meds["lidocaine_1"], "OLD-1", clock.today() - timedelta(days=3)
    )
    previous = services.encounters.get(chart.encounter_id)
    drafts = [
        SiteDraft(
            site("gluteus_medius", Side.LEFT, 0.4),
            (DoseInput(chart.meds["lidocaine_1"], Decimal(1), chart.lot_id),),
        ),
        SiteDraft(
            site("gluteus_medius", Side.RIGHT, 0.6),
            (DoseInput(chart.meds["lidocaine_1"], Decimal(1), old_lot.id),),
        ),
    ]
    services.encounters.save_draft(previous.id, previous.version, previous.form, drafts)
    editor = EncounterEditor.repeat_last_visit(services, chart.patient.id, chart.provider.id)
    qtbot.addWidget(editor)
    assert editor.encounter_id != chart.encounter_id
    assert not editor.read_only
    assert texts(editor, Column.MUSCLE) == ["Gluteus medius"] * 2
    assert texts(editor, Column.LOT) == ["LD-2291", "—"]
    assert "Copied from the visit of" in editor.banner.text()
    assert "Site 2: lot OLD-1 expired" in editor.banner.text()
    model = editor.model
    assert [model.index(r, Column.LOT).data(HighlightRole) for r in range(2)] == [False, True]
    assert model.index(1, Column.MUSCLE).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.setData(model.index(1, Column.LOT), chart.lot_id, EDIT)
    assert not model.index(1, Column.LOT).data(HighlightRole)
    assert editor.form.form_input().pain_before is None  # today's to fill in


def conflict(qtbot, editor: EncounterEditor, services) -> None:
    """Another workstation saves first (one site, its own follow-up); then this window's
    next change is autosaved and refused."""
    stored = services.encounters.get(editor.encounter_id)
    theirs = replace(stored.form, follow_up_plan="Theirs")
    services.encounters.save_draft(stored.id, stored.version, theirs, editor.chart.drafts()[:1])
    with qtbot.waitSignal(editor.save_failed) as failed:
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    assert "changed on another workstation" in failed.args[0]


def test_a_conflicting_save_offers_the_two_ways_out_and_no_false_retry(
    qtbot, open_editor, services, chart
):
    editor = open_editor(chart.encounter_id)
    conflict(qtbot, editor, services)
    bar = editor.message_bar
    assert "another workstation saved or signed this encounter" in bar.text()
    assert "tried again" not in bar.text()
    assert "reopen" not in bar.text()
    assert "They are only in this window" in bar.text()
    assert [b.text() for b in bar.action_buttons] == [RELOAD_THEIRS_TEXT, SAVE_AS_NEW_TEXT]
    assert bar.close_button.isHidden()  # dealt with by one of the two, not dismissed
    assert editor.in_conflict
    assert editor.save_label.text() == "Not saved — changed elsewhere"
    assert editor.chart.at(0).site.twitch_response is TwitchResponse.LOCAL
    assert editor.is_dirty()
    # A stale copy can never be saved: later changes and Ctrl+S do not pretend to retry.
    editor.model.setData(editor.model.index(0, Column.ASPIRATION), "negative", EDIT)
    assert not editor.session.autosave_timer.isActive()
    assert not editor.session.max_wait_timer.isActive()
    with qtbot.assertNotEmitted(editor.encounter_saved):
        assert not editor.save_now()
    assert bar.button(SAVE_AS_NEW_TEXT) is not None
    assert services.encounters.get(chart.encounter_id).form.follow_up_plan == "Theirs"


def test_reload_their_version_asks_then_drops_my_edits(
    qtbot, monkeypatch, open_editor, services, chart, questions
):
    editor = open_editor(chart.encounter_id)
    conflict(qtbot, editor, services)
    questions.answer("confirm_reload_theirs", False, True)
    qtbot.mouseClick(editor.message_bar.button(RELOAD_THEIRS_TEXT), Qt.MouseButton.LeftButton)
    assert questions.titles() == ["Reload their version?"]
    assert editor.in_conflict  # cancelled: nothing changed
    assert editor.chart.at(0).site.twitch_response is TwitchResponse.LOCAL

    qtbot.mouseClick(editor.message_bar.button(RELOAD_THEIRS_TEXT), Qt.MouseButton.LeftButton)
    assert not editor.in_conflict
    assert editor.message_bar.isHidden()
    assert texts(editor, Column.SIDE) == ["Right"]
    assert editor.form.form_input().follow_up_plan == "Theirs"
    assert not editor.is_dirty()
    assert editor.save_label.text() == "All changes saved"
    assert editor.session.version == services.encounters.get(chart.encounter_id).version
    # Editing goes on normally from their version.
    with qtbot.waitSignal(editor.encounter_saved):
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.REFERRED, EDIT)
    stored = services.encounters.get(chart.encounter_id)
    assert stored.sites[0].twitch_response is TwitchResponse.REFERRED


def test_save_mine_as_a_new_draft_keeps_both(qtbot, open_editor, services, chart):
    editor = open_editor(chart.encounter_id)
    conflict(qtbot, editor, services)
    mine = editor.chart.drafts()
    with qtbot.waitSignal(editor.encounter_switched) as switched:
        qtbot.mouseClick(editor.message_bar.button(SAVE_AS_NEW_TEXT), Qt.MouseButton.LeftButton)
    old_id, new_id = switched.args
    assert old_id == chart.encounter_id != new_id
    assert editor.encounter_id == new_id
    new = services.encounters.get(new_id)
    assert (new.patient_id, new.provider_id, new.status) == (
        chart.patient.id,
        chart.provider.id,
        EncounterStatus.DRAFT,
    )
    assert new.sites[0].twitch_response is TwitchResponse.LOCAL
    assert len(new.sites) == len(mine) == 2
    assert new.form.indication == "Myofascial pain"
    theirs = services.encounters.get(old_id)
    assert theirs.form.follow_up_plan == "Theirs"
    assert len(theirs.sites) == 1
    assert len(services.encounters.history(chart.patient.id)) == 2
    assert not editor.in_conflict
    assert not editor.is_dirty()
    assert "Both drafts now exist" in editor.message_bar.text()
    assert editor.message_bar.action_buttons == []
    # Later edits go to the new draft.
    with qtbot.waitSignal(editor.encounter_saved) as saved:
        qtbot.keyClicks(editor.form.icd10, ", M54.2")
    assert saved.args == [new_id]
    assert services.encounters.get(new_id).form.icd10_codes == ("M79.18", "M54.2")


def test_a_draft_removed_elsewhere_can_still_be_saved_as_a_new_one(
    qtbot, open_editor, services, chart
):
    empty = services.encounters.create(chart.patient.id, chart.provider.id)
    editor = open_editor(empty.id)
    # closed untouched elsewhere
    assert services.encounters.discard_if_empty(empty.id, expected_version=empty.version)
    with qtbot.waitSignal(editor.save_failed):
        editor.form.pain_before.setValue(3)
    bar = editor.message_bar
    assert "removed on another workstation" in bar.text()
    assert "tried again" not in bar.text()
    assert [b.text() for b in bar.action_buttons] == [SAVE_AS_NEW_TEXT]
    with qtbot.waitSignal(editor.encounter_switched) as switched:
        qtbot.mouseClick(bar.button(SAVE_AS_NEW_TEXT), Qt.MouseButton.LeftButton)
    assert services.encounters.get(switched.args[1]).form.pain_before == 3


def test_closing_in_conflict_offers_the_ways_out(
    qtbot, monkeypatch, open_editor, services, chart, questions
):
    editor = open_editor(chart.encounter_id)
    editor.show()
    conflict(qtbot, editor, services)
    questions.answer("ask_conflict_close", Button.Cancel, Button.Save)
    assert not editor.close()  # Cancel
    assert editor.isVisible()
    assert questions.names() == ["ask_conflict_close"]
    with qtbot.waitSignal(editor.encounter_closed) as closed:
        assert editor.close()  # "Save mine as a new draft"
    assert questions.names() == ["ask_conflict_close", "ask_conflict_close"]
    assert closed.args[0] != chart.encounter_id
    assert services.encounters.get(closed.args[0]).sites[0].twitch_response is (
        TwitchResponse.LOCAL
    )


def test_a_conflict_found_by_save_on_close_asks_what_to_keep(
    qtbot, monkeypatch, open_editor, services, chart, questions
):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    editor.show()
    stored = services.encounters.get(chart.encounter_id)
    services.encounters.save_draft(stored.id, stored.version, stored.form, [])
    editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    questions.answer("ask_unsaved_close", Button.Save)
    questions.answer("ask_conflict_close", Button.Discard)
    with qtbot.waitSignal(editor.encounter_closed) as closed:
        assert editor.close()
    assert questions.names() == ["ask_unsaved_close", "ask_conflict_close"]
    assert closed.args == [chart.encounter_id]
    assert services.encounters.get(chart.encounter_id).sites == ()  # theirs, kept
    assert len(services.encounters.history(chart.patient.id)) == 1


def test_the_conflict_question_names_its_buttons(qtbot):
    box = conflict_close_box(None, SAVE_AS_NEW_TEXT, DISCARD_MINE_TEXT)
    qtbot.addWidget(box)
    assert box.button(Button.Save).text() == SAVE_AS_NEW_TEXT
    assert box.button(Button.Discard).text() == "Discard my edits"
    assert box.escapeButton() is box.button(Button.Cancel)
    assert "another workstation" in box.text()


def test_a_storage_error_is_shown_then_cleared_by_a_good_save(
    qtbot, monkeypatch, open_editor, services, chart
):
    editor = open_editor(chart.encounter_id)
    real = services.encounters.save_draft

    def broken(*args, **kwargs):
        raise StorageError("The database is locked by another program.")

    monkeypatch.setattr(services.encounters, "save_draft", broken)
    with qtbot.waitSignal(editor.save_failed):
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    assert "locked by another program" in editor.message_bar.text()
    monkeypatch.setattr(services.encounters, "save_draft", real)
    with qtbot.waitSignal(editor.encounter_saved):
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.NONE, EDIT)
    assert editor.message_bar.isHidden()


def test_a_refused_volume_is_explained(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    with qtbot.assertNotEmitted(editor.stack.indexChanged):
        editor.model.setData(editor.model.index(0, Column.VOLUME), "-2", EDIT)
    assert "must be more than 0 mL" in editor.message_bar.text()


def test_new_sites_use_the_technique_needle_and_favourite(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    controls = editor.new_sites
    draft = controls.make_site("gluteus_medius", Side.LEFT, View.POSTERIOR, 0.4, 0.5)
    assert draft.site.technique is Technique.INJECTION
    assert (draft.site.needle_gauge, draft.site.needle_length_in) == (25, Decimal("1.5"))
    assert draft.doses == (DoseInput(chart.meds["lidocaine_1"], Decimal(1)),)
    assert controls.favourite_combo.select("lidocaine_1_1ml_triamcinolone_10mg")
    draft = controls.make_site("gluteus_medius", Side.LEFT, View.POSTERIOR, 0.4, 0.5)
    assert [d.medication_id for d in draft.doses] == [
        chart.meds["lidocaine_1"],
        chart.meds["triamcinolone_40"],
    ]
    assert controls.toggle_action.shortcut().toString() == "Ctrl+T"
    controls.toggle_action.trigger()
    assert controls.dry_needling_action.isChecked()
    assert not controls.favourite_combo.isEnabled()
    draft = controls.make_site("gluteus_medius", Side.LEFT, View.POSTERIOR, 0.4, 0.5)
    assert (draft.site.technique, draft.doses) == (Technique.DRY_NEEDLING, ())
    controls.toggle_action.trigger()
    assert controls.injection_action.isChecked()


def test_the_lot_picker_offers_only_usable_lots(services, open_editor, chart):
    services.clinic.add_lot(chart.meds["lidocaine_1"], "GONE-9", clock.today() - timedelta(days=1))
    editor = open_editor(chart.encounter_id)
    assert [lot.lot_number for lot in editor.lots_for(chart.meds["lidocaine_1"])] == ["LD-2291"]


def test_shortcuts(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    assert editor.undo_action.shortcut().toString() == "Ctrl+Z"
    assert [s.toString() for s in editor.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert editor.remove_site_action.shortcut().toString() == "Del"


# ---------------------------------------------------------------- cell editors (delegates)
def open_cell_editor(qtbot, editor: EncounterEditor, row: int, column: Column):
    """Start editing a cell the way a double-click does; returns the editor widget."""
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    index = editor.model.index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    widget = table.focusWidget() if table.state() == table.State.EditingState else None
    assert widget is not None
    assert widget is not table
    while widget.parentWidget() is not table.viewport():
        widget = widget.parentWidget()
    return widget


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_medication_picker_offers_favourites_first(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    combo = open_cell_editor(qtbot, editor, 1, Column.MEDICATION)
    assert isinstance(combo, QComboBox)
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items[:5] == [
        "★ Lidocaine 1% 1 mL",
        "★ Lidocaine 1% 1 mL + triamcinolone acetonide 10 mg",
        "★ Bupivacaine 0.25% 1 mL",
        "★ Normal saline 0.9% 1 mL",
        "★ Dry needling (no medicine)",
    ]
    assert combo.currentText() == "★ Dry needling (no medicine)"
    assert "Dexamethasone sodium phosphate 4 mg/mL" in items
    choose(combo, "★ Lidocaine 1% 1 mL + triamcinolone acetonide 10 mg")
    assert texts(editor, Column.TECHNIQUE)[1] == "Injection"
    assert texts(editor, Column.DOSE)[1] == "10 mg\n10 mg"
    assert editor.stack.count() == 1
    combo = open_cell_editor(qtbot, editor, 0, Column.MEDICATION)
    choose(combo, "Bupivacaine 0.5%")
    assert texts(editor, Column.MEDICATION)[0] == "Bupivacaine 0.5%"
    assert texts(editor, Column.VOLUME)[0] == "1 mL"


def detail_field(editor: EncounterEditor, row: int, column: Column) -> list[QComboBox]:
    """The site-details pick lists of ``column`` for the site in ``row`` (made current)."""
    editor.table.select_key(editor.model.key_at(row))
    details = editor.sites.details
    assert details.row == row
    return details.fields[column]


def test_pick_list_cells(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    (combo,) = detail_field(editor, 0, Column.TWITCH)
    assert combo.currentText() == "Not assessed"
    choose(combo, "Referred")
    assert texts(editor, Column.TWITCH)[0] == "Referred"
    assert editor.undo_action.toolTip().startswith("Undo: Change twitch of site 1")
    combo = open_cell_editor(qtbot, editor, 0, Column.SIDE)
    choose(combo, "Left")
    assert texts(editor, Column.SIDE)[0] == "Left"
    assert editor.chart.at(0).site.point_x < 0.5


def test_volume_cell_refuses_a_negative_volume(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    edit = open_cell_editor(qtbot, editor, 0, Column.VOLUME)
    assert isinstance(edit, QLineEdit)
    assert edit.text() == "0.5"
    edit.setText("-1")
    with qtbot.waitSignal(editor.model.edit_refused):  # Enter commits through the event loop
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert texts(editor, Column.VOLUME)[0] == "0.5 mL"
    assert "must be more than 0 mL" in editor.message_bar.text()
    edit = open_cell_editor(qtbot, editor, 0, Column.VOLUME)
    edit.setText("0.75")
    with qtbot.waitSignal(editor.stack.indexChanged):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert texts(editor, Column.VOLUME)[0] == "0.75 mL"
    assert texts(editor, Column.DOSE)[0] == "7.5 mg"


def test_lot_and_needle_cells(qtbot, services, open_editor, chart):
    services.clinic.add_lot(
        chart.meds["lidocaine_1"], "LD-3000", clock.today() + timedelta(days=400)
    )
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)
    row_editor = open_cell_editor(qtbot, editor, 0, Column.LOT)
    (lots,) = row_editor.findChildren(QComboBox)
    assert lots.currentText().startswith("LD-2291")
    assert [lots.itemText(i).split(" ")[0] for i in range(lots.count())] == [
        "—",
        "LD-2291",
        "LD-3000",
        "Add",  # "Add a lot…" (the setup's administrator receives lots)
        "Lot",  # "Lot not available…"
    ]
    choose(lots, lots.itemText(2))
    assert texts(editor, Column.LOT)[0] == "LD-3000"
    gauge, length = detail_field(editor, 1, Column.NEEDLE)
    choose(gauge, "30 G")
    choose(length, "0.5 in")
    assert texts(editor, Column.NEEDLE)[1] == "30 G × 0.5 in"
    assert editor.stack.count() == 3  # the lot, then gauge and length: one undo step each


def test_a_medicine_no_longer_in_the_formulary_still_reads_right(
    services, ui_engine, open_editor, chart
):
    stored = services.encounters.get(chart.encounter_id)
    bupi = chart.meds["bupivacaine_0_25"]
    services.encounters.save_draft(
        stored.id,
        stored.version,
        stored.form,
        [SiteDraft(site("gluteus_medius", Side.LEFT, 0.4), (DoseInput(bupi, Decimal(2)),))],
    )
    with ui_engine.begin() as conn:
        conn.execute(
            text("UPDATE medication SET active = :no WHERE id = :id"), {"no": False, "id": bupi}
        )
    editor = open_editor(chart.encounter_id)
    assert texts(editor, Column.MEDICATION) == ["Bupivacaine 0.25%"]
    assert texts(editor, Column.DOSE) == ["5 mg"]
    assert editor.model.totals_text() == "Bupivacaine: 5 mg"


def test_keyboard_editing_and_apply_to_all_without_a_cell(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    with qtbot.waitSignal(table.status_message) as told:
        editor.apply_all_action.trigger()
    assert told.args[0].startswith("Choose a cell of a site first")
    table.setCurrentIndex(editor.model.index(0, Column.VOLUME))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.state() == table.State.EditingState
    with qtbot.waitSignal(table.status_message) as told:
        editor.apply_all_action.trigger()
    assert told.args[0] == (
        "Volume of site 1 applied to 0 other site(s). "
        "1 site(s) with other medicines were left as they were."
    )
    # Ctrl+I takes the cursor to the site details; Apply to all then copies that field.
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    qtbot.keyClick(table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    (technique,) = editor.sites.details.fields[Column.TECHNIQUE]
    assert technique.hasFocus()
    qtbot.keyClick(technique, Qt.Key.Key_Tab)
    gauge = editor.sites.details.fields[Column.NEEDLE][0]
    assert gauge.hasFocus()
    with qtbot.waitSignal(table.status_message) as told:
        editor.apply_all_action.trigger()
    assert told.args[0] == "Needle of site 1 applied to 1 other site(s)."


def test_nothing_to_save_and_lots_that_cannot_load(
    qtbot, monkeypatch, open_editor, services, chart
):
    editor = open_editor(chart.encounter_id)
    with qtbot.assertNotEmitted(editor.encounter_saved):
        assert editor.save_now()
    assert editor.statusBar().currentMessage() == "Nothing to save: every change is saved."

    def broken(*args, **kwargs):
        raise StorageError("The database cannot be reached.")

    monkeypatch.setattr(services.clinic, "usable_lots", broken)
    assert editor.lots_for(chart.meds["lidocaine_1"]) == []
    assert "Could not load lots" in editor.statusBar().currentMessage()


def test_a_muscle_charted_on_the_map_starts_with_the_new_site_defaults(qtbot, open_editor, chart):
    editor = open_editor(chart.encounter_id)
    body_map = real_map(editor)
    editor.new_sites.favourite_combo.select("bupivacaine_0_25_1ml")
    with qtbot.waitSignal(editor.model.rowsInserted):
        key = body_map.add_site("gluteus_medius", Side.LEFT)
    assert key is not None
    assert texts(editor, Column.MUSCLE)[-1] == "Gluteus medius"
    assert texts(editor, Column.MEDICATION)[-1] == "Bupivacaine 0.25%"
    assert texts(editor, Column.DOSE)[-1] == "2.5 mg"
    assert texts(editor, Column.NEEDLE)[-1] == "25 G × 1.5 in"
    assert editor.table.current_key() == key  # the map selected it, the table followed
    editor.new_sites.toggle_action.trigger()
    body_map.add_site("piriformis", Side.RIGHT)
    assert texts(editor, Column.TECHNIQUE)[-1] == "Dry needling"
    assert editor.model.rowCount() == 4
    editor.undo_action.trigger()
    editor.undo_action.trigger()
    assert editor.model.rowCount() == 2


# ---------------------------------------------------------------- drafts opened by mistake
def test_closing_an_untouched_draft_deletes_it(qtbot, open_editor, services, chart, questions):
    empty = services.encounters.create(chart.patient.id, chart.provider.id)
    editor = open_editor(empty.id)
    editor.show()
    with qtbot.waitSignal(editor.encounter_closed) as closed:
        assert editor.close()
    assert closed.args == [empty.id]
    assert questions.shown == []
    assert [e.id for e in services.encounters.history(chart.patient.id)] == [chart.encounter_id]


def test_closing_a_draft_with_something_in_it_keeps_it(qtbot, open_editor, services, chart):
    empty = services.encounters.create(chart.patient.id, chart.provider.id)
    editor = open_editor(empty.id)
    editor.show()
    with qtbot.waitSignal(editor.encounter_saved):
        editor.form.pain_before.setValue(4)
    with qtbot.waitSignal(editor.encounter_closed):
        assert editor.close()
    assert services.encounters.get(empty.id).form.pain_before == 4
    assert len(services.encounters.history(chart.patient.id)) == 2


# ---------------------------------------------------------------- autosave while typing
def test_continuous_typing_is_still_saved_within_the_maximum_wait(
    qtbot, open_editor, services, chart
):
    editor = open_editor(chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)  # typing never pauses long enough
    editor.session.max_wait_timer.setInterval(100)
    assert encounter_session.MAX_WAIT_MS == 10_000
    typist = QTimer()
    typist.setInterval(5)  # a keystroke every 5 ms: would restart a per-change timer forever
    typist.timeout.connect(lambda: editor.form.follow_up.insertPlainText("x"))
    typist.start()
    try:
        with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
            pass
    finally:
        typist.stop()
    assert services.encounters.get(chart.encounter_id).form.follow_up_plan.startswith("x")


# ---------------------------------------------------------------- the visit day is local
@pytest.fixture
def pacific_time() -> Iterator[None]:
    """The workstation's clock in UTC-8 (California in winter), without tz data files."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "PST+8"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_visit_day_is_the_local_day(pacific_time, qtbot, open_editor, services, chart):
    utc_day = clock.today() - timedelta(days=10)
    performed = datetime(utc_day.year, utc_day.month, utc_day.day, 3, 0, tzinfo=UTC)
    local_day = utc_day - timedelta(days=1)  # 03:00 UTC is 19:00 the evening before
    lot = services.clinic.add_lot(chart.meds["lidocaine_1"], "EVE-7", local_day)
    visit = services.encounters.create(chart.patient.id, chart.provider.id, performed)
    services.encounters.save_draft(
        visit.id,
        visit.version,
        EncounterInput(),
        [
            SiteDraft(
                site("trapezius_upper", Side.RIGHT, 0.62),
                (DoseInput(chart.meds["lidocaine_1"], Decimal("0.5"), lot.id),),
            )
        ],
    )
    editor = open_editor(visit.id)
    # The lot was valid on the evening of the visit, though expired on the UTC date.
    assert texts(editor, Column.LOT) == ["EVE-7"]
    assert f"{local_day.isoformat()} 19:00" in editor.header.encounter.text()
    assert local_day.isoformat() in editor.banner.text()
    assert f"{local_day.isoformat()} 19:00" in editor.windowTitle()


# ---------------------------------------------------------------- drafts of earlier days
@pytest.fixture
def past_draft(services, chart) -> int:
    two_days_ago = clock.now() - timedelta(days=2)
    visit = services.encounters.create(chart.patient.id, chart.provider.id, two_days_ago)
    services.encounters.save_draft(
        visit.id,
        visit.version,
        EncounterInput(indication="Low back pain"),
        [SiteDraft(site("gluteus_medius", Side.LEFT, 0.4), ())],
    )
    return visit.id


def test_a_past_draft_opens_read_only_until_edit_draft(
    qtbot, open_editor, services, past_draft, questions
):
    editor = open_editor(past_draft)
    assert editor.read_only
    assert editor.is_draft
    assert "read-only" in editor.banner.text()
    assert editor.banner.isVisibleTo(editor)
    assert editor.banner.close_button.isHidden()
    button = editor.banner.button(EDIT_DRAFT_TEXT)
    assert button is not None
    assert button.isVisibleTo(editor)
    assert editor.save_label.text() == "Past draft — read-only"
    model = editor.model
    assert not model.flags(model.index(0, Column.TWITCH)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    assert editor.form.indication.isReadOnly()
    assert not editor.new_sites.injection_action.isEnabled()
    assert not editor.save_action.isEnabled()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not editor.read_only
    assert editor.banner.isHidden()
    assert not editor.form.indication.isReadOnly()
    assert editor.new_sites.injection_action.isEnabled()
    assert editor.save_action.isEnabled()
    assert model.flags(model.index(0, Column.TWITCH)) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(editor.encounter_saved):
        model.setData(model.index(0, Column.TWITCH), TwitchResponse.LOCAL, EDIT)
    stored = services.encounters.get(past_draft)
    assert stored.sites[0].twitch_response is TwitchResponse.LOCAL
    assert stored.status is EncounterStatus.DRAFT
    editor.show()
    assert editor.close()
    assert questions.shown == []


def test_todays_draft_opens_editable(open_editor, chart):
    editor = open_editor(chart.encounter_id)
    assert not editor.read_only
    assert editor.banner.isHidden()
    assert editor.banner.button(EDIT_DRAFT_TEXT) is None


# ---------------------------------------------------------------------- checks and signing
@pytest.fixture
def lidocaine_chart(services, admin, make_patient) -> Chart:
    """Lidocaine 2% at two sites (7.5 mL + 1 mL = 170 mg), no weight, on an anticoagulant."""
    patient = make_patient(family_name="Nguyễn", anticoagulant=True)
    meds = {m.code: m.id for m in services.clinic.medications()}
    lot = services.clinic.add_lot(meds["lidocaine_2"], "LD2-7", clock.today() + timedelta(days=90))
    encounter = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(
        encounter.id,
        encounter.version,
        complete_form(
            EncounterInput(
                indication="Myofascial pain",
                icd10_codes=("M79.18",),
                screening={"allergies_reviewed": {"answer": True, "note": ""}},
            )
        ),
        [
            SiteDraft(
                site("trapezius_upper", Side.RIGHT, 0.62),
                (DoseInput(meds["lidocaine_2"], Decimal("7.5"), lot.id),),
            ),
            SiteDraft(
                site("levator_scapulae", Side.RIGHT, 0.6),
                (DoseInput(meds["lidocaine_2"], Decimal("1"), lot.id),),
            ),
        ],
    )
    return Chart(patient, admin, meds, lot.id, encounter.id)


def checked(qtbot, editor: EncounterEditor, *, contains: str = "") -> str:
    """Wait for the live checks to have run (and to mention ``contains``)."""
    panel = editor.form.checks
    qtbot.waitUntil(lambda: panel.assessment is not None and contains in panel.text())
    return panel.text()


def test_a_volume_over_the_limit_shows_the_finding_without_saving(
    qtbot, open_editor, lidocaine_chart
):
    editor = open_editor(lidocaine_chart.encounter_id)
    editor.session.autosave_timer.setInterval(60_000)  # the checks must not wait for a save
    text = checked(qtbot, editor, contains="WARNING")
    assert "0 blocks" not in text
    assert "BLOCK" not in text
    assert "170 mg of 300 mg max (57%)" in editor.totals_label.text()
    assert "(weight missing: absolute cap)" in editor.totals_label.text()
    editor.model.setData(editor.model.index(1, Column.VOLUME), "8", EDIT)
    text = checked(qtbot, editor, contains="exceeds the 300 mg maximum")
    assert "BLOCK" in text
    assert "signing is refused until blocks are resolved" in editor.form.checks.summary.text()
    assert editor.is_dirty()  # shown before any save
    qtbot.waitUntil(lambda: "310 mg of 300 mg max (103%)" in editor.totals_label.text())
    assert "#b71c1c" in editor.totals_label.text()  # red, and said in words too
    assert "over the limit" in editor.totals_label.text()
    codes = editor.form.codes.text()
    assert "20553" in codes or "20552" in codes
    assert "M79.18" in codes


def test_clicking_a_finding_selects_its_site(qtbot, open_editor, lidocaine_chart):
    editor = open_editor(lidocaine_chart.encounter_id)
    editor.table.select_key(editor.chart.at(0).key)
    # Upper trapezius: pneumothorax risk at the site (a site finding naming site 1).
    checked(qtbot, editor, contains="Site")
    row = next(r for r in editor.form.checks.rows if r.finding.sites)
    number = row.finding.sites[0]
    editor.table.select_key(None)
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert editor.table.current_key() == editor.chart.at(number - 1).key
    assert map_selection(editor) == editor.chart.at(number - 1).key
    safety = {
        n
        for r in editor.form.checks.rows
        if r.finding.rule.startswith("site.")
        for n in r.finding.sites
    }
    assert real_map(editor).flagged_numbers() == safety


def test_signing_with_a_block_is_refused(qtbot, open_editor, services, lidocaine_chart):
    editor = open_editor(lidocaine_chart.encounter_id)
    editor.model.setData(editor.model.index(1, Column.VOLUME), "8", EDIT)
    editor.sign_action.trigger()
    dialog = editor.sign_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert not dialog.sign_button.isEnabled()
    assert "refused" in dialog.status.text()
    for edit in dialog.reasons.values():
        edit.setText("Benefit outweighs the bleeding risk")
    assert not dialog.sign_button.isEnabled()  # reasons do not lift a block
    dialog.on_sign()  # the service path refuses too, and the dialog says so
    assert dialog.isVisible()
    assert "Not signed" in dialog.status.text()
    assert "300 mg" in dialog.status.text()
    stored = services.encounters.get(editor.encounter_id)
    assert stored.status is EncounterStatus.DRAFT
    assert not editor.read_only
    assert not editor.is_dirty()  # signing saved the content first; nothing is lost


def test_an_override_reason_lands_in_the_signed_note(qtbot, open_editor, services, lidocaine_chart):
    editor = open_editor(lidocaine_chart.encounter_id)
    checked(qtbot, editor)
    editor.sign_action.trigger()
    dialog = editor.sign_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert list(dialog.reasons) == ["screening.anticoagulant"]
    assert not dialog.sign_button.isEnabled()  # the reason is required
    qtbot.keyClicks(dialog.reasons["screening.anticoagulant"], "INR 2.1 checked today")
    assert dialog.sign_button.isEnabled(), (dialog.status.text(), list(dialog.reasons))
    with qtbot.waitSignal(editor.encounter_saved):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = services.encounters.get(editor.encounter_id)
    assert stored.status is EncounterStatus.SIGNED
    assert any(
        rule == "screening.anticoagulant" and reason == "INR 2.1 checked today"
        for rule, _message, reason in stored.overrides
    )
    assert editor.read_only
    assert not editor.sign_action.isEnabled()
    assert editor.banner.text().startswith("Signed by Ana Ruiz on ")
    assert "→ INR 2.1 checked today" in editor.form.signature.text()
    assert editor.form.signature.isVisibleTo(editor)
    assert not editor.model.setData(editor.model.index(0, Column.VOLUME), "1", EDIT)


def test_checks_that_cannot_run_say_so(qtbot, monkeypatch, open_editor, services, chart):
    def broken(*_args):
        raise StorageError("database is locked")

    monkeypatch.setattr(services.checks, "assess_draft", broken)
    editor = open_editor(chart.encounter_id)
    with qtbot.waitSignal(editor.live_checks.failed):
        editor.model.setData(editor.model.index(0, Column.VOLUME), "1", EDIT)
    assert "Checks could not run: database is locked" in editor.form.checks.text()
    assert editor.form.checks.rows == []
    editor.sign_action.trigger()
    assert editor.sign_dialog is None
    assert "checks could not run" in editor.message_bar.text()


def test_a_refused_form_value_is_explained_and_every_entry_stays(qtbot, open_editor, chart):
    """Issue 11 §3: the service's message names the field; nothing typed is lost."""
    editor = open_editor(chart.encounter_id)
    sites = editor.model.rowCount()
    editor.form.pain_before.setValue(6)
    too_long = "Trigger point " + "x" * 2000
    with qtbot.waitSignal(editor.save_failed):
        editor.form.indication.setPlainText(too_long)
    assert "Indication is longer than 2000 characters" in editor.message_bar.text()
    assert editor.form.indication.toPlainText() == too_long
    assert editor.form.form_input().pain_before == 6
    assert editor.model.rowCount() == sites > 0
    with qtbot.waitSignal(editor.encounter_saved):
        editor.form.indication.setPlainText("Trigger points, upper trapezius")
    assert editor.message_bar.isHidden()
