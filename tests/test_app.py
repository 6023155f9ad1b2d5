"""The composition root, without a window: reference data, migrations, services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app import app
from clinic_app.domain import catalog
from clinic_app.domain.catalog import CatalogError
from clinic_app.storage.location import sqlite_url
from tests.conftest import pg_url


@pytest.fixture
def broken_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    good = catalog.default_catalog_path().read_text(encoding="utf-8")
    # Drop the Spanish lay name of the first muscle.
    first = good.index("lay_name.es")
    broken = good[:first] + "# " + good[first:]
    path = tmp_path / "muscles.toml"
    path.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(catalog, "default_catalog_path", lambda: path)
    catalog.default_catalog.cache_clear()
    yield path
    catalog.default_catalog.cache_clear()


def test_a_broken_catalog_stops_startup_naming_file_and_entry(
    broken_catalog: Path, tmp_path: Path
) -> None:
    db = tmp_path / "clinic.sqlite3"
    with pytest.raises(CatalogError) as err:
        app.open_services(sqlite_url(db))
    message = str(err.value)
    assert "muscles.toml" in message
    assert "temporalis" in message or "muscle #1" in message
    assert "lay_name.es is missing" in message
    assert not db.exists()  # nothing was created before the check


def test_open_services_creates_and_upgrades_the_default_database(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "clinic.sqlite3"
    services = app.open_services(sqlite_url(db))
    assert db.exists()
    assert services.is_sqlite
    assert services.clinic.needs_setup()
    assert services.clinic.is_empty()
    services.close()


@pytest.mark.postgres
def test_open_services_on_postgresql(pg_engine: object) -> None:
    services = app.open_services(pg_url())
    assert not services.is_sqlite
    assert "clinic:***@" in services.database_label
    assert isinstance(services.clinic.needs_setup(), bool)
    services.close()
