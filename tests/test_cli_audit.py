"""`clinic-app audit verify`: passes on a freshly seeded demo clinic, fails on a tampered copy."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from clinic_app.app import seed_demo_database
from clinic_app.cli import main
from clinic_app.services.audit_chain import KEY_ENV
from clinic_app.storage.location import sqlite_url


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small demo clinic seeded once (the app's seed function) and the key that sealed it."""
    folder = tmp_path_factory.mktemp("demo")
    path, key = folder / "demo.sqlite3", folder / "audit.key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, str(key))
        seed_demo_database(sqlite_url(path), patients=4, seed=7, progress=lambda _text: None)
    assert key.exists()
    return path, key


@pytest.fixture
def demo(demo_file: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database; the installation key is the one that seeded it."""
    path, key = demo_file
    monkeypatch.setenv(KEY_ENV, str(key))
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(path, copy)
    return copy


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def test_verify_passes_on_a_fresh_demo_database(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", "--db", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "The audit trail is intact" in out
    assert "sealed entries" in out


def test_verify_fails_on_a_tampered_copy_naming_the_row(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(
        demo,
        "DROP TRIGGER audit_event_no_update",
        "UPDATE audit_event SET user_id = NULL WHERE id = 5",
    )
    assert main(["audit", "verify", "--db", str(demo)]) == 1
    err = capsys.readouterr().err
    assert "AUDIT TRAIL BROKEN (content changed at row 5)" in err


def test_verify_fails_on_a_cut_tail(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(
        demo,
        "DROP TRIGGER audit_event_no_delete",
        "DELETE FROM audit_event WHERE id > 10",
    )
    assert main(["--db", str(demo), "audit", "verify"]) == 1
    assert "truncated tail" in capsys.readouterr().err


def test_verify_with_another_key_fails(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.key"
    other.write_text("cd" * 32)
    monkeypatch.setenv(KEY_ENV, str(other))
    assert main(["audit", "verify", "--db", str(demo)]) == 1
    assert "sealed with another key" in capsys.readouterr().err


def test_verify_without_the_key_says_so_and_makes_none(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "audit.key"
    monkeypatch.setenv(KEY_ENV, str(missing))
    assert main(["audit", "verify", "--db", str(demo)]) == 2
    assert f"No audit key at {missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_verify_needs_an_existing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["audit", "verify", "--db", str(missing)]) == 2
    assert "No database" in capsys.readouterr().err
    assert not missing.exists()
