"""A database damaged below the services (pages overwritten after it was opened): the
services say so in words, never with a driver error."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.errors import StorageError
from clinic_app.services.container import build_services
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url


def test_a_damaged_table_is_reported_as_a_damaged_file(
    sqlite_template: Path, tmp_path: Path
) -> None:
    content = bytearray(sqlite_template.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    content[page_size:] = b"\xff" * (len(content) - page_size)  # every page but the schema's
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(bytes(content))
    engine = make_engine(sqlite_url(path))
    try:
        services = build_services(make_sessionmaker(engine), "damaged", is_sqlite=True)
        with pytest.raises(StorageError) as err:
            services.clinic.needs_setup()
    finally:
        engine.dispose()
    assert str(err.value) == (
        "The database file is damaged. Nothing was saved; restore the clinic's latest backup."
    )
