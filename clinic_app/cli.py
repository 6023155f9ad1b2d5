"""The ``clinic-app`` command: no subcommand starts the GUI; subcommands run headless jobs.

Headless subcommands never import Qt, so they run on a server without a display.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from clinic_app import __version__
from clinic_app.domain.errors import ClinicError
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import describe_url, resolve_database_url, sqlite_path

log = logging.getLogger("clinic_app")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-app",
        description="Charting for trigger point injections and dry needling. "
        "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"clinic_app {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: an SQLite file path or URL, or "
        "postgresql+psycopg://user:password@host/dbname "
        "(default: $CLINIC_APP_DB, else clinic.sqlite3 in the data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    seed = sub.add_parser("seed-demo", help="fill an EMPTY database with a synthetic demo clinic")
    seed.add_argument(
        "--db",
        metavar="URL",
        required=True,
        dest="seed_db",
        help="the database to fill (required, so a real one is never hit by accident)",
    )
    seed.add_argument("--patients", type=int, default=220, help="how many patients (default 220)")
    seed.add_argument("--seed", type=int, default=20261123, help="random seed (default fixed)")

    db = sub.add_parser("db", help="database schema: upgrade or show the current revision")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    for name, text in (
        ("upgrade", "migrate to the newest schema (copies an SQLite file first)"),
        ("current", "print the schema revision and whether it is current"),
    ):
        action = db_sub.add_parser(name, help=text)
        # --db is accepted after the action too: `clinic-app db current --db URL`.
        action.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    return parser


def _seed_demo(url: str, patients: int, seed: int) -> int:
    from clinic_app.services.demo import DEMO_PASSWORD, seed_demo
    from clinic_app.services.demo_names import PROVIDERS

    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        summary = seed_demo(
            make_sessionmaker(engine),
            patients=patients,
            seed=seed,
            progress=lambda text: print(f"  … {text}", flush=True),
        )
    finally:
        engine.dispose()
    print(
        f"Demo clinic written to {describe_url(url)}: {summary.providers} providers, "
        f"{summary.patients} patients, {summary.encounters} encounters, "
        f"{summary.sites} injection sites."
    )
    print(f"Sign in as '{PROVIDERS[0][0]}' with password '{DEMO_PASSWORD}' (demo database only).")
    return 0


def _db_command(url: str, action: str) -> int:
    path = sqlite_path(url)
    if action == "current" and path is not None and not path.exists():
        print(f"No database at {path}.", file=sys.stderr)
        return 2
    if path is not None and not path.exists():
        print(f"Creating a new database at {path}.")
    engine = make_engine(url)
    try:
        if action == "upgrade":
            result = migrate.upgrade(engine)
            if result.before == result.after:
                print(f"{describe_url(url)} is already at revision {result.after}.")
            else:
                print(
                    f"Upgraded {describe_url(url)} from {result.before or 'empty'} "
                    f"to {result.after}."
                )
            if result.backup:
                print(f"A copy of the previous file was kept at {result.backup}.")
            return 0
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current == head:
            state = "up to date"
        elif current is not None and not migrate.is_known_revision(current):
            state = f"written by a newer version of clinic_app (this one knows up to {head})"
        else:
            state = f"behind (newest is {head}); run `clinic-app db upgrade`"
        print(f"{current or 'empty (no schema)'} — {state}")
        return 0
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``clinic-app`` and ``python -m clinic_app``; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    try:
        if args.command == "seed-demo":
            if args.patients < 1:
                raise ClinicError("--patients must be at least 1.")
            return _seed_demo(resolve_database_url(args.seed_db), args.patients, args.seed)
        url = resolve_database_url(getattr(args, "action_db", None) or args.db)
        if args.command == "db":
            return _db_command(url, args.db_command)
    except ClinicError as exc:
        print(f"clinic-app: {exc}", file=sys.stderr)
        return 2
    from clinic_app.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(url)
