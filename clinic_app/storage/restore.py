"""Checking a backup file, and restoring one over the current database.

The order is the safe one: verify the file first (SQLite's integrity check, our manifest,
its checksum and row counts, a schema revision this version knows), make a working copy
(upgraded to this version's schema if older), keep a safety copy of the current database,
restore, then verify again (the restored rows must measure exactly as the working copy).
A refused file leaves the current database untouched.

PostgreSQL: the restore replaces every table's rows in one transaction, which also
switches off the tables' own triggers (``ALTER TABLE ... DISABLE TRIGGER USER``: the signed
records' and the audit trail's guards) for the copy and on again before the commit, so it
must run as the role that owns the tables (the one that ran the migrations). The ALTER
TABLE locks keep every other session out until the commit, and nobody ever sees the
triggers off. It is refused while another session is connected to the database: close the
app on the other workstations first.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from clinic_app.domain import clock
from clinic_app.domain.errors import StorageError
from clinic_app.storage import migrate
from clinic_app.storage.backup import (
    APPLICATION_ID,
    MANIFEST_TABLE,
    SQLITE_MAGIC,
    SUFFIX,
    BackupRefusedError,
    Manifest,
    Progress,
    content_of,
    copy_rows,
    file_engine,
    no_progress,
    partial_path,
    take_backup,
)
from clinic_app.storage.backup_content import Content, app_tables, file_digest, measure
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_path


def verify_backup(path: Path) -> Manifest:
    """Check a backup file without changing anything; its manifest when it is sound.

    Raises:
        BackupRefusedError: missing, not an SQLite file, not ours, damaged or truncated, a
            checksum or row count that does not match its manifest, or a schema this
            version of the app does not know.
    """
    path = path.expanduser()
    if not path.is_file():
        raise BackupRefusedError(f"No backup file at {path}.")
    with open(path, "rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise BackupRefusedError(
                f"{path.name} is not a clinic_app backup (not a database file)."
            )
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupRefusedError(f"{path.name} cannot be opened: {exc}.") from None
    try:
        return _check(conn, path.name)
    except sqlite3.DatabaseError as exc:
        raise BackupRefusedError(
            f"{path.name} is damaged or truncated ({exc}); use another backup."
        ) from None
    finally:
        conn.close()


def _check(conn: sqlite3.Connection, name: str) -> Manifest:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    has_manifest = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (MANIFEST_TABLE,)
    ).fetchone()[0]
    if app_id != APPLICATION_ID or not has_manifest:
        raise BackupRefusedError(
            f"{name} is not a clinic_app backup (an SQLite file without our manifest). "
            "Choose a file made by Back up now or `clinic-app backup`."
        )
    problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if problem != "ok":
        raise BackupRefusedError(f"{name} is damaged ({problem}); use another backup.")
    row = conn.execute(f"SELECT manifest FROM {MANIFEST_TABLE} WHERE id = 1").fetchone()
    manifest = Manifest.from_json(row[0] if row else "")
    revision_row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = revision_row[0] if revision_row else None
    if revision != manifest.schema_revision:
        raise BackupRefusedError(f"{name}: its schema does not match its manifest; it was altered.")
    if not migrate.is_known_revision(revision):
        raise BackupRefusedError(
            f"{name} was made by a newer version of clinic_app (schema {revision}, app "
            f"{manifest.app_version}); update the app to restore it."
        )
    counts, digest = file_digest(conn, skip=frozenset({MANIFEST_TABLE}))
    if counts != manifest.counts:
        changed = sorted(t for t in counts.keys() | manifest.counts.keys()
                         if counts.get(t) != manifest.counts.get(t))  # fmt: skip
        raise BackupRefusedError(
            f"{name}: row counts differ from its manifest (in {', '.join(changed)}); the "
            "file was altered or damaged."
        )
    if digest != manifest.sha256:
        raise BackupRefusedError(
            f"{name}: its checksum does not match its manifest; the file was altered or "
            "damaged. Use another backup."
        )
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise BackupRefusedError(f"{name} holds broken references; use another backup.")
    return manifest


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore did.

    Attributes:
        manifest: the restored backup's manifest.
        safety_copy: the copy of the database as it was just before (``None`` when there
            was no database to keep).
        upgraded_from: the backup's schema revision when it was older than this version's.
        rows: rows now in the database.
    """

    manifest: Manifest
    safety_copy: Path | None
    upgraded_from: str | None
    rows: int


def other_sessions(engine: Engine) -> int:
    """PostgreSQL sessions on this database other than this process's pooled ones."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
            ).scalar_one()
        )


def restore_backup(
    engine: Engine,
    backup: Path,
    *,
    safety_dir: Path,
    app_version: str,
    progress: Progress = no_progress,
) -> RestoreResult:
    """Replace the database behind ``engine`` with the backup's content.

    Raises:
        BackupRefusedError: the file is not a sound backup (nothing was changed).
        StorageError: other sessions are connected (PostgreSQL), the safety copy cannot be
            made, or the restore failed (the database is as before on PostgreSQL; on SQLite
            the safety copy is put back).
    """
    progress("Checking the backup", 0, 1)
    manifest = verify_backup(backup)
    safety_dir.mkdir(parents=True, exist_ok=True)
    work = partial_path(safety_dir / f"restore{SUFFIX}")
    try:
        upgraded_from = _working_copy(backup, work)
        with file_engine(work).connect() as conn, conn.begin():
            expected = _measured(conn, progress)
        engine.dispose()  # this process's idle connections are not "other workstations"
        if engine.dialect.name == "postgresql" and (others := other_sessions(engine)):
            raise StorageError(
                f"{others} other session(s) are connected to this database: close clinic_app "
                "on the other workstations, then restore."
            )
        safety = _safety_copy(engine, safety_dir, app_version, progress)
        progress("Restoring", 0, expected.rows)
        if engine.dialect.name == "sqlite":
            _restore_sqlite(engine, work, safety)
        else:
            _restore_postgresql(engine, work, expected.rows, progress)
        engine.dispose()
        restored = content_of(engine, progress)
        if restored.sha256 != expected.sha256 or restored.counts != expected.counts:
            raise StorageError(
                "The restored database does not match the backup. "
                + (f"The previous database is kept at {safety}." if safety else "")
            )
    finally:
        work.unlink(missing_ok=True)
    progress("Done", 1, 1)
    return RestoreResult(manifest, safety, upgraded_from, restored.rows)


def _measured(conn: Connection, progress: Progress) -> Content:
    return measure(conn, lambda d, t: progress("Checking the backup", d, t))


def _working_copy(backup: Path, work: Path) -> str | None:
    """Copy the backup to ``work`` without its manifest, upgraded to this version's schema;
    the revision it was upgraded from, if it was."""
    src = sqlite3.connect(f"{backup.absolute().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(work)
    try:
        src.backup(dst)
        dst.execute(f"DROP TABLE {MANIFEST_TABLE}")
        dst.execute("PRAGMA application_id = 0")
        dst.commit()
        revision = dst.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if revision == migrate.head_revision():
        return None
    upgrader = file_engine(work)
    try:
        migrate.run_migrations(upgrader, "head")
    finally:
        upgrader.dispose()
    return str(revision)


def _safety_copy(engine: Engine, folder: Path, app_version: str, progress: Progress) -> Path | None:
    """A backup of the current database; for an SQLite file that cannot be read as one
    (damaged, which is often why one restores), its files as they are."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"before-restore-{stamp}{SUFFIX}"
    path = sqlite_path(engine.url)
    if path is not None and not path.exists():
        return None
    try:
        take_backup(engine, target, app_version=app_version, progress=progress)
        return target
    except StorageError:
        if path is None:
            raise
    raw = folder / f"before-restore-{stamp}-as-found"
    raw.mkdir()
    for extra in ("", "-wal", "-shm"):
        part = path.with_name(path.name + extra)
        if part.exists():
            shutil.copy2(part, raw / part.name)
    return raw


def _restore_sqlite(engine: Engine, work: Path, safety: Path | None) -> None:
    path = sqlite_path(engine.url)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    if safety is not None and safety.is_dir():
        # The current file could not be read as a database (its files are kept as found in
        # ``safety``): the backup goes into a new file in its place.
        for extra in ("", "-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
    src = sqlite3.connect(work)
    dst = sqlite3.connect(path, timeout=10)
    try:
        # The backup API writes every page under one lock: readers see the old database
        # or the new one, never a mix.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as exc:
        raise StorageError(
            f"The restore failed ({exc}); the database was not changed"
            + (f" (a copy is at {safety})." if safety else ".")
        ) from exc
    finally:
        dst.close()
        src.close()


def _restore_postgresql(engine: Engine, work: Path, total: int, progress: Progress) -> None:
    tables = [t for t in app_tables() if t.name != "alembic_version"]
    names = ", ".join(f'"{t.name}"' for t in tables)
    source = file_engine(work)
    try:
        with engine.begin() as dst, source.connect() as src:
            revision = dst.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision != migrate.head_revision():
                raise StorageError(
                    "The PostgreSQL database is not at this version's schema; run "
                    "`clinic-app db upgrade` on it first."
                )
            for table in tables:
                dst.exec_driver_sql(f'ALTER TABLE "{table.name}" DISABLE TRIGGER USER')
            dst.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY")
            copy_rows(src, dst, total, progress)
            for table in tables:
                dst.exec_driver_sql(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')
                if "id" in table.c:
                    _reset_sequence(dst, table.name)
    except DBAPIError as exc:
        raise StorageError(
            f"The restore was refused by PostgreSQL and rolled back; nothing changed "
            f"({type(exc.orig).__name__}: the role must own the tables)."
        ) from exc
    finally:
        source.dispose()


def _reset_sequence(conn: Connection, table: str) -> None:
    sequence = conn.execute(
        text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table}"'}
    ).scalar()
    if sequence:
        conn.execute(
            text(f'SELECT setval(:s, COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'),
            {"s": sequence},
        )


def damaged_reason(path: Path) -> str | None:
    """Why the SQLite file at ``path`` cannot be used (missing, not a database, damaged), or
    ``None`` when it opens and passes SQLite's quick check."""
    if not path.exists():
        return "does not exist"
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if header and header != SQLITE_MAGIC:
        return "is not a database"
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"cannot be opened ({exc})"
    return None if result == "ok" else f"is damaged ({result})"


def restore_into(
    url: str,
    backup: Path,
    *,
    safety_dir: Path,
    app_version: str,
    progress: Progress = no_progress,
    check_only: bool = False,
) -> RestoreResult | None:
    """Restore onto the database at ``url`` with an engine of its own (the command line's
    restore over a database nobody can sign in to); ``check_only`` only verifies."""
    if check_only:
        verify_backup(backup)
        return None
    engine = make_engine(url)
    try:
        return restore_backup(
            engine, backup, safety_dir=safety_dir, app_version=app_version, progress=progress
        )
    finally:
        engine.dispose()
