"""Two administrators deactivate each other at the same moment, on two real connections.

The rule "the last active administrator cannot be deactivated" is checked inside each
transaction; only the locks (PostgreSQL ``FOR UPDATE``, SQLite's one writer) keep two
transactions that both saw two administrators from both succeeding. Each thread has its own
services, actor and sessions, on a database whose rows are really committed (not the
savepoint-wrapped one of the other service tests).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ClinicError, ConflictError, StorageError
from clinic_app.models import User
from clinic_app.services.container import AppServices, build_services
from clinic_app.services.dto import UserView
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import BACKENDS, all_tables
from tests.factories import add_user, set_up_clinic, sign_in_as

ROUNDS = 4


@pytest.fixture(params=BACKENDS)
def committed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A session factory whose transactions really commit, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "race.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(sqlite_url(path))
        yield make_sessionmaker(engine)
        engine.dispose()
        return
    pg: Engine = request.getfixturevalue("pg_engine")
    yield make_sessionmaker(pg)
    with pg.begin() as conn:
        tables = ", ".join(f'"{name}"' for name in all_tables())
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def workstation(sessions: sessionmaker[Session], is_sqlite: bool) -> AppServices:
    return build_services(sessions, "race", is_sqlite=is_sqlite)


def active_admins(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        users = session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
        return [u.id for u in users if Role.ADMIN in u.roles]


def version_of(sessions: sessionmaker[Session], user_id: int) -> int:
    """The account's version now (what each desk's Users window listed)."""
    with sessions() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.version


def test_two_admins_deactivating_each_other_leave_one_active(
    committed: sessionmaker[Session],
) -> None:
    is_sqlite = committed.kw["bind"].dialect.name == "sqlite"
    setup = workstation(committed, is_sqlite)
    first = set_up_clinic(setup, username="ana")
    second = add_user(setup, "ben", "Ben Admin", Role.ADMIN)
    desks = [workstation(committed, is_sqlite) for _ in range(2)]
    sign_in_as(desks[0], first)
    sign_in_as(desks[1], second)
    targets = [second.id, first.id]  # each removes the other
    for _round in range(ROUNDS):
        assert active_admins(committed) == [first.id, second.id]
        barrier = threading.Barrier(2, timeout=30)
        outcomes: list[object] = [None, None]
        versions = [version_of(committed, target) for target in targets]

        def deactivate(
            index: int,
            barrier: threading.Barrier = barrier,
            outcomes: list[object] = outcomes,
            versions: list[int] = versions,
        ) -> None:
            barrier.wait()
            try:
                outcomes[index] = desks[index].users.deactivate(
                    targets[index], expected_version=versions[index]
                )
            except ClinicError as exc:
                outcomes[index] = exc

        threads = [threading.Thread(target=deactivate, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)

        refused = [o for o in outcomes if isinstance(o, ClinicError)]
        assert len(refused) == 1, outcomes
        # PostgreSQL waits on the locked rows, then sees one administrator left; SQLite may
        # instead refuse the second writer whose snapshot is stale ("busy"; try again).
        loser = refused[0]
        if isinstance(loser, ConflictError):
            assert "last active administrator" in str(loser)
        else:
            assert is_sqlite
            assert isinstance(loser, StorageError)
            assert "busy" in str(loser)
        winner = 1 if outcomes[0] is loser else 0
        # Exactly the winner's account is still an active administrator; it brings the
        # other back for the next round.
        assert active_admins(committed) == [[first.id, second.id][winner]]
        won = outcomes[winner]
        assert isinstance(won, UserView)
        desks[winner].users.reactivate(targets[winner], expected_version=won.version)
    assert setup.audit.verify().ok
