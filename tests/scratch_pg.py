"""A throw-away PostgreSQL schema for tests that need real commits from several connections.

The ``db`` fixture wraps a PostgreSQL test in one outer transaction, which suits single-
connection tests; a race between two workstations or a migration up and down needs its own
committed schema. This makes one (``search_path`` points every connection at it), and drops it
afterwards, so the shared test database is left as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import Engine

from clinic_app.storage.engine import make_engine
from tests.conftest import pg_url


@contextmanager
def scratch_schema(pg_engine: Engine) -> Iterator[str]:
    """The URL of a new, empty schema in the test database (dropped on exit)."""
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in pg_url() else "?"
    url = f"{pg_url()}{separator}options={quote(f'-csearch_path={name}')}"
    try:
        yield url
    finally:
        with pg_engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")


def engine_in(url: str) -> Engine:
    """An engine on the scratch schema, made as the app makes its engines."""
    return make_engine(url)
