"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL.

PostgreSQL runs when ``CLINIC_APP_TEST_PG_URL`` (or the default local URL) answers. With
``CI=true`` an unreachable server fails the run instead of skipping, so CI can never go
green without having exercised PostgreSQL; the CUPS, poppler and qpdf tests do the same
through the one helper in ``tests/system_services.py``. The run ends with how many tests
were skipped and how to enable them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clinic_app.domain import clock
from clinic_app.models import Base
from clinic_app.services.container import AppServices, build_services
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.system_services import (
    POSTGRESQL,
    in_ci,
    missing_service,
    skip_summary,
    system_tool,
)

__all__ = ["in_ci", "missing_service", "system_tool"]  # the helpers tests import from here

DEFAULT_PG_URL = "postgresql+psycopg://clinic:clinic@127.0.0.1:5432/clinic_test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "service_behaviour: a UI test about what the services do; runs on every backend "
        "(other UI tests run on SQLite only, see tests/ui/conftest.py)",
    )


def pg_url() -> str:
    return os.environ.get("CLINIC_APP_TEST_PG_URL", DEFAULT_PG_URL)


@pytest.fixture(autouse=True)
def set_now() -> Iterator[Callable[[datetime], None]]:
    """``set_now(moment)`` stops the app's clock at ``moment`` (aware) for this test.

    Every test ends with the computer's clock again, whether it set one or not.
    """
    yield lambda moment: clock.set_clock(clock.fixed_clock(moment))
    clock.set_clock(None)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real per-user data folder or the developer's database."""
    monkeypatch.setenv("CLINIC_APP_DATA_DIR", str(tmp_path / "appdata"))
    monkeypatch.delenv("CLINIC_APP_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CLINIC_APP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("CLINIC_APP_KEYRING", "off")  # never the developer's real keyring


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once per run; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _first_line(exc: BaseException | None) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """The PostgreSQL test database, emptied and migrated once per run."""
    engine = make_engine(pg_url())
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except OperationalError as exc:
        engine.dispose()
        where = make_url(pg_url()).render_as_string(hide_password=True)
        missing_service(
            f"the server at {where} is unreachable ({_first_line(exc.orig)})",
            service=POSTGRESQL,
        )
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh, migrated database of the parametrised backend."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template, path)
        engine = make_engine(sqlite_url(path))
        yield make_sessionmaker(engine)
        engine.dispose()
        return
    engine = request.getfixturevalue("pg_engine")
    # Every service transaction becomes a savepoint inside one outer transaction that is
    # rolled back afterwards (SQLAlchemy orm/session_transaction.rst).
    conn = engine.connect()
    outer = conn.begin()
    yield sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
    outer.rollback()
    conn.close()


#: What the ``services`` fixture gives: the app's own set of services (see its composition).
Services = AppServices


@pytest.fixture
def services(db: sessionmaker[Session], backend: str) -> AppServices:
    """The services the app builds, on this test's fresh database (nothing set up yet)."""
    return build_services(db, f"test {backend} db", is_sqlite=backend == "sqlite")


def all_tables() -> list[str]:
    return sorted(Base.metadata.tables)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """End the run with how many tests were skipped, per service, and how to run them."""
    reasons = [
        report.longrepr[2]
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    ]
    lines = skip_summary(reasons)
    if lines:
        terminalreporter.section("skipped tests", sep="-")
        for line in lines:
            terminalreporter.write_line(line)
