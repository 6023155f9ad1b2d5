"""The benchmarks' synthetic clinic: reproducible, complete, and searchable like a real one."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.synthetic import ADMIN_PASSWORD, advance_sequences, build
from clinic_app.app import open_services
from clinic_app.domain.enums import Language
from clinic_app.models import Patient
from clinic_app.models.patient import wanted_tokens
from clinic_app.services.audit_key import KEY_ENV
from clinic_app.storage.engine import make_engine
from clinic_app.storage.location import sqlite_url


def _rows(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "select p.mrn, p.given_name, p.family_name, p.date_of_birth, "
                        "count(distinct e.id), count(s.id) from patient p "
                        "join encounter e on e.patient_id = p.id "
                        "join injection_site s on s.encounter_id = e.id "
                        "group by p.id order by p.id"
                    )
                )
            )
    finally:
        engine.dispose()


def test_the_same_seed_builds_the_same_clinic(tmp_path: Path) -> None:
    first = build(sqlite_url(tmp_path / "a.sqlite3"), 40, visits_per_patient=3, seed=7)
    build(sqlite_url(tmp_path / "b.sqlite3"), 40, visits_per_patient=3, seed=7)
    other = build(sqlite_url(tmp_path / "c.sqlite3"), 40, visits_per_patient=3, seed=8)
    a = _rows(sqlite_url(tmp_path / "a.sqlite3"))
    assert a == _rows(sqlite_url(tmp_path / "b.sqlite3"))
    assert a != _rows(sqlite_url(tmp_path / "c.sqlite3"))
    assert (first.patients, first.encounters) == (40, 120)
    assert first.sites == sum(int(str(r[5])) for r in a)
    assert all(r[4] == 3 for r in a)
    assert other.patients == 40


def test_its_patients_are_found_by_the_app_as_they_are_stored(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "s.sqlite3")
    build(url, 25, visits_per_patient=1)
    engine = make_engine(url)
    with engine.connect() as conn:
        tokens = {
            (pid, kind, token)
            for pid, kind, token in conn.execute(
                text("select patient_id, kind, token from patient_search_token")
            )
        }
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        patients = list(session.scalars(select(Patient)))
        wanted = {(p.id, kind, token) for p in patients for kind, token in wanted_tokens(p)}
    engine.dispose()
    assert tokens == wanted  # the bulk writer keeps the tokens the models would keep
    services = open_services(url)
    try:
        services.clinic.authenticate("bench", ADMIN_PASSWORD)
        some = patients[7]
        assert [p.id for p in services.patients.search(some.mrn)] == [some.id]
        assert some.id in {p.id for p in services.patients.search(some.family_name[:3])}
    finally:
        services.close()


def test_rows_written_with_their_ids_leave_room_for_the_apps_own(
    db: sessionmaker[Session],
) -> None:
    """The bulk writer sets ids by hand; on PostgreSQL the sequence is moved past them, or
    the app's next insert (a benchmark's new visit) would collide with a written row."""
    table: Table = Patient.__table__  # type: ignore[assignment]
    now = datetime.now(UTC)
    row = {
        "mrn_key": "",
        "given_name": "Written",
        "family_name": "By Hand",
        "given_key": "written",
        "family_key": "by hand",
        "date_of_birth": date(1970, 1, 1),
        "preferred_language": Language.ENGLISH,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    with db() as session, session.begin():
        conn = session.connection()
        conn.execute(insert(table), [{**row, "id": 500, "mrn": "W500", "mrn_key": "w500"}])
        advance_sequences(conn, [table])
        made = conn.execute(insert(table), [{**row, "mrn": "W501", "mrn_key": "w501"}])
        (new_id,) = made.inserted_primary_key or (None,)
    assert new_id == 501


def test_importing_the_benchmarks_leaves_the_environment_alone() -> None:
    """Only a benchmark's own run moves the app's folders and key to build/bench/home: the
    tests import the builder, and an audit key set for the whole test run would break the
    tests of the key (found by CI)."""
    moved = ("CLINIC_APP_CONFIG_DIR", "CLINIC_APP_DATA_DIR", "CLINIC_APP_LOG_DIR", KEY_ENV)
    code = (
        "import os, sys\n"
        "import benchmarks, benchmarks.synthetic, benchmarks.bench_growth\n"
        f"sys.exit(3 if any(name in os.environ for name in {moved!r}) else 0)\n"
    )
    root = Path(__file__).resolve().parents[2]
    assert "build" not in os.environ.get(KEY_ENV, "")  # not this test run either
    env = {k: v for k, v in os.environ.items() if k not in moved}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
