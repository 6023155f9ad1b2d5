"""The ``clinic-app`` command: no subcommand starts the GUI; subcommands run headless jobs.

Headless subcommands never import Qt, so they run on a server without a display.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from clinic_app import __version__, cli_backup, cli_fhir
from clinic_app.cli_audit import add_key_commands, export_key, import_key
from clinic_app.cli_sign_in import (
    Credentials,
    read_credentials,
    sign_in_arguments,
    signed_in_database,
)
from clinic_app.domain.enums import Language
from clinic_app.domain.errors import ClinicError
from clinic_app.storage.location import describe_url, log_dir, resolve_database_url, sqlite_path

log = logging.getLogger("clinic_app")


LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
LOG_FILE = "clinic_app.log"
_file_handler: logging.Handler | None = None


def log_to_file() -> Path | None:
    """Also write the app's log to ``clinic_app.log`` in the per-user log folder (kept to
    five files of 1 MB); returns its path, or None when the folder cannot be made."""
    global _file_handler
    from logging.handlers import RotatingFileHandler

    path = log_dir() / LOG_FILE
    app_log = logging.getLogger("clinic_app")
    app_log.setLevel(logging.INFO)
    if isinstance(_file_handler, RotatingFileHandler) and _file_handler.baseFilename == str(
        path.absolute()
    ):
        return path
    if _file_handler is not None:
        app_log.removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=4, encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write the log file in %s: %s", path.parent, exc.strerror)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s " + LOG_FORMAT))
    app_log.addHandler(handler)
    _file_handler = handler
    return path


#: The largest record id: ids are 32-bit integers on PostgreSQL (and SQLite stores 64).
MAX_RECORD_ID = 2**31 - 1


def record_id(text: str) -> int:
    """An encounter id from the command line: a whole number from 1 to :data:`MAX_RECORD_ID`
    (a larger one would overflow the database driver instead of saying "no such record")."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_RECORD_ID:
        raise argparse.ArgumentTypeError(
            f"{text} is not a record id (ids run from 1 to {MAX_RECORD_ID})"
        )
    return value


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

    handout = sub.add_parser("handout", help="save an encounter's aftercare handout as PDF")
    handout.add_argument("encounter_id", type=record_id, metavar="ENCOUNTER_ID")
    handout.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF to write")
    handout.add_argument(
        "--lang",
        choices=[language.value for language in Language],
        help="handout language (default: the patient's preferred language)",
    )
    handout.add_argument("--large-print", action="store_true", help="large print (body text 17 pt)")
    handout.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(handout)
    note = sub.add_parser("note", help="save an encounter's procedure note as PDF")
    note.add_argument("encounter_id", type=record_id, metavar="ENCOUNTER_ID")
    note.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF to write")
    note.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(note)

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

    audit = sub.add_parser(
        "audit", help="the audit trail: check that it is intact; copy its key to a workstation"
    )
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="check every audit row's seal and the chain; name the first bad row"
    )
    verify.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    add_key_commands(audit_sub)

    cli_backup.add_commands(sub)
    cli_fhir.add_command(sub, record_id)

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
    from clinic_app.app import seed_demo_database
    from clinic_app.services.demo_names import DEMO_PASSWORD, PROVIDERS

    summary = seed_demo_database(
        url,
        patients=patients,
        seed=seed,
        progress=lambda text: print(f"  … {text}", flush=True),
    )
    print(
        f"Demo clinic written to {describe_url(url)}: {summary.providers} providers, "
        f"{summary.patients} patients, {summary.encounters} encounters, "
        f"{summary.sites} injection sites, {summary.questionnaires} questionnaires, "
        f"{summary.pain_drawings} pain drawings."
    )
    reasons = ", ".join(f"{rule} {count}" for rule, count in summary.overrides)
    print(
        f"{summary.signed} visits signed through the checks; {summary.overridden} needed a "
        f"typed reason" + (f" ({reasons})." if reasons else ".")
    )
    print(f"Sign in as '{PROVIDERS[0][0]}' with password '{DEMO_PASSWORD}' (demo database only).")
    return 0


def _check_out_path(out: Path) -> Path:
    """The absolute --out path, refused early if it cannot be a new or replaced file."""
    out = out.expanduser().absolute()
    if out.is_dir():
        raise ClinicError(f"cannot write {out}: it is a folder.")
    if not out.parent.is_dir():
        raise ClinicError(f"cannot write {out}: the folder {out.parent} does not exist.")
    return out


def _write_atomically(out: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``out``, then rename it over ``out``.

    A reader never sees a half-written PDF, and a failure leaves ``out`` as it was.
    """
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise ClinicError(f"cannot write {out}: {exc.strerror or exc}.") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(0o644 & ~_umask())
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ClinicError(f"cannot write {out}: {exc.strerror or exc}.") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _note(url: str, encounter_id: int, out: Path, who: Credentials) -> int:
    """Save an encounter's procedure note as PDF (a draft carries a DRAFT mark)."""
    out = _check_out_path(out)
    with signed_in_database(url, who) as services:
        data = services.notes.note_data(encounter_id)  # audited once, as "encounter.note"
        signed = data.signed_by is not None
        from clinic_app.reports.note import render_note  # reportlab only for this command

        _write_atomically(out, render_note(data))
    draft = "" if signed else " (not signed: marked DRAFT)"
    print(f"Procedure note for encounter {encounter_id} written to {out}{draft}.")
    return 0


def _handout(
    url: str, encounter_id: int, out: Path, lang: str | None, large: bool, who: Credentials
) -> int:
    """Save one handout as PDF and log it as a print (one copy, by the signed-in user)."""
    out = _check_out_path(out)
    with signed_in_database(url, who) as services:
        documents = services.documents
        info = documents.handout_info(encounter_id)
        language = Language(lang) if lang else info.default_language
        pdf = documents.render_handout(encounter_id, language=language, large_print=large)
        _write_atomically(out, pdf)
        # A saved PDF is a handout that can leave the building: the log says so (the
        # handout_print table counts PDF saves as printings).
        documents.record_print(encounter_id, language, copies=1)
    draft = "" if info.signed else " (the encounter is not signed yet)"
    print(f"Handout for encounter {encounter_id} ({language.value}) written to {out}{draft}.")
    return 0


def _audit_verify(url: str) -> int:
    """Check the audit chain: exit code 0 when intact, 1 naming the first bad row."""
    from clinic_app.app import existing_database

    with existing_database(url) as services:
        report = services.audit.verify()
    if report.ok:
        print(f"{describe_url(url)}: {report.message}")
        return 0
    where = f" at row {report.row_id}" if report.row_id is not None else ""
    print(
        f"{describe_url(url)}: AUDIT TRAIL BROKEN ({report.problem}{where}). "
        f"{report.message} ({report.sealed} sealed entries read.)",
        file=sys.stderr,
    )
    return 1


def _db_command(url: str, action: str) -> int:
    from clinic_app.app import schema_state, upgrade_database

    path = sqlite_path(url)
    if action == "current" and path is not None and not path.exists():
        print(f"No database at {path}.", file=sys.stderr)
        return 2
    if path is not None and not path.exists():
        print(f"Creating a new database at {path}.")
    if action == "upgrade":
        result = upgrade_database(url)
        if result.before == result.after:
            print(f"{describe_url(url)} is already at revision {result.after}.")
        else:
            print(
                f"Upgraded {describe_url(url)} from {result.before or 'empty'} to {result.after}."
            )
        if result.backup:
            print(f"A copy of the previous file was kept at {result.backup}.")
        return 0
    state = schema_state(url)
    if state.current == state.head:
        text = "up to date"
    elif not state.known:
        text = f"written by a newer version of clinic_app (this one knows up to {state.head})"
    else:
        text = f"behind (newest is {state.head}); run `clinic-app db upgrade`"
    print(f"{state.current or 'empty (no schema)'} — {text}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``clinic-app`` and ``python -m clinic_app``; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    log_to_file()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    try:
        if args.command == "seed-demo":
            if args.patients < 1:
                raise ClinicError("--patients must be at least 1.")
            return _seed_demo(resolve_database_url(args.seed_db), args.patients, args.seed)
        action_db = getattr(args, "action_db", None)
        url = resolve_database_url(args.db if action_db is None else action_db)
        if args.command == "db":
            return _db_command(url, args.db_command)
        if args.command == "audit":
            if args.audit_command == "verify":
                return _audit_verify(url)
            who = read_credentials(args.user, password_stdin=args.password_stdin)
            if args.audit_command == "export-key":
                return export_key(url, args.out, who)
            return import_key(url, args.key_file, who)
        if args.command == "handout":
            who = read_credentials(args.user, password_stdin=args.password_stdin)
            return _handout(url, args.encounter_id, args.out, args.lang, args.large_print, who)
        if args.command == "backup":
            return cli_backup.run_backup(url, args)
        if args.command == "restore":
            return cli_backup.run_restore(url, args)
        if args.command == "export-fhir":
            return cli_fhir.run_export(
                url, args, check_out=_check_out_path, write=_write_atomically
            )
        if args.command == "note":
            who = read_credentials(args.user, password_stdin=args.password_stdin)
            return _note(url, args.encounter_id, args.out, who)
    except ClinicError as exc:
        print(f"clinic-app: {exc}", file=sys.stderr)
        return 2
    from clinic_app.app import run_gui  # Qt is imported only when a window is wanted

    return run_gui(url)
