"""A reproducible synthetic clinic at benchmark sizes, written with bulk inserts.

``build(url, size)`` makes an empty database the app's way (migrations, first-run set-up
through the services), then writes patients (names from the demo's pools in every script,
with their search tokens), past visits with sites and doses through SQLAlchemy Core
``executemany`` in large batches — 100,000 patients take a couple of minutes, not hours.
Everything is drawn from ``random.Random(seed)``: the same size and seed give the same rows.

Visits are written as past drafts with full content; benchmarks that need signed visits sign
their own through the services. None of this is demo data for a clinic: it is for timing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, inspect, select, text

from clinic_app.app import open_services
from clinic_app.domain.bodymap import Layer, default_bodymap
from clinic_app.domain.enums import (
    Aspiration,
    DoseUnit,
    EncounterStatus,
    Language,
    Role,
    Technique,
    TwitchResponse,
)
from clinic_app.domain.validation import mrn_key, search_key, search_tokens
from clinic_app.models import (
    ClinicProfile,
    Encounter,
    InjectionSite,
    Medication,
    Patient,
    PatientCount,
    PatientSearchToken,
    SiteDose,
)
from clinic_app.services.demo_names import POOLS
from clinic_app.services.dto import ClinicProfileData, NewUser
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url

#: patients per size name (``make bench SIZE=...``).
SIZES = {"small": 1_000, "medium": 10_000, "clinic": 100_000}
VISITS_PER_PATIENT = 10
SITES_PER_VISIT = (1, 6)  # uniform: 3.5 on average
BATCH = 20_000
ADMIN_PASSWORD = "synthetic clinic password"
EPOCH = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Built:
    patients: int
    encounters: int
    sites: int
    seconds: float
    admin_username: str = "bench"
    admin_password: str = ADMIN_PASSWORD


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _names(rng: random.Random) -> tuple[str, str, Language]:
    women, men, families, language = POOLS[rng.choice(sorted(POOLS))]
    given = rng.choice(women if rng.random() < 0.55 else men)
    family = rng.choice(families)
    if rng.random() < 0.08:  # a compound family name now and then ("García López")
        family = f"{family} {rng.choice(families)}"
    return given, family, language


def synthetic_name(patients: int, visits_per_patient: int) -> str:
    """The clinic profile's name, which tells what a database holds (``postgres_clinic``)."""
    return f"Synthetic clinic, {patients:,} patients x {visits_per_patient} visits"


def postgres_clinic(
    url: str,
    patients: int,
    visits_per_patient: int = VISITS_PER_PATIENT,
    *,
    rebuild: bool = True,
    progress: Callable[[str], None] = lambda _text: None,
) -> str:
    """Fill the PostgreSQL database at ``url`` with this synthetic clinic, its schema dropped
    first. With ``rebuild=False`` a database already holding this clinic (an earlier run's)
    is kept as it is: one database holds one size at a time."""
    engine = make_engine(url)
    try:
        if not rebuild and _holds(engine, patients, visits_per_patient):
            print(f"  kept the synthetic clinic of {patients:,} patients already there")
            return url
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    _report(build(url, patients, visits_per_patient=visits_per_patient, progress=progress))
    return url


def sqlite_clinic(
    path: Path,
    patients: int,
    visits_per_patient: int = VISITS_PER_PATIENT,
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] = lambda _text: None,
) -> Path:
    """The SQLite file at ``path`` holding this synthetic clinic, built (over whatever was
    there) when it is missing or ``rebuild`` is asked for; kept between runs otherwise."""
    if rebuild or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (
            path,
            path.with_name(f"{path.name}-wal"),
            path.with_name(f"{path.name}-shm"),
        ):
            leftover.unlink(missing_ok=True)
        url = sqlite_url(path)
        _report(build(url, patients, visits_per_patient=visits_per_patient, progress=progress))
    return path


def _report(made: Built) -> None:
    print(f"  built {made.patients:,} patients, {made.encounters:,} visits in {made.seconds:.0f} s")


def _holds(engine: Engine, patients: int, visits_per_patient: int) -> bool:
    if not inspect(engine).has_table("patient_count"):
        return False
    with engine.connect() as conn:
        name = conn.scalar(select(ClinicProfile.name))
        count = conn.scalar(select(PatientCount.active))
    return name == synthetic_name(patients, visits_per_patient) and count == patients


def advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move each table's id sequence past the ids written here by hand, so the
    app's own inserts (a new visit in a benchmark) get fresh ids. SQLite needs nothing."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT MAX(id) FROM {table.name}))"
            )
        )


def build(
    url: str,
    patients: int,
    *,
    visits_per_patient: int = VISITS_PER_PATIENT,
    seed: int = 13,
    progress: Callable[[str], None] = lambda _text: None,
) -> Built:
    """Fill the empty database at ``url``; returns what was written and how long it took."""
    start = time.perf_counter()
    rng = random.Random(seed)
    services = open_services(url)  # migrations and the first-run set-up, as the app does
    try:
        _, admin = services.clinic.initialize(
            ClinicProfileData(
                name=synthetic_name(patients, visits_per_patient), timezone="America/Chicago"
            ),
            NewUser("bench", "Bench Provider", ADMIN_PASSWORD, frozenset({Role.ADMIN}), "MD"),
        )
    finally:
        services.close()
    engine = make_engine(url)
    try:
        return _fill(engine, admin.id, patients, visits_per_patient, rng, progress, start)
    finally:
        engine.dispose()


def _fill(
    engine: Engine,
    admin_id: int,
    patients: int,
    visits_per_patient: int,
    rng: random.Random,
    progress: Callable[[str], None],
    start: float,
) -> Built:
    with engine.begin() as conn:
        codes = dict(conn.execute(select(Medication.code, Medication.id)).all())
    medication, steroid = codes["lidocaine_1"], codes["triamcinolone_40"]
    figure = default_bodymap()[next(iter(default_bodymap().figures))]
    regions = [r for r in figure.regions if r.layer is Layer.SUPERFICIAL]
    points = [
        (
            r.muscle_code,
            r.side,
            figure.view.catalog_view,
            *figure.normalise(*figure.standard_point(r)),
        )
        for r in regions
    ]
    now = datetime.now(UTC)

    def patient_rows() -> Iterator[dict[str, Any]]:
        for pid in range(1, patients + 1):
            given, family, language = _names(rng)
            born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 70 * 365))
            mrn = f"S{pid:07d}"
            yield {
                "id": pid,
                "mrn": mrn,
                "mrn_key": mrn_key(mrn),
                "given_name": given,
                "family_name": family,
                "given_key": search_key(given),
                "family_key": search_key(family),
                "date_of_birth": born,
                "weight_kg": Decimal(rng.randrange(450, 1200)) / 10,
                "weight_measured_on": now.date() - timedelta(days=rng.randrange(0, 120)),
                "preferred_language": language,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }

    def token_rows(batch: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for p in batch:
            for word in sorted(search_tokens(f"{p['given_key']} {p['family_key']}")):
                yield {"patient_id": p["id"], "kind": "n", "token": word}
            yield {"patient_id": p["id"], "kind": "m", "token": p["mrn_key"]}

    patient_table: Table = Patient.__table__  # type: ignore[assignment]
    token_table: Table = PatientSearchToken.__table__  # type: ignore[assignment]
    for batch in _batches(patient_rows()):
        with engine.begin() as conn:
            conn.execute(insert(patient_table), batch)
            conn.execute(insert(token_table), list(token_rows(batch)))
        progress(f"{batch[-1]['id']:,} patients")

    encounter_table: Table = Encounter.__table__  # type: ignore[assignment]
    site_table: Table = InjectionSite.__table__  # type: ignore[assignment]
    dose_table: Table = SiteDose.__table__  # type: ignore[assignment]
    counts = {"encounters": 0, "sites": 0}

    def visit_rows() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        eid = sid = 0
        for pid in range(1, patients + 1):
            when = EPOCH + timedelta(days=rng.randrange(0, 400), minutes=15 * rng.randrange(32))
            for _ in range(visits_per_patient):
                eid += 1
                sites = []
                for order in range(1, rng.randint(*SITES_PER_VISIT) + 1):
                    sid += 1
                    muscle, side, view, x, y = rng.choice(points)
                    sites.append(
                        {
                            "id": sid,
                            "encounter_id": eid,
                            "order_number": order,
                            "muscle_code": muscle,
                            "side": side,
                            "view": view,
                            "point_x": x,
                            "point_y": y,
                            "technique": Technique.INJECTION,
                            "needle_gauge": 25,
                            "needle_length_in": Decimal("1.5"),
                            "twitch_response": TwitchResponse.LOCAL,
                            "aspiration": Aspiration.NEGATIVE,
                        }
                    )
                yield (
                    {
                        "id": eid,
                        "patient_id": pid,
                        "provider_id": admin_id,
                        "performed_at": when,
                        "indication": "Myofascial pain",
                        "icd10_codes": ["M79.18"],
                        "pain_before": rng.randrange(4, 9),
                        "pain_after": rng.randrange(0, 4),
                        "status": EncounterStatus.DRAFT,
                        "version": 1,
                        "created_at": when,
                        "updated_at": when,
                    },
                    sites,
                )
                when += timedelta(days=rng.randrange(21, 60))

    chunk: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []

    def flush() -> None:
        encounters = [e for e, _ in chunk]
        sites = [s for _, ss in chunk for s in ss]
        doses = [
            {
                "site_id": s["id"],
                "medication_id": medication,
                "volume_ml": Decimal("1"),
                "dose": Decimal("10"),
                "dose_unit": DoseUnit.MG,
                "lot_missing_reason": "Synthetic data",
            }
            for s in sites
        ]
        # Every fifth visit adds 10 mg of triamcinolone at its first site (the steroid rules).
        doses += [
            {
                "site_id": ss[0]["id"],
                "medication_id": steroid,
                "volume_ml": Decimal("0.25"),
                "dose": Decimal("10"),
                "dose_unit": DoseUnit.MG,
                "lot_missing_reason": "Synthetic data",
            }
            for e, ss in chunk
            if e["id"] % 5 == 0
        ]
        with engine.begin() as conn:
            conn.execute(insert(encounter_table), encounters)
            conn.execute(insert(site_table), sites)
            conn.execute(insert(dose_table), doses)
        counts["encounters"] += len(encounters)
        counts["sites"] += len(sites)
        progress(f"{counts['encounters']:,} visits")
        chunk.clear()

    for visit in visit_rows():
        chunk.append(visit)
        if len(chunk) >= BATCH // 4:
            flush()
    if chunk:
        flush()
    with engine.begin() as conn:
        advance_sequences(conn, [patient_table, encounter_table, site_table])
    if engine.dialect.name == "postgresql":
        # What autovacuum does within minutes of a bulk load: without it, a benchmark run
        # right after the build measures plans made for empty tables (the checks' history
        # read the whole site table: 27 ms instead of 4).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return Built(patients, counts["encounters"], counts["sites"], time.perf_counter() - start)
