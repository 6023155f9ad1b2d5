"""The encounter form: round trip, change signal, pain scale limits, read-only, Checks box."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from clinic_app.domain.enums import SkinPrep, Tolerance
from clinic_app.domain.labels import NOT_RECORDED
from clinic_app.domain.rules import default_rules
from clinic_app.services.dto import EncounterInput
from clinic_app.ui.encounter.checks_panel import CHECKS_EMPTY_TEXT
from clinic_app.ui.encounter.form import EncounterForm

FULL = EncounterInput(
    indication="Myofascial pain, right upper trapezius\nfor 3 months",
    icd10_codes=("M79.18", "M54.2"),
    screening={
        "allergies_reviewed": {"answer": True, "note": "NKDA"},
        "anticoagulant": {"answer": False, "note": ""},
        "diabetes": {"answer": None, "note": "asks to check later"},
        "needle_phobia": {"answer": True, "note": "kept from a newer version"},
    },
    consent_obtained=True,
    time_out_done=True,
    skin_prep=SkinPrep.CHLORHEXIDINE,
    pain_before=7,
    pain_after=0,
    tolerance=Tolerance.WELL,
    complications="Vasovagal reaction",
    follow_up_plan="Review in 3 weeks.",
    needle_intact=True,
    disposition="Home with a companion; stable",
)


@pytest.fixture
def form(qtbot) -> EncounterForm:
    widget = EncounterForm()
    qtbot.addWidget(widget)
    return widget


def test_round_trip(qtbot, form):
    with qtbot.assertNotEmitted(form.form_changed):
        form.set_form(FULL)
    assert form.form_input() == FULL
    with qtbot.assertNotEmitted(form.form_changed):
        form.set_form(EncounterInput())
    assert form.form_input() == EncounterInput()
    assert form.pain_before.text() == NOT_RECORDED


def test_user_edits_emit_form_changed(qtbot, form):
    form.set_form(FULL)
    with qtbot.waitSignal(form.form_changed):
        qtbot.keyClicks(form.icd10, ", g44.209")
    with qtbot.waitSignal(form.form_changed):
        form.time_out.click()
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.screening["infection"][0].no, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(form.form_changed):
        qtbot.keyClicks(form.screening["infection"][1], "none seen")
    with qtbot.waitSignal(form.form_changed):
        form.pain_after.setValue(2)
    result = form.form_input()
    assert result.icd10_codes == ("M79.18", "M54.2", "G44.209")
    assert not result.time_out_done
    assert result.screening["infection"] == {"answer": False, "note": "none seen"}
    assert result.pain_after == 2


def test_icd10_list_ignores_blanks(form):
    form.icd10.setText(" m79.18 ,, M54.2 , ")
    assert form.form_input().icd10_codes == ("M79.18", "M54.2")


def test_pain_outside_0_to_10_is_impossible(qtbot, form):
    form.pain_before.setValue(15)
    assert form.form_input().pain_before == 10
    form.pain_before.setValue(-5)
    assert form.form_input().pain_before is None
    qtbot.keyClicks(form.pain_after, "12")
    assert form.form_input().pain_after == 2  # each digit is a score: no 12
    qtbot.keyClicks(form.pain_after, "10")
    assert form.form_input().pain_after == 10  # "1" then "0" is ten
    assert form.pain_after.maximum() == 10
    form.pain_after.setValue(-1)
    assert form.pain_after.text() == NOT_RECORDED
    qtbot.keyClicks(form.pain_after, "4")
    assert form.form_input().pain_after == 4
    qtbot.keyClick(form.pain_after, Qt.Key.Key_Delete)
    assert form.form_input().pain_after is None


def test_read_only(qtbot, form):
    form.set_form(FULL)
    form.set_read_only(True)
    assert form.indication.isReadOnly()
    assert form.icd10.isReadOnly()
    assert form.pain_before.isReadOnly()
    assert not form.skin_prep.isEnabled()
    assert not form.consent.isEnabled()
    assert form.screening["diabetes"][0].isReadOnly()
    assert not form.screening["diabetes"][0].yes.isEnabled()
    assert not form.screening_box.all_negative_button.isEnabled()
    assert form.screening["diabetes"][1].isReadOnly()
    with qtbot.assertNotEmitted(form.form_changed):
        qtbot.keyClicks(form.icd10, "X")
        qtbot.keyClicks(form.indication, "X")
    assert form.form_input() == FULL
    form.set_read_only(False)
    assert form.skin_prep.isEnabled()
    assert not form.icd10.isReadOnly()


def test_checks_codes_and_signature_sections(form):
    assert form.checks.title() == "Checks"
    assert form.checks.summary.text() == CHECKS_EMPTY_TEXT
    assert form.codes.title() == "Codes"
    assert form.signature.isHidden()  # a draft has no signature yet


def test_screening_questions_come_from_the_rules_in_their_order(form):
    questions = default_rules().questions
    assert list(form.screening) == [q.code for q in questions]
    for q in questions:
        assert form.screening[q.code][0].accessibleName() == f"{q.label}: answer"
    form.screening["acute_trauma"][0].yes.click()
    form.screening["acute_trauma"][1].setText("fell last week")
    assert form.form_input().screening["acute_trauma"] == {
        "answer": True,
        "note": "fell last week",
    }


def test_every_field_is_named_for_screen_readers(form):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox

    fields = [w for kind in (QComboBox, QPlainTextEdit, QSpinBox) for w in form.findChildren(kind)]
    fields += [
        w for w in form.findChildren(QLineEdit) if not isinstance(w.parent(), QSpinBox | QComboBox)
    ]
    unnamed = [type(w).__name__ for w in fields if not w.accessibleName()]
    assert unnamed == []
    assert all(box.text() for box in form.findChildren(QCheckBox))
    assert form.complications.isEditable()
    assert form.complications.findText("Bleeding / hematoma", Qt.MatchFlag.MatchExactly) > 0


def test_needle_intact_and_disposition(qtbot, form):
    form.set_form(FULL)
    assert form.needle_intact.answer() is True
    assert form.disposition.text() == "Home with a companion; stable"
    with qtbot.waitSignal(form.form_changed):
        qtbot.mouseClick(form.needle_intact.no, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(form.form_changed):
        form.disposition.clear()
        qtbot.keyClicks(form.disposition, " Home alone; stable ")
    result = form.form_input()
    assert result.needle_intact is False
    assert result.disposition == "Home alone; stable"
    form.set_form(EncounterInput())
    assert form.needle_intact.state.text() == NOT_RECORDED
    assert form.form_input().needle_intact is None
    form.set_read_only(True)
    assert not form.needle_intact.yes.isEnabled()
    assert form.disposition.isReadOnly()
    form.set_read_only(False)
    assert form.needle_intact.yes.isEnabled()
    assert not form.disposition.isReadOnly()
