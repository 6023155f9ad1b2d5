"""The checks of a draft for a patient with 50 earlier visits (issue 13).

Target: p95 under 10 ms for ``checks.assess_draft`` (what the editor runs after each edit):
the patient, the clinic's policy, the formulary, lot expiry and the rule windows' history,
then the rules. The database is a seeded synthetic clinic (:mod:`benchmarks.synthetic`) of
1,000 patients with 50 visits each (3.5 sites each, lidocaine; every fifth visit adds a
steroid), kept under ``build/bench/``. The draft charts four sites on the patient in the middle.

Run: .venv/bin/python -m benchmarks.bench_checks [--record] [--rebuild]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from benchmarks.bench_search import CACHE, percentile
from benchmarks.machine import describe_machine, record, recording
from benchmarks.synthetic import ADMIN_PASSWORD, build
from clinic_app.app import open_services
from clinic_app.services.dto import EncounterInput
from clinic_app.storage.location import sqlite_url

PATIENTS = 1_000
VISITS = 50
RUNS = 100
WARMUP = 5
TARGET_P95_MS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the results")
    parser.add_argument("--rebuild", action="store_true", help="make the database again")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"synthetic-{PATIENTS}x{VISITS}.sqlite3"
    if args.rebuild or not path.exists():
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        build(sqlite_url(path), PATIENTS, visits_per_patient=VISITS)
    services = open_services(sqlite_url(path))
    try:
        user = services.clinic.authenticate("bench", ADMIN_PASSWORD)
        patient = services.patients.search(f"S{PATIENTS // 2:07d}")[0]
        earlier = services.encounters.history(patient.id)
        template = services.encounters.get(earlier[0].id)
        sites = [s.to_draft() for s in template.sites][:4]
        draft = services.encounters.create(patient.id, user.id)
        form = EncounterInput(indication="Myofascial pain", icd10_codes=("M79.18",))
        for _ in range(WARMUP):
            services.checks.assess_draft(draft.id, form, sites)
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            services.checks.assess_draft(draft.id, form, sites)
            samples.append((time.perf_counter() - start) * 1000)
        services.encounters.discard_if_empty(draft.id, expected_version=draft.version)
    finally:
        services.close()
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    verdict = "PASS" if p95 < TARGET_P95_MS else "FAIL"
    line = (
        f"checks of a {len(sites)}-site draft, patient with {len(earlier)} earlier visits, "
        f"{RUNS} runs: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(target p95 < {TARGET_P95_MS:.0f} ms: {verdict})"
    )
    print(line)
    print(describe_machine())
    if recording():
        record("checks", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
