"""The workstation's anchor: the last chain entry it wrote or saw intact, kept off the database.

The seals catch every change to the audit tables except one: someone with DDL rights who
empties both tables (or cuts them back to an old copy of the head) leaves what looks like a
fresh, intact trail. The anchor is a small file next to the key recording, per database,
the last entry this workstation wrote or verified (its row id, number and seal).
``clinic-app audit verify`` fails when that row is gone or holds another seal.

The anchor only moves forward along an intact chain: a workstation that finds its anchored
entry missing keeps the old anchor (and so the evidence) until an administrator has looked.
Restoring the database from an older backup also moves the trail back: the restoring
workstation drops its own entry (the restore is audited and anchors anew); on the others
verify names the anchor file: delete it (or that database's entry) once the restore is
known to be why.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from clinic_app.domain.audit_chain import StoredRow
from clinic_app.domain.errors import StorageError
from clinic_app.services.audit_key import write_private

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Anchor:
    """One database's last entry as this workstation knows it.

    Attributes:
        row: the audit row's id; seq: its number in the chain; hmac: its seal;
        at: when this workstation wrote or saw it (UTC, ISO 8601), for the message.
    """

    row: int
    seq: int
    hmac: str
    at: str


class AnchorFile:
    """A JSON file mapping a database's label (its URL without password) to its anchor."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, database: str) -> Anchor | None:
        entry = self._read().get(database)
        if entry is None:
            return None
        try:
            row, seq = entry["row"], entry["seq"]
            if not isinstance(row, int) or not isinstance(seq, int):
                raise TypeError
            return Anchor(row, seq, str(entry["hmac"]), str(entry["at"]))
        except (KeyError, TypeError, ValueError):
            raise StorageError(
                f"The audit anchor file {self.path} is damaged; check the trail with "
                "`clinic-app audit verify` on another workstation, then delete the file."
            ) from None

    def put(self, database: str, anchor: Anchor) -> None:
        entries = self._read()
        entries[database] = asdict(anchor)
        # No fsync per audited action: an anchor lost to a power cut is an older, still
        # valid one (the entry it names is still in the trail).
        text = json.dumps(entries, indent=1, sort_keys=True) + "\n"
        write_private(self.path, text, durable=False)

    def forget(self, database: str) -> None:
        """Drop ``database``'s anchor (after a deliberate restore moved its trail back)."""
        entries = self._read()
        if entries.pop(database, None) is not None:
            text = json.dumps(entries, indent=1, sort_keys=True) + "\n"
            write_private(self.path, text, durable=True)

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StorageError(
                f"The audit anchor file {self.path} cannot be read ({exc})."
            ) from None
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise StorageError(
                f"The audit anchor file {self.path} is damaged; check the trail with "
                "`clinic-app audit verify` on another workstation, then delete the file."
            )
        return data


def check(anchor: Anchor, rows: list[StoredRow], path: Path) -> str | None:
    """Why an intact-looking trail ``rows`` does not reach ``anchor``; ``None`` when it does."""
    found = next((r for r in rows if r.id == anchor.row), None)
    what = (
        f"Entry #{anchor.seq} (row {anchor.row}), which this workstation wrote or checked "
        f"at {anchor.at} UTC,"
    )
    advice = (
        "the audit tables were emptied or cut back (someone with rights to change the "
        "database's tables, or a restore of an older backup). Compare with your backups; if "
        f"a restore explains it, delete the anchor file {path}."
    )
    if found is None:
        return f"{what} is missing: {advice}"
    seal = found.seal
    if seal is None or seal.seq != anchor.seq or seal.hmac != anchor.hmac:
        return f"{what} now holds another entry: {advice}"
    return None
