"""The checks of a draft for a patient with 50 earlier visits (issue 13).

Target: p95 under 10 ms for ``checks.assess_draft`` (what the editor runs after each edit):
the patient, the clinic's policy, the formulary, lot expiry and the rule windows' history,
then the rules. The database is a seeded synthetic clinic (:mod:`benchmarks.synthetic`) of
1,000 patients with 50 visits each (3.5 sites each, lidocaine; every fifth visit adds a
steroid), kept under ``build/bench/``. The draft charts four sites on the patient in the middle.

With ``--pg URL`` (or ``CLINIC_APP_BENCH_PG_URL``) the same clinic is built in that PostgreSQL
database (unless it holds it already) and measured there too.

Run: .venv/bin/python -m benchmarks.bench_checks [--record] [--rebuild] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import use_bench_home
from benchmarks.bench_search import CACHE, percentile
from benchmarks.machine import describe_machine, record, save_figures
from benchmarks.synthetic import ADMIN_PASSWORD, postgres_clinic, sqlite_clinic
from clinic_app.app import open_services
from clinic_app.services.dto import EncounterInput
from clinic_app.storage.location import sqlite_url

PATIENTS = 1_000
VISITS = 50
RUNS = 100
WARMUP = 5
TARGET_P95_MS = 10.0


def measure(url: str) -> tuple[list[float], int, int]:
    """Samples (ms) of assessing a 4-site draft on the patient in the middle of the clinic;
    with how many sites and earlier visits. The draft is discarded afterwards."""
    services = open_services(url)
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
    return samples, len(sites), len(earlier)


def main() -> int:
    use_bench_home()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the results")
    parser.add_argument("--rebuild", action="store_true", help="make the database again")
    parser.add_argument("--pg", default=os.environ.get("CLINIC_APP_BENCH_PG_URL", ""))
    args = parser.parse_args()
    path = sqlite_clinic(
        CACHE / f"synthetic-{PATIENTS}x{VISITS}.sqlite3", PATIENTS, VISITS, rebuild=args.rebuild
    )
    backends: dict[str, Callable[[], str]] = {"sqlite": lambda: sqlite_url(path)}
    if args.pg:
        backends["postgresql"] = lambda: postgres_clinic(
            args.pg, PATIENTS, VISITS, rebuild=args.rebuild
        )
    figures: dict[str, Any] = {"runs": RUNS, "target_p95_ms": TARGET_P95_MS}
    for backend, url in backends.items():
        samples, sites, earlier = measure(url())
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        verdict = "PASS" if p95 < TARGET_P95_MS else "FAIL"
        line = (
            f"{backend}: checks of a {sites}-site draft, patient with {earlier} earlier visits, "
            f"{RUNS} runs: median {median:.1f} ms, p95 {p95:.1f} ms "
            f"(target p95 < {TARGET_P95_MS:.0f} ms: {verdict})"
        )
        print(line)
        record("checks", line)
        figures[backend] = {
            "sites": sites,
            "earlier_visits": earlier,
            "median_ms": round(median, 2),
            "p95_ms": round(p95, 2),
        }
    print(describe_machine())
    save_figures("checks", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
