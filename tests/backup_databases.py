"""Databases with real commits for the backup tests (the usual fixtures roll everything back).

SQLite: a fresh file per test. PostgreSQL: a throw-away database per test beside the test
database (``<name>_bk_<suffix>``), dropped afterwards; it needs the CREATEDB right, which the
test role has (``.ci/run`` creates it with ``createdb``).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from clinic_app.services.container import AppServices, build_services
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import missing_service, pg_url

#: ``make(name)`` gives the URL of a new, migrated, empty database of this test's backend.
MakeDatabase = Callable[[str], str]


def _pg_admin() -> Engine:
    return create_engine(make_url(pg_url()), isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_databases(backend: str, tmp_path: Path, sqlite_template: Path) -> Iterator[MakeDatabase]:
    """Fresh migrated databases with real commits, on the test's backend (a test module's
    ``databases`` fixture wraps this)."""
    made: list[str] = []
    engines: list[Engine] = []

    def make(name: str) -> str:
        if backend == "sqlite":
            path = tmp_path / f"{name}.sqlite3"
            shutil.copyfile(sqlite_template, path)
            return sqlite_url(path)
        database = f"{make_url(pg_url()).database}_bk_{name}_{uuid.uuid4().hex[:6]}"
        admin = _pg_admin()
        engines.append(admin)
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
        except OperationalError as exc:
            missing_service(f"PostgreSQL at {pg_url()} is unreachable: {exc.orig}")
        except DBAPIError as exc:
            pytest.skip(f"the test role may not create databases: {exc.orig}")
        made.append(database)
        url = make_url(pg_url()).set(database=database).render_as_string(hide_password=False)
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return url

    yield make
    for database in made:
        with engines[0].connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for engine in engines:
        engine.dispose()


def services_on(url: str) -> tuple[AppServices, Engine]:
    """The app's services on ``url`` (and the engine, to dispose)."""
    engine = make_engine(url)
    services = build_services(make_sessionmaker(engine), url, is_sqlite=url.startswith("sqlite"))
    return services, engine
