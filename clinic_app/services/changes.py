"""What other workstations changed: announced by every transaction, heard by the open screens.

Every service transaction announces the kinds of record it wrote (:class:`Topic`) in the same
transaction (:func:`track_changes`, one hook on the session factory, so no service can forget
it); the screens listen through a :class:`ChangeFeed` and reload what they show. Only topic
names travel, never ids or patient data, so listening needs no permission: a screen still
reads the rows through the permission-checked services.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.storage import changes as storage_changes

log = logging.getLogger(__name__)


class Topic(StrEnum):
    """A kind of record a screen may show."""

    PATIENTS = "patients"
    ENCOUNTERS = "encounters"
    PRINTS = "prints"
    USERS = "users"
    CLINIC = "clinic"
    LOTS = "lots"


ALL_TOPICS: Final = frozenset(Topic)
_TOPIC_NAMES: Final = frozenset(t.value for t in Topic)

#: Which topic a write to each table announces. Tables not listed (the audit trail, sign-in
#: counters, emergency-access grants, the formulary) change nothing a list shows.
TABLE_TOPICS: Final[dict[str, Topic]] = {
    "patient": Topic.PATIENTS,
    "encounter": Topic.ENCOUNTERS,
    "encounter_addendum": Topic.ENCOUNTERS,
    "injection_site": Topic.ENCOUNTERS,
    "site_dose": Topic.ENCOUNTERS,
    "handout_print": Topic.PRINTS,
    "app_user": Topic.USERS,
    "user_role": Topic.USERS,
    "clinic_profile": Topic.CLINIC,
    "medication_lot": Topic.LOTS,
    "lot_adjustment": Topic.LOTS,
    "measure_response": Topic.ENCOUNTERS,
}

_PENDING = "clinic_app.changed_topics"


def topics_of(tables: set[str]) -> frozenset[Topic]:
    """The topics that writes to ``tables`` announce."""
    return frozenset(TABLE_TOPICS[t] for t in tables if t in TABLE_TOPICS)


def _tables(objects: Any) -> set[str]:
    found = set()
    for obj in objects:
        table = getattr(obj, "__tablename__", None)
        if isinstance(table, str):
            found.add(table)
    return found


def _after_flush(session: Session, _context: Any) -> None:
    written = _tables(session.new) | _tables(session.deleted)
    written |= _tables(o for o in session.dirty if session.is_modified(o))
    topics = topics_of(written)
    if topics:
        session.info.setdefault(_PENDING, set()).update(topics)


def _before_commit(session: Session) -> None:
    session.flush()  # what the commit would flush, so that its topics are known too
    topics = session.info.pop(_PENDING, None)
    if topics:
        storage_changes.notify(session.connection(), topics)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def track_changes(sessions: sessionmaker[Session]) -> None:
    """Make every transaction of ``sessions`` announce its topics when it commits (once per
    factory, however often it is called)."""
    if event.contains(sessions, "after_flush", _after_flush):
        return
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_rollback", _forget)


class TopicWatcher:
    """A storage watcher whose answers are :class:`Topic` values (see
    :class:`clinic_app.storage.changes.ChangeWatcher` for how to drive it)."""

    def __init__(self, watcher: storage_changes.ChangeWatcher | None) -> None:
        self._watcher = watcher

    def connect(self) -> None:
        if self._watcher is not None:
            self._watcher.connect()

    def wait(self, timeout: float) -> frozenset[Topic]:
        """Up to ``timeout`` seconds for a commit elsewhere; the topics it changed."""
        if self._watcher is None:
            # No database to watch (a test double): just time passing.
            return frozenset()
        seen = self._watcher.wait(timeout)
        if storage_changes.EVERYTHING in seen:
            return ALL_TOPICS
        return frozenset(Topic(t) for t in seen if t in _TOPIC_NAMES)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()


class ChangeFeed:
    """Where a workstation hears what others committed.

    Attributes:
        poll_interval: how often a watcher is asked (seconds); on SQLite also how often it
            reads the file's change counter.
    """

    poll_interval = storage_changes.SQLITE_POLL_S

    def __init__(self, sessions: sessionmaker[Session] | None) -> None:
        bind = sessions.kw.get("bind") if sessions is not None else None
        self._engine: Engine | None = None
        if isinstance(bind, Engine):
            self._engine = bind
        elif isinstance(bind, Connection):
            self._engine = bind.engine

    def watcher(self) -> TopicWatcher:
        """A new watcher with a connection of its own (opened by its :meth:`connect`)."""
        if self._engine is None:
            return TopicWatcher(None)
        return TopicWatcher(storage_changes.open_watcher(self._engine))
