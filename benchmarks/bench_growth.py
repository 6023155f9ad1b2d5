"""How cost grows with the clinic: 1,000 / 10,000 / 100,000 patients (issue 13).

For each size of the seeded synthetic clinic (:mod:`benchmarks.synthetic`, about ten visits
per patient), on SQLite and, with ``--pg URL`` of an empty database, PostgreSQL:

- **patient search**: the eight kinds of query of :mod:`benchmarks.bench_search`, 30 runs each;
- **chart-open**: a 60-site draft charted on the patient in the middle of the clinic (ten
  earlier visits, so the history and the checks have something to read), opened in the
  encounter editor until painted, as :mod:`benchmarks.bench_open_encounter` does;
- **database size**: the SQLite file (with its write-ahead log) or ``pg_database_size``,
  and the same per 1,000 visits.

A flat line is the target: neither search nor chart-open may grow with the clinic (p95 under
20 ms and 150 ms at every size); the size per 1,000 visits tells a clinic how much disk a
year takes. The SQLite databases are the cached ones of ``bench_search`` under ``build/bench/``;
the 60-site draft goes into a temporary copy, so the cache stays as built. PostgreSQL's
database is emptied and built again when it does not hold the size asked for (so one size at
a time is kept; ``--rebuild`` always builds).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_growth
     [--size small --size medium --size clinic] [--upto SIZE] [--pg URL] [--record]
``make bench`` measures the sizes up to ``SIZE`` (small by default; ``SIZE=clinic`` all three).
Writes benchmarks/results/growth.json and a line per size and backend to results.md when
recording.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine, func, select, text

from benchmarks import use_bench_home
from benchmarks.bench_open_encounter import SITES, sixty_site_drafts, time_opens
from benchmarks.bench_open_encounter import TARGET_P95_MS as OPEN_TARGET_MS
from benchmarks.bench_search import TARGET_P95_MS as SEARCH_TARGET_MS
from benchmarks.bench_search import copy_sqlite, percentile, postgres_database, sqlite_path
from benchmarks.bench_search import measure as measure_search
from benchmarks.machine import describe_machine, record, save_figures
from benchmarks.synthetic import ADMIN_PASSWORD, SIZES
from clinic_app.app import open_services
from clinic_app.models import Encounter, InjectionSite
from clinic_app.services.dto import EncounterInput
from clinic_app.storage.location import sqlite_url

ORDER = ["small", "medium", "clinic"]
OPEN_RUNS = 15


def _sqlite_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            visits = conn.scalar(select(func.count()).select_from(Encounter)) or 0
            sites = conn.scalar(select(func.count()).select_from(InjectionSite)) or 0
    finally:
        engine.dispose()
    return int(visits), int(sites)


def _pg_bytes(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")) or 0)
    finally:
        engine.dispose()


def measure_open(app: QCoreApplication, url: str, patients: int, runs: int) -> dict[str, Any]:
    """Chart 60 sites on the patient in the middle of the clinic and time opening them."""
    services = open_services(url)
    try:
        user = services.clinic.authenticate("bench", ADMIN_PASSWORD)
        patient = services.patients.search(f"S{max(1, patients // 2):07d}")[0]
        earlier = len(services.encounters.history(patient.id))
        draft = services.encounters.create(patient.id, user.id)
        services.encounters.save_draft(
            draft.id,
            draft.version,
            EncounterInput(indication="Myofascial pain", icd10_codes=("M79.18",)),
            sixty_site_drafts(services),
        )
        samples = time_opens(app, services, draft.id, runs)
    finally:
        services.close()
    return {
        "earlier_visits": earlier,
        "runs": runs,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
    }


def _sizes(args: argparse.Namespace) -> list[str]:
    if args.size:
        return sorted(set(args.size), key=ORDER.index)
    return ORDER[: ORDER.index(args.upto) + 1]


def main() -> int:
    use_bench_home()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=ORDER, help="repeatable")
    parser.add_argument("--upto", choices=ORDER, default="clinic", help="every size up to this")
    parser.add_argument("--runs", type=int, default=OPEN_RUNS, help="chart-opens per size")
    parser.add_argument("--record", action="store_true", help="write the results")
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    parser.add_argument("--pg", default=os.environ.get("CLINIC_APP_BENCH_PG_URL", ""))
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    results: dict[str, Any] = {"sites_opened": SITES}
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for size in _sizes(args):
        patients = SIZES[size]
        backends = ["sqlite"] + (["postgresql"] if args.pg else [])
        for backend in backends:
            print(f"{size} ({patients:,} patients), {backend}:", flush=True)
            with tempfile.TemporaryDirectory(prefix="clinic-growth-") as tmp:
                if backend == "sqlite":
                    cached = sqlite_path(size, args.rebuild)
                    stored = _sqlite_bytes(cached)
                    url = sqlite_url(copy_sqlite(cached, Path(tmp)))
                else:
                    url = postgres_database(args.pg, size, rebuild=args.rebuild)
                    stored = _pg_bytes(url)
                visits, sites = _counts(url)
                search = measure_search(url, patients)
                opening = measure_open(app, url, patients, args.runs)
            figures = {
                "patients": patients,
                "visits": visits,
                "sites": sites,
                "database_bytes": stored,
                "bytes_per_1000_visits": round(stored / visits * 1000) if visits else None,
                "search_median_ms": search["median_ms"],
                "search_p95_ms": search["p95_ms"],
                "search_worst_kind_p95_ms": search["worst_kind_p95_ms"],
                "open_median_ms": opening["median_ms"],
                "open_p95_ms": opening["p95_ms"],
                "open_earlier_visits": opening["earlier_visits"],
                "search_queries": search["queries"],
            }
            results.setdefault(size, {})[backend] = figures
            rows.append((size, backend, figures))
            line = _line(backend, figures)
            print("  " + line, flush=True)
            for kind, q in search["queries"].items():
                print(
                    f"    search {kind:14} {q['text']!r:14} {q['rows']:4} rows  median "
                    f"{q['median_ms']:6.2f} ms  p95 {q['p95_ms']:6.2f} ms"
                )
            record("growth", line)
    print()
    print(_table(rows))
    print(describe_machine())
    save_figures("growth", results)
    return 0


def _line(backend: str, f: dict[str, Any]) -> str:
    search_ok = f["search_worst_kind_p95_ms"] < SEARCH_TARGET_MS
    open_ok = f["open_p95_ms"] < OPEN_TARGET_MS
    return (
        f"{backend}, {f['patients']:,} patients, {f['visits']:,} visits, {f['sites']:,} sites: "
        f"search p95 {f['search_p95_ms']:.1f} ms (worst kind {f['search_worst_kind_p95_ms']:.1f}"
        f" ms; < {SEARCH_TARGET_MS:.0f}: {'PASS' if search_ok else 'FAIL'}); "
        f"open {SITES}-site visit median {f['open_median_ms']:.0f} ms, p95 "
        f"{f['open_p95_ms']:.0f} ms (< {OPEN_TARGET_MS:.0f}: {'PASS' if open_ok else 'FAIL'}); "
        f"database {f['database_bytes'] / 1e6:,.0f} MB, "
        f"{f['bytes_per_1000_visits'] / 1e6:.2f} MB per 1,000 visits"
    )


def _table(rows: list[tuple[str, str, dict[str, Any]]]) -> str:
    lines = [
        "| patients | backend | search p95 (worst kind) | chart-open median / p95 "
        "| database | per 1,000 visits |",
        "|---|---|---|---|---|---|",
    ]
    for _size, backend, f in rows:
        lines.append(
            f"| {f['patients']:,} | {backend} | {f['search_p95_ms']:.1f} ms "
            f"({f['search_worst_kind_p95_ms']:.1f} ms) | {f['open_median_ms']:.0f} / "
            f"{f['open_p95_ms']:.0f} ms | {f['database_bytes'] / 1e6:,.0f} MB | "
            f"{f['bytes_per_1000_visits'] / 1e6:.2f} MB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
