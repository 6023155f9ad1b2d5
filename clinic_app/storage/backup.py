"""Backups: one SQLite file holding a consistent copy of the clinic's database and its manifest.

Whatever the backend, a backup is a single SQLite file at the app's schema, so it can be
checked, opened and restored anywhere without a database server or an external tool:

- SQLite: SQLite's online backup API copies the pages while the app keeps working. The
  copying connection holds one read transaction for the whole copy, so in WAL mode it sees
  one snapshot (every commit up to its start, including those still in the ``-wal`` file)
  while other workstations go on writing. Copying the ``.sqlite3`` file alone misses the
  commits still in the WAL.
- PostgreSQL: every table is read inside one ``REPEATABLE READ READ ONLY`` transaction (one
  snapshot) and written into an SQLite file the app's migrations made, through the models'
  column types; the content is measured on both sides and must match. No ``pg_dump``: the
  app runs no external programs, and the copy restores onto either backend.

The manifest (JSON, in the table ``clinic_backup_manifest`` inside the file, and the
file's ``application_id`` marks it as ours) records the app version, schema revision,
backend, UTC time, rows per table, the audit chain's head and a SHA-256 over every stored
value (:func:`clinic_app.storage.backup_content.file_digest`).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, text
from sqlalchemy.pool import NullPool

from clinic_app.domain import clock
from clinic_app.domain.errors import StorageError
from clinic_app.storage import migrate
from clinic_app.storage.backup_content import (
    BATCH,
    Content,
    app_tables,
    audit_head,
    file_digest,
    measure,
    ordered_rows,
)
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import describe_url, sqlite_path, sqlite_url

FORMAT = "clinic_app backup"
FORMAT_VERSION = 1
#: ``PRAGMA application_id`` of a backup file ("ClBk"): a foreign SQLite file lacks it.
APPLICATION_ID = 0x436C426B
MANIFEST_TABLE = "clinic_backup_manifest"
SUFFIX = ".clinic-backup"
SQLITE_MAGIC = b"SQLite format 3\x00"

#: ``progress(stage, done, total)``: what is happening and how far it is.
Progress = Callable[[str, int, int], None]


def no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


class BackupRefusedError(StorageError):
    """A file that is not a usable backup (foreign, damaged, newer); nothing was changed."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup holds (stored as JSON inside it).

    Attributes:
        app_version: the clinic_app version that made it.
        schema_revision: the Alembic revision of its tables.
        backend: "sqlite" or "postgresql", the database it was taken from.
        created_at: when the copy's snapshot was taken (UTC, ISO 8601).
        counts: rows per table.
        audit: the newest audit row's id and HMAC, and the chain head's entry count.
        sha256: SHA-256 over every stored value (see ``file_digest``).
        source: the database it came from (no password).
    """

    app_version: str
    schema_revision: str
    backend: str
    created_at: str
    counts: dict[str, int]
    audit: dict[str, Any]
    sha256: str
    source: str

    def to_json(self) -> str:
        body = {"format": FORMAT, "format_version": FORMAT_VERSION}
        body.update({name: getattr(self, name) for name in self.__slots__})
        return json.dumps(body, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        try:
            body = json.loads(raw)
            if body.get("format") != FORMAT:
                raise ValueError("format")
            if int(body["format_version"]) > FORMAT_VERSION:
                raise BackupRefusedError(
                    "This backup was made by a newer version of clinic_app (backup format "
                    f"{body['format_version']}); update the app to restore it."
                )
            return cls(**{name: body[name] for name in cls.__slots__})
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupRefusedError(
                f"The backup's manifest is unreadable ({type(exc).__name__}); the file is "
                "damaged or not a clinic_app backup."
            ) from None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


def backend_of(engine: Engine) -> str:
    return "sqlite" if engine.dialect.name == "sqlite" else "postgresql"


def file_engine(path: Path) -> Engine:
    """A plain engine on a backup or work file: no WAL (one self-contained file), no pool."""
    return create_engine(sqlite_url(path), poolclass=NullPool)


def partial_path(out: Path) -> Path:
    """A temporary name beside ``out`` (renamed over it once complete)."""
    return out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")


def check_out_path(out: Path) -> Path:
    out = out.expanduser().absolute()
    if out.is_dir():
        raise StorageError(f"Cannot write {out}: it is a folder.")
    if not out.parent.is_dir():
        raise StorageError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    return out


def _require_head(revision: str | None, where: str) -> str:
    head = migrate.head_revision()
    if revision is None:
        raise StorageError(f"{where} holds no clinic_app schema; there is nothing to back up.")
    if revision != head:
        if not migrate.is_known_revision(revision):
            raise StorageError(
                f"{where} was written by a newer version of clinic_app (schema {revision}); "
                "update the app."
            )
        raise StorageError(
            f"{where} is at schema {revision}, not {head}; run `clinic-app db upgrade` first."
        )
    return revision


def take_backup(
    engine: Engine, out: Path, *, app_version: str, progress: Progress = no_progress
) -> Manifest:
    """Write a consistent copy of the database behind ``engine`` to ``out`` (replaced
    atomically; a failure leaves ``out`` as it was) and return its manifest.

    Raises:
        StorageError: the database cannot be read or is not at this version's schema, or
            ``out`` cannot be written.
    """
    out = check_out_path(out)
    work = partial_path(out)
    try:
        if engine.dialect.name == "sqlite":
            created = _copy_sqlite(engine, work, progress)
        else:
            created = _copy_postgresql(engine, work, progress)
        manifest = _seal(work, engine, created, app_version, progress)
        os.replace(work, out)
    except sqlite3.Error as exc:
        raise StorageError(f"The backup could not be written: {exc}.") from exc
    except OSError as exc:
        raise StorageError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        for leftover in (work, work.with_name(work.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return manifest


def _copy_sqlite(engine: Engine, work: Path, progress: Progress) -> datetime:
    source = sqlite_path(engine.url)
    if source is None or not source.exists():
        raise StorageError(f"No database at {source}.")
    # Opened read-write (only ever read): a read-only connection to a WAL database cannot
    # always create the shared-memory file it needs when no one else has it open.
    src = sqlite3.connect(source, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        # One read transaction for the whole copy: every step sees the same snapshot, and
        # writers go on committing to the WAL meanwhile.
        src.execute("BEGIN")
        row = src.execute("SELECT version_num FROM alembic_version").fetchone()
        _require_head(row[0] if row else None, describe_url(engine.url))
        created = clock.now()
        dst = sqlite3.connect(work)
        try:
            src.backup(
                dst,
                pages=256,
                progress=lambda _status, remaining, total: progress(
                    "Copying", total - remaining, total
                ),
            )
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise StorageError(f"Cannot read the database: {exc}.") from exc
    finally:
        src.close()
    return created


def _copy_postgresql(engine: Engine, work: Path, progress: Progress) -> datetime:
    target = make_engine(sqlite_url(work))
    try:
        migrate.run_migrations(target, "head")
        with target.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode = DELETE")
    finally:
        target.dispose()
    dst_engine = file_engine(work)
    try:
        with engine.connect() as src_conn:
            src = src_conn.execution_options(isolation_level="REPEATABLE READ")
            with src.begin():
                src.exec_driver_sql("SET TRANSACTION READ ONLY")
                revision = src.execute(text("SELECT version_num FROM alembic_version")).scalar()
                _require_head(revision, describe_url(engine.url))
                created = clock.now()
                expected = measure(src, lambda d, t: progress("Reading", d, t))
                with dst_engine.begin() as dst:
                    copy_rows(src, dst, expected.rows, progress)
        with dst_engine.connect() as dst:
            copied = measure(dst, lambda d, t: progress("Checking the copy", d, t))
    finally:
        dst_engine.dispose()
    if copied.sha256 != expected.sha256 or copied.counts != expected.counts:
        raise StorageError("The copy does not match the database it was read from; try again.")
    return created


def sqlite_triggers(conn: Connection) -> list[tuple[str, str]]:
    return [
        (name, sql)
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
    ]


def copy_rows(src: Connection, dst: Connection, total: int, progress: Progress) -> None:
    """Insert every row of the app's tables from ``src`` into the tables of ``dst`` (an
    SQLite target is emptied first; a PostgreSQL one was truncated by the caller).

    On an SQLite target the triggers that freeze signed records and keep the audit trail
    append-only are dropped for the copy and made again from their stored SQL in the same
    transaction: they guard changes, and a copy of rows that were valid changes none.
    """
    triggers = sqlite_triggers(dst) if dst.dialect.name == "sqlite" else []
    for name, _sql in triggers:
        dst.exec_driver_sql(f'DROP TRIGGER "{name}"')
    if triggers:
        # A freshly migrated file holds the migrations' own rows (the audit chain's head).
        for table in reversed(app_tables()):
            if table.name != "alembic_version":
                dst.execute(table.delete())
    done = 0
    for table in app_tables():
        if table.name == "alembic_version":
            continue  # the target's migrations stamped it already (checked equal)
        batch: list[dict[str, Any]] = []
        for row in ordered_rows(src, table):
            batch.append(dict(row._mapping))
            if len(batch) >= BATCH:
                dst.execute(insert(table), batch)
                done += len(batch)
                batch = []
                progress("Copying", done, total)
        if batch:
            dst.execute(insert(table), batch)
            done += len(batch)
            progress("Copying", done, total)
    for _name, sql in triggers:
        dst.exec_driver_sql(sql)


def _seal(
    work: Path, engine: Engine, created: datetime, app_version: str, progress: Progress
) -> Manifest:
    """Check the copy, measure it and store its manifest inside it."""
    progress("Checking the copy", 0, 1)
    conn = sqlite3.connect(work)
    try:
        problem = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise StorageError(f"The copy failed SQLite's integrity check: {problem}.")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        counts, digest = file_digest(conn)
        with file_engine(work).connect() as typed:
            audit = audit_head(typed).as_json()
        manifest = Manifest(
            app_version=app_version,
            schema_revision=revision,
            backend=backend_of(engine),
            created_at=created.astimezone(UTC).isoformat(timespec="seconds"),
            counts=counts,
            audit=audit,
            sha256=digest,
            source=describe_url(engine.url),
        )
        conn.execute(f"CREATE TABLE {MANIFEST_TABLE} (id INTEGER PRIMARY KEY, manifest TEXT)")
        conn.execute(f"INSERT INTO {MANIFEST_TABLE} VALUES (1, ?)", (manifest.to_json(),))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()
    with open(work, "rb+") as handle:
        os.fsync(handle.fileno())
    progress("Done", 1, 1)
    return manifest


def content_of(engine: Engine, progress: Progress = no_progress) -> Content:
    """The typed content measure of a live database, in one consistent read."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return measure(conn, lambda d, t: progress("Checking", d, t))
