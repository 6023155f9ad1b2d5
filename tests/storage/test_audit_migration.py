"""Migration 0007 on a database that already holds audit rows, and two writers at once.

Rows from before the chain stay unsealed (the migration never sees the key); the app's first
append seals them as a block through the genesis seal, and from then on changing one is
detected.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.audit_chain import Problem
from clinic_app.services.audit_chain import AuditSeal
from clinic_app.services.container import AppServices, build_services
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import pg_url
from tests.factories import register_patient, set_up_clinic
from tests.system_services import POSTGRESQL, missing_service

SEAL = AuditSeal(lambda: b"k" * 32, "desk-1")


@pytest.fixture
def old_database(tmp_path: Path) -> Iterator[Engine]:
    """An SQLite database at revision 0005 with two audit rows, then upgraded."""
    engine = make_engine(sqlite_url(tmp_path / "old.sqlite3"))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        conn.execute(
            text(
                "INSERT INTO audit_event (at, user_id, action, patient_id, entity_type, "
                "entity_id) VALUES ('2026-11-01 10:00:00.000000', NULL, 'clinic.setup', NULL, "
                "'clinic_profile', 1), ('2026-11-02 11:30:00.250000', NULL, 'patient.read', "
                "NULL, 'patient', 3)"
            )
        )
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def services_on(engine: Engine) -> AppServices:
    return build_services(make_sessionmaker(engine), "old", is_sqlite=True, seal=SEAL)


def test_pre_chain_rows_are_kept_and_counted(old_database: Engine) -> None:
    services = services_on(old_database)
    services.actor.command_line = True  # as `clinic-app audit verify`: no clinic set up yet
    report = services.audit.verify()
    assert report.ok
    assert (report.sealed, report.legacy) == (0, 2)
    assert "2 row(s) from before the chain are not sealed yet" in report.message
    with old_database.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM audit_event WHERE seq IS NULL")).scalar() == 2
        )


def test_the_first_append_seals_the_pre_chain_rows(old_database: Engine) -> None:
    services = services_on(old_database)
    set_up_clinic(services)
    report = services.audit.verify()
    assert report.ok, report.message
    assert report.legacy == 2
    assert report.sealed >= 1
    with old_database.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_event_no_update"))
        conn.execute(text("UPDATE audit_event SET action = 'patient.update' WHERE id = 2"))
    report = services.audit.verify()
    assert (report.problem, report.row_id) == (Problem.LEGACY_CHANGED, 3)


@pytest.fixture
def pg_schema() -> Iterator[Engine]:
    """A scratch schema in the PostgreSQL test database, migrated, dropped afterwards.

    The writers must really commit (the shared test schema is rolled back per test).
    """
    schema = "audit_concurrency"
    engine = create_engine(pg_url())

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute(f"SET search_path TO {schema}")
        cursor.close()
        dbapi_connection.commit()  # type: ignore[attr-defined]

    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except Exception as exc:
        engine.dispose()
        missing_service(f"PostgreSQL unreachable ({type(exc).__name__})", service=POSTGRESQL)
    migrate.run_migrations(engine, "head")
    yield engine
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def waiting_on_a_lock(engine: Engine, seconds: float = 20) -> bool:
    """True once another backend of this database waits on a row lock (polled, bounded)."""
    deadline = time.monotonic() + seconds
    with engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
            ).scalar()
            conn.rollback()
            if waiting:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.postgres
def test_two_workstations_appending_at_once_do_not_fork_the_chain(pg_schema: Engine) -> None:
    sessions: sessionmaker[Session] = sessionmaker(bind=pg_schema, expire_on_commit=False)
    first = build_services(sessions, "pg", is_sqlite=False, seal=SEAL)
    set_up_clinic(first)
    second = build_services(
        sessions, "pg", is_sqlite=False, seal=AuditSeal(lambda: b"k" * 32, "desk-2")
    )
    second.actor.sign_in(first.actor.user_id or 0, first.actor.roles)
    # Workstation 1 holds the chain head (its transaction is open); workstation 2's
    # append must wait for it, then continue from what workstation 1 wrote.
    blocker = sessions()
    blocker.begin()
    first.patients._audit(blocker, "patient.read", "patient", None)
    done = threading.Event()
    errors: list[BaseException] = []

    def other_workstation() -> None:
        try:
            register_patient(second, mrn="W2")
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=other_workstation)
    thread.start()
    assert waiting_on_a_lock(pg_schema), "the second append did not wait for the chain head"
    assert not done.is_set()
    blocker.commit()
    blocker.close()
    assert done.wait(30)
    thread.join()
    assert errors == []
    report = first.audit.verify()
    assert report.ok, report.message
    with pg_schema.connect() as conn:
        rows = conn.execute(
            text("SELECT workstation, seq FROM audit_event ORDER BY seq DESC LIMIT 2")
        ).all()
    assert [tuple(r) for r in rows] == [("desk-2", report.sealed), ("desk-1", report.sealed - 1)]
