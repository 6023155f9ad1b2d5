"""PostgreSQL stopped mid-session: every call is refused with the "cannot be reached" message,
nothing confirmed is lost, and once the server is back the same services work again without
restarting the app.

The server is a throw-away cluster this test starts on its own port (never the shared test
server). It is stopped the hard way (``pg_ctl stop -m immediate``: no checkpoint, crash
recovery at the next start) and, in the long run, also the administrator's way (``fast``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.app import open_services
from clinic_app.domain.errors import StorageError
from tests.reliability.conftest import long_run, random_seed, reading
from tests.reliability.pg_cluster import ThrowAwayCluster
from tests.reliability.workload import (
    UNREACHABLE_TEXT,
    Charting,
    Ledger,
    losses,
    prepare_clinic,
)

pytestmark = pytest.mark.postgres

#: Outages per run; each one ends with the server started again.
OUTAGES = 6 if long_run() else 1
#: Writes before each outage, and attempted during it.
WRITES_UP = 60 if long_run() else 20
WRITES_DOWN = 10 if long_run() else 4


@pytest.fixture
def cluster() -> Iterator[ThrowAwayCluster]:
    server = ThrowAwayCluster()
    yield server
    server.remove()


def test_postgresql_stopped_mid_session_then_back(
    cluster: ThrowAwayCluster, audit_key: Path, figures: dict[str, object]
) -> None:
    seed = random_seed()
    services = open_services(cluster.url)  # as the app starts: migrate, then the services
    try:
        facts = prepare_clinic(services)
        ledger = Ledger()
        charting = Charting(services, facts, "P", seed, ledger.add)
        refused = refused_signs = 0
        down_seconds = 0.0
        for outage in range(OUTAGES):
            for _ in range(WRITES_UP):
                charting.step()
            assert ledger.refused == [], f"refused while the server was up: {ledger.refused}"
            cluster.stop("immediate" if outage % 2 == 0 else "fast")
            started = time.monotonic()
            for _ in range(WRITES_DOWN):
                charting.step()
            with pytest.raises(StorageError) as read_refused:
                services.patients.search("Rel")
            down_seconds = max(down_seconds, (time.monotonic() - started) / (WRITES_DOWN + 1))
            assert str(read_refused.value) == UNREACHABLE_TEXT
            assert ledger.refused == [UNREACHABLE_TEXT] * WRITES_DOWN
            refused += len(ledger.refused)
            refused_signs += ledger.refused_signs
            ledger.refused_signs = 0
            ledger.refused.clear()
            cluster.start()
        for _ in range(WRITES_UP):  # the same services, the app never restarted
            charting.step()
        assert ledger.refused == []
        chain = services.audit.verify()
    finally:
        services.close()
    with reading(cluster.url) as sessions:
        verdict = losses(sessions, ledger)
    figures.update(
        seed=seed,
        outages=OUTAGES,
        confirmed=ledger.confirmed,
        refused_unreachable=refused,
        lost=len(verdict.lost),
        slowest_refusal_s=round(down_seconds, 2),
    )
    assert verdict.lost == [], "; ".join(verdict.lost[:10])
    assert verdict.newer <= refused_signs
    assert chain.ok, chain.message
