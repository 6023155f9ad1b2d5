"""A writer process for the reliability tests: the app's services, no window.

    python -m tests.reliability.child URL FACTS_JSON --tag T --seed N [--writes N] [--wait-go]

Opens the database the way the app does (:func:`clinic_app.app.open_services`: reference data,
schema check, services), signs in, prints ``{"event": "ready"}``, optionally waits for a line
on standard input (so that several writers start together), then charts visits
(:class:`tests.reliability.workload.Charting`), printing one JSON line per confirmed write,
flushed at once. Without ``--writes`` it charts until it is killed.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from clinic_app.app import open_services
from clinic_app.domain.errors import StorageError
from tests.reliability.workload import Charting, ClinicFacts, sign_in


def emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("facts")
    parser.add_argument("--tag", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--writes", type=int, default=0)
    parser.add_argument("--wait-go", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    services = open_services(args.url)
    # Signing in writes an audit row; at start-up another writer may hold the lock.
    for attempt in range(20):
        try:
            sign_in(services)
            break
        except StorageError:
            if attempt == 19:
                raise
            time.sleep(0.1)
    charting = Charting(services, ClinicFacts.from_json(args.facts), args.tag, args.seed, emit)
    emit({"event": "ready"})
    if args.wait_go:
        sys.stdin.readline()
    started = time.monotonic()
    while not args.writes or charting.writes < args.writes:
        charting.step()
    emit(
        {
            "event": "done",
            "writes": charting.writes,
            "refused": charting.refusals,
            "seconds": round(time.monotonic() - started, 3),
        }
    )
    services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
