"""A file that is not a sound backup is refused with a clear message, the database untouched."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clinic_app.storage.backup import MANIFEST_TABLE, BackupRefusedError, take_backup
from clinic_app.storage.backup_content import file_digest, measure
from clinic_app.storage.restore import restore_backup, verify_backup
from tests.backup_databases import MakeDatabase, fresh_databases, services_on
from tests.factories import register_patient, set_up_clinic


@pytest.fixture
def databases(backend: str, tmp_path: Path, sqlite_template: Path) -> Iterator[MakeDatabase]:
    with fresh_databases(backend, tmp_path, sqlite_template) as make:
        yield make


def _rewrite(path: Path, sql: str, *, reseal: bool, **manifest_changes: object) -> None:
    """Run ``sql`` on the backup; with ``reseal`` also make the manifest match again."""
    conn = sqlite3.connect(path)
    try:
        if sql:
            conn.execute(sql)
        manifest = json.loads(conn.execute(f"SELECT manifest FROM {MANIFEST_TABLE}").fetchone()[0])
        if reseal:
            counts, digest = file_digest(conn, skip=frozenset({MANIFEST_TABLE}))
            manifest.update(counts=counts, sha256=digest)
        manifest.update(manifest_changes)
        conn.execute(f"UPDATE {MANIFEST_TABLE} SET manifest = ?", (json.dumps(manifest),))
        conn.commit()
    finally:
        conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\x01 not a backup at all " * 500)


def _text(path: Path) -> None:
    path.write_text("Patient list, exported from somewhere else\n" * 50)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('someone else''s database')")
    conn.commit()
    conn.close()


def _no_manifest(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TABLE {MANIFEST_TABLE}")
    conn.commit()
    conn.close()


def _changed_value(path: Path) -> None:  # someone edited a row; counts still match
    _rewrite(path, "UPDATE patient SET family_name = 'Forged'", reseal=False)


def _deleted_row(path: Path) -> None:
    _rewrite(path, "DELETE FROM patient WHERE mrn = 'P1'", reseal=False)


def _checksum_mismatch(path: Path) -> None:
    _rewrite(path, "", reseal=False, sha256="0" * 64)


def _newer_schema(path: Path) -> None:
    _rewrite(
        path,
        "UPDATE alembic_version SET version_num = '9999'",
        reseal=True,
        schema_revision="9999",
        app_version="9.0.0",
    )


def _newer_format(path: Path) -> None:
    _rewrite(path, "", reseal=False, format_version=99)


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 6)):
        data[offset] = 0xA5
    path.write_bytes(bytes(data))


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "garbage": (_garbage, "not a clinic_app backup"),
    "text": (_text, "not a clinic_app backup"),
    "truncated": (_truncated, "damaged or truncated|damaged"),
    "foreign": (_foreign, "not a clinic_app backup"),
    "no manifest": (_no_manifest, "not a clinic_app backup"),
    "changed value": (_changed_value, "checksum does not match"),
    "deleted row": (_deleted_row, "row counts differ"),
    "checksum mismatch": (_checksum_mismatch, "checksum does not match"),
    "newer schema": (_newer_schema, "newer version of clinic_app.*update the app"),
    "newer format": (_newer_format, "newer version of clinic_app"),
    "corrupt page": (_corrupt_page, "damaged"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_refused_and_the_database_is_untouched(
    databases: MakeDatabase, tmp_path: Path, case: str
) -> None:
    services, engine = services_on(databases("live"))
    set_up_clinic(services)
    for i in range(3):
        register_patient(services, f"P{i}", family_name=f"Name{i}")
    backup = tmp_path / "good.clinic-backup"
    take_backup(engine, backup, app_version="test")
    register_patient(services, "CURRENT", family_name="Keep")
    with engine.connect() as conn:
        before = measure(conn)
    spoil, message = CASES[case]
    spoil(backup)

    with pytest.raises(BackupRefusedError, match=message):
        verify_backup(backup)
    with pytest.raises(BackupRefusedError, match=message):
        restore_backup(engine, backup, safety_dir=tmp_path / "safety", app_version="test")

    with engine.connect() as conn:
        assert measure(conn) == before
    assert not (tmp_path / "safety").exists() or not any((tmp_path / "safety").iterdir())
    engine.dispose()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupRefusedError, match="No backup file"):
        verify_backup(tmp_path / "nothing.clinic-backup")
