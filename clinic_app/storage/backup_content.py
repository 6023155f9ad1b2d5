"""What a backup holds, measured the same way on SQLite and PostgreSQL: row counts per table,
the audit chain's head and a SHA-256 over every row's content.

The digest reads each table of the app's schema (``clinic_app.models`` plus Alembic's
``alembic_version``) through SQLAlchemy's column types, ordered by primary key, and hashes a
canonical form of each value: datetimes in UTC, decimals normalised, JSON with sorted keys.
So a database and its backup give the same digest whatever backend each one is on, and a
single changed value anywhere changes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Column, Connection, MetaData, String, Table, func, select

from clinic_app.models import Base

#: Alembic's own table: its one row says which schema revision the rows belong to.
ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), primary_key=True),
)
#: How many rows are read or written per round trip.
BATCH = 1000

Progress = Callable[[int, int], None]


def _nothing(_done: int, _total: int) -> None:
    return None


def app_tables() -> list[Table]:
    """Every table a backup copies, parents before children (foreign keys hold on insert)."""
    return [*Base.metadata.sorted_tables, ALEMBIC_VERSION]


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest audit row (id and seal) and the chain head's count of sealed entries."""

    latest_id: int | None
    latest_hmac: str | None
    sealed_entries: int

    def as_json(self) -> dict[str, Any]:
        return {
            "latest_id": self.latest_id,
            "latest_hmac": self.latest_hmac,
            "sealed_entries": self.sealed_entries,
        }


@dataclass(frozen=True, slots=True)
class Content:
    """A database's rows, summarised.

    Attributes:
        counts: rows per table name.
        sha256: hex digest over every row of every table in :func:`app_tables` order.
        audit: the audit trail's head.
    """

    counts: dict[str, int]
    sha256: str
    audit: AuditHead

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows per table of the app's schema."""
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in app_tables()
    }


def audit_head(conn: Connection) -> AuditHead:
    """The latest audit row and the chain head, read in ``conn``'s transaction."""
    events = Base.metadata.tables["audit_event"]
    head = Base.metadata.tables["audit_chain_head"]
    latest = conn.execute(
        select(events.c.id, events.c.hmac).order_by(events.c.id.desc()).limit(1)
    ).first()
    seq = conn.execute(select(head.c.seq).where(head.c.id == 1)).scalar()
    return AuditHead(latest[0] if latest else None, latest[1] if latest else None, int(seq or 0))


def ordered_rows(conn: Connection, table: Table) -> Iterable[Any]:
    """Every row of ``table`` by primary key, fetched in batches."""
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    yield from result


def canonical(value: Any) -> Any:
    """A value in the form the digest hashes, equal for equal data on either backend."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return "D" + format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return "B" + bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def measure(conn: Connection, progress: Progress = _nothing) -> Content:
    """Count, hash and read the audit head of the database behind ``conn`` (one snapshot:
    call it inside a transaction that sees a consistent state)."""
    counts = count_rows(conn)
    total = sum(counts.values())
    digest = hashlib.sha256()
    done = 0
    for table in app_tables():
        digest.update(f"\x1etable {table.name}\x1e".encode())
        for row in ordered_rows(conn, table):
            line = json.dumps([canonical(v) for v in row], ensure_ascii=False, default=str)
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
            done += 1
            if done % BATCH == 0:
                progress(done, total)
    progress(total, total)
    return Content(counts, digest.hexdigest(), audit_head(conn))


def file_digest(
    conn: sqlite3.Connection, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, int], str]:
    """Rows per table and a SHA-256 over the stored values of every table of an SQLite
    file (by name, rows by rowid), whatever its schema revision: a backup's own checksum."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        if name not in skip
    ]
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        digest.update(f"\x1etable {name}\x1e".encode())
        count = 0
        for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid"):
            values = [("B", v.hex()) if isinstance(v, bytes) else v for v in row]
            digest.update(repr(values).encode("utf-8") + b"\n")
            count += 1
        counts[name] = count
    return counts, digest.hexdigest()
