"""``clinic-app backup`` and ``clinic-app restore``: the administrator's backups, headless.

Both sign an administrator in first (``--user``, the password asked or read with
``--password-stdin``), as the document commands do: a backup holds every chart. One
exception: a restore onto an SQLite file that is missing or cannot be opened as a database
(the usual reason to restore) cannot sign anyone in; whoever may replace that file may
restore it, and the damaged files are kept as found beside the safety copies.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clinic_app import __version__
from clinic_app.cli_sign_in import read_credentials, sign_in_arguments, signed_in_database
from clinic_app.domain.errors import ClinicError
from clinic_app.services import backup_settings
from clinic_app.services.backup import BackupSummary, suggested_name
from clinic_app.storage.location import describe_url, sqlite_path
from clinic_app.storage.restore import damaged_reason, restore_into


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``backup`` and ``restore`` subcommands."""
    backup = sub.add_parser(
        "backup", help="write a consistent copy of the database (safe while the app runs)"
    )
    backup.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="the backup file (default: a new file in the backup folder, "
        "clinic-<UTC time>.clinic-backup)",
    )
    backup.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(backup)
    restore = sub.add_parser("restore", help="check a backup file and replace the database with it")
    restore.add_argument("file", type=Path, metavar="FILE", help="a .clinic-backup file")
    restore.add_argument("--check", action="store_true", help="only check the file; change nothing")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")
    restore.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(restore)


class _Progress:
    """Prints the stage and a percentage (one line, rewritten on a terminal)."""

    def __init__(self) -> None:
        self._last = ""
        self._tty = sys.stdout.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        line = f"  … {stage} {percent}%"
        if self._tty:
            print(f"\r{line:<40}", end="", flush=True)
        elif stage != self._last:
            print(f"  … {stage}", flush=True)
        self._last = stage

    def end(self) -> None:
        if self._tty and self._last:
            print()


def describe(summary: BackupSummary) -> str:
    counts = summary.counts
    return (
        f"taken {summary.created_at:%Y-%m-%d %H:%M} UTC from a {summary.backend} database "
        f"by clinic_app {summary.app_version} (schema {summary.schema_revision}): "
        f"{counts.get('patient', 0)} patients, {counts.get('encounter', 0)} encounters, "
        f"{summary.rows} rows; audit trail up to entry {summary.audit_latest_id or 0}; "
        f"SHA-256 {summary.sha256[:16]}…"
    )


def run_backup(url: str, args: argparse.Namespace) -> int:
    who = read_credentials(args.user, password_stdin=args.password_stdin)
    out: Path | None = args.out
    if out is None:
        from clinic_app.domain import clock

        folder = backup_settings.load_settings().folder
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / suggested_name(clock.now())
    progress = _Progress()
    with signed_in_database(url, who) as services:
        try:
            summary = services.backups.back_up(out, progress)
        finally:
            progress.end()
    print(f"Backup of {describe_url(url)} written to {summary.path} in {summary.seconds:.1f} s:")
    print(f"  {describe(summary)}")
    return 0


def _confirm(args: argparse.Namespace, url: str, summary: BackupSummary) -> bool:
    if args.yes:
        return True
    if args.password_stdin or not sys.stdin.isatty():
        raise ClinicError("add --yes to replace the database without a question.")
    answer = input(f"Replace every record in {describe_url(url)} with this backup? [y/N] ")
    return answer.strip().lower() in {"y", "yes"}


def run_restore(url: str, args: argparse.Namespace) -> int:
    folder = backup_settings.load_settings().folder
    progress = _Progress()
    path = sqlite_path(url)
    reason = damaged_reason(path) if path is not None else None
    if reason is not None:
        # Nobody can sign in to a database that cannot be opened.
        print(f"The current database {path} {reason}: restoring without signing in.")
        if not args.yes and not args.check:
            raise ClinicError("add --yes to restore over it.")
        try:
            result = restore_into(
                url, args.file, safety_dir=folder, app_version=__version__, progress=progress,
                check_only=args.check,
            )  # fmt: skip
        finally:
            progress.end()
        if result is None:
            print(f"{args.file} is a sound backup.")
            return 0
        print(f"Restored {result.rows} rows from {args.file} into {path}.")
        if result.safety_copy:
            print(f"The previous files are kept at {result.safety_copy}.")
        return 0
    who = read_credentials(args.user, password_stdin=args.password_stdin)
    with signed_in_database(url, who) as services:
        summary = services.backups.inspect(args.file)
        print(f"{args.file} is a sound backup, {describe(summary)}")
        if args.check or not _confirm(args, url, summary):
            return 0
        try:
            done = services.backups.restore(args.file, folder, progress)
        finally:
            progress.end()
    print(f"Restored {done.rows} rows into {describe_url(url)} in {done.seconds:.1f} s.")
    if done.upgraded_from:
        print(f"The backup's schema {done.upgraded_from} was upgraded to this version's.")
    if done.safety_copy:
        print(f"The database as it was before is kept at {done.safety_copy}.")
    return 0
