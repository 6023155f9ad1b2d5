"""Where the questionnaire is opened: the front desk's selected visit and the patient menu."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic_app.domain.enums import Role
from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientView, UserView
from clinic_app.ui.front_desk.window import FrontDeskWindow
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.measures.dialog import MeasureDialog
from tests.factories import PASSWORD, add_user, sign_in_as
from tests.services.test_outcome_measures import sign
from tests.ui.front_desk.test_front_desk import procedure
from tests.ui.prompts import Prompts

NDI_18 = (2, 2, 2, 2, 2, 2, 2, 2, 1, 1)


@pytest.fixture
def visit(
    services: AppServices, admin: UserView, make_patient: Callable[..., PatientView]
) -> tuple[PatientView, int]:
    patient = make_patient(given_name="Maria", family_name="Lopez", mrn="ML-1")
    return patient, procedure(services, admin, patient)  # a draft of today with one site


def as_role(services: AppServices, role: Role) -> None:
    """A new user of ``role``, made by the administrator, signed in."""
    services.clinic.authenticate("aruiz", PASSWORD)
    name = f"{role.value.replace('_', ' ')} user"
    sign_in_as(services, add_user(services, f"u.{role.value}", name, role))


def dialog_of(widget: object) -> MeasureDialog:
    [dialog] = [d for d in widget.findChildren(MeasureDialog) if d.isVisible()]  # type: ignore[attr-defined]
    return dialog


def test_the_front_desk_records_for_the_selected_visit(
    qtbot: QtBot, services: AppServices, visit: tuple[PatientView, int]
) -> None:
    patient, encounter_id = visit
    as_role(services, Role.FRONT_DESK)
    window = FrontDeskWindow(services)
    qtbot.addWidget(window)
    assert not window.measure_button.isEnabled()  # nothing selected
    with qtbot.waitSignal(window.preview_ready):
        window.select_encounter(0)
    assert window.measure_button.isEnabled()
    qtbot.mouseClick(window.measure_button, Qt.MouseButton.LeftButton)
    dialog = dialog_of(window)
    assert dialog.patient_label.text() == "Maria Lopez · MRN ML-1"
    # The visit says whose it is: no "not linked" choice.
    assert [dialog.visit_combo.itemData(i) for i in range(dialog.visit_combo.count())] == [
        encounter_id
    ]
    dialog.set_answers(NDI_18)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    as_role(services, Role.NURSE)
    [saved] = services.measures.for_encounter(encounter_id)
    assert (saved.patient_id, saved.total, saved.entered_by) == (patient.id, 18, "front desk user")


def test_a_signed_visit_offers_no_questionnaire(
    qtbot: QtBot, services: AppServices, visit: tuple[PatientView, int]
) -> None:
    _patient, encounter_id = visit
    sign(services, encounter_id)  # type: ignore[arg-type]
    window = FrontDeskWindow(services)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.preview_ready):
        window.select_encounter(0)
    assert window.encounter_id == encounter_id
    assert window.print_button.isEnabled()  # the row is shown...
    assert not window.measure_button.isEnabled()  # ...but takes no questionnaire


def test_the_nurse_opens_it_from_the_patient_menu(
    qtbot: QtBot, services: AppServices, visit: tuple[PatientView, int], prompts: Prompts
) -> None:
    patient, encounter_id = visit
    as_role(services, Role.NURSE)
    window = MainWindow(services)
    qtbot.addWidget(window)
    action = window.outcome_measure_action
    assert action.isVisible()
    assert window.select_patient(patient.id)
    assert action.isEnabled()
    action.trigger()
    dialog = dialog_of(window)
    assert dialog.visit_combo.currentData() == encounter_id  # today's draft, chosen
    prompts.answer("confirm_discard", True)
    dialog.set_answers(NDI_18)
    dialog.reject()
    assert not dialog.isVisible()


def test_an_administrator_without_a_clinical_role_is_not_offered_it(
    qtbot: QtBot, services: AppServices, visit: tuple[PatientView, int]
) -> None:
    as_role(services, Role.ADMIN)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert not window.outcome_measure_action.isVisible()
