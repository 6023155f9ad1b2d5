"""The patient list model, checked without any widget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt

from clinic_app.domain.enums import Language, Sex
from clinic_app.services.dto import PatientView
from clinic_app.ui.patients.table_model import PatientIdRole, PatientTableModel, SortRole

TODAY = date(2026, 6, 1)


def patient(pid: int, family: str, given: str, born: date, **extra: object) -> PatientView:
    values: dict[str, object] = {
        "id": pid,
        "mrn": f"M{pid}",
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex": Sex.FEMALE,
        "weight_kg": Decimal("60.0"),
        "weight_measured_on": None,
        "preferred_language": Language.SPANISH,
        "phone": "555-0101",
        "allergies": "",
        "anticoagulant": False,
        "diabetes": False,
        "pregnant_or_breastfeeding": False,
        "notes": "",
        "voided": False,
    }
    values.update(extra)
    return PatientView(**values)  # type: ignore[arg-type]


ROWS = [
    patient(1, "Nguyễn", "Thị Lan", date(1968, 4, 2)),
    patient(
        2, "Åberg", "Lars", date(1990, 6, 1), sex=Sex.MALE, preferred_language=Language.ENGLISH
    ),
    patient(3, "Zúñiga", "Ana", date(2001, 12, 31), phone=""),
]


@pytest.fixture
def model() -> PatientTableModel:
    return PatientTableModel(today=lambda: TODAY)


def test_model_passes_qt_model_tester_empty_and_filled(qtmodeltester, model):
    qtmodeltester.check(model)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_set_rows_resets_the_model_once(qtbot, model):
    with qtbot.waitSignal(model.modelAboutToBeReset), qtbot.waitSignal(model.modelReset):
        model.set_rows(ROWS)
    assert model.rowCount() == 3
    assert model.columnCount() == 7


def test_cells_show_chart_conventions(model):
    model.set_rows(ROWS)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == ["M1", "Nguyễn, Thị Lan", "1968-04-02", "58", "Female", "Español", "555-0101"]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["MRN", "Name", "Date of birth", "Age", "Sex", "Language", "Phone"]


def test_age_counts_completed_years(model):
    model.set_rows(ROWS)
    assert model.index(1, PatientTableModel.AGE).data() == "36"  # birthday today
    assert model.index(2, PatientTableModel.AGE).data() == "24"  # birthday not yet


def test_patient_id_role_and_patient_at(model):
    model.set_rows(ROWS)
    assert [model.index(r, 4).data(PatientIdRole) for r in range(3)] == [1, 2, 3]
    assert model.patient_at(2).family_name == "Zúñiga"
    assert model.row_of(2) == 1
    assert model.row_of(99) is None
    with pytest.raises(IndexError):
        model.patient_at(3)


def test_id_role_and_sorting_survive_a_proxy(qtmodeltester, model):
    model.set_rows(ROWS)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    qtmodeltester.check(proxy)

    proxy.sort(PatientTableModel.NAME, Qt.SortOrder.AscendingOrder)
    # Accents fold away: Åberg sorts with the A's, not after Z.
    assert [proxy.index(r, 0).data(PatientIdRole) for r in range(3)] == [2, 1, 3]

    proxy.sort(PatientTableModel.AGE, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, PatientTableModel.AGE).data() for r in range(3)] == ["24", "36", "58"]
    proxy.sort(PatientTableModel.BIRTH_DATE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data(PatientIdRole) for r in range(3)] == [3, 2, 1]
