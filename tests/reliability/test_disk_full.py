"""A full disk: every write is refused with the app's full-disk message, nothing confirmed is
lost, and the same services write again once there is room.

The disk is filled with SQLite's ``PRAGMA max_page_count`` on every connection of a second
set of services (the "workstation" whose disk fills up): SQLite then fails exactly as on a
full filesystem (``SQLITE_FULL``, "database or disk is full"). A real small filesystem would
need root to mount; the code path in the app is the same error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from clinic_app.services.audit_chain import installation_seal
from clinic_app.services.container import build_services
from clinic_app.storage.engine import make_engine, make_sessionmaker
from tests.reliability.conftest import Clinic, long_run, random_seed, reading
from tests.reliability.workload import (
    FULL_TEXT,
    Charting,
    Ledger,
    losses,
    sign_in,
    sqlite_checks,
)

#: Writes attempted while the disk is full.
WRITES_WHEN_FULL = 400 if long_run() else 60
#: Room left on the "disk" when it starts filling (SQLite pages of 4 KiB).
ROOM_PAGES = 6


class Disk:
    """The room an SQLite connection may use, changed while connections are open."""

    def __init__(self, pages: int) -> None:
        self.pages = pages

    def limit(self, dbapi_connection: Any, *_args: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {self.pages}")


def test_full_disk_is_refused_clearly_and_loses_nothing(
    sqlite_clinic: Clinic, figures: dict[str, object]
) -> None:
    clinic = sqlite_clinic
    seed = random_seed()
    ledger = Ledger()
    before = Charting(clinic.services, clinic.facts, "B", seed, ledger.add)
    for _ in range(40):
        before.step()
    assert ledger.refused == []
    confirmed_before = ledger.confirmed

    with reading(clinic.url) as sessions, sessions() as session:
        pages = int(session.connection().exec_driver_sql("PRAGMA page_count").scalar_one())
    disk = Disk(pages + ROOM_PAGES)
    engine = make_engine(clinic.url)
    event.listen(engine, "connect", disk.limit)
    event.listen(engine, "checkout", disk.limit)
    full = build_services(
        make_sessionmaker(engine), "full disk", is_sqlite=True, seal=installation_seal()
    )
    try:
        sign_in(full)
        during = Charting(full, clinic.facts, "F", seed + 1, ledger.add)
        for _ in range(WRITES_WHEN_FULL):
            during.step()
        refused = list(ledger.refused)
        refused_signs = ledger.refused_signs
        # The disk is "cleaned up": the same services, without a restart, save again.
        disk.pages = 1_000_000
        ledger.refused.clear()
        for _ in range(10):
            during.step()
        recovered = ledger.refused == []
    finally:
        engine.dispose()

    with reading(clinic.url) as sessions:
        verdict = losses(sessions, ledger)
    chain = clinic.services.audit.verify()
    figures.update(
        seed=seed,
        confirmed_before_full=confirmed_before,
        writes_when_full=WRITES_WHEN_FULL,
        refused_full=len(refused),
        confirmed_total=ledger.confirmed,
        lost=len(verdict.lost),
    )
    assert refused, "the disk never filled up"
    assert set(refused) == {FULL_TEXT}
    # Once full it stays full: after the first refusal almost nothing fits any more.
    assert len(refused) >= WRITES_WHEN_FULL // 4
    assert recovered
    assert verdict.lost == [], "; ".join(verdict.lost[:10])
    assert verdict.newer <= refused_signs
    assert chain.ok, chain.message
    assert sqlite_checks(clinic.path) == ("ok", [])  # type: ignore[arg-type]
