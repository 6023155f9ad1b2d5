"""Backing up and restoring the clinic's database (administrators), and the automatic daily
backup the app itself runs on a workstation.

The copies are :mod:`clinic_app.storage.backup` and :mod:`clinic_app.storage.restore`; this
service checks who may, audits what was done and remembers this workstation's last backup.

Who may:

- ``backup.create`` (Back up now, ``clinic-app backup``) and ``backup.restore``: the
  administrator. A backup holds every patient's chart, so making one is an administrator's
  act, audited with their name.
- ``backup.automatic``: the app's own daily copy, run whoever is signed in (or nobody, at
  the lock screen): it shows no patient data to the person at the keyboard and writes to
  this workstation's configured folder. It is audited as a system action (no user,
  ``backup.automatic``) so the trail never credits it to whoever happened to be signed in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from clinic_app import __version__
from clinic_app.domain import clock
from clinic_app.domain.backup_schedule import to_delete
from clinic_app.domain.errors import ConflictError, StorageError
from clinic_app.models import User
from clinic_app.services import backup_settings
from clinic_app.services.base import Service
from clinic_app.storage.backup import SUFFIX, Manifest, take_backup
from clinic_app.storage.restore import restore_backup, verify_backup

log = logging.getLogger(__name__)

#: ``progress(stage, done, total)``; called on the thread that runs the backup.
Progress = Callable[[str, int, int], None]
AUTOMATIC_PREFIX = "clinic-auto-"
MANUAL_PREFIX = "clinic-"
AUDIT_ATTEMPTS = 5


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """A backup file and what its manifest says.

    Attributes:
        path: the file.
        created_at: when its snapshot was taken (UTC).
        app_version, schema_revision, backend: as in the manifest.
        rows: rows in all tables; ``counts`` per table.
        audit_latest_id: the newest audit row it holds.
        sha256: its checksum.
        seconds: how long taking (or checking) it took.
    """

    path: Path
    created_at: datetime
    app_version: str
    schema_revision: str
    backend: str
    rows: int
    counts: dict[str, int]
    audit_latest_id: int | None
    sha256: str
    seconds: float = 0.0

    @classmethod
    def of(cls, path: Path, manifest: Manifest, seconds: float = 0.0) -> BackupSummary:
        return cls(
            path, manifest.created, manifest.app_version, manifest.schema_revision,
            manifest.backend, manifest.rows, dict(manifest.counts),
            manifest.audit.get("latest_id"), manifest.sha256, seconds,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """A finished restore: the backup restored and where the previous database was kept."""

    backup: BackupSummary
    safety_copy: Path | None
    upgraded_from: str | None
    rows: int
    seconds: float


def suggested_name(now: datetime, prefix: str = MANUAL_PREFIX) -> str:
    """``clinic-20261207T120000Z.clinic-backup``: sorts by time, safe on every OS."""
    return f"{prefix}{now.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"


def _write_lock_first(session: Session) -> None:
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class BackupService(Service):
    """Back up now, restore, the automatic daily backup."""

    def _engine(self) -> Engine:
        bind = self._sessions.kw["bind"]
        return bind if isinstance(bind, Engine) else bind.engine

    def _record(self, action: str, *, system: bool = False) -> None:
        """The audit row of a finished backup or restore, in its own short transaction.

        An audit-only transaction on SQLite would read the chain head before its first
        write (pysqlite begins the transaction at the first INSERT), so a save committed in
        between by another workstation could make it collide on the entry number: it takes
        the write lock first (BEGIN IMMEDIATE), and a collision left is retried.
        The restored database may not know the account that restored it: then no user.
        """
        for attempt in range(AUDIT_ATTEMPTS):
            try:
                with self._tx() as session:
                    _write_lock_first(session)
                    user_id = None if system else self._actor.user_id
                    if user_id is not None and session.get(User, user_id) is None:
                        user_id = None
                    self._audit(session, action, "backup", None, user_id=user_id)
                return
            except ConflictError:
                if attempt == AUDIT_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    def back_up(self, out: Path, progress: Progress | None = None) -> BackupSummary:
        """Write a consistent copy of the database to ``out`` (audited ``backup.create``).

        Raises:
            StorageError: the database cannot be read or ``out`` cannot be written.
        """
        self._permit("backup.create")
        started = time.monotonic()
        manifest = take_backup(
            self._engine(), out, app_version=__version__, progress=progress or _quiet
        )
        self._record("backup.create")
        backup_settings.record_success(manifest.created, out)
        log.info("backup written (%d rows)", manifest.rows)
        return BackupSummary.of(out, manifest, time.monotonic() - started)

    def automatic_backup(
        self, folder: Path, keep: int, progress: Progress | None = None
    ) -> BackupSummary:
        """The daily backup into ``folder``, keeping the newest ``keep`` automatic ones.

        Audited ``backup.automatic`` with no user: the app runs it, not the person signed in.
        """
        self._permit("backup.automatic")
        started = time.monotonic()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot make the backup folder {folder}: {exc.strerror}.") from exc
        out = folder / suggested_name(clock.now(), AUTOMATIC_PREFIX)
        manifest = take_backup(
            self._engine(), out, app_version=__version__, progress=progress or _quiet
        )
        self._record("backup.automatic", system=True)
        backup_settings.record_success(manifest.created, out)
        names = [p.name for p in folder.glob(f"{AUTOMATIC_PREFIX}*{SUFFIX}")]
        for name in to_delete(names, keep):
            (folder / name).unlink(missing_ok=True)
        return BackupSummary.of(out, manifest, time.monotonic() - started)

    def configure(self, settings: backup_settings.BackupSettings) -> backup_settings.BackupSettings:
        """Save this workstation's backup folder, number kept and automatic switch
        (audited ``backup.settings``; the last-backup fields are kept as they are).

        Raises:
            ValidationError: a number kept outside 1..365, or a folder that is not a full path.
        """
        self._permit("backup.create")
        current = backup_settings.load_settings()
        checked = backup_settings.check_settings(settings)
        saved = replace(
            checked,
            last_backup_at=current.last_backup_at,
            last_backup_file=current.last_backup_file,
        )
        try:
            backup_settings.save_settings(saved)
        except OSError as exc:
            raise StorageError(f"Cannot save the backup settings: {exc.strerror}.") from exc
        with self._tx() as session:
            self._audit(session, "backup.settings", "backup", None)
        return saved

    def inspect(self, path: Path) -> BackupSummary:
        """Check a backup file (integrity, manifest, checksum, row counts, schema) and say
        what it holds; changes nothing.

        Raises:
            BackupRefusedError: it is not a sound backup this version can restore.
        """
        self._permit("backup.restore")
        started = time.monotonic()
        manifest = verify_backup(path)
        return BackupSummary.of(path, manifest, time.monotonic() - started)

    def restore(
        self, path: Path, safety_folder: Path, progress: Progress | None = None
    ) -> RestoreSummary:
        """Replace the database with the backup at ``path``, after checking it and keeping
        a safety copy of the current database in ``safety_folder``; audited
        ``backup.restore`` in the restored database.

        Raises:
            BackupRefusedError: the file is not a sound backup (nothing changed).
            StorageError: see :func:`clinic_app.storage.restore.restore_backup`.
        """
        self._permit("backup.restore")
        started = time.monotonic()
        result = restore_backup(
            self._engine(),
            path,
            safety_dir=safety_folder,
            app_version=__version__,
            progress=progress or _quiet,
        )
        # The restored trail ends before this workstation's anchor: the restore is the
        # administrator's deliberate, audited act, so the anchor starts again from its row.
        if self._seal.anchor is not None:
            self._seal.anchor.forget(self._seal.database)
        self._record("backup.restore")
        seconds = time.monotonic() - started
        return RestoreSummary(
            BackupSummary.of(path, result.manifest),
            result.safety_copy,
            result.upgraded_from,
            result.rows,
            seconds,
        )
