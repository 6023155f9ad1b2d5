"""Patient search as you type at 1,000 / 10,000 / 100,000 patients (issue 13).

Target: p95 under 20 ms at every size, flat from 1k to 100k, for every kind of query the
front desk types: a common first letter, a common three-letter prefix, a rare prefix, two
words, a whole MRN, a date of birth, and text that matches nobody. Each query is the
service call the patient list makes (``patients.search(text, limit=200)``, rows turned into
views), after a warm-up, 30 times.

The databases come from :mod:`benchmarks.synthetic` (seeded, so every run searches the same
rows) and are kept under ``build/bench/`` between runs; ``--rebuild`` makes them again.
PostgreSQL is measured too with ``--pg URL`` (a database it may fill; its schema is dropped
and made again unless it already holds the synthetic clinic of that size, or ``--rebuild``)
or ``CLINIC_APP_BENCH_PG_URL``.

Run: .venv/bin/python -m benchmarks.bench_search [--size small|medium|clinic ...]
     [--record] [--rebuild] [--pg URL]
Writes benchmarks/results/search.json (the figures of this run) and a line per size and
backend to benchmarks/results.md, with --record.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks import use_bench_home
from benchmarks.machine import describe_machine, record, recording, save_figures
from benchmarks.synthetic import ADMIN_PASSWORD, SIZES, postgres_clinic, sqlite_clinic
from clinic_app.app import open_services
from clinic_app.storage.location import sqlite_url

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench"
TARGET_P95_MS = 20.0
RUNS = 30
WARMUP = 3
LIMIT = 200


def queries(patients: int) -> dict[str, str]:
    """What is typed, by kind (the synthetic clinic's names and MRNs)."""
    middle = max(1, patients // 2)
    return {
        "common letter": "m",
        "common prefix": "ngu",
        "rare prefix": "zyg",
        "two words": "ngu th",
        "whole MRN": f"S{middle:07d}",
        "MRN prefix": "S00001",
        "date of birth": "1970-01-01",
        "no match": "qqqxz",
    }


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def measure(url: str, patients: int) -> dict[str, Any]:
    services = open_services(url)
    try:
        services.clinic.authenticate("bench", ADMIN_PASSWORD)
        per_kind: dict[str, Any] = {}
        everything: list[float] = []
        for kind, text in queries(patients).items():
            for _ in range(WARMUP):
                services.patients.search(text, limit=LIMIT)
            samples = []
            found = 0
            for _ in range(RUNS):
                start = time.perf_counter()
                found = len(services.patients.search(text, limit=LIMIT))
                samples.append((time.perf_counter() - start) * 1000)
            everything += samples
            per_kind[kind] = {
                "text": text,
                "rows": found,
                "median_ms": round(statistics.median(samples), 2),
                "p95_ms": round(percentile(samples, 0.95), 2),
            }
        return {
            "median_ms": round(statistics.median(everything), 2),
            "p95_ms": round(percentile(everything, 0.95), 2),
            "worst_kind_p95_ms": max(k["p95_ms"] for k in per_kind.values()),
            "queries": per_kind,
        }
    finally:
        services.close()


def sqlite_database(size: str, rebuild: bool) -> str:
    return sqlite_url(sqlite_path(size, rebuild))


def sqlite_path(size: str, rebuild: bool) -> Path:
    """The cached synthetic clinic of this size under build/bench/, built when missing."""
    path = CACHE / f"synthetic-{size}.sqlite3"
    return sqlite_clinic(path, SIZES[size], rebuild=rebuild, progress=_progress)


def copy_sqlite(source: Path, folder: Path) -> Path:
    """The database file and its write-ahead log, if any, copied into ``folder``."""
    target = folder / source.name
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copyfile(extra, target.with_name(target.name + suffix))
    return target


def postgres_database(url: str, size: str, *, rebuild: bool = True) -> str:
    """The PostgreSQL database at ``url`` holding the synthetic clinic of this size (see
    :func:`benchmarks.synthetic.postgres_clinic`)."""
    return postgres_clinic(url, SIZES[size], rebuild=rebuild, progress=_progress)


def _progress(text: str) -> None:
    print(f"  … {text}", end="\r", flush=True)


def main() -> int:
    use_bench_home()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES), help="repeatable")
    parser.add_argument("--record", action="store_true", help="write the results")
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    parser.add_argument("--pg", default=os.environ.get("CLINIC_APP_BENCH_PG_URL", ""))
    args = parser.parse_args()
    sizes = args.size or ["small"]
    results: dict[str, Any] = {"target_p95_ms": TARGET_P95_MS}
    for size in sizes:
        backends = [("sqlite", lambda s=size: sqlite_database(s, args.rebuild))]
        if args.pg:
            backends.append(
                ("postgresql", lambda s=size: postgres_database(args.pg, s, rebuild=args.rebuild))
            )
        for backend, make in backends:
            print(f"{size} ({SIZES[size]:,} patients), {backend}:")
            figures = measure(make(), SIZES[size])
            results.setdefault(size, {})[backend] = figures
            verdict = "PASS" if figures["worst_kind_p95_ms"] < TARGET_P95_MS else "FAIL"
            worst = max(figures["queries"].items(), key=lambda kv: kv[1]["p95_ms"])
            line = (
                f"{backend}, {SIZES[size]:,} patients, {len(figures['queries'])} kinds of query "
                f"x {RUNS}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
                f"worst kind {worst[0]!r} p95 {worst[1]['p95_ms']:.1f} ms "
                f"(target p95 < {TARGET_P95_MS:.0f} ms: {verdict})"
            )
            print("  " + line)
            for kind, q in figures["queries"].items():
                print(
                    f"    {kind:14} {q['text']!r:14} {q['rows']:4} rows  median "
                    f"{q['median_ms']:6.2f} ms  p95 {q['p95_ms']:6.2f} ms"
                )
            if recording():
                record("patient-search", line)
    print(describe_machine())
    save_figures("search", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
