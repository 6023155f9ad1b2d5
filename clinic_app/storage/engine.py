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
SQLITE_PRAGMAS: dict[str, str | int] = {
    "foreign_keys": "ON",
    "journal_mode": "WAL",
    "synchronous": "FULL",
    "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
}
#: What each pragma reads back as once set.
SQLITE_EXPECTED: dict[str, str | int] = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,
    "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
}


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}={value}")
    finally:
        cursor.close()


def read_sqlite_pragmas(dbapi_connection: Any) -> dict[str, str | int]:
    """The current values of the pragmas this app relies on."""
    cursor = dbapi_connection.cursor()
    try:
        values: dict[str, str | int] = {}
        for name in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {name}")
            values[name] = cursor.fetchone()[0]
        return values
    finally:
        cursor.close()


def _check_sqlite_pragmas(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # Checked at every checkout from the pool: a connection that lost a pragma (or one
    # made outside our connect hook) would silently drop foreign keys or durability.
    values = read_sqlite_pragmas(dbapi_connection)
    if values != SQLITE_EXPECTED:
        _apply_sqlite_pragmas(dbapi_connection, _record)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for ``url``: SQLite with safe pragmas, or PostgreSQL via psycopg 3."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo,
                               connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _apply_sqlite_pragmas)
        event.listen(engine, "checkout", _check_sqlite_pragmas)
        return engine
    return create_engine(parsed, echo=echo, pool_pre_ping=True,
                         connect_args={"connect_timeout": 10})


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so services can build DTOs from them."""
    return sessionmaker(bind=engine, expire_on_commit=False)
