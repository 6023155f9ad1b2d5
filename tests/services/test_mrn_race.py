"""Issue 11 §2: two desks registering "racexx" and "RACEXX" at the same instant store one.

Each round two workstations (their own services and connections, as two computers would
have) wait at a barrier and register the same MRN in different case at once. The database's
unique key on the normalised MRN decides: exactly one patient is stored, and the other desk
is told the MRN is taken, never a database error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clinic_app.domain.errors import ClinicError, ConflictError
from clinic_app.models import Patient
from clinic_app.services.container import AppServices, build_services
from clinic_app.services.dto import PatientInput
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.factories import set_up_clinic, sign_in_as
from tests.scratch_pg import scratch_schema

ROUNDS = 20


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database both desks commit to for real."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "race.sqlite3")
        return
    with scratch_schema(request.getfixturevalue("pg_engine")) as url:
        yield url


def _desk(url: str) -> AppServices:
    engine = make_engine(url)
    return build_services(
        make_sessionmaker(engine), "race", is_sqlite=url.startswith("sqlite"), close=engine.dispose
    )


def test_two_desks_registering_one_mrn_in_two_cases_store_one_patient(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    first = _desk(database_url)
    admin = set_up_clinic(first)
    second = _desk(database_url)
    sign_in_as(second, admin)
    desks = (first, second)
    problems: list[str] = []
    for round_number in range(ROUNDS):
        mrn = f"race{round_number:02d}xx"
        typed = (mrn, mrn.upper())
        barrier = threading.Barrier(2)
        outcome: list[object] = [None, None]

        def register(i: int, typed: tuple[str, str] = typed, barrier=barrier, out=outcome) -> None:
            data = PatientInput(typed[i], "Ana", f"Desk{i}", date(1980, 1, 1))
            barrier.wait()
            try:
                out[i] = desks[i].patients.create(data)
            except ClinicError as exc:
                out[i] = exc
            except Exception as exc:  # recorded: the assertion names it
                out[i] = exc

        threads = [threading.Thread(target=register, args=(i,)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        with engine.connect() as conn:
            stored = conn.scalar(
                select(func.count(Patient.id)).where(Patient.mrn_key == mrn.lower())
            )
        refused = [o for o in outcome if isinstance(o, Exception)]
        if stored != 1:
            problems.append(f"round {round_number}: {stored} patients stored")
        if len(refused) != 1:
            problems.append(f"round {round_number}: outcomes {outcome!r}")
            continue
        loser = refused[0]
        if not isinstance(loser, ConflictError) or "already belongs to another patient" not in str(
            loser
        ):
            problems.append(f"round {round_number}: the loser got {type(loser).__name__}: {loser}")
        elif loser.field != "mrn":
            problems.append(f"round {round_number}: the message is not on the MRN field")
    for desk in desks:
        desk.close()
    engine.dispose()
    assert problems == []
