"""Issue 12 §4: one-action screening, answers by key, record carried over, check buttons,
pain pickers. Real clicks and keys on the form; undo on a real QUndoStack."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from clinic_app.domain.enums import Language, Sex, SkinPrep
from clinic_app.services.dto import EncounterInput, PatientView
from clinic_app.ui.encounter.form import EncounterForm
from clinic_app.ui.encounter.screening import ALL_NEGATIVE_SHORTCUT, CARRIED_TEXT

LEFT = Qt.MouseButton.LeftButton
PATIENT = PatientView(
    id=1, mrn="M1", given_name="Ana", family_name="Ruiz", date_of_birth=date(1970, 1, 1),
    sex=Sex.FEMALE, weight_kg=None, weight_measured_on=None,
    preferred_language=Language.ENGLISH, phone="", allergies="", anticoagulant=False,
    diabetes=False, pregnant_or_breastfeeding=False, notes="", voided=False,
)  # fmt: skip


@pytest.fixture
def stack(qtbot) -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def form(qtbot, stack) -> EncounterForm:
    widget = EncounterForm()
    widget.set_undo_stack(stack)
    qtbot.addWidget(widget)
    return widget


def show_active(qtbot, form: EncounterForm) -> None:
    """Keys and shortcuts reach the active window only."""
    form.show()
    with qtbot.waitActive(form):
        form.activateWindow()


def answers(form: EncounterForm) -> dict[str, bool | None]:
    screening = form.form_input().screening
    return {code: screening.get(code, {}).get("answer") for code in form.screening}


def test_all_negative_answers_every_open_question_in_one_undoable_action(qtbot, form, stack):
    form.set_form(EncounterInput())
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.screening_box.all_negative_button, LEFT)
    got = answers(form)
    assert got["allergies_reviewed"] is True  # "reviewed" is the all-clear answer
    assert {code: a for code, a in got.items() if code != "allergies_reviewed"} == {
        code: False for code in got if code != "allergies_reviewed"
    }
    assert stack.count() == 1
    with qtbot.waitSignal(form.form_changed):
        stack.undo()
    assert form.form_input().screening == {}


def test_all_negative_keeps_a_positive_from_the_record_and_says_so(qtbot, form):
    """Clinical safety: the patient is on an anticoagulant; All negative keeps that yes."""
    form.set_record(replace(PATIENT, anticoagulant=True, allergies="Penicillin"), None)
    form.set_form(EncounterInput())
    box = form.screening_box
    row = box.rows["anticoagulant"]
    assert row.answer.answer() is True
    assert row.answer.pending
    assert row.carried.isVisibleTo(form)
    assert CARRIED_TEXT in row.carried.text()
    # Carried over is not an answer given today until confirmed.
    assert "anticoagulant" not in form.form_input().screening
    show_active(qtbot, form)
    form.screening["infection"][0].setFocus()
    qtbot.keyClick(
        form, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    got = answers(form)
    assert got["anticoagulant"] is True
    assert got["allergies_reviewed"] is True
    assert got["infection"] is False
    assert "Anticoagulant / antiplatelet: yes" in box.status.text()
    assert not row.carried.isVisibleTo(form)
    assert ALL_NEGATIVE_SHORTCUT == "Ctrl+Alt+N"


def test_all_negative_never_overwrites_an_answer_given(qtbot, form):
    form.set_form(EncounterInput(screening={"diabetes": {"answer": True, "note": ""}}))
    qtbot.mouseClick(form.screening_box.all_negative_button, LEFT)
    assert answers(form)["diabetes"] is True
    assert "Diabetes: yes" in form.screening_box.status.text()


def test_the_record_is_confirmed_in_one_click(qtbot, form, stack):
    form.set_record(
        replace(PATIENT, pregnant_or_breastfeeding=True, no_known_drug_allergies=True), None
    )
    form.set_form(EncounterInput())
    box = form.screening_box
    assert box.confirm_button.text() == "Confirm from record (2)"
    assert "No known drug allergies" in box.rows["allergies_reviewed"].carried.text()
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(box.confirm_button, LEFT)
    got = answers(form)
    assert (got["pregnancy"], got["allergies_reviewed"]) == (True, True)
    assert got["infection"] is None  # nothing else is answered
    assert not box.confirm_button.isEnabled()
    stack.undo()
    assert "pregnancy" not in form.form_input().screening


def test_a_stored_answer_wins_over_the_record_and_signed_forms_propose_nothing(form):
    form.set_record(replace(PATIENT, anticoagulant=True), None)
    form.set_form(EncounterInput(screening={"anticoagulant": {"answer": False, "note": "stopped"}}))
    assert not form.screening_box.rows["anticoagulant"].answer.pending
    assert answers(form)["anticoagulant"] is False
    form.set_form(EncounterInput())
    form.set_read_only(True)
    assert form.screening_box.rows["anticoagulant"].answer.answer() is None


def test_keys_y_n_and_question_mark_answer_without_ambiguity(qtbot, form):
    form.set_form(EncounterInput())
    show_active(qtbot, form)
    first = form.screening["allergies_reviewed"][0]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Y)
    second = form.screening["anticoagulant"][0]
    assert second.hasFocus()  # the next question takes the next key
    qtbot.keyClick(second, Qt.Key.Key_N)
    got = answers(form)
    assert (got["allergies_reviewed"], got["anticoagulant"]) == (True, False)
    qtbot.keyClick(second, Qt.Key.Key_Question)
    assert answers(form)["anticoagulant"] is None  # "?" = not asked
    qtbot.mouseClick(first.yes, LEFT)  # a second click on the chosen answer clears it
    assert answers(form)["allergies_reviewed"] is None


def test_consent_time_out_and_skin_prep_are_one_row_of_check_buttons(qtbot, form):
    form.set_record(PATIENT, SkinPrep.ALCOHOL)
    form.set_form(EncounterInput())
    assert form.skin_prep.text() == "Skin prep: Alcohol"
    assert form.form_input().skin_prep is None  # offered, not recorded until checked
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.consent, LEFT)
    qtbot.mouseClick(form.time_out, LEFT)
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.skin_prep, LEFT)
    result = form.form_input()
    assert (result.consent_obtained, result.time_out_done, result.skin_prep) == (
        True, True, SkinPrep.ALCOHOL,
    )  # fmt: skip
    assert form.consent.y() == form.time_out.y() == form.skin_prep.y()
    with qtbot.waitSignal(form.form_changed):
        form.skin_prep.choices[SkinPrep.POVIDONE_IODINE].trigger()
    assert form.form_input().skin_prep is SkinPrep.POVIDONE_IODINE
    form.set_form(EncounterInput(skin_prep=SkinPrep.CHLORHEXIDINE))
    assert form.skin_prep.isChecked()
    assert form.skin_prep.text() == "Skin prep: Chlorhexidine"


def test_without_a_clinic_default_the_skin_prep_click_asks_which(qtbot, form):
    form.set_record(PATIENT, None)
    form.set_form(EncounterInput())
    assert form.skin_prep.text() == "Skin prep: choose…"
    form.skin_prep.click()  # opens the menu of preps and records nothing
    assert form.skin_prep.menu().isVisible()
    form.skin_prep.menu().close()
    assert form.form_input().skin_prep is None


def test_pain_is_eleven_buttons_with_a_clear_not_recorded_state(qtbot, form):
    form.set_form(EncounterInput())
    picker = form.pain_before
    assert [b.text() for b in picker.buttons] == [str(n) for n in range(11)]
    assert picker.state.text() == "Not recorded"
    assert not picker.state.isHidden()
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(picker.buttons[7], LEFT)
    assert form.form_input().pain_before == 7
    assert picker.state.isHidden()
    qtbot.mouseClick(picker.buttons[7], LEFT)  # clicking the score again clears it
    assert form.form_input().pain_before is None
    qtbot.mouseClick(picker.buttons[0], LEFT)
    assert form.form_input().pain_before == 0  # a real zero, not "not recorded"
    form.set_read_only(True)
    qtbot.mouseClick(picker.buttons[5], LEFT)
    assert form.form_input().pain_before == 0


def test_needle_intact_and_disposition_in_one_click_each(qtbot, form):
    form.set_form(EncounterInput())
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.needle_intact.yes, LEFT)
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.disposition_presets.buttons[0], LEFT)
    result = form.form_input()
    assert (result.needle_intact, result.disposition) == (True, "Home, stable")
    form.set_read_only(True)
    qtbot.mouseClick(form.disposition_presets.buttons[1], LEFT)
    assert form.form_input().disposition == "Home, stable"
