"""Issue 14 §3: Patient → Import patients…, end to end on real files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clinic_app.domain.enums import Language, Role, Sex
from clinic_app.domain.patient_import_csv import DateOrder
from clinic_app.domain.patient_import_fhir import IDENTIFIER_TYPES
from clinic_app.services import patient_import
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.patients.import_dialog import PatientImportDialog
from clinic_app.ui.patients.import_preview import StatusRole
from tests.factories import add_user, sign_in_as

CSV = (
    "\ufeffChart No;Last Name;First Name;DOB;Gender;Language;Home Phone\r\n"
    "C-1;García;Ana;03/04/1970;F;Spanish;555-0101\r\n"
    "C-2;Nguyễn;Thị Lan;05/06/1982;f;;555-0102\r\n"
    "MRN-1000;Test;Ana;17/05/1970;F;;\r\n"  # registered already
    "C-4;;Bo;01/02/1990;M;;\r\n"  # no family name
    "c-1;Again;Ana;03/04/1970;F;;\r\n"  # the same MRN as line 2
)


def fhir_bundle() -> dict[str, object]:
    def patient(mrn: str, family: str, given: list[str], born: str, **more: object) -> dict:
        return {
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"type": {"coding": [{"system": IDENTIFIER_TYPES, "code": "MR"}]},
                                "value": mrn}],
                "name": [{"family": family, "given": given}],
                "birthDate": born,
                **more,
            }
        }  # fmt: skip

    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            patient("F-1", "Łukasz", ["Jan"], "1961-07-30", gender="male",
                    telecom=[{"system": "phone", "value": "+48 555"}]),
            {"resource": {"resourceType": "Encounter"}},
            patient("F-2", "Ruiz", ["Eva", "María"], "1975-02-14", gender="female",
                    communication=[{"language": {"coding": [{"code": "es"}]}}]),
            patient("F-3", "Partial", ["Date"], "1975-02"),
        ],
    }  # fmt: skip


@pytest.fixture
def dialog(qtbot, services):
    window = PatientImportDialog(services)
    qtbot.addWidget(window)
    window.show()
    return window


def choose(qtbot, dialog: PatientImportDialog, prompts, path: Path, page: int) -> None:
    prompts.answer("ask_open_file", str(path))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == page and not dialog.busy)


def statuses(dialog: PatientImportDialog) -> list[tuple[str, str, str]]:
    model = dialog.preview_page.model
    return [
        (
            model.index(row, model.LINE).data(),
            model.index(row, model.MRN).data(),
            model.index(row, model.STATUS).data(StatusRole),
        )
        for row in range(model.rowCount())
    ]


def test_a_csv_export_is_mapped_previewed_and_imported(
    qtbot, dialog, services, prompts, make_patient, tmp_path
) -> None:
    make_patient()  # MRN-1000
    path = tmp_path / "export.csv"
    path.write_bytes(CSV.encode())
    choose(qtbot, dialog, prompts, path, dialog.MAPPING)
    page = dialog.mapping_page
    assert page.mapping() == {
        "mrn": "Chart No",
        "family_name": "Last Name",
        "given_name": "First Name",
        "date_of_birth": "DOB",
        "sex": "Gender",
        "preferred_language": "Language",
        "phone": "Home Phone",
    }
    assert page.combos["mrn"].currentText() == "Chart No — e.g. C-1, C-2"
    # 17/05/1970 settles it: the file writes the day first.
    assert page.date_order() is DateOrder.DAY_FIRST
    assert dialog.preview_button.isEnabled()
    # Mapping the MRN away stops the preview and says why.
    page.combos["mrn"].setCurrentIndex(0)
    assert not dialog.preview_button.isEnabled()
    assert "choose the column for MRN" in page.problem_label.text()
    page.combos["mrn"].setCurrentIndex(page.combos["mrn"].findData("Chart No"))

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.PREVIEW and not dialog.busy)
    assert statuses(dialog) == [
        ("2", "C-1", "new"),
        ("3", "C-2", "new"),
        ("4", "MRN-1000", "duplicate"),
        ("5", "C-4", "invalid"),
        ("6", "c-1", "duplicate"),
    ]
    model = dialog.preview_page.model
    assert model.index(3, model.REASON).data() == "Family name is required."
    assert model.index(0, model.NAME).data() == "García, Ana"
    assert model.index(0, model.BIRTH_DATE).data() == "1970-04-03"
    assert dialog.preview_page.counts_label.text() == (
        "2 new patients · 2 duplicates · 1 invalid row"
    )
    assert dialog.import_button.text() == "Import 2 new patients"

    prompts.answer("confirm_patient_import", True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args == [2]
    assert prompts.shown[-1].text.startswith("2 new patients · 2 duplicates · 1 invalid row.")
    assert dialog.pages.currentIndex() == dialog.DONE
    assert dialog.result_label.text() == (
        "Imported 2 patients.\n\n2 duplicates were skipped (lines 4, 6): the MRN is already "
        "registered or appears earlier in the file.\n\n1 invalid row was not imported; correct "
        "them in the file and import it again."
    )
    (ana,) = services.patients.search("garcia")
    assert (ana.mrn, ana.date_of_birth, ana.sex, ana.preferred_language, ana.phone) == (
        "C-1",
        date(1970, 4, 3),
        Sex.FEMALE,
        Language.SPANISH,
        "555-0101",
    )
    assert [p.mrn for p in services.patients.search("thi lan")] == ["C-2"]
    assert dialog.close_button.text() == "Close"


def test_a_fhir_bundle_goes_straight_to_the_preview(
    qtbot, dialog, services, prompts, tmp_path
) -> None:
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(fhir_bundle()), encoding="utf-8")
    choose(qtbot, dialog, prompts, path, dialog.PREVIEW)
    assert statuses(dialog) == [("1", "F-1", "new"), ("3", "F-2", "new"), ("4", "F-3", "invalid")]
    assert dialog.preview_page.counts_label.text() == (
        "2 new patients · 0 duplicates · 1 invalid row (not patients, passed over: 1 Encounter)"
    )
    prompts.answer("confirm_patient_import", True)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text().startswith("Imported 2 patients.\n\n1 invalid row was")
    (eva,) = services.patients.search("ruiz")
    assert (eva.given_name, eva.preferred_language, eva.sex) == (
        "Eva María",
        Language.SPANISH,
        Sex.FEMALE,
    )
    assert services.patients.search("lukasz")[0].phone == "+48 555"
    # Back to the start for another file (a FHIR file has no mapping step).
    assert not dialog.back_button.isVisible()


def test_cancelling_at_the_confirmation_or_closing_imports_nothing(
    qtbot, dialog, services, prompts, tmp_path
) -> None:
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(fhir_bundle()), encoding="utf-8")
    choose(qtbot, dialog, prompts, path, dialog.PREVIEW)
    prompts.answer("confirm_patient_import", False)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == dialog.PREVIEW
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert services.patients.count() == 0


def test_cancel_during_the_import_rolls_it_back(
    qtbot, dialog, services, prompts, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(patient_import, "CHUNK", 1)
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(fhir_bundle()), encoding="utf-8")
    choose(qtbot, dialog, prompts, path, dialog.PREVIEW)
    # The first progress report presses Cancel import, on the worker itself (so before
    # the next chunk, whatever the timing).
    dialog._relay.moved.connect(
        lambda *_: dialog.on_close_clicked(), Qt.ConnectionType.DirectConnection
    )
    prompts.answer("confirm_patient_import", True)
    prompts.answer("show_error")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert prompts.shown[-1].text == "The import was cancelled; nothing was imported."
    assert services.patients.count() == 0
    assert dialog.pages.currentIndex() == dialog.PREVIEW


def test_a_file_that_is_not_utf8_is_refused_with_a_reason(qtbot, dialog, prompts, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("MRN,Name\nA1,María\n".encode("cp1252"))
    prompts.answer("ask_open_file", str(path))
    prompts.answer("show_error")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prompts.names() == ["ask_open_file", "show_error"])
    assert "not UTF-8" in prompts.shown[-1].text
    assert dialog.pages.currentIndex() == dialog.CHOOSE
    prompts.answer("warn")
    dialog.load(tmp_path / "missing.csv")
    assert "cannot be read" in prompts.shown[-1].text


def test_an_ambiguous_date_format_must_be_chosen(qtbot, dialog, prompts, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"MRN,Surname,Given,DOB\nA1,Lee,Ana,03/04/1970\n")
    choose(qtbot, dialog, prompts, path, dialog.MAPPING)
    page = dialog.mapping_page
    assert page.date_order() is None
    assert not dialog.preview_button.isEnabled()
    assert "choose how the file writes dates" in page.problem_label.text()
    page.date_order_combo.setCurrentIndex(
        page.date_order_combo.findData(DateOrder.MONTH_FIRST.value)
    )
    assert dialog.preview_button.isEnabled()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == dialog.PREVIEW and not dialog.busy)
    model = dialog.preview_page.model
    assert model.index(0, model.BIRTH_DATE).data() == "1970-03-04"
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == dialog.MAPPING


def test_the_menu_offers_the_import_to_the_front_desk_not_the_nurse(qtbot, services, admin) -> None:
    desk = add_user(services, "desk", "Fran Desk", Role.FRONT_DESK)
    nurse = add_user(services, "nurse", "Nia Nurse", Role.NURSE)
    sign_in_as(services, desk)
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.import_patients_action.isVisible()
    window.import_patients_action.trigger()
    dialog = window.findChild(PatientImportDialog)
    assert dialog is not None
    assert dialog.isVisible()
    dialog.reject()
    sign_in_as(services, nurse)
    window2 = MainWindow(services)
    qtbot.addWidget(window2)
    assert not window2.import_patients_action.isVisible()


def test_an_unexpected_failure_is_told_without_the_file_s_content(
    qtbot, dialog, services, prompts, tmp_path, monkeypatch, caplog
) -> None:
    def boom(*_args, **_kwargs):
        raise RuntimeError("row PM-1 Quixotic")

    monkeypatch.setattr(services.patient_import, "preview", boom)
    path = tmp_path / "patients.json"
    path.write_text(json.dumps(fhir_bundle()), encoding="utf-8")
    prompts.answer("ask_open_file", str(path))
    prompts.answer("warn")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: prompts.names() == ["ask_open_file", "warn"])
    assert prompts.shown[-1].text == "The import failed (RuntimeError); nothing was imported."
    assert "Quixotic" not in caplog.text
    assert dialog.pages.currentIndex() == dialog.CHOOSE
