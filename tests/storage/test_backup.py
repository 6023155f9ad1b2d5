"""Backups taken while the clinic works, restored with nothing lost (issue 11 §1)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from clinic_app.domain.errors import ClinicError, StorageError
from clinic_app.models import Patient
from clinic_app.services.container import AppServices
from clinic_app.storage.backup import take_backup
from clinic_app.storage.backup_content import measure
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url
from clinic_app.storage.restore import restore_backup, verify_backup
from tests.backup_databases import MakeDatabase, fresh_databases, services_on
from tests.factories import register_patient, set_up_clinic


@pytest.fixture
def databases(backend: str, tmp_path: Path, sqlite_template: Path) -> Iterator[MakeDatabase]:
    with fresh_databases(backend, tmp_path, sqlite_template) as make:
        yield make


WRITERS = 4


def _writer(services: AppServices, number: int, stop: threading.Event, log: list) -> None:
    """Register patients until told to stop; log (time confirmed, MRN) of each saved one."""
    i = 0
    while not stop.is_set():
        mrn = f"W{number}-{i}"
        i += 1
        try:
            register_patient(services, mrn, given_name=f"Writer{number}", family_name=f"N{i}")
        except ClinicError:  # a busy database refuses a save; it was not confirmed
            continue
        log.append((time.monotonic(), mrn))


def _mrns(services: AppServices) -> set[str]:
    sessions = services.patients._sessions
    with sessions() as session:
        return set(session.scalars(select(Patient.mrn)))


def test_a_backup_taken_while_four_writers_commit_restores_every_confirmed_save(
    databases: MakeDatabase, tmp_path: Path
) -> None:
    services, engine = services_on(databases("live"))
    set_up_clinic(services)
    stop = threading.Event()
    logs: list[list[tuple[float, str]]] = [[] for _ in range(WRITERS)]
    threads = [
        threading.Thread(target=_writer, args=(services, n, stop, logs[n]), daemon=True)
        for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        while min(len(log) for log in logs) < 15 and time.monotonic() < deadline:
            time.sleep(0.02)  # let every writer confirm some saves first (not a GUI test)
        started = time.monotonic()
        summary = services.backups.back_up(tmp_path / "during.clinic-backup")
        finished = time.monotonic()
        while sum(1 for log in logs for t, _ in log if t > finished) < 8:
            time.sleep(0.02)  # and keep writing after it
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    confirmed_before = {mrn for log in logs for t, mrn in log if t <= started}
    confirmed_after = {mrn for log in logs for t, mrn in log if t > finished}
    assert len(confirmed_before) >= WRITERS * 15
    assert confirmed_after  # the writers went on while and after it was taken
    engine.dispose()

    fresh, fresh_engine = services_on(databases("restored"))
    try:
        result = restore_backup(
            fresh_engine,
            summary.path,
            safety_dir=tmp_path / "safety",
            app_version="test",
        )
        restored = _mrns(fresh)
        assert confirmed_before <= restored  # every save confirmed before the backup
        assert not confirmed_after & restored  # a snapshot: nothing confirmed after it ended
        assert len(restored) == summary.counts["patient"]
        assert result.rows == summary.rows
        fresh.actor.command_line = True
        report = fresh.audit.verify()  # every row has its audit row, the chain is whole
        assert report.ok, report.message
    finally:
        fresh_engine.dispose()


def _write_patient_rows(url: str, count: int) -> AppServices:
    services, _engine = services_on(url)
    set_up_clinic(services)
    for i in range(count):
        register_patient(services, f"P{i}", family_name=f"Name{i}")
    return services


def _digest(services: AppServices) -> str:
    engine = services.backups._engine()
    with engine.connect() as conn:
        return measure(conn).sha256


def test_restore_replaces_the_data_and_keeps_a_verified_safety_copy(
    databases: MakeDatabase, tmp_path: Path
) -> None:
    services = _write_patient_rows(databases("live"), 3)
    engine = services.backups._engine()
    backup = tmp_path / "three.clinic-backup"
    take_backup(engine, backup, app_version="test")
    register_patient(services, "LATER", family_name="After")
    before_restore = _digest(services)

    result = restore_backup(engine, backup, safety_dir=tmp_path / "safety", app_version="test")

    assert _mrns(services) == {"P0", "P1", "P2"}
    assert result.safety_copy is not None
    assert result.safety_copy.parent == tmp_path / "safety"
    kept = verify_backup(result.safety_copy)
    assert kept.counts["patient"] == 4
    # The safety copy restores the state from just before: "LATER" comes back.
    restore_backup(engine, result.safety_copy, safety_dir=tmp_path / "safety2", app_version="t")
    assert "LATER" in _mrns(services)
    assert _digest(services) == before_restore
    # The app works on the restored database: new rows get fresh ids (sequences reset).
    register_patient(services, "NEXT", family_name="Works")
    engine.dispose()


@pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_restore_on_postgresql_is_refused_while_another_session_is_connected(
    databases: MakeDatabase, tmp_path: Path
) -> None:
    services = _write_patient_rows(databases("live"), 2)
    engine = services.backups._engine()
    backup = tmp_path / "two.clinic-backup"
    take_backup(engine, backup, app_version="test")
    register_patient(services, "OTHER", family_name="Desk")
    before = _digest(services)
    workstation = create_engine(engine.url)  # another workstation's session
    with workstation.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        with pytest.raises(StorageError, match="other session"):
            restore_backup(engine, backup, safety_dir=tmp_path / "safety", app_version="t")
    workstation.dispose()
    assert _digest(services) == before
    assert not (tmp_path / "safety").exists() or not any((tmp_path / "safety").iterdir())
    engine.dispose()


def test_an_sqlite_database_too_damaged_to_back_up_is_kept_as_found(
    tmp_path: Path, sqlite_template: Path
) -> None:
    good = tmp_path / "good.sqlite3"
    shutil.copyfile(sqlite_template, good)
    source = make_engine(sqlite_url(good))
    backup = tmp_path / "good.clinic-backup"
    take_backup(source, backup, app_version="test")
    source.dispose()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this was a database once" * 100)
    engine = make_engine(sqlite_url(broken))

    result = restore_backup(engine, backup, safety_dir=tmp_path / "safety", app_version="t")

    assert result.safety_copy is not None
    assert result.safety_copy.is_dir()
    assert (result.safety_copy / "broken.sqlite3").read_bytes().startswith(b"this was")
    conn = sqlite3.connect(broken)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    engine.dispose()


def test_a_backup_from_an_older_schema_is_upgraded_on_the_way_in(
    tmp_path: Path, sqlite_template: Path
) -> None:
    from datetime import UTC, datetime

    from clinic_app.storage import migrate
    from clinic_app.storage.backup import _seal

    old = tmp_path / "old.sqlite3"
    old_engine = make_engine(sqlite_url(old))
    migrate.run_migrations(old_engine, "0009")
    with old_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO patient (mrn, given_name, family_name, given_key, family_key, "
            "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, diabetes, "
            "pregnant_or_breastfeeding, notes, created_at, updated_at, void_reason, version) "
            "VALUES ('OLD-1', 'Ana', 'Old', 'ana', 'old', '1980-01-01', 'female', 'en', '', '', "
            "0, 0, 0, '', '2025-01-01 00:00:00', '2025-01-01 00:00:00', '', 1)"
        )
    old_engine.dispose()
    backup = tmp_path / "old.clinic-backup"
    source = sqlite3.connect(old)
    copy = sqlite3.connect(backup)
    source.backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    copy.close()
    source.close()
    _seal(backup, make_engine(sqlite_url(old)), datetime(2025, 1, 2, tzinfo=UTC), "0.0.9", _quiet)
    assert verify_backup(backup).schema_revision == "0009"

    live = tmp_path / "live.sqlite3"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(sqlite_url(live))
    result = restore_backup(engine, backup, safety_dir=tmp_path / "safety", app_version="t")

    assert result.upgraded_from == "0009"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT mrn FROM patient").scalars().all() == ["OLD-1"]
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            migrate.head_revision()
        )
    engine.dispose()


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None
