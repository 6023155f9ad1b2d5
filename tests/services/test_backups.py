"""The backup service: who may, what is audited, the automatic backup and its folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.models import AuditEvent
from clinic_app.services import backup_settings
from clinic_app.services.backup_settings import BackupSettings, check_settings, load_settings
from clinic_app.storage.restore import verify_backup
from tests.backup_databases import MakeDatabase, fresh_databases, services_on
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as


@pytest.fixture
def databases(backend: str, tmp_path: Path, sqlite_template: Path) -> Iterator[MakeDatabase]:
    with fresh_databases(backend, tmp_path, sqlite_template) as make:
        yield make


def _audit(services, action: str) -> list[int | None]:  # type: ignore[no-untyped-def]
    with services.patients._sessions() as session:
        return list(session.scalars(select(AuditEvent.user_id).where(AuditEvent.action == action)))


def test_the_automatic_backup_is_a_system_action_run_for_any_role(
    databases: MakeDatabase, tmp_path: Path, set_now
) -> None:  # type: ignore[no-untyped-def]
    services, engine = services_on(databases("live"))
    set_up_clinic(services)
    register_patient(services, "P1")
    desk = add_user(services, "desk", "Fran Desk", Role.FRONT_DESK)
    sign_in_as(services, desk)
    folder = tmp_path / "auto"
    stages: list[str] = []
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    for day in range(4):
        set_now(start + timedelta(days=day))
        summary = services.backups.automatic_backup(folder, 3, lambda s, d, t: stages.append(s))
    assert summary.counts["patient"] == 1
    assert "Copying" in stages
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [
        "clinic-auto-20261202T090000Z.clinic-backup",
        "clinic-auto-20261203T090000Z.clinic-backup",
        "clinic-auto-20261204T090000Z.clinic-backup",
    ]
    verify_backup(folder / kept[-1])
    assert _audit(services, "backup.automatic") == [None] * 4  # never credited to the desk
    settings = load_settings()
    assert settings.last_backup_at == start + timedelta(days=3)
    assert settings.last_backup_file == str(folder / kept[-1])
    # Back up now and restore stay the administrator's.
    with pytest.raises(PermissionDenied, match="back up the database"):
        services.backups.back_up(tmp_path / "x.clinic-backup")
    with pytest.raises(PermissionDenied, match="restore the database"):
        services.backups.restore(folder / kept[-1], tmp_path / "safety")
    engine.dispose()


def test_back_up_now_is_audited_with_the_administrator(
    databases: MakeDatabase, tmp_path: Path
) -> None:
    services, engine = services_on(databases("live"))
    admin = set_up_clinic(services)
    summary = services.backups.back_up(tmp_path / "now.clinic-backup")
    assert summary.path.exists()
    assert summary.seconds >= 0
    assert _audit(services, "backup.create") == [admin.id]
    inspected = services.backups.inspect(summary.path)
    assert inspected.sha256 == summary.sha256
    assert inspected.audit_latest_id is not None
    restored = services.backups.restore(summary.path, tmp_path / "safety")
    assert restored.safety_copy is not None
    assert restored.safety_copy.exists()
    assert _audit(services, "backup.restore") == [admin.id]
    engine.dispose()


def test_settings_round_trip_and_limits(tmp_path: Path) -> None:
    assert load_settings().folder == backup_settings.default_folder()
    path = tmp_path / "b.json"
    backup_settings.save_settings(BackupSettings(tmp_path / "f", keep=5, automatic=True), path)
    loaded = load_settings(path)
    assert (loaded.folder, loaded.keep, loaded.automatic) == (tmp_path / "f", 5, True)
    assert loaded.automatic_for(is_sqlite=False)
    assert not BackupSettings(tmp_path).automatic_for(is_sqlite=False)
    assert BackupSettings(tmp_path).automatic_for(is_sqlite=True)
    path.write_text("{not json")
    assert load_settings(path).keep == 14
    with pytest.raises(ValidationError, match="between 1 and 365"):
        check_settings(BackupSettings(tmp_path, keep=0))
    with pytest.raises(ValidationError, match="folder"):
        check_settings(BackupSettings(Path(""), keep=3))


def test_after_restoring_an_older_backup_this_workstation_verifies_the_trail(
    databases: MakeDatabase, tmp_path: Path
) -> None:
    """The restore moves the trail back; the restoring workstation's anchor follows it, so
    its own ``audit verify`` passes (other workstations' anchors name the cut: see README)."""
    services, engine = services_on(databases("live"))
    set_up_clinic(services)
    register_patient(services, "OLD-1")
    summary = services.backups.back_up(tmp_path / "older.clinic-backup")
    for n in range(3):
        register_patient(services, f"NEW-{n}")  # audit rows the backup does not hold
    services.actor.command_line = True
    assert services.audit.verify().ok
    services.actor.command_line = False
    services.backups.restore(summary.path, tmp_path / "safety")
    services.actor.command_line = True
    report = services.audit.verify()
    assert report.ok, report.message
    engine.dispose()
