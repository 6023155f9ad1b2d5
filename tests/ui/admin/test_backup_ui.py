"""File → Back up now…, Restore from backup…, Backup settings…, and the status bar's field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clinic_app.domain.enums import Role
from clinic_app.services import backup_settings
from clinic_app.ui.main_window import MainWindow
from tests.factories import add_user, sign_in_as

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise)\(\)"
)
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


@pytest.fixture
def window(qtbot, services, set_now) -> MainWindow:
    set_now(NOW)
    w = MainWindow(services)
    qtbot.addWidget(w)
    return w


def file_menu_texts(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_back_up_now_runs_off_the_gui_thread_with_progress_and_updates_the_status(
    qtbot, window, make_patient, prompts, tmp_path
):
    make_patient()
    assert window.backups.status_label.text() == "No backup yet"
    assert window.backups.status_label.property("warning") is True
    target = tmp_path / "chosen"
    prompts.answer("ask_save_file", str(target))
    moves: list[tuple[str, int, int]] = []
    window.backups._relay.moved.connect(lambda *args: moves.append(args))

    with qtbot.waitSignal(window.backups.backup_finished, timeout=30_000) as finished:
        window.back_up_action.trigger()
        assert window.backups.progress_bar.isVisible() or window.backups.busy

    summary = finished.args[0]
    assert summary.path == tmp_path / "chosen.clinic-backup"
    assert summary.path.exists()
    assert summary.counts["patient"] == 1
    assert any(stage == "Copying" for stage, _d, _t in moves)  # progress came across
    assert window.backups.progress_bar.isHidden()
    assert window.backups.status_label.text() == "Last backup just now"
    assert window.backups.status_label.property("warning") is False
    assert "Backup written to" in window.statusBar().currentMessage()
    prompts.verify()


def test_the_status_warns_after_two_days_without_a_backup(qtbot, window, set_now, tmp_path):
    backup_settings.record_success(NOW - timedelta(days=1), tmp_path / "a.clinic-backup")
    window.backups.refresh_status()
    assert window.backups.status_label.text() == "Last backup 1 day ago"
    assert window.backups.status_label.property("warning") is False
    set_now(NOW + timedelta(days=1, minutes=1))  # two days and a minute since the backup
    window.backups.timer.timeout.emit()  # the hourly check
    label = window.backups.status_label
    assert label.text().startswith("⚠ Last backup 2 days ago")
    assert label.property("warning") is True


def test_the_daily_backup_runs_when_due_and_keeps_the_number_set(qtbot, window, set_now, tmp_path):
    folder = tmp_path / "daily"
    backup_settings.save_settings(backup_settings.BackupSettings(folder, keep=2))
    for day in range(3):
        set_now(NOW + timedelta(days=day))
        with qtbot.waitSignal(window.backups.backup_finished, timeout=30_000):
            assert window.backups.run_automatic_if_due()
        assert not window.backups.run_automatic_if_due()  # not due again the same day
    assert sorted(p.name for p in folder.iterdir()) == [
        "clinic-auto-20261208T093000Z.clinic-backup",
        "clinic-auto-20261209T093000Z.clinic-backup",
    ]


def test_a_front_desk_user_sees_no_backup_commands_but_the_daily_backup_runs(
    qtbot, services, set_now, tmp_path
):
    set_now(NOW)
    desk = add_user(services, "desk", "Fran Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    backup_settings.save_settings(backup_settings.BackupSettings(tmp_path / "daily"))
    w = MainWindow(services)
    qtbot.addWidget(w)
    texts = file_menu_texts(w)
    assert "&Back up now…" not in texts
    assert "Rest&ore from backup…" not in texts
    with qtbot.waitSignal(w.backups.backup_finished, timeout=30_000):
        assert w.backups.run_automatic_if_due()
    assert w.backups.status_label.text() == "Last backup just now"


def test_the_administrator_sees_the_backup_commands(window):
    texts = file_menu_texts(window)
    for text in ("&Back up now…", "Rest&ore from backup…", "Backup se&ttings…"):
        assert text in texts


@pytest.mark.service_behaviour  # on PostgreSQL the window's own live-refresh connection stops first
def test_restore_checks_confirms_restores_and_closes_the_window(
    qtbot, window, services, make_patient, prompts, tmp_path
):
    make_patient(mrn="KEEP-1")
    saved = services.backups.back_up(tmp_path / "before.clinic-backup")
    make_patient(mrn="AFTER-1")
    window.show()
    qtbot.waitUntil(lambda: window.changes.running)
    prompts.answer("ask_open_file", str(saved.path))
    asked: list[str] = []
    prompts.answer("confirm_restore", lambda prompt: asked.append(prompt.text) or True)
    prompts.answer("inform")

    with qtbot.waitSignal(window.backups.restore_finished, timeout=30_000) as done:
        window.restore_action.trigger()

    assert "patients: 1," in asked[0]
    result = done.args[0]
    assert result.safety_copy is not None
    assert result.safety_copy.exists()
    qtbot.waitUntil(lambda: not window.isVisible())
    services.actor.command_line = False
    assert [p.mrn for p in services.patients.search("", limit=10)] == ["KEEP-1"]


def test_a_foreign_file_is_refused_with_a_message(window, services, prompts, tmp_path, qtbot):
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup")
    prompts.answer("ask_open_file", str(foreign))
    shown: list[str] = []
    prompts.answer("show_error", lambda prompt: shown.append(prompt.text))
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "not a clinic_app backup" in shown[0]


def test_a_restore_refused_after_confirmation_starts_the_live_refresh_again(
    qtbot, window, services, make_patient, prompts, tmp_path
):
    make_patient(mrn="KEEP-1")
    saved = services.backups.back_up(tmp_path / "before.clinic-backup")
    window.show()
    qtbot.waitUntil(lambda: window.changes.running)
    prompts.answer("ask_open_file", str(saved.path))
    prompts.answer("confirm_restore", lambda prompt: (saved.path.write_bytes(b"gone"), True)[1])
    shown: list[str] = []
    prompts.answer("show_error", lambda prompt: shown.append(prompt.text))
    with qtbot.waitSignal(window.backups.restore_refused, timeout=30_000):
        window.restore_action.trigger()
    assert shown
    assert window.changes.running
    assert window.isVisible()


def test_backup_settings_are_saved_for_this_workstation(qtbot, window, prompts, tmp_path):
    from clinic_app.ui.admin.backup_settings_dialog import BackupSettingsDialog

    window.backups.on_settings()
    dialog = window.findChild(BackupSettingsDialog)
    assert dialog is not None
    prompts.answer("ask_folder", str(tmp_path / "elsewhere"))
    dialog.on_browse()
    dialog.keep_spin.setValue(30)
    with qtbot.waitSignal(dialog.saved):
        dialog.on_save()
    stored = json.loads(backup_settings.settings_path().read_text())
    assert stored["folder"] == str(tmp_path / "elsewhere")
    assert stored["keep"] == 30
    assert stored["automatic"] is True


def test_the_backup_field_renders(window, tmp_path: Path):
    window.show()
    window.resize(1180, 720)
    picture = window.grab()
    assert not picture.isNull()
