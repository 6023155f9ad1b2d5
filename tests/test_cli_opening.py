"""The command line on a database it cannot use: one line on standard error, exit code 2,
the file left as it was, never a traceback (issue 11 §3)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_app.cli import MAX_RECORD_ID, main
from clinic_app.storage import migrate
from tests.storage.damaged_files import BROKEN, closed_port_url

ROOT = Path(__file__).resolve().parents[1]

#: Every command that opens the database, with what it needs besides --db.
COMMANDS: dict[str, Callable[[str, Path], list[str]]] = {
    "db current": lambda db, out: ["db", "current", "--db", db],
    "db upgrade": lambda db, out: ["db", "upgrade", "--db", db],
    "audit verify": lambda db, out: ["audit", "verify", "--db", db],
    "handout": lambda db, out: ["handout", "1", "--out", str(out), "--db", db, *SIGN_IN],
    "note": lambda db, out: ["note", "1", "--out", str(out), "--db", db, *SIGN_IN],
    "seed-demo": lambda db, out: ["seed-demo", "--db", db, "--patients", "1"],
}
SIGN_IN = ["--user", "doc", "--password-stdin"]


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("clinic-app: ")
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("make", "problem"), BROKEN, ids=[m.__name__ for m, _ in BROKEN])
def test_a_file_that_cannot_be_the_database_is_one_line_and_untouched(
    make: Callable[[Path, Path], Path],
    problem: str,
    command: str,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = make(tmp_path, sqlite_template)
    before = path.read_bytes() if path.is_file() else None
    if command == "db current" and problem == "newer_version":
        # `db current` reports the revision: it names the newer version and succeeds.
        assert main(COMMANDS[command](str(path), tmp_path / "x.pdf")) == 0
        assert "newer version" in capsys.readouterr().out
        return
    assert main(COMMANDS[command](str(path), tmp_path / "x.pdf")) == 2
    line = one_error_line(capsys)
    assert str(path) in line
    expected = {
        "not_a_database": "is not a clinic_app database",
        "damaged": "is damaged",
        "newer_version": "written by a newer version of clinic_app",
    }[problem]
    assert expected in line
    if problem == "newer_version":
        assert "Update the app" in line
        assert "db upgrade" not in line
    else:
        assert "backup" in line
    if before is not None:
        assert path.read_bytes() == before
    assert not (tmp_path / "x.pdf").exists()
    assert not list(tmp_path.glob("*.before-*"))  # no upgrade copy was attempted


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unreachable_postgresql_server_is_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = closed_port_url()
    assert main(COMMANDS[command](url, tmp_path / "x.pdf")) == 2
    line = one_error_line(capsys)
    assert "cannot be reached (the connection was refused)" in line
    assert "secret-pw" not in line
    assert "server is running" in line


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_empty_db_option_is_an_error_not_the_default_database(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default_db = tmp_path / "appdata" / "clinic.sqlite3"
    assert main(COMMANDS[command]("", tmp_path / "x.pdf")) == 2
    assert "--db is empty" in one_error_line(capsys)
    assert not default_db.exists()


def test_an_empty_global_db_option_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", "", "db", "upgrade"]) == 2
    assert "--db is empty" in one_error_line(capsys)
    assert not (tmp_path / "appdata").exists()


def test_an_empty_environment_variable_still_means_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINIC_APP_DB", "")
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "appdata" / "clinic.sqlite3").exists()


@pytest.mark.parametrize("command", ["handout", "note"])
@pytest.mark.parametrize("value", ["99999999999999999999", str(MAX_RECORD_ID + 1), "0", "-5"])
def test_an_out_of_range_encounter_id_is_a_clear_message(
    command: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, value, "--out", str(tmp_path / "x.pdf"), *SIGN_IN])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert f"{value} is not a record id (ids run from 1 to {MAX_RECORD_ID})" in err
    assert "OverflowError" not in err


def test_the_largest_id_is_looked_up_and_not_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli_handout import AS_DOC, seeded

    db, _ = seeded(tmp_path)
    args = ["handout", str(MAX_RECORD_ID), "--out", str(tmp_path / "x.pdf"), "--db", str(db)]
    assert main([*args, *AS_DOC]) == 2
    assert f"No encounter with id {MAX_RECORD_ID}" in one_error_line(capsys)


def test_the_newer_version_refusal_leaves_the_revision(
    sqlite_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.storage.damaged_files import FUTURE_REVISION, newer

    path = newer(tmp_path, sqlite_template)
    assert main(["db", "upgrade", "--db", str(path)]) == 2
    line = one_error_line(capsys)
    assert FUTURE_REVISION in line
    assert migrate.head_revision() in line


# ------------------------------------------------------------------ read-only file system
def run_cli_read_only(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``clinic-app ARGS`` with ``folder`` read-only: by permissions for an ordinary user;
    as root (whom permissions do not stop) by a read-only bind mount in a private mount
    namespace (``unshare``), so nothing outside this process sees it."""
    command = [sys.executable, "-m", "clinic_app", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if os.geteuid() != 0:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        finally:
            folder.chmod(0o755)
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, str(folder), "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(
            "running as root, where permissions do not stop writes, and a read-only bind "
            f"mount is not available here (unshare -rm: {probe.stderr.strip()})"
        )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, str(folder), *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize("command", ["db current", "db upgrade", "audit verify", "seed-demo"])
def test_a_database_on_a_read_only_file_system_is_one_line(
    command: str, sqlite_template: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "clinic.sqlite3"
    db.write_bytes(sqlite_template.read_bytes())
    done = run_cli_read_only(folder, *COMMANDS[command](str(db), tmp_path / "x.pdf"))
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert f"The database {db} cannot be written" in lines[0]
    assert "Check that this user may read and write the file and its folder" in lines[0]
    assert db.read_bytes() == sqlite_template.read_bytes()


def test_a_new_database_in_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "new.sqlite3"
    done = run_cli_read_only(folder, "db", "upgrade", "--db", str(db))
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "cannot be written" in lines[0]
    assert not db.exists()
