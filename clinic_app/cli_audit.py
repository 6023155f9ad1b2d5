"""``clinic-app audit export-key`` / ``import-key``: one audit key for every workstation.

Every workstation writing to one database must seal its audit rows with the same key; a
workstation without it refuses to add rows (see :mod:`clinic_app.services.audit_key`). An
administrator copies the key: ``export-key`` on a workstation that works writes it to a
file (owner-only), ``import-key`` on the new one installs it. Both sign the administrator
in (as the document commands do) and are audited. The import signs in *with* the key being
imported, so a key that did not seal this database's trail is refused before anything is
stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from clinic_app.cli_sign_in import Credentials, sign_in_arguments, signed_in_database
from clinic_app.domain.audit_chain import key_id
from clinic_app.domain.errors import ClinicError, StorageError
from clinic_app.services import audit_key
from clinic_app.storage.location import describe_url


def add_key_commands(audit_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``export-key`` and ``import-key`` actions of ``clinic-app audit``."""
    export = audit_sub.add_parser(
        "export-key", help="write this workstation's audit key to a file (administrator)"
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
    export.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(export)
    imported = audit_sub.add_parser(
        "import-key", help="install the clinic's audit key from a file (administrator)"
    )
    imported.add_argument("key_file", type=Path, metavar="FILE", help="written by export-key")
    imported.add_argument("--db", metavar="URL", dest="action_db", help="as the global --db")
    sign_in_arguments(imported)


def export_key(url: str, out: Path, who: Credentials) -> int:
    """Write the key (hex, 0600); refuses to overwrite an existing file."""
    out = out.expanduser().absolute()
    if out.exists():
        raise ClinicError(f"{out} exists already; name a new file.")
    if not out.parent.is_dir():
        raise ClinicError(f"cannot write {out}: the folder {out.parent} does not exist.")
    with signed_in_database(url, who) as services:
        text = services.audit.export_key()
    try:
        audit_key.write_private(out, text + "\n")
    except OSError as exc:
        raise ClinicError(f"cannot write {out}: {exc.strerror or exc}.") from None
    print(
        f"Audit key {key_id(bytes.fromhex(text))} of {describe_url(url)} written to {out} "
        "(owner-only). Carry it to the other workstation, run `clinic-app audit import-key "
        "FILE` there, then delete the file: whoever holds it can forge audit rows."
    )
    return 0


def import_key(url: str, key_file: Path, who: Credentials) -> int:
    """Install the key from ``key_file`` after checking it sealed this database's trail."""
    try:
        text = key_file.expanduser().read_text(encoding="ascii")
    except (OSError, ValueError) as exc:
        raise ClinicError(f"cannot read {key_file}: {exc}.") from None
    key = audit_key.parse_key(text, str(key_file))
    try:
        with audit_key.offered(key), signed_in_database(url, who) as services:
            found = services.audit.import_key(text)
    except StorageError as exc:
        raise ClinicError(
            f"{key_file} holds key {key_id(key)}, which did not seal the audit trail of "
            f"{describe_url(url)}; nothing was installed. ({exc})"
        ) from None
    print(f"Audit key {found} installed on this workstation for {describe_url(url)}.")
    return 0
