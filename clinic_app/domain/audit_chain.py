"""The audit trail's hash chain: canonical content, HMACs and the check of a whole chain.

Pure stdlib: the services read rows and the key, this module decides what the bytes are and
whether a chain is intact.

Every audit entry is sealed with HMAC-SHA256 over its canonical content, which includes its
sequence number and the seal of the entry before it, under a secret key kept outside the
database. The first sealed entry links to a *genesis* seal over the rows written before the
chain existed (migration 0007 found them unsealed), so those become tamper-evident too from
the first sealed entry on. The *head* (the last entry's number and seal) is kept in a second
table with its own seal, so that removing the last entries cannot go unnoticed by someone who
edits only the audit table.

:func:`verify_chain` walks the rows in storage order and names the first one that is wrong:
changed, missing, out of order, inserted, written with another key, or a tail cut off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

#: Bytes of a new installation key (256 bits, the HMAC-SHA256 block-safe size).
KEY_BYTES = 32
#: Hex digits of a key's public id (stored on every entry; says which key sealed it).
KEY_ID_CHARS = 16


def key_id(key: bytes) -> str:
    """A short public name of ``key``: safe to store, reveals nothing of the key."""
    return _mac(key, b"clinic_app audit key id")[:KEY_ID_CHARS]


def _mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _canonical(kind: str, values: Sequence[object]) -> bytes:
    # JSON of a flat list of str/int/None: one spelling per value, fields cannot run together.
    return json.dumps([kind, *values], separators=(",", ":"), ensure_ascii=False).encode()


def _instant(at: datetime) -> str:
    """A timestamp in one spelling: UTC, microseconds (what both databases keep)."""
    if at.tzinfo is None:
        raise ValueError("an audit time must carry its time zone")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class AuditFacts:
    """What one audit row says: when, who, what, about which patient and record, where.

    Attributes:
        workstation: a short host label (never patient data), ``None`` on rows from before
            the chain.
    """

    at: datetime
    user_id: int | None
    action: str
    patient_id: int | None
    entity_type: str
    entity_id: int | None
    workstation: str | None = None

    def values(self) -> tuple[object, ...]:
        return (
            _instant(self.at),
            self.user_id,
            self.action,
            self.patient_id,
            self.entity_type,
            self.entity_id,
            self.workstation,
        )


@dataclass(frozen=True, slots=True)
class Seal:
    """The chain fields of one sealed row.

    Attributes:
        seq: 1 for the first sealed entry, then one more for each (no gaps).
        key_id: which installation key sealed it (:func:`key_id`).
        prev_hmac: the seal of the entry before (the genesis seal for entry 1).
        hmac: this entry's seal.
    """

    seq: int
    key_id: str
    prev_hmac: str
    hmac: str


def entry_hmac(key: bytes, facts: AuditFacts, seq: int, prev_hmac: str) -> str:
    """The seal of entry ``seq`` saying ``facts``, following the entry sealed ``prev_hmac``."""
    return _mac(key, _canonical("entry", (seq, key_id(key), prev_hmac, *facts.values())))


def seal_entry(key: bytes, facts: AuditFacts, seq: int, prev_hmac: str) -> Seal:
    """The chain fields for a new entry."""
    return Seal(seq, key_id(key), prev_hmac, entry_hmac(key, facts, seq, prev_hmac))


def genesis_hmac(key: bytes, legacy: Sequence[tuple[int, AuditFacts]]) -> str:
    """What entry 1 links to: a seal over the (id, facts) of every row from before the chain."""
    digest = hashlib.sha256()
    for row_id, facts in legacy:
        digest.update(_canonical("legacy", (row_id, *facts.values())) + b"\n")
    return _mac(key, _canonical("genesis", (len(legacy), digest.hexdigest())))


def head_hmac(key: bytes, seq: int, last_hmac: str) -> str:
    """The seal of the chain head: entry ``seq`` is the last one and is sealed ``last_hmac``."""
    return _mac(key, _canonical("head", (seq, last_hmac)))


@dataclass(frozen=True, slots=True)
class StoredRow:
    """An audit row as read back: its id, what it says, and its seal (None before the chain)."""

    id: int
    facts: AuditFacts
    seal: Seal | None


@dataclass(frozen=True, slots=True)
class StoredHead:
    """The chain head as stored: last entry number and seal, sealed by key ``key_id``."""

    seq: int
    last_hmac: str
    key_id: str
    hmac: str


class Problem(StrEnum):
    """What can be wrong with a chain (the first thing found is reported)."""

    CHANGED = "content changed"
    MISSING = "row missing"
    ORDER = "order changed"
    INSERTED = "inserted row"
    TRUNCATED = "truncated tail"
    OTHER_KEY = "sealed with another key"
    LEGACY_CHANGED = "pre-chain rows changed"
    HEAD = "chain head changed"
    #: The entry a workstation last wrote or checked is gone (checked by the services
    #: against the anchor kept next to the key: the tables were emptied or cut back).
    ANCHOR = "emptied or cut back"


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking a whole chain.

    Attributes:
        problem: what is wrong, ``None`` when the chain is intact.
        row_id: the audit row at fault (``None`` when no single row is, e.g. a cut tail
            after an empty table).
        message: one sentence for the administrator.
        sealed: how many sealed entries were checked.
        legacy: how many rows predate the chain (checked through the genesis seal once the
            chain has an entry; not tamper-evident before that).
    """

    problem: Problem | None
    row_id: int | None
    message: str
    sealed: int
    legacy: int

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(key: bytes, rows: Sequence[StoredRow], head: StoredHead | None) -> ChainReport:
    """Check every row (in id order) and the head; report the first problem found."""
    return _Walk(key, rows, head).run()


class _Walk:
    def __init__(self, key: bytes, rows: Sequence[StoredRow], head: StoredHead | None) -> None:
        self.key = key
        self.key_id = key_id(key)
        self.head = head
        self.legacy = _leading_unsealed(rows)
        self.sealed = list(rows[len(self.legacy) :])
        self.where = {r.seal.seq: r.id for r in self.sealed if r.seal is not None}

    def report(self, problem: Problem | None, row_id: int | None, message: str) -> ChainReport:
        return ChainReport(problem, row_id, message, len(self.sealed), len(self.legacy))

    def run(self) -> ChainReport:
        prev = genesis_hmac(self.key, [(r.id, r.facts) for r in self.legacy])
        for index, row in enumerate(self.sealed):
            found = self.check_row(index, row, prev)
            if found is not None:
                return found
            assert row.seal is not None
            prev = row.seal.hmac
        return self.check_head(prev)

    def check_row(self, index: int, row: StoredRow, prev: str) -> ChainReport | None:
        seal = row.seal
        expected = index + 1
        if seal is None:
            return self.report(
                Problem.INSERTED, row.id, f"Row {row.id} carries no seal among sealed rows."
            )
        if seal.key_id != self.key_id:
            return self.report(
                Problem.OTHER_KEY,
                row.id,
                f"Row {row.id} (entry #{seal.seq}, workstation {row.facts.workstation or '?'}) "
                f"was sealed with key {seal.key_id}, not this installation's key "
                f"{self.key_id}: copy the installation key file to every workstation.",
            )
        if entry_hmac(self.key, row.facts, seal.seq, seal.prev_hmac) != seal.hmac:
            return self.bad_seal(index, row, prev)
        if seal.seq == expected and seal.prev_hmac == prev:
            return None
        if seal.seq == expected and index == 0:
            return self.report(
                Problem.LEGACY_CHANGED,
                row.id,
                f"The {len(self.legacy)} row(s) written before the chain (before row {row.id}) "
                "were changed, removed or added to.",
            )
        if expected in self.where and self.where[expected] != row.id:
            return self.report(
                Problem.ORDER,
                row.id,
                f"Order changed: row {row.id} holds entry #{seal.seq} where entry "
                f"#{expected} belongs (that one is at row {self.where[expected]}).",
            )
        if seal.seq > expected:
            return self.report(
                Problem.MISSING,
                row.id,
                f"Entries #{expected}–#{seal.seq - 1} are missing before row {row.id}.",
            )
        return self.report(
            Problem.INSERTED,
            row.id,
            f"Row {row.id} repeats entry #{seal.seq} or does not follow the entry before it.",
        )

    def bad_seal(self, index: int, row: StoredRow, prev: str) -> ChainReport:
        """A seal that does not match: an edited row, or one that was never sealed here."""
        after = self.sealed[index + 1] if index + 1 < len(self.sealed) else None
        inserted = (
            after.seal is not None and after.seal.prev_hmac == prev
            if after is not None
            else self.head is not None and self.head.seq == index and self.head.last_hmac == prev
        )
        if inserted:
            return self.report(
                Problem.INSERTED,
                row.id,
                f"Row {row.id} was inserted: its seal is forged and the chain runs past it.",
            )
        return self.report(
            Problem.CHANGED,
            row.id,
            f"Row {row.id} was changed after it was written: its seal does not match.",
        )

    def check_head(self, last: str) -> ChainReport:
        count = len(self.sealed)
        last_row = self.sealed[-1].id if self.sealed else None
        if self.head is None:
            if not count:
                return self.report(None, None, self.intact())
            return self.report(
                Problem.HEAD, None, "The chain head is missing: entries may have been cut off."
            )
        head = self.head
        if head.seq == 0 and not count and not head.hmac:
            return self.report(None, None, self.intact())
        if head.key_id != self.key_id or head_hmac(self.key, head.seq, head.last_hmac) != head.hmac:
            return self.report(
                Problem.HEAD, None, "The chain head was changed: its seal does not match."
            )
        if head.seq > count:
            after = f" after row {last_row}" if last_row is not None else ""
            return self.report(
                Problem.TRUNCATED,
                None,
                f"The last {head.seq - count} entr{'y is' if head.seq - count == 1 else 'ies are'}"
                f" missing{after}: the chain head says #{head.seq}, the table ends at #{count}.",
            )
        if head.seq < count:
            extra = self.sealed[head.seq]
            return self.report(
                Problem.INSERTED,
                extra.id,
                f"Row {extra.id} lies beyond the chain head (#{head.seq}).",
            )
        if head.last_hmac != last:
            return self.report(
                Problem.HEAD, last_row, "The last entry does not match the chain head."
            )
        return self.report(None, None, self.intact())

    def intact(self) -> str:
        legacy = ""
        if self.legacy and self.sealed:
            legacy = f"; the {len(self.legacy)} row(s) from before the chain are in its first seal"
        elif self.legacy:
            legacy = f"; {len(self.legacy)} row(s) from before the chain are not sealed yet"
        return f"The audit trail is intact: {len(self.sealed)} sealed entries{legacy}."


def _leading_unsealed(rows: Sequence[StoredRow]) -> list[StoredRow]:
    leading: list[StoredRow] = []
    for row in rows:
        if row.seal is not None:
            break
        leading.append(row)
    return leading
