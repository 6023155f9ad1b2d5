"""Schema migrations: upgrade on start (after a copy of an SQLite file), report the revision."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from clinic_app.domain import clock
from clinic_app.domain.errors import StorageError
from clinic_app.storage import opening
from clinic_app.storage.location import sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic (a quarter of a second to import) is loaded only when the schema must change: a
# database already at the newest revision is recognised from the migration files' names.
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    """What an upgrade did.

    Attributes:
        before: the revision found (``None`` for an empty database).
        after: the revision now in place (the head).
        backup: the copy taken first, if any.
    """

    before: str | None
    after: str
    backup: Path | None


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def newest_file_revision() -> str:
    """The newest revision by the migration files' names (``0015_….py`` is "0015"), read
    without Alembic; a test proves it is Alembic's head."""
    found = [
        m.group(1)
        for p in (MIGRATIONS_DIR / "versions").iterdir()
        if (m := _REVISION_FILE.match(p.name))
    ]
    return max(found)


def stamped_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, read with one plain query (``None`` when it was
    never migrated).

    Raises:
        DatabaseOpenError: the database cannot be opened or read (see :mod:`.opening`).
    """
    with opening.translate_open_errors(engine.url), engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
        found = list(versions)
    return found[0] if len(found) == 1 else None


def head_revision() -> str:
    """The newest revision this version of the app knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def is_known_revision(revision: str) -> bool:
    """True when this version of the app has a migration with that id."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return revision in {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, ``None`` when it was never migrated.

    Raises:
        DatabaseOpenError: the database cannot be opened or read (see :mod:`.opening`).
    """
    from alembic.runtime.migration import MigrationContext

    with opening.translate_open_errors(engine.url), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def backup_sqlite(db_file: Path, revision: str | None) -> Path:
    """Copy an SQLite database with SQLite's online backup (safe with WAL and readers)."""
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    target = db_file.with_name(
        f"{db_file.stem}.before-{revision or 'none'}-{stamp}{db_file.suffix}"
    )
    src = sqlite3.connect(db_file)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def run_migrations(engine: Engine, target: str) -> None:
    """Run the migrations up to ``target`` in one transaction.

    On SQLite a migration that changes a table rebuilds it (copy, drop, rename), which the
    foreign keys of the tables pointing at it refuse while the database holds data. As
    SQLite's ALTER TABLE documentation prescribes, foreign keys are switched off for the
    rebuild (outside the transaction, where the pragma takes effect), every reference is
    checked before the commit, and the pool turns them back on for the next user.
    """
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(
                            "The database upgrade would leave "
                            f"{len(broken)} broken reference(s) (first in table "
                            f"{broken[0][0]}); it was rolled back."
                        )
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade(engine: Engine) -> UpgradeResult:
    """Bring the database to the newest schema.

    An existing SQLite database is copied next to itself first, so a failed upgrade loses
    nothing. A database from a newer app version is refused rather than touched. A database
    already at the newest revision is recognised without loading Alembic (start-up time).
    """
    stamped = stamped_revision(engine)
    if stamped is not None and stamped == newest_file_revision():
        return UpgradeResult(stamped, stamped, None)
    head = head_revision()
    before = current_revision(engine)
    if before == head:
        return UpgradeResult(before, head, None)
    if before is not None and not is_known_revision(before):
        raise opening.newer_version(opening.where(engine.url), before, head)
    backup: Path | None = None
    db_file = sqlite_path(engine.url)
    if db_file is not None and db_file.exists() and (before is not None or _has_tables(engine)):
        backup = backup_sqlite(db_file, before)
        log.info("copied the database to %s before upgrading", backup.name)
    try:
        run_migrations(engine, "head")
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # PostgreSQL: insufficient privilege
            raise StorageError(
                f"The database's schema is {before or 'empty'} but this app needs {head}, and "
                "this account may not change the schema. Ask the administrator to run "
                "`clinic-app db upgrade` as the database's owner (see README: Several "
                "workstations on PostgreSQL)."
            ) from None
        problem = opening.classify(exc, engine.url)
        if problem is not None and problem.problem in opening.ENVIRONMENT_PROBLEMS:
            raise problem from None  # a read-only or full disk, not a faulty migration
        # The driver's own text may quote a row (patient data): only its kind is shown.
        log.error("schema upgrade failed: %s", type(exc.orig).__name__)
        raise StorageError(
            "The database upgrade failed and was rolled back "
            f"({type(exc.orig).__name__}); nothing was changed. Restore or keep the previous "
            "version of the app and report this."
        ) from None
    log.info("database schema upgraded from %s to %s", before, head)
    return UpgradeResult(before, head, backup)
