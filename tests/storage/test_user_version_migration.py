"""Migration 0012: ``app_user.version``, up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from clinic_app.storage import migrate

STAMP = "'2026-01-01 00:00:00'"


def _add_user(engine: Engine, user_id: int, username: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, credentials, npi, active, "
                "password_hash, created_at, failed_attempts, must_change_password) VALUES "
                f"(:id, :name, 'Some One', '', '', true, 'x', {STAMP}, 0, false)"
            ),
            {"id": user_id, "name": username},
        )


def _versions(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("select id, version from app_user order by id")).all())


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("app_user")}


def test_0012_starts_every_account_at_1_and_goes_down_and_up_again(
    fresh_engine: Engine,
) -> None:
    migrate.run_migrations(fresh_engine, "0011")
    _add_user(fresh_engine, 1, "ana")
    _add_user(fresh_engine, 2, "ben")
    migrate.run_migrations(fresh_engine, "0012")
    assert _versions(fresh_engine) == {1: 1, 2: 1}
    # NOT NULL: no account may lose its version.
    with pytest.raises(Exception, match=r"(?i)not.null|null value"), fresh_engine.begin() as c:
        c.execute(text("update app_user set version = null where id = 2"))
    # The default also covers a row added without one (by hand, or an older script).
    _add_user(fresh_engine, 3, "cy")
    assert _versions(fresh_engine)[3] == 1

    cfg = migrate.alembic_config()
    with fresh_engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
    assert "version" not in _columns(fresh_engine)
    assert migrate.current_revision(fresh_engine) == "0011"
    with fresh_engine.connect() as conn:
        assert conn.execute(text("select count(*) from app_user")).scalar() == 3
    migrate.run_migrations(fresh_engine, "head")
    assert _versions(fresh_engine) == {1: 1, 2: 1, 3: 1}
    assert migrate.current_revision(fresh_engine) == migrate.head_revision()
