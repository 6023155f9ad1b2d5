"""``clinic-app export-fhir``: signed encounters as a FHIR R4 Bundle (JSON) for the clinic's
main record.

One of ``--encounter ID``, ``--patient ID`` or ``--since DATE`` (every encounter signed on or
after that day at the clinic) and ``--out FILE.json``. The user signs in as for the document
commands (``--user``, the password asked or read with ``--password-stdin``) and needs the
right to export ("fhir.export"); every exported encounter is audited. Only signed encounters
are exported: a draft is refused with a sentence saying so, and nothing is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from clinic_app.cli_sign_in import read_credentials, sign_in_arguments, signed_in_database


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    record_id: Callable[[str], int],
) -> None:
    """The ``export-fhir`` subcommand (``record_id`` checks an id as the other commands do)."""
    export = sub.add_parser(
        "export-fhir", help="export signed encounters as a FHIR R4 Bundle (JSON file)"
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--encounter", type=record_id, metavar="ID", help="one signed encounter")
    which.add_argument(
        "--patient", type=record_id, metavar="ID", help="every signed encounter of a patient"
    )
    which.add_argument(
        "--since",
        type=_day,
        metavar="DATE",
        help="every encounter signed on or after DATE (YYYY-MM-DD, the clinic's day)",
    )
    export.add_argument(
        "--out", type=Path, required=True, metavar="FILE.json", help="the file to write"
    )
    export.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(export)


def run_export(
    url: str,
    args: argparse.Namespace,
    *,
    check_out: Callable[[Path], Path],
    write: Callable[[Path, bytes], None],
) -> int:
    """Export and write the Bundle (``check_out`` refuses an impossible path before anyone
    signs in; ``write`` replaces the file atomically)."""
    out = check_out(args.out)
    who = read_credentials(args.user, password_stdin=args.password_stdin)
    with signed_in_database(url, who) as services:
        if args.encounter is not None:
            export = services.fhir.export_encounter(args.encounter)
        elif args.patient is not None:
            export = services.fhir.export_patient(args.patient)
        else:
            export = services.fhir.export_since(args.since)
        write(out, export.json_bytes())
    resources = len(export.bundle["entry"])
    print(
        f"FHIR R4 bundle written to {out}: {export.encounters} signed encounter"
        f"{'s' if export.encounters != 1 else ''} of {export.patients} patient"
        f"{'s' if export.patients != 1 else ''}, {resources} resources."
    )
    return 0
