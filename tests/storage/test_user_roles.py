"""Migration 0006: one role per account becomes a set of roles (table user_role)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url

#: id, username, role, is_provider: an administrator who sees patients, a provider, a nurse
#: and the front desk, as revision 0005 stored them.
OLD_USERS = [
    (1, "boss", "admin", True),
    (2, "doc", "provider", True),
    (3, "nurse", "nurse", False),
    (4, "desk", "front_desk", False),
]
ROLES_AFTER = {
    (1, "admin"),
    (1, "provider"),
    (2, "provider"),
    (3, "nurse"),
    (4, "front_desk"),
}


def insert_old_users(conn: Connection) -> None:
    for user_id, username, role, is_provider in OLD_USERS:
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, credentials, npi, role, "
                "is_provider, active, password_hash, created_at) VALUES (:id, :username, "
                ":username, '', '', :role, :is_provider, :active, 'x', '2026-01-01 00:00:00')"
            ),
            {
                "id": user_id,
                "username": username,
                "role": role,
                "is_provider": is_provider,
                "active": True,
            },
        )
    # A patient and an encounter pointing at the provider: the rebuilt app_user keeps them.
    conn.execute(
        text(
            "INSERT INTO patient (id, mrn, given_name, family_name, given_key, family_key, "
            "date_of_birth, sex, preferred_language, phone, allergies, anticoagulant, diabetes, "
            "pregnant_or_breastfeeding, notes, created_at, updated_at, void_reason, version, "
            "payer) VALUES (1, 'M1', 'Ana', 'Old', 'ana', 'old', '1970-01-01', 'female', 'en', "
            "'', '', false, false, false, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', "
            "1, 'none')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO encounter (id, patient_id, provider_id, performed_at, indication, "
            "icd10_codes, screening, consent_obtained, time_out_done, complications, "
            "disposition, follow_up_plan, pain_after_reason, conservative_treatment, "
            "handout_note, status, override_reasons, version, created_at, updated_at) VALUES "
            "(1, 1, 2, '2026-01-01 10:00:00', '', '[]', '{}', false, false, '', '', '', '', '', "
            "'{}', 'draft', '[]', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    )


def roles_of(conn: Connection) -> set[tuple[int, str]]:
    return {(int(u), str(r)) for u, r in conn.execute(text("SELECT user_id, role FROM user_role"))}


def user_columns(conn: Connection) -> set[str]:
    return {column["name"] for column in inspect(conn).get_columns("app_user")}


def check_upgraded(conn: Connection) -> None:
    assert roles_of(conn) == ROLES_AFTER
    assert not {"role", "is_provider"} & user_columns(conn)
    assert conn.execute(text("SELECT provider_id FROM encounter")).scalar() == 2
    with pytest.raises(IntegrityError, match="user_role"), conn.begin_nested():
        conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (3, 'nurse')"))  # twice
    with pytest.raises(IntegrityError, match=r"ck_user_role_role|CHECK"), conn.begin_nested():
        conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (3, 'doctor')"))


def check_downgraded(conn: Connection) -> None:
    rows = conn.execute(text("SELECT id, role, is_provider FROM app_user ORDER BY id")).all()
    assert [(u, r, bool(p)) for u, r, p in rows] == [(u, r, p) for u, _n, r, p in OLD_USERS]
    assert "user_role" not in inspect(conn).get_table_names()


def test_sqlite_keeps_every_role_and_the_rows_pointing_at_users(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "old.sqlite3"))
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        insert_old_users(conn)
    result = migrate.upgrade(engine)  # foreign keys off for the rebuild, checked after
    assert (result.before, result.after) == ("0005", migrate.head_revision())
    with engine.connect() as conn:
        check_upgraded(conn)
        triggers = conn.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name LIKE 'frozen_%'")
        )
        assert triggers.scalar() == 10  # migration 0005's, untouched
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
        check_downgraded(conn)
    engine.dispose()


@pytest.mark.postgres
def test_postgresql_keeps_every_role(pg_engine: Engine) -> None:
    cfg = migrate.alembic_config()
    with pg_engine.connect() as conn, conn.begin() as outer:
        # Down to 0005 and back, inside one transaction rolled back at the end (PostgreSQL's
        # DDL is transactional), so the shared test database is left as it was.
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        insert_old_users(conn)
        command.upgrade(cfg, "head")
        check_upgraded(conn)
        command.downgrade(cfg, "0005")
        check_downgraded(conn)
        outer.rollback()
    assert migrate.current_revision(pg_engine) == migrate.head_revision()
