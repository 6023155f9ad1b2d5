"""The clinic's time zone: chosen at setup and in clinic settings, used for every time shown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine, text

from clinic_app.domain.enums import Language
from clinic_app.services.container import AppServices
from clinic_app.services.documents import PrintRecord
from clinic_app.ui.admin.clinic_fields import computer_zone_name
from clinic_app.ui.admin.clinic_settings import ClinicSettingsDialog
from clinic_app.ui.admin.setup_dialog import SetupDialog
from clinic_app.ui.encounter.editor import EncounterEditor
from clinic_app.ui.front_desk.window import PrintLogModel

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def fake_zoneinfo(tmp_path: Path, name: str) -> Path:
    target = tmp_path / "usr" / "share" / "zoneinfo" / name
    target.parent.mkdir(parents=True)
    target.write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(target)
    return link


def test_the_computer_zone_comes_from_tz_then_from_etc_localtime(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-file"
    assert computer_zone_name({"TZ": "Asia/Tokyo"}, missing) == "Asia/Tokyo"
    assert computer_zone_name({"TZ": ":Europe/Paris"}, missing) == "Europe/Paris"
    link = fake_zoneinfo(tmp_path, "America/Chicago")
    assert computer_zone_name({"TZ": "Mars/Olympus"}, link) == "America/Chicago"
    assert computer_zone_name({}, link) == "America/Chicago"
    assert computer_zone_name({"TZ": "/etc/localtime"}, missing) == ""
    assert computer_zone_name({}, missing) == ""
    plain = tmp_path / "plain"
    plain.write_bytes(b"TZif")  # a copied file: its name says nothing
    assert computer_zone_name({}, plain) == ""


def test_setup_guesses_this_computers_zone_and_stores_the_one_chosen(
    qtbot, fresh_services: AppServices, monkeypatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Lisbon")
    dialog = SetupDialog(fresh_services)
    qtbot.addWidget(dialog)
    assert dialog.timezone_text() == "Europe/Lisbon"
    assert dialog.timezone.findText("America/Chicago") >= 0
    dialog.clinic_name.setText("Lakeside Pain Clinic")
    dialog.full_name.setText("Ana Ruiz")
    dialog.username.setText("aruiz")
    for field in (dialog.password, dialog.password_confirm):
        field.setText("long enough pass")
    dialog.timezone.setEditText("Mars/Olympus")
    dialog.accept()
    assert dialog.errors.invalid_fields() == ["timezone"]
    assert "not a known time zone" in dialog.errors.message("timezone")
    dialog.timezone.setCurrentIndex(dialog.timezone.findText("America/Chicago"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    profile = fresh_services.clinic.profile()
    assert profile is not None
    assert profile.timezone == "America/Chicago"


@pytest.mark.service_behaviour
def test_clinic_settings_show_and_change_the_zone(qtbot, services: AppServices) -> None:
    dialog = ClinicSettingsDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.timezone_text() == ""  # this computer's zone until one is chosen
    assert dialog.timezone.lineEdit().placeholderText() == "this computer's time zone"
    qtbot.keyClicks(dialog.timezone.lineEdit(), "Asia/Tokyo")
    assert dialog.is_dirty()
    with qtbot.waitSignal(dialog.profile_saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    profile = services.clinic.profile()
    assert profile is not None
    assert profile.timezone == "Asia/Tokyo"
    again = ClinicSettingsDialog(services)
    qtbot.addWidget(again)
    assert again.timezone_text() == "Asia/Tokyo"
    assert not again.is_dirty()
    again.timezone.setEditText("")
    again.accept()
    assert services.clinic.profile().timezone == ""  # type: ignore[union-attr]


@pytest.mark.service_behaviour
def test_the_editor_shows_the_visit_in_the_clinics_zone(
    qtbot, services: AppServices, admin, make_patient, ui_engine: Engine
) -> None:
    with ui_engine.begin() as conn:
        conn.execute(text("UPDATE clinic_profile SET timezone = 'Asia/Tokyo'"))
    patient = make_patient()
    # 20:30 UTC is 05:30 the next morning in Tokyo: the visit's day is Tokyo's.
    moment = datetime(2026, 3, 4, 20, 30, tzinfo=UTC)
    encounter = services.encounters.create(patient.id, admin.id, performed_at=moment)
    editor = EncounterEditor(services, encounter.id)
    qtbot.addWidget(editor)
    assert "2026-03-05 05:30 JST" in editor.header.encounter.text()
    assert "2026-03-05 05:30 JST" in editor.windowTitle()
    assert editor.read_only  # a past draft: opened locked, with its clinic day
    assert "2026-03-05" in editor.banner.text()


def test_front_desk_lists_read_in_the_clinics_zone() -> None:
    moment = datetime(2026, 3, 4, 20, 30, tzinfo=UTC)
    log = PrintLogModel()
    log.zone = "America/Chicago"
    log.set_rows([PrintRecord(1, 7, Language.ENGLISH, 1, moment, None, "Fran Desk")])
    assert log.index(0, 0).data() == "2026-03-04 14:30 CST"
