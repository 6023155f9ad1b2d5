"""The outcome questionnaire dialog: built from the data, answered by clicks and by the keys
0-5, scored live, saved through the service; unsaved answers are never lost silently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from clinic_app.domain import clock
from clinic_app.domain.enums import Language
from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientView, UserView
from clinic_app.ui.measures.dialog import MeasureDialog
from clinic_app.ui.measures.target import MeasureTarget, for_patient
from tests.ui.prompts import Prompts

DIGITS = {n: getattr(Qt.Key, f"Key_{n}") for n in range(6)}


@pytest.fixture
def patient(make_patient: Callable[..., PatientView]) -> PatientView:
    return make_patient(given_name="Maria", family_name="Lopez", mrn="ML-1")


@pytest.fixture
def dialog(
    qtbot: QtBot, services: AppServices, patient: PatientView, prompts: Prompts
) -> MeasureDialog:
    # Answers left when the test ends: the teardown's close discards them.
    prompts.always("confirm_discard", True)
    target = for_patient(services, patient)
    d = MeasureDialog(services, target)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def click(qtbot: QtBot, button: QRadioButton) -> None:
    """Click a radio button on its circle (a click past the end of its text misses it)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def type_answers(qtbot: QtBot, dialog: MeasureDialog, answers: list[int]) -> None:
    """Focus the first section and type the answers, one key each."""
    dialog.sections[0].buttons[0].setFocus()
    for value in answers:
        qtbot.keyClick(dialog.focusWidget(), DIGITS[value])


def test_the_ndi_is_built_from_its_data_file(dialog: MeasureDialog) -> None:
    assert dialog.measure.code == "ndi"
    assert len(dialog.sections) == 10
    assert all(len(box.buttons) == 6 for box in dialog.sections)
    first = dialog.sections[0]
    assert first.title() == "1. How strong your neck pain is right now"
    assert first.buttons[0].text() == "0"
    assert first.labels[0].text() == "I have no pain at the moment."
    assert first.buttons[0].accessibleName() == (
        "Section 1, answer 0: I have no pain at the moment."
    )
    assert dialog.score_label.text() == "No answers yet."
    assert not dialog.save_button.isEnabled()
    assert "Vernon" in dialog.source_label.text()
    assert dialog.patient_label.text() == "Lopez, Maria · MRN ML-1"
    assert dialog.visit_combo.currentData() is None  # no visit today: not linked


def test_keys_answer_section_by_section_and_the_score_follows(
    qtbot: QtBot, dialog: MeasureDialog, services: AppServices, patient: PatientView
) -> None:
    type_answers(qtbot, dialog, [2, 2, 2, 2, 2, 2, 2, 2, 1])
    assert dialog.answers() == (2, 2, 2, 2, 2, 2, 2, 2, 1, None)
    # One section missing is allowed for the NDI: prorated, 17/45.
    assert dialog.score_label.text() == "Score 17/45 · 37.8% · Moderate disability"
    with qtbot.waitSignal(dialog.answers_changed):
        qtbot.keyClick(dialog.focusWidget(), DIGITS[1])
    assert dialog.score_label.text() == "Score 18/50 · 36% · Moderate disability"
    # The last key stays on the last section; Backspace clears it.
    assert isinstance(dialog.focusWidget(), QRadioButton)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Backspace)
    assert dialog.answers()[-1] is None
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_5)
    assert dialog.score_label.text() == "Score 22/50 · 44% · Moderate disability"
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = saved.args[0]
    assert (view.total, view.band, view.patient_id) == (22, "Moderate disability", patient.id)
    assert not dialog.isVisible()
    assert services.measures.history(patient.id) == [view]


def test_too_many_unanswered_sections_cannot_be_saved(qtbot: QtBot, dialog: MeasureDialog) -> None:
    type_answers(qtbot, dialog, [0, 0, 0, 0, 0, 0, 0, 0])
    assert dialog.score_label.text() == "8 of 10 answered: answer at least 9 for a score."
    assert not dialog.save_button.isEnabled()
    click(qtbot, dialog.sections[9].buttons[3])
    assert dialog.save_button.isEnabled()
    assert dialog.answers()[9] == 3
    qtbot.mouseClick(dialog.sections[9].labels[5], Qt.MouseButton.LeftButton)  # the text
    assert dialog.answers()[9] == 5


def test_closing_with_answers_asks_first(
    qtbot: QtBot, dialog: MeasureDialog, prompts: Prompts
) -> None:
    click(qtbot, dialog.sections[0].buttons[4])
    assert dialog.answers()[0] == 4
    prompts.answer("confirm_discard", False)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    prompts.answer("confirm_discard", False)
    dialog.close()  # the window's close button
    assert dialog.isVisible()
    prompts.answer("confirm_discard", True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert prompts.names() == ["confirm_discard"] * 3


def test_closing_without_answers_does_not_ask(
    qtbot: QtBot, dialog: MeasureDialog, prompts: Prompts
) -> None:
    dialog.close()
    assert not dialog.isVisible()
    assert prompts.names() == []


def test_switching_questionnaire_keeps_answers_unless_discarded(
    qtbot: QtBot, dialog: MeasureDialog, prompts: Prompts
) -> None:
    type_answers(qtbot, dialog, [3, 3])
    prompts.answer("confirm_discard", False, True)
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("odi"))
    assert dialog.measure.code == "ndi"
    assert dialog.measure_combo.currentData() == "ndi"
    assert dialog.answers()[:2] == (3, 3)
    dialog.measure_combo.setCurrentIndex(dialog.measure_combo.findData("odi"))
    assert dialog.measure.code == "odi"
    assert dialog.sections[3].title() == "4. Walking"
    assert dialog.answers() == (None,) * 10
    assert "Fairbank" in dialog.source_label.text()


def test_the_questions_switch_to_spanish_keeping_the_answers(
    qtbot: QtBot, dialog: MeasureDialog
) -> None:
    type_answers(qtbot, dialog, [1])
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(Language.SPANISH))
    assert dialog.sections[0].title() == "1. Qué tan fuerte es su dolor de cuello ahora"
    assert dialog.sections[0].labels[1].text() == "El dolor es muy leve en este momento."
    assert dialog.answers()[0] == 1


def test_a_visit_of_today_is_offered_and_chosen(
    qtbot: QtBot, services: AppServices, admin: UserView, patient: PatientView
) -> None:
    encounter = services.encounters.create(patient.id, admin.id, performed_at=clock.now())
    target = for_patient(services, patient)
    assert [v[0] for v in target.visits] == [encounter.id]
    d = MeasureDialog(services, target, measure="odi")
    qtbot.addWidget(d)
    assert d.patient_label.text().endswith("MRN ML-1")
    assert d.visit_combo.currentData() == encounter.id
    assert d.visit_combo.count() == 2  # and "Not linked to a visit"
    d.set_answers((1, 1, 1, 1, 1, 1, 1, None, 1, 1))
    assert d.score_label.text() == "Score 9/45 · 20% · Minimal disability"
    with qtbot.waitSignal(d.saved):
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    [saved] = services.measures.for_encounter(encounter.id)
    assert (saved.measure, saved.total, saved.answered) == ("odi", 9, 9)


def test_a_refusal_is_shown_and_the_answers_stay(
    qtbot: QtBot, services: AppServices, patient: PatientView, prompts: Prompts
) -> None:
    target = MeasureTarget("Someone", 999_999, (), None, date(2025, 3, 4))
    d = MeasureDialog(services, target)
    qtbot.addWidget(d)
    d.show()
    d.set_answers((0,) * 10)
    prompts.answer("show_error", None)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1].title == "Questionnaire not saved"
    assert "No active patient" in prompts.shown[-1].text
    assert d.isVisible()
    assert d.answers() == (0,) * 10
    prompts.answer("confirm_discard", True)
    d.reject()
