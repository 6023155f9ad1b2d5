"""Patient → Export to FHIR…: a save dialog, the export off the GUI thread, a message."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import Role, Side, Technique
from clinic_app.services.dto import DoseInput, SiteDraft, SiteInput
from clinic_app.ui.main_window import MainWindow
from tests.complete_documentation import complete_form
from tests.factories import add_user, medication_ids, sign_in_as
from tests.fhir_checks import check_bundle

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)


@pytest.fixture
def window(qtbot, services) -> MainWindow:
    w = MainWindow(services)
    qtbot.addWidget(w)
    return w


def sign_a_visit(services, patient_id: int, provider_id: int) -> int:
    """One signed right upper trapezius injection (lidocaine 1%, 2 mL) for the patient."""
    meds = medication_ids(services)
    lot = services.clinic.add_lot(meds["lidocaine_1"], "LD-77", date(2099, 1, 31))
    site = SiteInput(
        "trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3,
        technique=Technique.INJECTION, needle_gauge=27, needle_length_in="1.25",
    )  # fmt: skip
    sites = [SiteDraft(site, (DoseInput(meds["lidocaine_1"], "2", lot.id),))]
    form = complete_form()
    enc = services.encounters.create(patient_id, provider_id)
    saved = services.encounters.save_draft(enc.id, enc.version, form, sites)
    needed = services.checks.assess_saved(enc.id).reasons_needed
    services.checks.sign(enc.id, saved.version, form, sites, {f.rule: "Reviewed" for f in needed})
    return enc.id


def patient_menu(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[1].menu()
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_the_selected_patients_signed_visits_are_saved_as_fhir(
    qtbot, window, services, admin, make_patient, prompts, tmp_path
):
    patient = make_patient(family_name="Nguyễn", weight_kg="70", weight_measured_on=date.today())
    sign_a_visit(services, patient.id, admin.id)
    window.refresh()
    window.select_patient(patient.id)
    assert "E&xport to FHIR…" in patient_menu(window)
    assert window.export_fhir_action.isEnabled()
    target = tmp_path / "chart"
    prompts.answer("ask_save_file", str(target))
    prompts.answer("inform")
    window.export_fhir_action.trigger()
    exporter = window.fhir_exporter
    assert exporter is not None
    with qtbot.waitSignal(exporter.exported, timeout=30_000) as done:
        pass
    written = tmp_path / "chart.json"
    assert done.args == [str(written), 1]
    assert prompts.shown[0].title == "Export to FHIR"
    assert "1 signed encounter written to" in prompts.shown[1].text
    kinds = check_bundle(json.loads(written.read_text(encoding="utf-8")))
    assert (kinds["Patient"], kinds["Procedure"], kinds["MedicationAdministration"]) == (1, 1, 1)
    assert "Exported to FHIR" in window.statusBar().currentMessage()


def test_a_patient_without_a_signed_visit_gets_a_clear_message(
    qtbot, window, make_patient, prompts, tmp_path
):
    patient = make_patient()
    window.refresh()
    window.select_patient(patient.id)
    prompts.answer("ask_save_file", str(tmp_path / "x.json"))
    prompts.answer("show_error")
    window.export_fhir_action.trigger()
    assert window.fhir_exporter is not None
    with qtbot.waitSignal(window.fhir_exporter.failed, timeout=30_000) as failed:
        pass
    assert "no signed encounter" in failed.args[0]
    assert "no signed encounter" in prompts.shown[1].text
    assert not (tmp_path / "x.json").exists()


def test_cancelling_the_save_dialog_exports_nothing(window, make_patient, prompts):
    patient = make_patient()
    window.refresh()
    window.select_patient(patient.id)
    prompts.answer("ask_save_file", "")
    window.export_fhir_action.trigger()
    assert window.fhir_exporter is not None
    assert window.fhir_exporter.jobs.pending == 0


def test_the_command_needs_a_selection_and_a_role_that_may_export(window, services, make_patient):
    window.refresh()
    assert not window.export_fhir_action.isEnabled()  # no patient listed yet
    make_patient()
    keeper = add_user(services, "keeper", "Kim Keeper", Role.ADMIN)
    sign_in_as(services, keeper)
    window.refresh()
    assert not window.export_fhir_action.isVisible()
    window.on_export_fhir()  # a stale shortcut does nothing
    assert window.fhir_exporter is None


def test_the_file_is_replaced_whole_or_left_as_it_was(tmp_path):
    from clinic_app.ui.fhir_export import write_replacing

    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "chart.json"
    out.write_bytes(b"old")
    write_replacing(out, b"new")
    assert out.read_bytes() == b"new"
    assert out.stat().st_mode & 0o644 == 0o644
    (folder / "folder.json").mkdir()
    with pytest.raises(IsADirectoryError):
        write_replacing(folder / "folder.json", b"new")
    assert sorted(p.name for p in folder.iterdir()) == ["chart.json", "folder.json"]


def test_a_file_that_cannot_be_written_is_a_clear_warning(
    qtbot, window, services, admin, make_patient, prompts, tmp_path
):
    patient = make_patient(weight_kg="70", weight_measured_on=date.today())
    sign_a_visit(services, patient.id, admin.id)
    window.refresh()
    window.select_patient(patient.id)
    folder = tmp_path / "exports"
    (folder / "taken.json").mkdir(parents=True)
    prompts.answer("ask_save_file", str(folder / "taken.json"))
    prompts.answer("warn")
    window.export_fhir_action.trigger()
    assert window.fhir_exporter is not None
    with qtbot.waitSignal(window.fhir_exporter.failed, timeout=30_000) as failed:
        pass
    assert failed.args[0].startswith("The file could not be written")
    assert prompts.shown[1].title == "Could not save the file"
    assert [p.name for p in folder.iterdir()] == ["taken.json"]  # no temporary file left
