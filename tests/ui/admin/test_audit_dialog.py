"""The administrator's audit trail window: filters, service-side sorting, exports, verify."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from clinic_app.domain.enums import Role
from clinic_app.ui.admin.audit_dialog import AuditDialog
from clinic_app.ui.admin.audit_model import EMERGENCY_FILL, AuditTableModel
from clinic_app.ui.main_window import MainWindow
from tests.factories import add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
REASON = "Patient fainted at the desk, checking allergies"


@pytest.fixture
def trail(services, admin, make_patient):
    """Two patients; a front-desk user breaks the glass for one and opens an encounter."""
    lee = make_patient(mrn="M-LEE", given_name="Ana", family_name="Lee")
    kim = make_patient(mrn="M-KIM", given_name="Bo", family_name="Kim")
    encounter = services.encounters.create(lee.id, admin.id)
    services.patients.get(kim.id)
    desk = add_user(services, "desk", "Dee Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    services.emergency.break_glass(lee.id, REASON)
    services.encounters.get(encounter.id)
    sign_in_as(services, admin)
    return {"lee": lee, "kim": kim, "desk": desk}


@pytest.fixture
def dialog(qtbot, services, trail) -> AuditDialog:
    d = AuditDialog(services)
    qtbot.addWidget(d)
    return d


def column(d: AuditDialog, col: int) -> list[str]:
    return [d.model.index(r, col).data() for r in range(d.model.rowCount())]


def test_it_lists_the_trail_newest_first_with_emergencies_flagged(dialog, qtmodeltester):
    qtmodeltester.check(dialog.model)
    whats = column(dialog, 3)
    assert whats[:3] == [
        "Signed in", "Opened an encounter", "Emergency access (break the glass)",
    ]  # fmt: skip
    flags = column(dialog, 7)
    assert flags[1:3] == ["EMERGENCY", f"EMERGENCY: {REASON}"]
    assert [flag for flag in flags if flag] == flags[1:3]
    tinted = dialog.model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert tinted.color() == EMERGENCY_FILL
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.page_label.text().startswith("Rows 1–")


def test_filters_by_user_patient_and_action(dialog, trail):
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(trail["desk"].id))
    dialog.show_button.click()
    assert set(column(dialog, 1)) == {"Dee Desk"}

    dialog.user_combo.setCurrentIndex(0)
    dialog.patient_edit.setText("kim")
    dialog.patient_edit.returnPressed.emit()
    assert dialog.patient_combo.currentText() == "Kim, Bo (MRN M-KIM)"
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("patient.read"))
    dialog.show_button.click()
    assert column(dialog, 3) == ["Opened the patient's record"]
    assert column(dialog, 5) == ["M-KIM"]


def test_a_header_click_sorts_on_the_service_side(qtbot, dialog):
    with qtbot.waitSignal(dialog.model.sort_requested) as asked:
        dialog.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert asked.args == ["user", False]
    names = [n for n in column(dialog, 1) if n]
    assert names == sorted(names)
    assert names[0] == "Ana Ruiz"


def test_export_csv_writes_every_matching_row(dialog, prompts, tmp_path: Path):
    target = tmp_path / "audit.csv"
    prompts.answer("ask_save_file", str(target))
    prompts.answer("inform")
    dialog.export_button.click()
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) - 1 == dialog.model.rowCount()
    assert rows[0][0] == "entry"
    assert prompts.titles() == ["Export the audit trail", "Audit trail exported"]


def test_the_access_report_is_for_the_selected_rows_patient(dialog, prompts, tmp_path: Path):
    assert not dialog.access_button.isEnabled()
    dialog.table.selectRow(2)  # the emergency access to Lee's chart
    assert dialog.access_button.isEnabled()
    target = tmp_path / "lee.pdf"
    prompts.answer("ask_save_file", str(target))
    prompts.answer("inform")
    dialog.access_button.click()
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(target)).pages)
    assert "MRN M-LEE" in text
    assert "EMERGENCY ACCESS" in " ".join(text.split())
    assert "Kim" not in text


def test_verify_shows_the_chains_message(dialog, prompts):
    prompts.answer("inform")
    dialog.verify_button.click()
    assert prompts.titles() == ["Audit trail intact"]
    assert "intact" in prompts.shown[0].text.lower()


def test_the_menu_item_is_for_administrators(qtbot, services, trail):
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.audit_trail_action.isEnabled()
    window.audit_trail_action.trigger()
    assert window.findChild(AuditDialog) is not None

    sign_in_as(services, trail["desk"])
    window.refresh()
    assert not window.audit_trail_action.isEnabled()


def test_the_model_ignores_columns_that_do_not_sort(qtbot):
    model = AuditTableModel()
    with qtbot.assertNotEmitted(model.sort_requested):
        model.sort(2, Qt.SortOrder.AscendingOrder)
