"""Storage test fixtures shared by the migration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url
from tests.scratch_pg import scratch_schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each backend that a migration test may migrate up and down."""
    if request.param == "sqlite":
        engine = make_engine(sqlite_url(tmp_path / "m.sqlite3"))
        yield engine
        engine.dispose()
        return
    with scratch_schema(request.getfixturevalue("pg_engine")) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()
