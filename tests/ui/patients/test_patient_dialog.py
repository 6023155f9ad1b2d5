"""The patient form: create, edit, refuse bad input without losing it, ask before discarding."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from clinic_app.domain import clock
from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import StorageError
from clinic_app.ui.patients.dialog import PatientDialog


@pytest.fixture
def new_dialog(qtbot, services) -> PatientDialog:
    d = PatientDialog(services)
    qtbot.addWidget(d)
    return d


def fill(d: PatientDialog, **overrides: str) -> None:
    values = {
        "mrn": "MRN-77",
        "given_name": "Thị Lan",
        "family_name": "Nguyễn",
        "date_of_birth": "1968-04-02",
        "weight_kg": "68,2",
        "phone": "555-0101",
    }
    values.update(overrides)
    for name, text in values.items():
        getattr(d, name).setText(text)
    d.sex.setCurrentIndex(d.sex.findData(Sex.FEMALE))
    d.preferred_language.setCurrentIndex(d.preferred_language.findData(Language.SPANISH))
    d.allergies.setPlainText("Penicillin (rash)")
    d.anticoagulant.setChecked(True)
    d.notes.setPlainText("Prefers mornings.")


@pytest.mark.service_behaviour
def test_new_patient_is_saved_with_every_field(qtbot, new_dialog, services):
    fill(new_dialog, weight_measured_on="3/1/2024")
    with qtbot.waitSignal(new_dialog.patient_saved) as saved:
        qtbot.mouseClick(new_dialog.save_button, Qt.MouseButton.LeftButton)
    patient = saved.args[0]
    assert new_dialog.patient == patient
    stored = services.patients.get(patient.id)
    assert stored == patient
    assert (stored.family_name, stored.given_name, stored.date_of_birth) == (
        "Nguyễn",
        "Thị Lan",
        date(1968, 4, 2),
    )
    assert stored.weight_kg == Decimal("68.2")
    assert stored.weight_measured_on == date(2024, 3, 1)
    assert stored.preferred_language == Language.SPANISH
    assert stored.anticoagulant
    assert not stored.diabetes
    assert stored.allergies == "Penicillin (rash)"


@pytest.mark.service_behaviour
def test_duplicate_mrn_is_shown_on_the_mrn_field_and_keeps_input(qtbot, new_dialog, make_patient):
    make_patient(mrn="mrn-77")
    fill(new_dialog)
    before = new_dialog.snapshot()
    with (
        qtbot.assertNotEmitted(new_dialog.patient_saved),
        qtbot.assertNotEmitted(new_dialog.finished),
    ):
        new_dialog.accept()
    assert "MRN MRN-77 already belongs to another patient" in new_dialog.errors.message("mrn")
    assert new_dialog.errors.invalid_fields() == ["mrn"]
    assert new_dialog.mrn.property("invalid") is True
    assert new_dialog.focusWidget() is new_dialog.mrn
    assert new_dialog.snapshot() == before
    assert new_dialog.patient is None


def test_future_birth_date_is_refused(qtbot, new_dialog, services):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    fill(new_dialog, date_of_birth=tomorrow)
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert "is in the future" in new_dialog.errors.message("date_of_birth")
    assert new_dialog.errors.invalid_fields() == ["date_of_birth"]
    assert new_dialog.date_of_birth.text() == tomorrow
    assert services.patients.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Date of birth is required."),
        ("1980-02-30", "is not a date"),
        ("14.03.1980", "is not a date"),
    ],
)
def test_birth_date_must_be_entered_and_real(qtbot, new_dialog, text, message):
    fill(new_dialog, date_of_birth=text)
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert message in new_dialog.errors.message("date_of_birth")
    assert new_dialog.date_of_birth.text() == text


def test_birth_date_field_starts_blank(new_dialog):
    assert new_dialog.date_of_birth.text() == ""
    assert new_dialog.date_of_birth.line_edit.placeholderText() == "YYYY-MM-DD"


def test_implausible_weight_marks_the_weight(qtbot, new_dialog):
    fill(new_dialog, weight_kg="720")
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert "not plausible" in new_dialog.errors.message("weight_kg")
    assert new_dialog.errors.invalid_fields() == ["weight_kg"]


def test_a_corrected_form_saves_and_clears_the_marks(qtbot, new_dialog):
    fill(new_dialog, given_name="")
    new_dialog.accept()
    assert new_dialog.errors.message("given_name") == "Given name is required."
    new_dialog.given_name.setText("Lan")
    with qtbot.waitSignal(new_dialog.accepted):
        new_dialog.accept()
    assert new_dialog.errors.invalid_fields() == []


def test_storage_error_is_shown_and_nothing_is_lost(qtbot, new_dialog, services, monkeypatch):
    def fail(data: object) -> None:
        raise StorageError("The database is busy: another workstation is saving.")

    monkeypatch.setattr(services.patients, "create", fail)
    fill(new_dialog)
    before = new_dialog.snapshot()
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert new_dialog.errors.general_message().startswith("The database is busy")
    assert new_dialog.snapshot() == before


@pytest.mark.service_behaviour
def test_edit_loads_the_patient_and_updates_it(qtbot, services, make_patient):
    original = make_patient(given_name="Lars", family_name="Åberg", weight_kg="80")
    dialog = PatientDialog(services, original)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Edit patient"
    assert (dialog.given_name.text(), dialog.date_of_birth.text(), dialog.weight_kg.text()) == (
        "Lars",
        "1970-05-17",
        "80",  # stored exactly as typed, never rounded (issue 11)
    )
    assert not dialog.is_dirty()

    dialog.phone.setText("555-0199")
    with qtbot.waitSignal(dialog.patient_saved) as saved:
        dialog.accept()
    assert saved.args[0].id == original.id
    assert services.patients.get(original.id).phone == "555-0199"


def test_closing_with_unsaved_edits_asks_and_cancel_keeps_the_dialog(qtbot, new_dialog, prompts):
    new_dialog.given_name.setText("Lan")
    prompts.answer("confirm_discard", False)
    with qtbot.assertNotEmitted(new_dialog.finished):
        qtbot.keyClick(new_dialog, Qt.Key.Key_Escape)
    assert prompts.titles() == ["Discard changes?"]
    assert new_dialog.given_name.text() == "Lan"

    prompts.answer("confirm_discard", True)
    with qtbot.waitSignal(new_dialog.rejected):
        new_dialog.reject()
    assert prompts.titles() == ["Discard changes?", "Discard changes?"]


def test_closing_an_untouched_form_does_not_ask(qtbot, new_dialog, prompts):
    with qtbot.waitSignal(new_dialog.rejected):
        new_dialog.reject()
    assert prompts.shown == []


def test_calendar_pick_fills_the_date(new_dialog):
    picked = date(1980, 3, 14)
    new_dialog.date_of_birth.on_calendar_clicked(QDate(1980, 3, 14))
    assert new_dialog.date_of_birth.date() == picked
    assert new_dialog.is_dirty()


def test_us_date_is_shown_back_as_iso(qtbot, new_dialog):
    new_dialog.date_of_birth.setText("3/4/1980")
    new_dialog.date_of_birth.on_editing_finished()
    assert new_dialog.date_of_birth.text() == "1980-03-04"


def test_birth_date_calendar_stops_at_today(new_dialog):
    field = new_dialog.date_of_birth
    field.setText("1980-03-14")
    field.on_menu_about_to_show()
    assert field.calendar.maximumDate() == QDate.currentDate()
    assert field.calendar.selectedDate() == QDate(1980, 3, 14)


def test_typing_a_new_weight_drops_the_old_weights_date(qtbot, services, make_patient):
    original = make_patient(weight_kg="80", weight_measured_on=date(2024, 1, 5))
    dialog = PatientDialog(services, original)
    qtbot.addWidget(dialog)
    assert dialog.weight_measured_on.text() == "2024-01-05"
    dialog.weight_kg.clear()
    qtbot.keyClicks(dialog.weight_kg, "78")
    assert dialog.weight_measured_on.text() == ""
    with qtbot.waitSignal(dialog.patient_saved) as saved:
        dialog.accept()
    assert saved.args[0].weight_kg == Decimal("78.0")
    assert saved.args[0].weight_measured_on == clock.today()


# ---------------------------------------------------------------- payer profile
def test_payer_rules_default_to_none_and_list_the_rule_books_profiles(new_dialog):
    from clinic_app.domain.rules.data import default_rules

    combo = new_dialog.payer
    assert combo.accessibleName() == "Payer rules"
    assert combo.currentData() == "none"
    assert combo.currentText() == "No payer rules"
    profiles = default_rules().payers
    assert [combo.itemData(i) for i in range(combo.count())] == list(profiles)
    assert [combo.itemText(i) for i in range(combo.count())] == [p.name for p in profiles.values()]
    assert new_dialog.form_input().payer == "none"


def test_a_chosen_payer_is_saved_and_loaded_back(qtbot, new_dialog, services):
    fill(new_dialog)
    new_dialog.payer.setCurrentIndex(new_dialog.payer.findData("medicare"))
    assert new_dialog.is_dirty()
    with qtbot.waitSignal(new_dialog.patient_saved) as saved:
        new_dialog.accept()
    assert services.patients.get(saved.args[0].id).payer == "medicare"
    dialog = PatientDialog(services, saved.args[0])
    qtbot.addWidget(dialog)
    assert dialog.payer.currentText() == "Medicare"
    assert not dialog.is_dirty()
    dialog.payer.setCurrentIndex(dialog.payer.findData("none"))
    with qtbot.waitSignal(dialog.patient_saved):
        dialog.accept()
    assert services.patients.get(saved.args[0].id).payer == "none"


def test_a_refused_payer_marks_the_payer_field(qtbot, new_dialog, services, monkeypatch):
    from clinic_app.domain.errors import ValidationError

    def refuse(data: object) -> None:
        raise ValidationError("payer", "Unknown payer profile 'acme'.")

    monkeypatch.setattr(services.patients, "create", refuse)
    fill(new_dialog)
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert new_dialog.errors.invalid_fields() == ["payer"]
    assert new_dialog.errors.message("payer") == "Unknown payer profile 'acme'."
    assert new_dialog.focusWidget() is new_dialog.payer


def test_a_payer_the_rule_book_no_longer_has_is_kept(qtbot, services, make_patient):
    from dataclasses import replace

    patient = replace(make_patient(), payer="acme")
    dialog = PatientDialog(services, patient)
    qtbot.addWidget(dialog)
    assert dialog.payer.currentData() == "acme"
    assert dialog.payer.currentText() == "acme (not in the rule book)"
    assert not dialog.is_dirty()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("weight_kg", "0.04", "not plausible"),
        ("weight_kg", "72.456", "at most two"),
        ("family_name", "Evil\u202egnirts", "invisible control character"),
        ("given_name", "x" * 101, "longer than 100"),
    ],
)
def test_a_refused_value_is_shown_on_its_field_and_every_other_entry_stays(
    qtbot, new_dialog, services, field, text, message
):
    """Issue 11 §3: the service's message names the field; nothing typed is lost."""
    fill(new_dialog, **{field: text})
    before = new_dialog.snapshot()
    with qtbot.assertNotEmitted(new_dialog.finished):
        new_dialog.accept()
    assert message in new_dialog.errors.message(field)
    assert new_dialog.errors.invalid_fields() == [field]
    assert new_dialog.snapshot() == before
    assert services.patients.count() == 0


@pytest.mark.service_behaviour
def test_a_persian_name_with_a_zero_width_non_joiner_is_saved_as_typed(qtbot, new_dialog, services):
    name = "می\u200cخواهم"  # the non-joiner is a letter of the script
    fill(new_dialog, given_name=name, family_name="رضایی")
    with qtbot.waitSignal(new_dialog.patient_saved) as saved:
        new_dialog.accept()
    assert services.patients.get(saved.args[0].id).given_name == name


@pytest.mark.service_behaviour
def test_a_weight_is_stored_exactly_as_typed(qtbot, new_dialog, services):
    fill(new_dialog, weight_kg="72.46")
    with qtbot.waitSignal(new_dialog.patient_saved) as saved:
        new_dialog.accept()
    assert str(services.patients.get(saved.args[0].id).weight_kg) == "72.46"


def test_every_problem_is_shown_at_once_in_field_order(qtbot, new_dialog, services):
    """Issue 12 §8: three problems, one submit, each under its field, nothing saved."""
    fill(new_dialog, given_name="", date_of_birth="1968-13-45", weight_kg="900")
    with qtbot.assertNotEmitted(new_dialog.patient_saved):
        new_dialog.accept()
    shown = new_dialog.errors.messages()
    assert [field for field, _ in shown] == ["given_name", "date_of_birth", "weight_kg"]
    assert "'1968-13-45' is not a date" in shown[1][1]
    assert new_dialog.focusWidget() is new_dialog.given_name
    assert services.patients.count() == 0


def test_service_problems_come_in_field_order_too(qtbot, new_dialog, services):
    fill(new_dialog, mrn="", family_name="", weight_kg="900")
    new_dialog.accept()
    assert [f for f, _ in new_dialog.errors.messages()] == ["mrn", "family_name", "weight_kg"]
    assert services.patients.count() == 0
