from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import StorageError
from clinic_app.services.container import build_services
from clinic_app.services.dto import PatientInput
from clinic_app.services.patients import PatientService
from clinic_app.storage import migrate
from clinic_app.storage.engine import (
    SQLITE_EXPECTED,
    make_engine,
    make_sessionmaker,
    read_sqlite_pragmas,
)
from clinic_app.storage.location import (
    DEFAULT_DB_FILENAME,
    data_dir,
    describe_url,
    resolve_database_url,
    sqlite_path,
    sqlite_url,
)
from tests.factories import PASSWORD, set_up_clinic


def signed_in_patients(sessions: sessionmaker[Session]) -> PatientService:
    """The patient service with the clinic's first user signed in (setting the clinic up on
    an empty database)."""
    services = build_services(sessions, "test", is_sqlite=True)
    if services.clinic.needs_setup():
        set_up_clinic(services)
    else:
        services.clinic.authenticate("admin", PASSWORD)
    return services.patients


def test_every_pooled_sqlite_connection_has_the_safety_pragmas(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "p.sqlite3"))
    conns = [engine.connect() for _ in range(3)]  # three distinct pooled connections
    try:
        for conn in conns:
            raw = conn.connection.dbapi_connection
            assert read_sqlite_pragmas(raw) == SQLITE_EXPECTED
    finally:
        for conn in conns:
            conn.close()
    engine.dispose()


def test_a_connection_that_lost_a_pragma_is_repaired_on_checkout(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "p.sqlite3"))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "fk.sqlite3"))
    with engine.begin() as conn:
        conn.execute(text("create table parent (id integer primary key)"))
        conn.execute(text("create table child (p integer references parent(id))"))
    with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
        conn.execute(text("insert into child values (42)"))
    engine.dispose()


def test_the_default_database_lives_in_the_data_folder(tmp_path: Path) -> None:
    env = {"CLINIC_APP_DATA_DIR": str(tmp_path / "data")}
    url = resolve_database_url(None, env)
    assert url == sqlite_url(tmp_path / "data" / DEFAULT_DB_FILENAME)
    assert data_dir(env) == tmp_path / "data"
    assert data_dir({}).name == "clinic_app"


def test_cli_beats_environment_beats_default(tmp_path: Path) -> None:
    env = {"CLINIC_APP_DB": "postgresql://u:p@db/x", "CLINIC_APP_DATA_DIR": str(tmp_path)}
    assert resolve_database_url(None, env) == "postgresql+psycopg://u:p@db/x"
    assert resolve_database_url("sqlite:///" + str(tmp_path / "a.db"), env).endswith("a.db")
    assert resolve_database_url(str(tmp_path / "plain.sqlite3"), env) == sqlite_url(
        tmp_path / "plain.sqlite3"
    )


def test_unsupported_or_malformed_urls_are_refused() -> None:
    with pytest.raises(StorageError, match="not supported"):
        resolve_database_url("mysql://u@h/db", {})
    with pytest.raises(StorageError, match="not a valid URL"):
        resolve_database_url("://nothing", {})


def test_passwords_never_shown_and_sqlite_path() -> None:
    assert "secret" not in describe_url("postgresql+psycopg://u:secret@h/db")
    assert sqlite_path("sqlite:////tmp/x.db") == Path("/tmp/x.db")
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("postgresql+psycopg://u@h/db") is None


def test_locked_database_gives_a_clear_error_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    engine = make_engine(sqlite_url(path), busy_timeout_ms=100)
    migrate.upgrade(engine)
    patients = signed_in_patients(make_sessionmaker(engine))
    holder = sqlite3.connect(path, timeout=0)  # another workstation in the middle of a save
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="busy") as err:
            patients.create(PatientInput("L1", "Lock", "Test", date(1970, 1, 1)))
        assert "Nothing was saved" in str(err.value)
    finally:
        holder.rollback()
        holder.close()
    assert patients.count() == 0
    patients.create(PatientInput("L1", "Lock", "Test", date(1970, 1, 1)))  # works once free
    assert patients.count() == 1
    engine.dispose()


def test_read_only_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    signed_in_patients(make_sessionmaker(engine))  # the clinic and its user exist
    engine.dispose()
    ro = make_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
    services = build_services(make_sessionmaker(ro), "test", is_sqlite=True)
    with pytest.raises(StorageError, match="read-only"):  # signing in is audited: a write
        services.clinic.authenticate("admin", PASSWORD)
    services.actor.sign_in(1, frozenset({Role.ADMIN, Role.PROVIDER}))  # signed in before
    with pytest.raises(StorageError, match="read-only"):
        services.patients.create(PatientInput("R1", "Read", "Only", date(1970, 1, 1)))
    ro.dispose()


def test_full_disk_gives_a_clear_error_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    patients = signed_in_patients(make_sessionmaker(engine))
    patients.create(PatientInput("F0", "Before", "Full", date(1970, 1, 1)))

    # SQLite reports a capped file exactly as a full disk: "database or disk is full".
    @event.listens_for(engine, "checkout")
    def cap(dbapi_connection: object, _record: object, _proxy: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    big_note = "x" * 19_000  # more than the free pages left
    with pytest.raises(StorageError, match="full") as err:
        patients.create(PatientInput("F1", "Disk", "Full", date(1970, 1, 1), notes=big_note))
    assert "Nothing was saved" in str(err.value)
    event.remove(engine, "checkout", cap)
    assert [p.mrn for p in patients.search("")] == ["F0"]
    engine.dispose()
