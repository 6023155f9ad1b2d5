"""The headless commands, run in-process on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from clinic_app.cli import main
from clinic_app.models import ClinicProfile, Encounter, Patient, User
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url


def test_seed_demo_fills_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A small clinic: every visit is signed through the checks, which takes a while for the
    # default 220 patients. Name scripts: tests/services/test_demo.py draws every tradition.
    db = tmp_path / "demo.sqlite3"
    assert main(["seed-demo", "--db", str(db), "--patients", "25"]) == 0
    out = capsys.readouterr().out
    assert "25 patients" in out
    assert "visits signed through the checks" in out
    assert "demo-clinic-password" in out
    engine = make_engine(sqlite_url(db))
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count(Patient.id))) == 25
        assert s.scalar(select(func.count(Encounter.id))) >= 100
        assert s.scalar(select(func.count(User.id))) >= 3
        assert s.scalar(select(ClinicProfile.is_demo)) is True
        assert s.scalar(select(ClinicProfile.timezone)) == "America/Chicago"
        first, last = s.execute(
            select(func.min(Encounter.performed_at), func.max(Encounter.performed_at))
        ).one()
        assert (last - first).days >= 500  # spread over about two years
    engine.dispose()


def test_seed_demo_refuses_a_database_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "real.sqlite3"
    assert main(["seed-demo", "--db", str(db), "--patients", "3"]) == 0
    capsys.readouterr()
    assert main(["seed-demo", "--db", str(db), "--patients", "3"]) == 2
    assert "already holds data" in capsys.readouterr().err


def test_db_upgrade_and_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    assert "Creating a new database" in capsys.readouterr().out
    db.unlink()
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    assert f"to {migrate.head_revision()}" in capsys.readouterr().out
    assert main(["--db", str(db), "db", "current"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_environment_variable_picks_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CLINIC_APP_DB", sqlite_url(db))
    assert main(["db", "upgrade"]) == 0
    assert db.exists()


def test_bad_url_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://x@y/z", "db", "current"]) == 2
    assert "not supported" in capsys.readouterr().err


def test_db_current_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "clinic.sqlite3"
    assert main(["db", "current", "--db", str(missing)]) == 2
    assert "No database" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_db_current_names_a_newer_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    db = tmp_path / "future.sqlite3"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    engine = make_engine(sqlite_url(db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    engine.dispose()
    capsys.readouterr()
    assert main(["db", "current", "--db", str(db)]) == 0
    assert "newer version" in capsys.readouterr().out
