"""Concurrent writers: 4 processes charting at once into one database lose nothing.

Each writer registers its own patients and charts their visits (save after save, then sign)
as fast as it can, all four starting at the same instant. Every write either returns
(confirmed: it is then stored exactly as confirmed) or is refused with the "database is busy"
message (counted apart, never as confirmed); any other error, a traceback or a lost save fails
the test. SQLite serialises the writers behind its file lock (busy timeout 5 s); PostgreSQL
lets them run together and serialises only the audit chain's head.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from clinic_app.models import Encounter, Patient
from tests.reliability.conftest import Clinic, WriterFactory, long_run, random_seed, reading
from tests.reliability.workload import BUSY_TEXT, Ledger, losses, sqlite_checks

WRITERS = 4
#: Writes per writer: the long run's 300 matches the issue's probe.
WRITES = 300 if long_run() else 25


def test_concurrent_writers_lose_nothing(
    clinic: Clinic, writers: WriterFactory, figures: dict[str, object]
) -> None:
    seed = random_seed()
    procs = [
        writers(clinic, f"W{i}", seed + i, writes=WRITES, wait_go=True) for i in range(WRITERS)
    ]
    for writer in procs:
        writer.wait_ready()
    started = time.monotonic()
    for writer in procs:
        writer.go()
    codes = [writer.finish(timeout=600) for writer in procs]
    seconds = time.monotonic() - started
    for writer, code in zip(procs, codes, strict=True):
        assert code == 0, writer.errors()
        assert "Traceback" not in writer.errors(), writer.errors()
    ledger = Ledger()
    for writer in procs:
        writer.ledger(ledger)
        assert writer.lines[-1].startswith('{"event": "done"'), writer.lines[-3:]

    with reading(clinic.url) as sessions:
        verdict = losses(sessions, ledger)
        with sessions() as session:
            stored_patients = session.scalar(select(func.count(Patient.id)))
            stored_encounters = session.scalar(select(func.count(Encounter.id)))
    chain = clinic.services.audit.verify()
    figures.update(
        seed=seed,
        writers=WRITERS,
        writes_each=WRITES,
        confirmed=ledger.confirmed,
        refused_busy=len(ledger.refused),
        lost=len(verdict.lost),
        seconds=round(seconds, 1),
        writes_per_second=round(WRITERS * WRITES / seconds, 1),
    )
    assert verdict.lost == [], "; ".join(verdict.lost[:10])
    # Nobody was killed: every record is exactly as last confirmed, and nothing else exists.
    assert verdict.newer <= ledger.refused_signs  # a refused signature may have saved first
    assert (stored_patients, stored_encounters) == (len(ledger.patients), len(ledger.encounters))
    assert ledger.confirmed + len(ledger.refused) == WRITERS * WRITES
    assert all(message.startswith(BUSY_TEXT) for message in ledger.refused), ledger.refused
    assert chain.ok, chain.message
    if clinic.path is not None:
        assert sqlite_checks(clinic.path) == ("ok", [])
