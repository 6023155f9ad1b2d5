"""The engine factory: the only place that creates SQLAlchemy engines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.storage.location import sqlite_path

#: How long a writer waits for another workstation's lock before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 5000


# WAL lets the front desk read while a provider writes; synchronous=FULL makes a
# committed note survive a power cut; foreign keys are off in SQLite unless asked for.
def sqlite_pragmas(busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> dict[str, str | int]:
    """The pragmas set on every SQLite connection."""
    return {
        "foreign_keys": "ON",
        "journal_mode": "WAL",
        "synchronous": "FULL",
        "busy_timeout": busy_timeout_ms,
    }


def expected_sqlite_pragmas(busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> dict[str, str | int]:
    """What each pragma reads back as once set."""
    return {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": busy_timeout_ms,
    }


SQLITE_EXPECTED = expected_sqlite_pragmas()


def read_sqlite_pragmas(dbapi_connection: Any) -> dict[str, str | int]:
    """The current values of the pragmas this app relies on."""
    cursor = dbapi_connection.cursor()
    try:
        values: dict[str, str | int] = {}
        for name in sqlite_pragmas():
            cursor.execute(f"PRAGMA {name}")
            values[name] = cursor.fetchone()[0]
        return values
    finally:
        cursor.close()


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    pragmas = sqlite_pragmas(busy_timeout_ms)
    expected = expected_sqlite_pragmas(busy_timeout_ms)

    def apply(dbapi_connection: Any, _record: Any = None) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for name, value in pragmas.items():
                cursor.execute(f"PRAGMA {name}={value}")
        finally:
            cursor.close()

    def check(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # Checked at every checkout from the pool: a connection that lost a pragma would
        # silently drop foreign keys or durability.
        if read_sqlite_pragmas(dbapi_connection) != expected:
            apply(dbapi_connection)

    event.listen(engine, "connect", apply)
    event.listen(engine, "checkout", check)


def make_engine(
    url: str, *, echo: bool = False, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> Engine:
    """Create the engine for ``url``: SQLite with safe pragmas, or PostgreSQL via psycopg 3.

    Args:
        url: an SQLAlchemy URL (see :func:`clinic_app.storage.location.resolve_database_url`).
        echo: log SQL (development only: statements can hold patient data).
        busy_timeout_ms: how long an SQLite writer waits for another's lock.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None and not parsed.query.get("uri"):
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": busy_timeout_ms / 1000},
        )
        _install_sqlite_pragmas(engine, busy_timeout_ms)
        return engine
    # hide_parameters: statement parameters hold patient data; keep them out of every
    # exception text and log line.
    return create_engine(
        parsed,
        echo=echo,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10},
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so services can build DTOs from them.

    On SQLite each session's transaction starts with ``BEGIN IMMEDIATE`` (see
    :func:`_sqlite_begin_immediate`).
    """
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    if engine.dialect.name == "sqlite":
        event.listen(sessions, "after_begin", _sqlite_begin_immediate)
    return sessions


def _sqlite_begin_immediate(_session: Session, _transaction: Any, connection: Any) -> None:
    # Python's sqlite3 module opens a transaction only at the first INSERT/UPDATE/DELETE, so
    # what a service read before writing (the version it checks, the audit chain head it
    # extends) was read outside its transaction: two writers could both extend the same head
    # and the second was refused as "That would duplicate or break a link to another record"
    # (tests/reliability/test_concurrent_writers.py). BEGIN IMMEDIATE takes the write lock
    # first, waiting up to the busy timeout, so each call reads and writes one consistent
    # state and writers queue instead of failing. Readers outside services are not blocked
    # (WAL).
    connection.exec_driver_sql("BEGIN IMMEDIATE")
