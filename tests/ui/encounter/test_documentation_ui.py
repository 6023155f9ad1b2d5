"""Issue 8 in the editor: a click on a missing element takes the cursor there; the new fields
(relief, pain-after reason, follow-up, handout note, findings, lot not available) survive
autosave and undo; the clinic settings list the documentation checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from clinic_app.domain import clock
from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Language, Side
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    SiteDraft,
    SiteInput,
)
from clinic_app.ui.admin.clinic_settings import ClinicSettingsDialog
from clinic_app.ui.admin.rule_settings import DocumentationRulesBox
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.encounter.sites.delegates import ASK_LOT_REASON
from clinic_app.ui.encounter.sites.text import Column
from tests.complete_documentation import complete_form, fill_complete_form
from tests.ui.prompts import Prompts

EDIT = Qt.ItemDataRole.EditRole


@dataclass
class Visit:
    patient_id: int
    encounter_id: int
    lido: int
    lot_id: int


def trapezius(x: float = 0.62) -> SiteInput:
    return SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, x, 0.25)


@pytest.fixture
def visit(services, admin, make_patient) -> Visit:
    """A draft with one lidocaine site and NO lot (lidocaine is stocked by lot), form empty."""
    patient = make_patient(family_name="Okafor")
    meds = {m.code: m.id for m in services.clinic.medications()}
    lot = services.clinic.add_lot(meds["lidocaine_1"], "LD-88", clock.today() + timedelta(days=90))
    enc = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(
        enc.id,
        enc.version,
        EncounterInput(screening={"allergies_reviewed": {"answer": True, "note": ""}}),
        [SiteDraft(trapezius(), (DoseInput(meds["lidocaine_1"], Decimal("0.5")),))],
    )
    return Visit(patient.id, enc.id, meds["lidocaine_1"], lot.id)


@pytest.fixture(autouse=True)
def _answer_save_on_close(prompts: Prompts) -> None:
    """Closing an editor with unsaved edits asks; these tests answer Save."""
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Save)


@pytest.fixture
def open_editor(qtbot, services) -> Callable[[int], EncounterEditor]:
    def make(encounter_id: int) -> EncounterEditor:
        editor = EncounterEditor(services, encounter_id)
        qtbot.addWidget(editor)
        editor.session.autosave_timer.setInterval(20)
        editor.show()
        with qtbot.waitActive(editor):
            editor.activateWindow()
        return editor

    return make


def assessed(qtbot, editor: EncounterEditor, rule: str = "", *, gone: bool = False):
    panel = editor.form.checks

    def ready() -> bool:
        if panel.assessment is None:
            return False
        present = any(r.finding.rule == rule for r in panel.rows)
        return not rule or present is not gone

    qtbot.waitUntil(ready)
    # The offscreen platform drops the window's activation when the panel's layout grows
    # (a real window manager does not); focus needs an active window.
    with qtbot.waitActive(editor):
        editor.activateWindow()
    return panel


def row_of(editor: EncounterEditor, rule: str):
    return next(r for r in editor.form.checks.rows if r.finding.rule == rule)


def test_each_missing_element_is_listed_and_a_click_focuses_its_field(qtbot, open_editor, visit):
    editor = open_editor(visit.encounter_id)
    panel = assessed(qtbot, editor, "documentation.consent")
    assert "BLOCK Consent is not recorded" in panel.text()
    form = editor.form
    for rule, widget in [
        ("documentation.consent", form.consent),
        ("documentation.time_out", form.time_out),
        ("documentation.skin_prep", form.skin_prep),
        ("documentation.pain_before", form.pain_before),
        ("documentation.pain_after", form.pain_after),
        ("documentation.indication", form.indication),
        ("documentation.needle_intact", form.needle_intact),
        ("documentation.disposition", form.disposition),
    ]:
        row = row_of(editor, rule)
        assert row.toolTip().startswith("Go to")
        qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda w=widget: w.hasFocus())
        assert QApplication.focusWidget() in (widget, widget.focusProxy())


def test_indication_with_text_but_no_code_goes_to_the_icd10_field(qtbot, open_editor, visit):
    editor = open_editor(visit.encounter_id)
    editor.form.indication.setPlainText("Neck pain")
    editor.form.icd10.clear()
    editor.form.icd10.textEdited.emit("")
    assessed(qtbot, editor, "documentation.indication")
    qtbot.waitUntil(lambda: row_of(editor, "documentation.indication").finding.target == "icd10")
    editor.live_checks.timer.stop()
    with qtbot.waitActive(editor):
        editor.activateWindow()
    row = row_of(editor, "documentation.indication")
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_Return)  # the keyboard works like the mouse
    qtbot.waitUntil(editor.form.icd10.hasFocus)


def test_a_missing_lot_line_selects_the_site_lot_cell(qtbot, open_editor, visit):
    editor = open_editor(visit.encounter_id)
    assessed(qtbot, editor, "documentation.lot")
    row = row_of(editor, "documentation.lot")
    assert row.finding.sites == (1,)
    assert row.toolTip() == "Go to the lot of site 1"
    editor.form.consent.setFocus()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.table.hasFocus)
    current = editor.table.currentIndex()
    assert (current.row(), current.column()) == (0, Column.LOT)


def test_a_complete_form_clears_every_completeness_line(qtbot, open_editor, visit):
    editor = open_editor(visit.encounter_id)
    assessed(qtbot, editor, "documentation.consent")
    fill_complete_form(editor.form)
    editor.model.setData(editor.model.index(0, Column.LOT), (visit.lot_id,), EDIT)
    qtbot.waitUntil(
        lambda: (
            editor.form.checks.assessment is not None
            and not any(
                r.finding.rule.startswith("documentation.") for r in editor.form.checks.rows
            )
        )
    )


# ---------------------------------------------------------------- lot not available


def open_lot_editor(qtbot, editor: EncounterEditor) -> QComboBox:
    index = editor.model.index(0, Column.LOT)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    qtbot.waitUntil(lambda: editor.table.state() == editor.table.State.EditingState)
    combos = [c for c in editor.table.viewport().findChildren(QComboBox) if c.isVisible()]
    assert len(combos) == 1
    return combos[0]


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_lot_not_available_asks_for_a_reason_is_undoable_and_saved(
    qtbot, open_editor, visit, services, prompts
):
    prompts.answer("ask_lot_missing_reason", "  Label unreadable; vial kept  ", None)
    editor = open_editor(visit.encounter_id)
    combo = open_lot_editor(qtbot, editor)
    choose(combo, ASK_LOT_REASON)
    assert [p.text.split(":")[0] for p in prompts.shown] == ["Lot of Lidocaine 1%"]
    cell = editor.model.index(0, Column.LOT)
    assert cell.data() == "Not available"
    assert cell.data(EDIT) == ("Label unreadable; vial kept",)
    assert "Label unreadable" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert combo.currentText() == "Not available: Label unreadable; vial kept"
    # Cancelling the question leaves the choice as it was.
    choose(combo, ASK_LOT_REASON)
    assert combo.currentText() == "Not available: Label unreadable; vial kept"
    assert editor.model.index(0, Column.LOT).data(EDIT) == ("Label unreadable; vial kept",)
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    stored = services.encounters.get(visit.encounter_id).sites[0].doses[0]
    assert stored.lot_missing_reason == "Label unreadable; vial kept"
    assert stored.lot_id is None
    editor.table.closePersistentEditor(cell)
    editor.stack.undo()
    assert editor.model.index(0, Column.LOT).data(EDIT) == (None,)
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    assert services.encounters.get(visit.encounter_id).sites[0].doses[0].lot_missing_reason == ""


# ---------------------------------------------------------------- findings per site


def test_trigger_point_findings_are_site_columns_with_undo_and_autosave(
    qtbot, open_editor, visit, services
):
    editor = open_editor(visit.encounter_id)
    model = editor.model
    assert model.index(0, Column.TAUT_BAND).data() == "—"
    model.setData(model.index(0, Column.TAUT_BAND), True, EDIT)
    model.setData(model.index(0, Column.JUMP_SIGN), False, EDIT)
    model.setData(model.index(0, Column.REFERRED_PAIN), True, EDIT)
    assert [model.index(0, c).data() for c in (10, 11, 12)] == ["Yes", "No", "Yes"]
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    stored = services.encounters.get(visit.encounter_id).sites[0]
    assert (stored.taut_band, stored.jump_sign, stored.referred_pain_reproduced) == (
        True,
        False,
        True,
    )
    editor.stack.undo()
    assert model.index(0, Column.REFERRED_PAIN).data(EDIT) is None
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    assert services.encounters.get(visit.encounter_id).sites[0].referred_pain_reproduced is None
    editor.stack.redo()
    assert model.index(0, Column.REFERRED_PAIN).data() == "Yes"


# ---------------------------------------------------------------- form fields


def test_relief_is_asked_only_at_a_repeat_visit(qtbot, open_editor, services, admin, visit):
    first = open_editor(visit.encounter_id)
    assert not first.form.relief.isVisibleTo(first.form)
    first.close()
    later = services.encounters.create(
        visit.patient_id, admin.id, clock.now() + timedelta(minutes=5)
    )
    editor = open_editor(later.id)
    assert editor.form.relief.isVisibleTo(editor.form)
    assert editor.form.focus_field("prior_relief") is editor.form.relief


@pytest.mark.service_behaviour
def test_new_form_fields_round_trip_through_autosave(qtbot, open_editor, services, admin, visit):
    services.clinic.update_profile(
        ClinicProfileData(name="Clinic", follow_up_weeks=5),
        expected_version=services.clinic.profile().version,
    )
    later = services.encounters.create(
        visit.patient_id, admin.id, clock.now() + timedelta(minutes=5)
    )
    editor = open_editor(later.id)
    form = editor.form
    assert form.follow_up_when.weeks.specialValueText() == "clinic default (5 weeks)"
    assert form.pain_after_reason.isEnabled()  # pain after is empty
    form.pain_after.setValue(3)
    assert not form.pain_after_reason.isEnabled()
    form.pain_after.setValue(form.pain_after.minimum())
    assert form.pain_after_reason.isEnabled()
    qtbot.keyClicks(form.pain_after_reason, "Left before rescoring")
    form.relief.percent.setValue(60)
    form.relief.weeks.setValue(6)
    form.conservative_treatment.setPlainText("PT 8 weeks; stretches")
    form.follow_up_when.on_date.setText("2030-01-15")
    form.follow_up_when.weeks.setValue(4)  # weeks or a date: the weeks replace the date
    assert form.follow_up_when.on_date.text() == ""
    form.follow_up_when.on_date.setText("2030-01-15")  # and a date replaces the weeks
    assert form.follow_up_when.value() == (None, date(2030, 1, 15))
    form.handout_note.boxes[Language.ENGLISH].setPlainText("Walk daily.")
    form.handout_note.boxes[Language.SPANISH].setPlainText("Camine a diario.")
    assert editor.is_dirty()
    with qtbot.waitSignal(editor.encounter_saved, timeout=5000):
        pass
    stored = services.encounters.get(later.id).form
    assert stored.pain_after_reason == "Left before rescoring"
    assert (stored.prior_relief_percent, stored.prior_relief_weeks) == (60, 6)
    assert stored.conservative_treatment == "PT 8 weeks; stretches"
    assert (stored.follow_up_weeks, stored.follow_up_date) == (None, date(2030, 1, 15))
    assert stored.handout_note == {"en": "Walk daily.", "es": "Camine a diario."}
    editor.close()
    again = open_editor(later.id)
    assert again.form.form_input() == stored
    assert again.form.handout_note.tabText(1) == "Printed on the handout, in Spanish"
    # A scored pain after drops the reason: it stands only for a score not taken.
    again.form.pain_after.setValue(2)
    assert again.form.form_input().pain_after_reason == ""
    again.form.follow_up_when.weeks.setValue(6)
    with qtbot.waitSignal(again.encounter_saved, timeout=5000):
        pass
    stored = services.encounters.get(later.id).form
    assert (stored.follow_up_weeks, stored.follow_up_date) == (6, None)
    assert (stored.pain_after, stored.pain_after_reason) == (2, "")


def test_a_signed_visit_shows_the_new_fields_read_only(qtbot, open_editor, services, visit):
    view = services.encounters.get(visit.encounter_id)
    sites = [SiteDraft(trapezius(), (DoseInput(visit.lido, Decimal("0.5"), visit.lot_id),))]
    form = complete_form(view.form, handout_note={"en": "Rest today."})
    services.checks.sign(view.id, view.version, form, sites, {})
    editor = open_editor(visit.encounter_id)
    assert editor.form.pain_after_reason.isReadOnly()
    assert editor.form.conservative_treatment.isReadOnly()
    assert editor.form.handout_note.boxes[Language.ENGLISH].isReadOnly()
    assert not editor.form.follow_up_when.weeks.isEnabled()


# ---------------------------------------------------------------- clinic settings


@pytest.mark.service_behaviour
def test_the_clinic_settings_lower_and_restore_a_check(qtbot, services, prompts):
    prompts.answer("ask_rule_lowering_reason", "Consent kept on paper")
    dialog = ClinicSettingsDialog(services)
    qtbot.addWidget(dialog)
    box = dialog.documentation_checks
    assert isinstance(box, DocumentationRulesBox)
    assert box.tree.topLevelItemCount() == 9
    box.select_rule("documentation.consent")
    assert box.lower_button.isEnabled()
    assert not box.restore_button.isEnabled()
    with qtbot.waitSignal(box.changed):
        box.lower_button.click()
    item = box.tree.currentItem()
    assert (item.text(1), item.text(2)) == ("Warning (lowered)", "Consent kept on paper")
    stored = {r.rule_id: r for r in services.clinic.rule_settings().rules}
    assert stored["documentation.consent"].lowered
    assert not dialog.is_dirty()  # saved on its own, not by the dialog's Save
    with qtbot.waitSignal(box.changed):
        box.restore_button.click()
    assert box.tree.currentItem().text(1) == "Blocks signing"
    assert not any(r.lowered for r in services.clinic.rule_settings().rules)


def test_a_refused_lowering_says_why(qtbot, services, prompts):
    prompts.answer("ask_rule_lowering_reason", "   ")
    box = DocumentationRulesBox(services)
    qtbot.addWidget(box)
    box.select_rule("documentation.lot")
    with qtbot.assertNotEmitted(box.changed):
        box.lower_button.click()
    assert box.status.text().startswith("Not changed: Type why")


# ---------------------------------------------------------------- signing from the editor


def test_the_editor_signs_only_once_the_note_is_complete(qtbot, open_editor, services, visit):
    services.clinic.set_rule_override(
        "documentation.needle_intact",
        "Filaments are single use",
        expected_version=services.clinic.rule_settings().version,
    )
    editor = open_editor(visit.encounter_id)
    assessed(qtbot, editor, "documentation.consent")
    editor.sign_action.trigger()
    dialog = editor.sign_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not dialog.sign_button.isEnabled()
    assert "refused" in dialog.status.text()
    dialog.reject()
    fill_complete_form(editor.form)
    # A second click on "Yes" clears it (lowered by the clinic: a reason will do).
    editor.form.needle_intact.yes.click()
    editor.model.setData(editor.model.index(0, Column.LOT), (visit.lot_id,), EDIT)
    qtbot.waitUntil(
        lambda: editor.form.checks.assessment is not None and editor.form.checks.assessment.can_sign
    )
    editor.sign_action.trigger()
    dialog = editor.sign_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert list(dialog.reasons) == ["documentation.needle_intact"]
    assert not dialog.sign_button.isEnabled()
    qtbot.keyClicks(dialog.reasons["documentation.needle_intact"], "Checked, intact; not ticked")
    with qtbot.waitSignal(editor.encounter_saved):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    stored = services.encounters.get(visit.encounter_id)
    assert stored.status.value == "signed"
    assert [o[0] for o in stored.overrides] == ["documentation.needle_intact"]
    assert "Lowered to a warning by the clinic: Filaments are single use" in stored.overrides[0][1]
