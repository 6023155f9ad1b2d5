"""On SQLite a service's transaction holds the database from its first read to its commit.

Python's sqlite3 module would open the transaction only at the first write, so what a
service read first (a record's version, the audit chain's head) could be outdated by another
workstation's commit before it wrote; the 4-writer reliability test caught two writers
extending the same audit-chain head. Each session therefore starts with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url


def test_a_session_holds_the_database_from_its_first_read(tmp_path: Path) -> None:
    path = tmp_path / "tx.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    other = sqlite3.connect(path, timeout=0.05)
    try:
        with sessions.begin() as session:
            session.execute(text("SELECT count(*) FROM patient")).scalar_one()
            # Another workstation cannot commit between this read and this session's write.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE audit_chain_head SET seq = seq WHERE 0")
            other.rollback()
        # Once the session ends, the other writer proceeds.
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
        # Reading and ending a session without a write leaves nothing held either.
        with sessions() as session:
            session.execute(text("SELECT 1"))
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
    finally:
        other.close()
        engine.dispose()
