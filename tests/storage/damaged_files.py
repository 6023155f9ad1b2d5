"""Real files that are not (or no longer) a usable clinic_app database, for the opening tests.

Each maker writes a file in a folder and returns its path; the expected
``DatabaseOpenError.problem`` is beside it in :data:`BROKEN`.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

from clinic_app.storage.location import sqlite_url

#: A revision no version of clinic_app has (yet): what a newer version would stamp.
FUTURE_REVISION = "ffff9999"


def garbage(folder: Path, template: Path) -> Path:
    path = folder / "garbage.sqlite3"
    path.write_bytes(os.urandom(8192))
    return path


def text_file(folder: Path, template: Path) -> Path:
    path = folder / "notes.sqlite3"
    path.write_text("Patient list, typed by hand\nLopez, Maria\n", encoding="utf-8")
    return path


def truncated(folder: Path, template: Path) -> Path:
    """A real, migrated database that lost its second half (a copy cut short)."""
    path = folder / "cut.sqlite3"
    content = template.read_bytes()
    assert len(content) > 8192
    path.write_bytes(content[: len(content) // 2])
    return path


def header_only(folder: Path, template: Path) -> Path:
    """A real database's first 60 bytes: shorter than SQLite's header."""
    path = folder / "stub.sqlite3"
    path.write_bytes(template.read_bytes()[:60])
    return path


def scribbled(folder: Path, template: Path) -> Path:
    """A real database whose schema page was overwritten (header intact, size right)."""
    path = folder / "scribbled.sqlite3"
    content = bytearray(template.read_bytes())
    content[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(content))
    return path


def folder_instead(folder: Path, template: Path) -> Path:
    path = folder / "clinic.sqlite3"
    path.mkdir()
    return path


def newer(folder: Path, template: Path) -> Path:
    """A database a newer version of the app migrated (an unknown revision stamped in)."""
    path = folder / "future.sqlite3"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
    finally:
        conn.close()
    return path


#: (maker, the problem it is classified as)
BROKEN: list[tuple[Callable[[Path, Path], Path], str]] = [
    (garbage, "not_a_database"),
    (text_file, "not_a_database"),
    (truncated, "damaged"),
    (header_only, "damaged"),
    (scribbled, "damaged"),
    (folder_instead, "not_a_database"),
    (newer, "newer_version"),
]


def closed_port_url() -> str:
    """A PostgreSQL URL on a local port nothing listens on (connection refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql+psycopg://clinic:secret-pw@127.0.0.1:{port}/clinic"


def url_of(path: Path) -> str:
    return sqlite_url(path)
