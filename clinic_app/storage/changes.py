"""Noticing commits made by other workstations: PostgreSQL LISTEN/NOTIFY, SQLite's data_version.

A writer announces what it changed with :func:`notify`, inside its own transaction: PostgreSQL
delivers a notification only when that transaction commits, and drops it on a rollback. A
:class:`ChangeWatcher` sits on a connection of its own (never one of the pool's) and answers
"what was committed since I last asked?"; it is meant to be driven by one thread, which calls
:meth:`ChangeWatcher.wait` in a loop (:mod:`clinic_app.ui.common.refresh` runs it off the GUI
thread).

- PostgreSQL: ``LISTEN`` on :data:`CHANNEL`; each notification's payload names a topic.
- SQLite has no notifications: ``PRAGMA data_version`` on the watcher's connection changes
  whenever another connection, in this process or another, commits to the file. It costs a
  few microseconds and holds no lock, so a poll every :data:`SQLITE_POLL_S` seconds is
  invisible. It cannot say what changed, so it reports :data:`EVERYTHING`.

Whenever the watcher may have missed something (it reconnected after an error), it reports
:data:`EVERYTHING` too, so a reader refreshes rather than shows stale rows.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, func, select

log = logging.getLogger(__name__)

#: The PostgreSQL channel every clinic_app workstation listens on.
CHANNEL = "clinic_app_changes"
#: A topic meaning "anything may have changed".
EVERYTHING = "*"
#: How often SQLite's data_version is read (seconds).
SQLITE_POLL_S = 0.5
#: How long a watcher waits before trying its connection again after an error (seconds).
RETRY_S = 2.0


def notify(connection: Connection, topics: Iterable[str]) -> None:
    """Announce ``topics`` to every listener once the current transaction commits.

    A no-op on SQLite, whose watchers notice commits on their own.
    """
    if connection.dialect.name != "postgresql":
        return
    for topic in sorted(set(topics)):
        # pg_notify takes the channel as a value (NOTIFY would need it spliced into the SQL);
        # PostgreSQL folds identical notifications of one transaction into one.
        connection.execute(select(func.pg_notify(CHANNEL, topic)))


class ChangeWatcher(Protocol):
    """Answers "what did other connections commit since the last call?".

    Use from one thread: :meth:`connect` first, then :meth:`wait` in a loop, :meth:`close`
    at the end.
    """

    def connect(self) -> None:
        """Open the watcher's own connection (or raise the driver's error)."""

    def wait(self, timeout: float) -> frozenset[str]:
        """Block up to ``timeout`` seconds for a commit; the topics seen (empty: none)."""

    def close(self) -> None:
        """Close the connection (the thread that used it calls this)."""

    def stop(self) -> None:
        """Make a running :meth:`wait` return soon (any thread may call this)."""


def open_watcher(engine: Engine) -> ChangeWatcher:
    """A watcher for the database of ``engine`` (not connected yet)."""
    if engine.dialect.name == "postgresql":
        return PostgresWatcher(engine)
    return SqliteWatcher(engine)


def _own_connection(engine: Engine) -> Any:
    """A driver connection made with the engine's settings (TLS, pragmas), taken out of its
    pool for good: a watcher keeps it open for hours."""
    proxy = engine.raw_connection()
    driver = proxy.driver_connection
    proxy.detach()  # closing it now closes the driver's connection, not a pool slot
    return driver


class _Watcher:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Any = None
        self._stopping = threading.Event()
        self._missed = False  # a reconnection: something may have been missed

    def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing a broken connection may fail; it is gone either way
                log.debug("change watcher: close failed", exc_info=True)

    def _lost(self, exc: Exception) -> frozenset[str]:
        """The connection failed: drop it, wait a little, report nothing yet."""
        log.warning("change watcher: connection lost (%s); retrying", type(exc).__name__)
        self.close()
        self._missed = True
        self._stopping.wait(RETRY_S)
        return frozenset()

    def _reconnect(self) -> bool:
        try:
            self.connect()
        except Exception as exc:
            self._lost(exc)
            return False
        return True

    def connect(self) -> None:  # pragma: no cover - defined by each backend
        raise NotImplementedError


class PostgresWatcher(_Watcher):
    """``LISTEN`` on its own autocommit connection; each payload is a topic."""

    def connect(self) -> None:
        conn = _own_connection(self._engine)
        try:
            conn.rollback()  # the pool's ping may have left a transaction open
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def wait(self, timeout: float) -> frozenset[str]:
        if self._conn is None and not self._reconnect():
            return frozenset()
        topics: set[str] = set()
        try:
            for note in self._conn.notifies(timeout=timeout, stop_after=1):
                topics.add(note.payload or EVERYTHING)
            # Whatever else has arrived meanwhile comes in the same answer.
            for note in self._conn.notifies(timeout=0.0):
                topics.add(note.payload or EVERYTHING)
        except Exception as exc:  # psycopg.OperationalError and kin: the server went away
            return self._lost(exc) | frozenset(topics)
        if self._missed:
            self._missed = False
            topics.add(EVERYTHING)
        return frozenset(topics)


class SqliteWatcher(_Watcher):
    """Polls ``PRAGMA data_version`` on its own connection."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._version: int | None = None

    def connect(self) -> None:
        conn = _own_connection(self._engine)
        try:
            self._version = self._read(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    @staticmethod
    def _read(conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> frozenset[str]:
        deadline = time.monotonic() + timeout
        while True:
            if self._conn is None and not self._reconnect():
                return frozenset()
            try:
                version = self._read(self._conn)
            except sqlite3.Error as exc:
                return self._lost(exc)
            if version != self._version or self._missed:
                self._version, self._missed = version, False
                return frozenset({EVERYTHING})
            left = deadline - time.monotonic()
            if left <= 0 or self._stopping.wait(min(SQLITE_POLL_S, left)):
                return frozenset()
