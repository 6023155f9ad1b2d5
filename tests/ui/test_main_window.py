"""The main window: search, list, summary, history, new/edit/void, status and banner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolBar,
)

from clinic_app.domain.errors import StorageError
from clinic_app.ui.main_window import DEMO_BANNER_TEXT, SEARCH_PLACEHOLDER, MainWindow
from clinic_app.ui.patients.dialog import PatientDialog
from clinic_app.ui.patients.panel import NO_HISTORY_TEXT
from clinic_app.ui.patients.table_model import PatientTableModel
from tests.factories import add_user, sign_in_as
from tests.ui.prompts import Prompts

# Showing a dialog or an editor over the window makes the offscreen platform plugin say it
# cannot propagate size hints or raise a window, which only a real window system can.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)


@pytest.fixture
def window(qtbot, services) -> MainWindow:
    w = MainWindow(services)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def warnings(prompts: Prompts) -> list[str]:
    """Every error or warning shown, as "title: text"."""
    shown: list[str] = []
    for name in ("show_error", "warn"):
        prompts.always(name, lambda prompt: shown.append(f"{prompt.title}: {prompt.text}"))
    return shown


def listed_names(window: MainWindow) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, PatientTableModel.NAME).data() for r in range(proxy.rowCount())]


def test_title_status_bar_and_no_banner(window, make_patient):
    assert window.windowTitle() == "clinic_app — Riverside Pain Clinic"
    assert window.search_box.placeholderText() == SEARCH_PLACEHOLDER
    assert window.database_label.text() == "Database: test db"
    assert window.user_label.text() == "Signed in: Ana Ruiz, MD"
    assert window.count_label.text() == "0 patients"
    assert window.demo_banner.isHidden()
    assert not window.edit_patient_action.isEnabled()

    make_patient()
    window.refresh_action.trigger()
    assert window.count_label.text() == "1 patient"
    assert window.edit_patient_action.isEnabled()


def test_demo_banner_on_a_demo_database(qtbot, services, set_demo):
    set_demo(True)
    w = MainWindow(services)
    qtbot.addWidget(w)
    assert not w.demo_banner.isHidden()
    assert w.demo_banner.text() == DEMO_BANNER_TEXT


def test_shortcuts(window):
    expected = {
        window.new_patient_action: "Ctrl+N",
        window.edit_patient_action: "Ctrl+E",
        window.refresh_action: "F5",
        window.quit_action: "Ctrl+Q",
        window.find_action: "Ctrl+F",
    }
    for action, keys in expected.items():
        assert action.shortcut() == QKeySequence(keys), action.text()


def test_every_control_has_an_accessible_name(window):
    controls = [
        *window.findChildren(QLineEdit),
        *window.findChildren(QTableView),
        *window.findChildren(QComboBox),
    ]
    toolbar = window.findChild(QToolBar)
    controls += [toolbar.widgetForAction(a) for a in toolbar.actions()]
    controls += [
        window.demo_banner,
        window.count_label,
        window.user_label,
        window.database_label,
        window.panel,
    ]
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert unnamed == []
    assert all(isinstance(toolbar.widgetForAction(a), QAbstractButton) for a in toolbar.actions())


def test_find_focuses_the_search_box(qtbot, window):
    window.table.setFocus()
    window.find_action.trigger()
    assert window.focusWidget() is window.search_box


@pytest.mark.service_behaviour
def test_search_as_you_type_folds_accents_with_one_query(qtbot, window, make_patient):
    make_patient(family_name="Nguyễn", given_name="Thị Lan")
    make_patient(family_name="Smith", given_name="John")
    window.refresh()
    assert listed_names(window) == ["Nguyễn, Thị Lan", "Smith, John"]

    searches: list[int] = []
    window.search_finished.connect(searches.append)
    qtbot.keyClicks(window.search_box, "nguyen")
    qtbot.waitUntil(lambda: listed_names(window) == ["Nguyễn, Thị Lan"])
    # Typed faster than the debounce interval: one search for six keystrokes.
    assert searches == [1]
    assert window.count_label.text() == "1 found · 2 patients"


@pytest.mark.service_behaviour
def test_search_by_birth_date_and_mrn(qtbot, window, make_patient):
    from datetime import date

    make_patient(mrn="A-77", family_name="Smith", date_of_birth=date(1955, 7, 30))
    make_patient(mrn="B-12", family_name="Jones")
    for query, expected in (("1955-07-30", ["Smith, Ana"]), ("b-1", ["Jones, Ana"])):
        with qtbot.waitSignal(window.search_finished):
            window.search_box.setText(query)
        assert listed_names(window) == expected


def test_a_huge_search_says_it_is_too_long(window, warnings, make_patient):
    """Issue 11 §3: 100,000 characters get "too long", never "cannot be reached"."""
    make_patient(family_name="Smith")
    window.search_box.setText("x" * 100_000)
    window.run_search()
    assert warnings == ["Search failed: Search text is longer than 200 characters."]


def test_selecting_shows_summary_and_empty_history(qtbot, window, make_patient):
    patient = make_patient(
        family_name="Kowalski", given_name="Łukasz", allergies="Latex", diabetes=True
    )
    with qtbot.waitSignal(window.patient_selected) as selected:
        window.refresh()
    assert selected.args == [patient.id]
    panel = window.panel
    assert panel.patient == patient
    assert panel.summary_text("mrn") == patient.mrn
    assert panel.summary_text("born").startswith("1970-05-17 (age ")
    assert panel.summary_text("allergies") == "Latex"
    assert panel.summary_text("payer") == "No payer rules"
    assert panel.history_is_empty()
    assert NO_HISTORY_TEXT == "No encounters recorded for this patient yet."


def test_the_panel_names_the_payer_profile(qtbot, window, make_patient):
    make_patient(payer="medicare")
    window.refresh()
    assert window.panel.summary_text("payer") == "Medicare"


def test_history_panel_lists_encounters(qtbot, window, services, admin, make_patient):
    patient = make_patient()
    services.encounters.create(patient.id, admin.id)
    window.refresh()
    assert window.current_patient_id() == patient.id
    model = window.panel.history_model
    assert not window.panel.history_is_empty()
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[1:] == ["Ana Ruiz", "Draft", "No sites recorded"]


def test_new_patient_through_the_dialog_appears_selected(qtbot, window):
    window.new_patient_action.trigger()
    dialog = window.patient_dialog
    assert isinstance(dialog, PatientDialog)
    assert dialog.is_new
    dialog.mrn.setText("N-1")
    dialog.given_name.setText("Thị Lan")
    dialog.family_name.setText("Nguyễn")
    dialog.date_of_birth.setText("1968-04-02")
    with qtbot.waitSignal(window.patient_saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert listed_names(window) == ["Nguyễn, Thị Lan"]
    assert window.current_patient_id() == saved.args[0]
    assert window.count_label.text() == "1 patient"
    qtbot.waitUntil(lambda: window.patient_dialog is None)


def test_new_patient_outside_the_search_is_still_shown(qtbot, window, make_patient):
    make_patient(family_name="Smith")
    window.search_box.setText("smith")
    window.run_search()
    window.new_patient_action.trigger()
    dialog = window.patient_dialog
    dialog.mrn.setText("N-2")
    dialog.given_name.setText("Ana")
    dialog.family_name.setText("Zúñiga")
    dialog.date_of_birth.setText("1990-01-01")
    with qtbot.waitSignal(window.patient_saved) as saved:
        dialog.accept()
    assert window.current_patient_id() == saved.args[0]
    assert window.search_box.text() == "N-2"


def test_edit_patient_updates_the_list(qtbot, window, make_patient):
    make_patient(family_name="Smith", given_name="Jon")
    window.refresh()
    window.edit_patient_action.trigger()
    dialog = window.patient_dialog
    assert dialog is not None
    assert not dialog.is_new
    dialog.given_name.setText("John")
    with qtbot.waitSignal(window.patient_saved):
        dialog.accept()
    assert listed_names(window) == ["Smith, John"]
    assert window.panel.patient is not None
    assert window.panel.patient.given_name == "John"


def test_enter_in_the_search_box_opens_the_selected_patient(qtbot, window, make_patient):
    make_patient(family_name="Nguyễn")
    make_patient(family_name="Smith")
    qtbot.keyClicks(window.search_box, "smi")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # before the debounce fired
    dialog = window.patient_dialog
    assert dialog is not None
    assert dialog.family_name.text() == "Smith"


def test_activating_a_row_opens_it(qtbot, window, make_patient):
    make_patient(family_name="Smith")
    window.refresh()
    window.table.activated.emit(window.table.currentIndex())
    assert window.patient_dialog is not None


@pytest.mark.service_behaviour
def test_void_patient_asks_for_a_reason_and_removes_them(
    qtbot, window, services, make_patient, prompts
):
    keep = make_patient(family_name="Abbott")
    gone = make_patient(family_name="Zeller")
    window.refresh()
    window.select_patient(gone.id)
    prompts.answer("ask_void_reason", "Registered twice")
    with qtbot.waitSignal(window.patient_voided) as voided:
        window.void_patient_action.trigger()
    assert voided.args == [gone.id]
    assert "Zeller, Ana" in prompts.shown[0].text
    assert listed_names(window) == ["Abbott, Ana"]
    assert window.current_patient_id() == keep.id
    assert window.count_label.text() == "1 patient"
    assert services.patients.get(gone.id).voided


def test_void_cancelled_changes_nothing(qtbot, window, services, make_patient, prompts):
    patient = make_patient()
    window.refresh()
    prompts.answer("ask_void_reason", None)
    with qtbot.assertNotEmitted(window.patient_voided):
        window.void_patient_action.trigger()
    assert not services.patients.get(patient.id).voided


def test_void_without_reason_is_refused_with_a_message(
    qtbot, window, make_patient, prompts, warnings
):
    make_patient()
    window.refresh()
    prompts.answer("ask_void_reason", "  ")
    with qtbot.assertNotEmitted(window.patient_voided):
        window.void_patient_action.trigger()
    assert warnings == ["Could not void the patient: Reason is required."]
    assert len(listed_names(window)) == 1


def test_storage_error_during_search_is_reported_and_the_list_kept(
    qtbot, window, services, make_patient, monkeypatch, warnings
):
    make_patient(family_name="Smith")
    window.refresh()

    def fail(*args, **kwargs):
        raise StorageError("The database cannot be reached.")

    monkeypatch.setattr(services.patients, "search", fail)
    window.search_box.setText("zzz")
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["Search failed: The database cannot be reached."]
    assert listed_names(window) == ["Smith, Ana"]
    assert window.search_box.text() == "zzz"


def test_main_window_renders_offscreen(window, make_patient):
    make_patient()
    window.refresh()
    assert not window.grab().isNull()


# ---------------------------------------------------------------- encounters
@pytest.fixture
def dirty_close_answer(prompts: Prompts) -> Prompts:
    """Answer "unsaved changes?" (and the question on closing an editor in a save conflict)
    with Discard, so no test blocks on a dialog; ``shown`` records them."""
    prompts.always("ask_unsaved_close", QMessageBox.StandardButton.Discard)
    prompts.always("ask_conflict_close", QMessageBox.StandardButton.Discard)
    return prompts


def test_encounter_shortcuts_and_enabling(window, make_patient):
    assert window.new_encounter_action.shortcut() == QKeySequence("Ctrl+Shift+N")
    assert window.repeat_visit_action.shortcut() == QKeySequence("Ctrl+R")
    assert not window.new_encounter_action.isEnabled()
    assert not window.repeat_visit_action.isEnabled()
    make_patient()
    window.refresh()
    assert window.new_encounter_action.isEnabled()
    assert window.repeat_visit_action.isEnabled()


def test_new_encounter_opens_an_editor_and_lists_the_draft(
    qtbot, window, services, admin, make_patient, dirty_close_answer
):
    patient = make_patient()
    window.refresh()
    with qtbot.waitSignal(window.history_refreshed) as refreshed:
        window.new_encounter_action.trigger()
    assert refreshed.args == [patient.id]
    (editor,) = window.encounters.editors()
    assert editor.patient_id == patient.id
    assert not editor.read_only
    assert services.encounters.get(editor.encounter_id).provider_id == admin.id
    assert window.panel.history_model.rowCount() == 1
    # An edit autosaves and the history follows.
    editor.session.autosave_timer.setInterval(10)
    with qtbot.waitSignal(window.history_refreshed):
        editor.form.indication.setPlainText("Neck pain")
    with qtbot.waitSignal(editor.encounter_closed):
        editor.close()
    assert window.encounters.editors() == []
    assert dirty_close_answer.shown == []


def test_a_user_who_is_not_a_provider_chooses_one(
    qtbot, window, services, admin, make_patient, prompts
):
    from clinic_app.domain.enums import Role

    nurse = add_user(services, "nurse1", "Nina Park", Role.NURSE, "RN")
    make_patient()  # registered at the front desk
    sign_in_as(services, nurse)
    window.refresh()
    prompts.answer("ask_choice", lambda prompt: prompt.options[0])
    window.new_encounter_action.trigger()
    assert [p.options for p in prompts.shown] == [("Ana Ruiz, MD",)]
    (editor,) = window.encounters.editors()
    assert services.encounters.get(editor.encounter_id).provider_id == admin.id

    prompts.answer("ask_choice", None)
    window.new_encounter_action.trigger()
    assert len(window.encounters.editors()) == 1
    assert window.panel.history_model.rowCount() == 1


@pytest.mark.service_behaviour
def test_repeat_last_visit_from_the_window(qtbot, window, services, admin, make_patient, warnings):
    patient = make_patient()
    window.refresh()
    window.repeat_visit_action.trigger()
    assert warnings == [
        "Could not repeat the last visit: This patient has no earlier visit with sites to repeat."
    ]
    first = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(first.id, first.version, first.form, [a_site()])
    with qtbot.waitSignal(window.history_refreshed):
        window.repeat_visit_action.trigger()
    (editor,) = window.encounters.editors()
    assert editor.encounter_id != first.id
    assert "Copied from the visit of" in editor.banner.text()
    assert window.panel.history_model.rowCount() == 2


def a_site():
    from clinic_app.domain.catalog import View
    from clinic_app.domain.enums import Side
    from clinic_app.services.dto import SiteDraft, SiteInput

    return SiteDraft(SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.62, 0.25), ())


@pytest.mark.service_behaviour
def test_an_untouched_new_encounter_leaves_no_draft_behind(
    qtbot, window, services, make_patient, dirty_close_answer
):
    patient = make_patient()
    window.refresh()
    window.new_encounter_action.trigger()
    (editor,) = window.encounters.editors()
    assert window.panel.history_model.rowCount() == 1
    with qtbot.waitSignal(window.history_refreshed) as refreshed:
        editor.close()
    assert refreshed.args == [patient.id]
    assert window.panel.history_model.rowCount() == 0
    assert services.encounters.history(patient.id) == []
    assert dirty_close_answer.shown == []


def test_reopening_an_open_encounter_brings_its_window_forward(
    qtbot, window, services, admin, make_patient
):
    patient = make_patient()
    older = services.encounters.create(patient.id, admin.id)
    newer = services.encounters.create(patient.id, admin.id)
    window.refresh()
    first = window.encounters.open(older.id)
    second = window.encounters.open(newer.id)
    assert first is not None
    assert second is not None
    with qtbot.waitActive(second):
        second.activateWindow()
    first.showMinimized()
    model = window.panel.history_model
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 0).data(model.EncounterIdRole) == older.id
    )
    window.panel.history_view.activated.emit(model.index(row, 0))
    assert window.encounters.editors() == [first, second]
    assert not first.isMinimized()
    qtbot.waitUntil(first.isActiveWindow)


def test_an_editor_saved_as_a_new_draft_is_tracked_under_its_new_id(
    qtbot, window, services, admin, make_patient, dirty_close_answer
):
    from clinic_app.domain.enums import TwitchResponse
    from clinic_app.ui.encounter.sites.text import Column

    patient = make_patient()
    encounter = services.encounters.create(patient.id, admin.id)
    services.encounters.save_draft(encounter.id, encounter.version, encounter.form, [a_site()])
    window.refresh()
    editor = window.encounters.open(encounter.id)
    assert editor is not None
    editor.session.autosave_timer.setInterval(10)
    stored = services.encounters.get(encounter.id)
    services.encounters.save_draft(stored.id, stored.version, stored.form, [])
    with qtbot.waitSignal(editor.save_failed):
        editor.model.setData(editor.model.index(0, Column.TWITCH), TwitchResponse.LOCAL)
    with qtbot.waitSignal(window.history_refreshed):
        assert editor.save_as_new_draft()
    assert window.panel.history_model.rowCount() == 2
    assert window.encounters.open(editor.encounter_id) is editor
    assert window.encounters.editors() == [editor]
    with qtbot.waitSignal(editor.encounter_closed):
        editor.close()
    assert window.encounters.editors() == []
    assert dirty_close_answer.shown == []


def test_activating_a_history_row_opens_that_encounter_once(
    qtbot, window, services, admin, make_patient
):
    patient = make_patient()
    encounter = services.encounters.create(patient.id, admin.id)
    window.refresh()
    view = window.panel.history_view
    index = window.panel.history_model.index(0, 0)
    view.activated.emit(index)
    view.activated.emit(index)
    (editor,) = window.encounters.editors()
    assert editor.encounter_id == encounter.id


def test_closing_the_window_closes_the_editors_first(
    qtbot, window, services, admin, make_patient, prompts
):
    patient = make_patient()
    services.encounters.create(patient.id, admin.id)
    window.refresh()
    window.show()
    window.panel.history_view.activated.emit(window.panel.history_model.index(0, 0))
    (editor,) = window.encounters.editors()
    editor.session.autosave_timer.setInterval(60_000)
    editor.form.pain_before.setValue(5)
    assert editor.is_dirty()
    prompts.answer(
        "ask_unsaved_close", QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard
    )
    assert not window.close()
    assert window.isVisible()
    assert window.close()
    assert window.encounters.editors() == []


def test_encounter_errors_are_reported(
    qtbot, window, services, admin, make_patient, ui_engine, warnings
):
    from sqlalchemy import text

    from clinic_app.domain.enums import Role

    make_patient()
    window.refresh()
    assert window.encounters.open(9999) is None
    assert warnings == ["Could not open the encounter: No encounter with id 9999."]
    nurse = add_user(services, "nurse1", "Nina Park", Role.NURSE, "RN")
    sign_in_as(services, nurse)
    with ui_engine.begin() as conn:
        conn.execute(text("DELETE FROM user_role WHERE role = 'provider'"))
    window.new_encounter_action.trigger()
    assert warnings[-1].startswith("No provider: No active provider account exists")
    assert window.encounters.editors() == []
