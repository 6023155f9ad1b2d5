"""`clinic-app backup` and `clinic-app restore` on a real SQLite file (issue 11 §1)."""

from __future__ import annotations

import io
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from clinic_app.cli import main
from clinic_app.domain.enums import Role
from clinic_app.services.base import Actor
from clinic_app.services.clinic import ClinicService
from clinic_app.services.dto import ClinicProfileData, NewUser, PatientInput
from clinic_app.services.patients import PatientService
from clinic_app.services.users import UserService
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url

PASSWORD = "correct horse battery"
AS_ADMIN = ["--user", "boss", "--password-stdin"]


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO((PASSWORD + "\n") * 3))


def clinic(tmp_path: Path, patients: int = 2) -> Path:
    path = tmp_path / "clinic.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    actor = Actor()
    ClinicService(sessions, actor).initialize(
        ClinicProfileData(name="Riverside Pain Clinic"),
        NewUser("boss", "Ana Ruiz", PASSWORD, frozenset({Role.ADMIN}), "MD"),
    )
    UserService(sessions, actor).create_user(
        NewUser("desk", "Fran Desk", PASSWORD, frozenset({Role.FRONT_DESK}))
    )
    with engine.begin() as conn:  # as after the desk's first sign-in and own password
        conn.exec_driver_sql("UPDATE app_user SET must_change_password = 0")
    for i in range(patients):
        PatientService(sessions, actor).create(
            PatientInput(f"P{i}", "Zoë", f"N{i}", date(1980, 1, 1))
        )
    engine.dispose()
    return path


def mrns(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT mrn FROM patient")}
    finally:
        conn.close()


def family(path: Path, mrn: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(
            conn.execute("SELECT family_name FROM patient WHERE mrn = ?", (mrn,)).fetchone()[0]
        )
    finally:
        conn.close()


def actions(path: Path) -> list[tuple[str, int | None]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute("SELECT action, user_id FROM audit_event ORDER BY id"))
    finally:
        conn.close()


def test_backup_then_restore_by_an_administrator(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = clinic(tmp_path)
    out = tmp_path / "saved.clinic-backup"
    assert main(["backup", "--db", str(db), "--out", str(out), *AS_ADMIN]) == 0
    said = capsys.readouterr().out
    assert f"written to {out}" in said
    assert "2 patients" in said
    assert actions(db)[-1][0] == "backup.create"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE patient SET family_name = 'Changed' WHERE mrn = 'P0'")
    conn.commit()
    conn.close()

    assert main(["restore", str(out), "--db", str(db), "--yes", *AS_ADMIN]) == 0

    said = capsys.readouterr().out
    assert "is a sound backup" in said
    assert "kept at" in said
    assert mrns(db) == {"P0", "P1"}
    assert family(db, "P0") == "N0"
    assert actions(db)[-1][0] == "backup.restore"
    safety = list((tmp_path / "appdata" / "backups").glob("before-restore-*.clinic-backup"))
    assert len(safety) == 1


def test_a_front_desk_account_may_not_back_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = clinic(tmp_path)
    out = tmp_path / "saved.clinic-backup"
    code = main(
        ["backup", "--db", str(db), "--out", str(out), "--user", "desk", "--password-stdin"]
    )
    assert code == 2
    assert "back up the database" in capsys.readouterr().err
    assert not out.exists()
    assert actions(db)[-1] == ("permission.denied", 2)


def test_a_foreign_file_is_refused_in_one_line_and_nothing_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = clinic(tmp_path)
    foreign = tmp_path / "other.sqlite3"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["restore", str(foreign), "--db", str(db), "--yes", *AS_ADMIN]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "clinic-app: other.sqlite3 is not a clinic_app backup (an SQLite file without our "
        "manifest). Choose a file made by Back up now or `clinic-app backup`."
    ]
    assert mrns(db) == {"P0", "P1"}
    assert "backup.restore" not in {action for action, _user in actions(db)}
    assert not (tmp_path / "appdata" / "backups").exists()  # no safety copy: nothing began


def test_restore_over_a_database_nobody_can_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = clinic(tmp_path)
    out = tmp_path / "saved.clinic-backup"
    assert main(["backup", "--db", str(db), "--out", str(out), *AS_ADMIN]) == 0
    db.write_bytes(b"garbage" * 1000)
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    capsys.readouterr()

    assert main(["restore", str(out), "--db", str(db)]) == 2  # asks for --yes
    assert "add --yes" in capsys.readouterr().err
    assert main(["restore", str(out), "--db", str(db), "--yes"]) == 0

    said = capsys.readouterr().out
    assert "is not a database: restoring without signing in" in said
    assert mrns(db) == {"P0", "P1"}
    kept = list((tmp_path / "appdata" / "backups").glob("before-restore-*-as-found"))
    assert (kept[0] / "clinic.sqlite3").read_bytes().startswith(b"garbage")


def test_check_only_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = clinic(tmp_path)
    out = tmp_path / "saved.clinic-backup"
    assert main(["backup", "--db", str(db), "--out", str(out), *AS_ADMIN]) == 0
    rows = len(actions(db))
    assert main(["restore", str(out), "--db", str(db), "--check", *AS_ADMIN]) == 0
    assert "is a sound backup" in capsys.readouterr().out
    assert len(actions(db)) == rows + 1  # the sign-in only
    assert not (tmp_path / "appdata" / "backups").exists()
