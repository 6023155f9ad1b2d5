"""Why a database cannot be opened, decided in one place.

The composition root (:mod:`clinic_app.app`) runs :func:`check_sqlite_file` before it makes an
engine on an SQLite file, and opens every database inside :func:`translate_open_errors`; both
raise :class:`~clinic_app.domain.errors.DatabaseOpenError`, which says what is wrong and what
to do. The command line prints it as one line, the GUI shows it in one dialog: never a
traceback, and never advice that cannot work (a database written by a newer version is not
"upgraded", the app is).

Driver messages are not shown as they are: they can be long, and they are not meant for the
person at the keyboard. Only SQLite's error name or a short reason is kept.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import struct
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from clinic_app.domain.errors import ClinicError, DatabaseOpenError
from clinic_app.storage.location import DB_ENV, describe_url
from clinic_app.storage.network_share import ALLOW_ENV, network_share_reason

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

RESTORE = "Restore the clinic's latest backup (see “Backups” in the README)."
CHECK_PATH = f"Check the path given with --db or {DB_ENV}; if it is the clinic's database, "
PERMISSIONS = (
    "Check that this user may read and write the file and its folder (SQLite also writes "
    "the -wal and -shm files beside it) and that the disk is not mounted read-only."
)


class Problem(StrEnum):
    """What kind of open failure it is (``DatabaseOpenError.problem``)."""

    NOT_A_DATABASE = "not_a_database"
    DAMAGED = "damaged"
    READ_ONLY = "read_only"
    NO_ACCESS = "no_access"
    NEWER_VERSION = "newer_version"
    MISSING = "missing"
    UNREACHABLE = "unreachable"
    SIGN_IN_REFUSED = "sign_in_refused"
    DISK_FULL = "disk_full"
    NETWORK_SHARE = "network_share"
    UNKNOWN = "unknown"


#: Problems of the computer around the database, not of its content or schema.
ENVIRONMENT_PROBLEMS = frozenset(
    {Problem.READ_ONLY.value, Problem.NO_ACCESS.value, Problem.DISK_FULL.value}
)


def _error(problem: Problem, what: str, advice: str) -> DatabaseOpenError:
    return DatabaseOpenError(problem.value, what, advice)


# ---------------------------------------------------------------------- messages
def not_a_database(path: Path) -> DatabaseOpenError:
    return _error(
        Problem.NOT_A_DATABASE,
        f"{path} is not a clinic_app database (it is not an SQLite database at all).",
        CHECK_PATH + "restore its latest backup.",
    )


def damaged(path: Path, detail: str) -> DatabaseOpenError:
    return _error(
        Problem.DAMAGED,
        f"The database {path} is damaged ({detail}).",
        RESTORE + " Keep the damaged file for whoever looks into it.",
    )


def read_only(where: str, detail: str) -> DatabaseOpenError:
    return _error(
        Problem.READ_ONLY, f"The database {where} cannot be written ({detail}).", PERMISSIONS
    )


def newer_version(where: str, revision: str, head: str) -> DatabaseOpenError:
    """A database at a schema revision this version does not know."""
    return _error(
        Problem.NEWER_VERSION,
        f"The database {where} was written by a newer version of clinic_app (schema "
        f"revision {revision}; this version knows up to {head}).",
        "Update the app on this computer to the version the other workstations use; this "
        "version leaves the database untouched.",
    )


def missing(path: Path) -> DatabaseOpenError:
    return _error(
        Problem.MISSING,
        f"No database at {path}.",
        CHECK_PATH + "or run `clinic-app db upgrade` to create a new, empty one.",
    )


def network_share(path: Path, reason: str) -> DatabaseOpenError:
    return _error(
        Problem.NETWORK_SHARE,
        f"The SQLite database {path} is on {reason}. SQLite's file locking is unreliable "
        "on network shares: two workstations writing it can corrupt it.",
        "For several workstations use a PostgreSQL server (see “Several workstations on "
        "PostgreSQL” in the README), or keep the file on this computer's own disk. If only "
        f"this one computer ever opens the file, set {ALLOW_ENV}=1.",
    )


# ---------------------------------------------------------------------- SQLite checks
def _header_problem(path: Path, header: bytes, size: int) -> DatabaseOpenError | None:
    """Not an SQLite file, or one cut short (the header's page count says it was longer)."""
    if not header.startswith(SQLITE_MAGIC[: len(header)]) or not header:
        return not_a_database(path)
    if len(header) < HEADER_SIZE:
        return damaged(path, f"only {size} bytes, shorter than an SQLite header")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return damaged(path, "its header is corrupt")
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    # The page count in the header is only trusted when written by the same change
    # (SQLite's file format, §1.3.7); then a shorter file lost its end, unless a -wal or
    # -journal file beside it still holds pages that SQLite's recovery writes back after a
    # crash in the middle of a checkpoint or a transaction.
    if (
        valid_for == change_counter
        and pages
        and size < pages * page_size
        and not _pending_pages(path)
    ):
        return damaged(path, f"the file is cut short: {size} of {pages * page_size} bytes")
    return None


def _pending_pages(path: Path) -> bool:
    """True when a non-empty -wal or -journal file lies beside the database."""
    for suffix in ("-wal", "-journal"):
        try:
            if path.with_name(path.name + suffix).stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path


def check_sqlite_file(
    path: Path, *, must_exist: bool = False, environ: Mapping[str, str] | None = None
) -> None:
    """Refuse an SQLite file that cannot be this app's database, before SQLite opens it.

    Raises:
        DatabaseOpenError: on a network share (unless allowed), missing when ``must_exist``,
            a folder, unreadable, not an SQLite file, cut short, or not writable (the file,
            or the folder for SQLite's -wal and -shm files).
    """
    path = path.expanduser().absolute()
    reason = network_share_reason(path, environ=environ)
    if reason is not None:
        raise network_share(path, reason)
    if not path.exists():
        if must_exist:
            raise missing(path)
        folder = _nearest_existing(path.parent)
        if _on_read_only_mount(folder):
            raise read_only(str(path), f"the disk holding {folder} is mounted read-only")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise read_only(str(path), f"the folder {folder} is not writable")
        return
    if path.is_dir():
        raise not_a_database(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as exc:
        raise _error(
            Problem.NO_ACCESS,
            f"The database {path} cannot be read ({exc.strerror or exc}).",
            PERMISSIONS,
        ) from None
    if size:  # SQLite makes a database of an empty file
        problem = _header_problem(path, header, size)
        if problem is not None:
            raise problem
    if _on_read_only_mount(path):
        raise read_only(str(path), "the disk or share holding it is mounted read-only")
    if not os.access(path, os.W_OK):
        raise read_only(str(path), "the file is read-only for this user")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise read_only(str(path), f"the folder {path.parent} is not writable for this user")


def _on_read_only_mount(path: Path) -> bool:
    flag = getattr(os, "ST_RDONLY", None)
    if flag is None or not hasattr(os, "statvfs"):  # Windows: os.access tells
        return False
    try:
        return bool(os.statvfs(path).f_flag & flag)
    except OSError:
        return False


# ---------------------------------------------------------------------- driver errors
#: SQLite's primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 3, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26


def _sqlite_problem(exc: sqlite3.Error, where: str, path: Path | None) -> DatabaseOpenError:
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    primary = None if code is None else code & 0xFF
    shown = path if path is not None else Path(where)
    if primary == SQLITE_NOTADB:
        return not_a_database(shown)
    if primary == SQLITE_CORRUPT:
        return damaged(shown, name)
    if primary in (SQLITE_READONLY, SQLITE_PERM):
        return read_only(where, name)
    if primary == SQLITE_FULL:
        return _error(
            Problem.DISK_FULL,
            f"The disk holding the database {where} is full.",
            "Free some space on it and start again.",
        )
    if primary == SQLITE_CANTOPEN:
        return read_only(where, f"SQLite cannot open the file or its -wal/-shm files: {name}")
    if primary == SQLITE_IOERR:
        return _error(
            Problem.DAMAGED,
            f"The disk holding the database {where} reported an error ({name}).",
            "Check the disk and its connection; if the file is damaged, " + RESTORE.lower(),
        )
    return _error(
        Problem.UNKNOWN,
        f"The database {where} cannot be opened ({name}).",
        CHECK_PATH + RESTORE[0].lower() + RESTORE[1:],
    )


def _server_problem(orig: BaseException, url: str | URL) -> DatabaseOpenError:
    """A PostgreSQL (psycopg) error met while connecting or reading the schema."""
    parsed = make_url(url)
    server = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    sqlstate = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    if sqlstate.startswith("28") or "authentication failed" in text or "password" in text:
        return _error(
            Problem.SIGN_IN_REFUSED,
            f"The database server {server} refused the user {parsed.username or '?'}.",
            f"Check the user name and password in the database URL (--db or {DB_ENV}).",
        )
    if sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return _error(
            Problem.MISSING,
            f"The database server {server} has no database {parsed.database or '?'}.",
            "Check the database name in the URL, or create it (see the README).",
        )
    if sqlstate == "42501":
        return _error(
            Problem.READ_ONLY,
            f"The database role {parsed.username or '?'} may not use {describe_url(url)}.",
            "Ask whoever runs the server to grant the role its rights (see the README).",
        )
    if sqlstate and not sqlstate.startswith("08"):
        return _error(
            Problem.UNKNOWN,
            f"The database {describe_url(url)} cannot be opened (SQLSTATE {sqlstate}).",
            "Ask whoever runs the database server.",
        )
    reason = "the connection was refused"
    if "resolve" in text or "name or service" in text:
        reason = "the server's name is not known"
    elif "timeout" in text or "timed out" in text:
        reason = "the server did not answer in time"
    elif "refused" not in text:
        reason = "the connection failed"
    return _error(
        Problem.UNREACHABLE,
        f"The database server {server} cannot be reached ({reason}).",
        "Check that the server is running and this computer's network connection, or ask "
        "whoever runs the server.",
    )


def _os_problem(exc: OSError, where: str) -> DatabaseOpenError:
    detail = exc.strerror or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only(where, detail)
    if exc.errno == errno.ENOSPC:
        return _error(
            Problem.DISK_FULL,
            f"The disk holding the database {where} is full.",
            "Free some space on it and start again.",
        )
    return _error(
        Problem.UNKNOWN,
        f"The database {where} cannot be opened ({detail}).",
        CHECK_PATH + RESTORE[0].lower() + RESTORE[1:],
    )


def where(url: str | URL) -> str:
    """How a message names the database: the SQLite file's path, else the URL without its
    password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return describe_url(parsed)


def classify(exc: BaseException, url: str | URL) -> DatabaseOpenError | None:
    """The open failure ``exc`` means for the database at ``url``, or None when it is not a
    database or filesystem error (a bug, which keeps its traceback)."""
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    path = Path(parsed.database) if sqlite and parsed.database else None
    shown = where(url)
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    if isinstance(orig, sqlite3.Error):
        return _sqlite_problem(orig, shown, path)
    if isinstance(orig, OSError):
        return _os_problem(orig, shown)
    if isinstance(exc, DBAPIError) and not sqlite:
        return _server_problem(orig, url)
    return None


@contextmanager
def translate_open_errors(url: str | URL) -> Iterator[None]:
    """Turn a failure to open or read the database at ``url`` into a
    :class:`~clinic_app.domain.errors.DatabaseOpenError` (clinic errors pass unchanged)."""
    try:
        yield
    except ClinicError:
        raise
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        problem = classify(exc, url)
        if problem is None:
            raise
        # The error class only: a driver message is not for the log of a clinic.
        log.debug("cannot open the database: %s (%s)", problem.problem, type(exc).__name__)
        raise problem from None
