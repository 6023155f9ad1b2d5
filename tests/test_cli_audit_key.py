"""`clinic-app audit export-key` / `import-key`: a second workstation gets the clinic's key."""

from __future__ import annotations

import io
import stat
import sys
from pathlib import Path

import pytest

from clinic_app.app import open_services
from clinic_app.cli import main
from clinic_app.domain.audit_chain import KEY_BYTES
from clinic_app.services.audit_key import default_key_path
from clinic_app.storage.location import sqlite_url
from tests.factories import PASSWORD, set_up_clinic


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A set-up clinic in an SQLite file, written from this (the first) workstation."""
    path = tmp_path / "clinic.sqlite3"
    services = open_services(sqlite_url(path))
    try:
        set_up_clinic(services)
    finally:
        services.close()
    return path


def as_admin(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return ["--user", "admin", "--password-stdin"]


def move_to_another_workstation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "desk-2-config"))


def test_a_key_travels_to_a_second_workstation(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "carry" / "clinic.key"
    out.parent.mkdir()
    db = ["--db", str(clinic)]
    assert main(["audit", "export-key", "--out", str(out), *db, *as_admin(monkeypatch)]) == 0
    assert "import-key" in capsys.readouterr().out
    assert out.read_text().strip() == default_key_path().read_text().strip()
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600

    move_to_another_workstation(tmp_path, monkeypatch)
    assert main(["audit", "verify", *db]) == 2
    assert "No audit key" in capsys.readouterr().err
    assert main(["audit", "import-key", str(out), *db, *as_admin(monkeypatch)]) == 0
    assert "installed on this workstation" in capsys.readouterr().out
    assert default_key_path().read_text().strip() == out.read_text().strip()
    assert main(["audit", "verify", *db]) == 0


def test_a_key_of_another_clinic_is_refused_and_nothing_is_installed(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    wrong = tmp_path / "wrong.key"
    wrong.write_text("ab" * KEY_BYTES)
    move_to_another_workstation(tmp_path, monkeypatch)
    db = ["--db", str(clinic)]
    assert main(["audit", "import-key", str(wrong), *db, *as_admin(monkeypatch)]) == 2
    err = capsys.readouterr().err
    assert "did not seal the audit trail" in err
    assert "nothing was installed" in err
    assert not default_key_path().exists()


def test_export_never_overwrites_a_file(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "there.key"
    out.write_text("keep me")
    args = ["audit", "export-key", "--out", str(out), "--db", str(clinic)]
    assert main([*args, *as_admin(monkeypatch)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert out.read_text() == "keep me"
