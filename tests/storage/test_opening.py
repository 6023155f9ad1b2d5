"""Why a database cannot be opened: the checks before SQLite opens a file, and the
classification of driver errors (``clinic_app.storage.opening``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from clinic_app import app
from clinic_app.cli import main
from clinic_app.domain.errors import DatabaseOpenError
from clinic_app.storage import network_share, opening
from tests.storage.damaged_files import BROKEN, closed_port_url, url_of

PG_URL = "postgresql+psycopg://clinic:secret-pw@db.example:5433/clinic"


@pytest.mark.parametrize(("make", "problem"), BROKEN, ids=[m.__name__ for m, _ in BROKEN])
def test_open_services_classifies_every_broken_file(
    make: Callable[[Path, Path], Path], problem: str, sqlite_template: Path, tmp_path: Path
) -> None:
    path = make(tmp_path, sqlite_template)
    with pytest.raises(DatabaseOpenError) as err:
        app.open_services(url_of(path))
    assert err.value.problem == problem
    assert str(path) in err.value.what
    assert err.value.advice
    assert str(err.value) == f"{err.value.what} {err.value.advice}"


def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "touched.sqlite3"
    path.touch()
    opening.check_sqlite_file(path)  # SQLite makes a database of an empty file
    services = app.open_services(url_of(path))
    assert services.clinic.needs_setup()
    services.close()


def test_a_healthy_database_passes_the_checks(sqlite_template: Path) -> None:
    opening.check_sqlite_file(sqlite_template, must_exist=True)


def test_a_missing_file_is_refused_only_when_it_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "clinic.sqlite3"
    opening.check_sqlite_file(path)
    with pytest.raises(DatabaseOpenError) as err:
        opening.check_sqlite_file(path, must_exist=True)
    assert err.value.problem == "missing"
    assert not path.parent.exists()


def test_a_wal_file_beside_a_truncated_database_does_not_hide_the_cut(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(sqlite_template.read_bytes()[:4096])
    (tmp_path / "c.sqlite3-wal").write_bytes(b"")
    with pytest.raises(DatabaseOpenError, match="cut short"):
        opening.check_sqlite_file(path)


@pytest.mark.parametrize("suffix", ["-wal", "-journal"])
def test_pages_waiting_in_a_wal_or_journal_leave_the_length_to_sqlite(
    suffix: str, sqlite_template: Path, tmp_path: Path
) -> None:
    # After a crash mid-checkpoint the main file can be shorter than its header says while
    # the -wal file still holds the pages: SQLite's recovery completes it, so it is not
    # called damaged here.
    path = tmp_path / "c.sqlite3"
    path.write_bytes(sqlite_template.read_bytes()[:8192])
    (tmp_path / f"c.sqlite3{suffix}").write_bytes(b"\0" * 32)
    opening.check_sqlite_file(path)


def sqlite_error(code: int, name: str) -> sqlite3.Error:
    """An SQLite error as Python 3.11's sqlite3 raises it: with its result code and name."""
    exc = sqlite3.DatabaseError(name)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("code", "name", "problem"),
    [
        (26, "SQLITE_NOTADB", "not_a_database"),
        (11, "SQLITE_CORRUPT", "damaged"),
        (8, "SQLITE_READONLY", "read_only"),
        (1032, "SQLITE_READONLY_DBMOVED", "read_only"),  # extended codes keep the primary
        (14, "SQLITE_CANTOPEN", "read_only"),
        (13, "SQLITE_FULL", "disk_full"),
        (10, "SQLITE_IOERR", "damaged"),
        (1, "SQLITE_ERROR", "unknown"),
    ],
)
def test_sqlite_error_codes(code: int, name: str, problem: str) -> None:
    exc = sqlite_error(code, name)
    found = opening.classify(exc, "sqlite:////srv/clinic.sqlite3")
    assert found is not None
    assert found.problem == problem
    assert "/srv/clinic.sqlite3" in found.what


class FakePgError(Exception):
    """Stands for a psycopg error: a message and an SQLSTATE."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("message", "sqlstate", "problem", "words"),
    [
        ('connection to server at "db.example" failed: Connection refused', None,
         "unreachable", "cannot be reached (the connection was refused)"),
        ("failed to resolve host 'db.example': Name or service not known", None,
         "unreachable", "the server's name is not known"),
        ("connection timeout expired", None, "unreachable", "did not answer in time"),
        ('FATAL: password authentication failed for user "clinic"', "28P01",
         "sign_in_refused", "refused the user clinic"),
        ('FATAL: database "clinic" does not exist', "3D000", "missing", "has no database clinic"),
        ("permission denied for schema public", "42501", "read_only", "may not use"),
        ("the server shut down", "57P01", "unknown", "SQLSTATE 57P01"),
        ("SSL SYSCALL error: EOF detected", "08006", "unreachable", "the connection failed"),
    ],
)  # fmt: skip
def test_server_errors(message: str, sqlstate: str | None, problem: str, words: str) -> None:
    exc = OperationalError("SELECT 1", None, FakePgError(message, sqlstate))
    found = opening.classify(exc, PG_URL)
    assert found is not None
    assert found.problem == problem
    assert words in str(found)
    assert "secret-pw" not in str(found)
    assert "db.example" in str(found) or problem == "read_only"


def test_a_bug_is_not_disguised_as_an_open_failure() -> None:
    with pytest.raises(KeyError), opening.translate_open_errors("sqlite:////srv/c.sqlite3"):
        raise KeyError("a bug keeps its traceback")
    assert opening.classify(ValueError("x"), PG_URL) is None


def test_an_unreachable_server_at_start(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DatabaseOpenError) as err:
        app.open_services(closed_port_url())
    assert err.value.problem == "unreachable"


# ------------------------------------------------------------------ network shares
@pytest.fixture
def on_nfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/share`` looks like an NFS mount (this computer's mount table plus one)."""
    share = tmp_path / "share"
    share.mkdir()
    real = network_share._system_mounts()
    monkeypatch.setattr(
        network_share, "_system_mounts", lambda: [*real, (str(share.resolve()), "nfs4")]
    )
    return share


def test_an_sqlite_file_on_a_network_share_is_refused_at_start(on_nfs: Path) -> None:
    path = on_nfs / "clinic.sqlite3"
    with pytest.raises(DatabaseOpenError) as err:
        app.open_services(url_of(path))
    assert err.value.problem == "network_share"
    assert "a network filesystem (nfs4)" in err.value.what
    assert "PostgreSQL" in err.value.advice
    assert network_share.ALLOW_ENV in err.value.advice
    assert not path.exists()


def test_the_cli_refuses_a_share_in_one_line(
    on_nfs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = on_nfs / "clinic.sqlite3"
    assert main(["db", "upgrade", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "SQLite's file locking is unreliable" in err
    assert not path.exists()


def test_the_override_opens_a_share(on_nfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(network_share.ALLOW_ENV, "1")
    path = on_nfs / "clinic.sqlite3"
    services = app.open_services(url_of(path))
    assert services.clinic.needs_setup()
    services.close()
