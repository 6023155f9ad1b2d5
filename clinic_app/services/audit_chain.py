"""Sealing audit rows into the hash chain, and reading the chain back to verify it.

The canonical content and the HMACs are :mod:`clinic_app.domain.audit_chain`; this module
talks to the tables. The key lives outside the database (:mod:`clinic_app.services.audit_key`:
the OS keyring or a file) and so does each workstation's anchor
(:mod:`clinic_app.services.audit_anchor`).

Threat model, honestly:

- Someone who can run SQL as the app (or has the database file) but not the key cannot
  change, remove, reorder or add an audit row without ``clinic-app audit verify`` naming
  it: the triggers refuse UPDATE and DELETE, and even after dropping them (DDL rights) the
  seals no longer match. Cutting entries off the end is seen because the chain head (in
  ``audit_chain_head``, sealed too) still counts them.
- An attacker with DDL rights who empties both tables (or cuts them back to an old copy of
  the head) is caught by the anchor every workstation keeps next to its key: verify fails
  when the last entry a workstation wrote or checked is gone. A workstation that never saw
  the trail cannot know; run verify on the ones that did.
- Whoever holds the key can forge anything: keep it owner-only, copy it only with
  ``clinic-app audit export-key`` / ``import-key``.
- One trail, one key: a workstation whose key did not seal the trail's last entry refuses to
  add rows (instead of forking the trail with a key the others do not have).
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from clinic_app.domain import audit_chain as chain
from clinic_app.domain.errors import StorageError
from clinic_app.models import AuditChainHead, AuditEvent
from clinic_app.services import audit_anchor
from clinic_app.services.audit_anchor import Anchor, AnchorFile
from clinic_app.services.audit_key import (
    KEY_ENV,
    KEY_FILENAME,
    KeyFile,
    KeyStore,
    default_key_path,
    installation_key,
)

__all__ = [
    "KEY_ENV", "KEY_FILENAME", "AuditSeal", "KeyFile", "KeyStore", "append", "checking_key",
    "default_key_path", "installation_seal", "stored_head", "stored_rows", "workstation_label",
]  # fmt: skip

log = logging.getLogger(__name__)

HEAD_ID = 1
_PENDING = "clinic_app.audit_anchor"

#: What a workstation without the trail's key is told (nothing is saved until it has it).
KEY_HOW_TO = (
    "Nothing was saved. Copy the clinic's audit key to this workstation: on a workstation "
    "that works, an administrator runs `clinic-app audit export-key --out FILE`; here, "
    '`clinic-app audit import-key FILE` (see the README, "Several workstations").'
)
NO_KEY_TEXT = (
    "This workstation has no audit key ({where}), and this database's audit trail is sealed "
    "with key {trail}. " + KEY_HOW_TO
)
OTHER_KEY_TEXT = (
    "This workstation's audit key {mine} ({where}) is not the key {trail} that sealed this "
    "database's audit trail. " + KEY_HOW_TO
)
HEAD_CHANGED_TEXT = (
    "The audit trail's chain head does not match its seal; nothing was saved. Run "
    "`clinic-app audit verify` and restore the database from a backup."
)


def workstation_label() -> str:
    """This computer's host name, cut to the column's 64 characters (no patient data)."""
    return (platform.node() or "unknown")[:64]


@dataclass(frozen=True, slots=True)
class AuditSeal:
    """What sealing needs: the key (asked for when first used) and this computer's label.

    Attributes:
        key: the installation key (a :class:`KeyStore`, or any callable in tests).
        workstation: this computer's label, stored on every row.
        anchor: this workstation's anchor file, ``None`` for none (tests).
        database: the label the anchor files this database under (its URL, no password).
    """

    key: Callable[[], bytes]
    workstation: str = field(default_factory=workstation_label)
    anchor: AnchorFile | None = None
    database: str = ""


def installation_seal(folder: Path | None = None) -> AuditSeal:
    """The seal of this installation: its key store and the anchor file beside the key."""
    store = installation_key(folder)
    return AuditSeal(store, anchor=AnchorFile(store.anchor_path))


def _where(seal: AuditSeal) -> str:
    return seal.key.describe() if isinstance(seal.key, KeyStore) else "given by the caller"


def existing_key(seal: AuditSeal) -> bytes | None:
    """The key this workstation holds, never making one (``None`` when it has none)."""
    return seal.key.existing() if isinstance(seal.key, KeyStore) else seal.key()


def checking_key(seal: AuditSeal) -> bytes:
    """The key to verify with: an existing key only (checking never makes a new key,
    which would seal this workstation's next rows with a key the trail does not know)."""
    key = existing_key(seal)
    if key is None:
        raise StorageError(
            f"No audit key at {_where(seal)}: verifying needs the installation key that "
            f"sealed the trail (import it with `clinic-app audit import-key FILE`, or set "
            f"{KEY_ENV} to its path)."
        )
    return key


def trail_key(seal: AuditSeal, head: chain.StoredHead | None) -> bytes:
    """The key to add to a trail whose head is ``head``: a new trail (no sealed entry yet)
    may make this workstation's key; a sealed one needs the key that sealed its last entry.

    Raises:
        StorageError: no key, or another key (saying how to copy the right one here), or a
            head whose seal does not match.
    """
    if head is None or head.seq == 0:
        return seal.key()
    key = existing_key(seal)
    if key is None:
        raise StorageError(NO_KEY_TEXT.format(where=_where(seal), trail=head.key_id))
    if chain.key_id(key) != head.key_id:
        raise StorageError(
            OTHER_KEY_TEXT.format(mine=chain.key_id(key), where=_where(seal), trail=head.key_id)
        )
    if chain.head_hmac(key, head.seq, head.last_hmac) != head.hmac:
        raise StorageError(HEAD_CHANGED_TEXT)
    return key


def append(session: Session, seal: AuditSeal, facts: chain.AuditFacts) -> AuditEvent:
    """Add one sealed audit row to ``session``'s transaction and advance the chain head.

    Writers are serialised on the chain head: on PostgreSQL ``SELECT ... FOR UPDATE`` locks
    its one row until this transaction ends, so a second workstation appending at the same
    moment waits, then reads the head this one wrote; two rows can never claim the same
    place (and the unique ``seq`` would refuse it anyway). On SQLite FOR UPDATE is not
    needed: one writer at a time holds the database, and a transaction whose read is
    outdated by another's commit cannot commit its write (it fails as "busy"; nothing forks).

    Raises:
        StorageError: this workstation lacks the key that sealed the trail's last entry
            (:func:`trail_key`); nothing is saved, rather than forking the trail.
    """
    head = session.get(AuditChainHead, HEAD_ID, with_for_update=True)
    if head is None:
        head = _new_head(session)
    before = chain.StoredHead(head.seq, head.last_hmac, head.key_id, head.hmac)
    key = trail_key(seal, before)
    moves_anchor = _anchor_moves(session, seal, before)
    prev = chain.genesis_hmac(key, _legacy(session)) if head.seq == 0 else head.last_hmac
    sealed = chain.seal_entry(key, facts, head.seq + 1, prev)
    row = AuditEvent(
        at=facts.at,
        user_id=facts.user_id,
        action=facts.action,
        patient_id=facts.patient_id,
        entity_type=facts.entity_type,
        entity_id=facts.entity_id,
        workstation=facts.workstation,
        seq=sealed.seq,
        key_id=sealed.key_id,
        prev_hmac=sealed.prev_hmac,
        hmac=sealed.hmac,
    )
    session.add(row)
    head.seq = sealed.seq
    head.last_hmac = sealed.hmac
    head.key_id = sealed.key_id
    head.hmac = chain.head_hmac(key, sealed.seq, sealed.hmac)
    if moves_anchor:
        _anchor_after_commit(session, seal, row, sealed)
    return row


def _anchor_moves(session: Session, seal: AuditSeal, head: chain.StoredHead) -> bool:
    """Whether this workstation's anchor may move to the entry being added.

    Only along an intact chain: when the anchored entry is no longer in the table (the
    tables were emptied or cut back), the anchor stays where it was, so that
    ``audit verify`` still says so.
    """
    if seal.anchor is None:
        return False
    try:
        anchor = seal.anchor.get(seal.database)
    except StorageError as exc:  # verify says so; the clinic's work goes on
        log.warning("the audit anchor cannot be read: %s", exc)
        return False
    if anchor is not None and not _reaches(session, head, anchor):
        log.warning("the audit trail no longer holds this workstation's anchor: run audit verify")
        return False
    return True


def _anchor_after_commit(
    session: Session, seal: AuditSeal, row: AuditEvent, sealed: chain.Seal
) -> None:
    """Move this workstation's anchor to ``row`` once the transaction has committed."""
    if _PENDING not in session.info:
        event.listen(session, "after_commit", _write_anchor)
        event.listen(session, "after_rollback", _forget_anchor)
    session.info[_PENDING] = (seal, row, sealed)


def _reaches(session: Session, head: chain.StoredHead, anchor: Anchor) -> bool:
    """Whether the trail under ``head`` still holds the anchored entry."""
    if anchor.seq > head.seq:
        return False
    if anchor.seq == head.seq:
        return anchor.hmac == head.last_hmac
    found = session.execute(
        select(AuditEvent.seq, AuditEvent.hmac).where(AuditEvent.id == anchor.row)
    ).first()
    return found is not None and tuple(found) == (anchor.seq, anchor.hmac)


def _write_anchor(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    seal, row, sealed = pending
    identity = inspect(row).identity
    if identity is None or seal.anchor is None:
        return
    move_anchor(seal, Anchor(int(identity[0]), sealed.seq, sealed.hmac, _now_text()))


def _forget_anchor(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def move_anchor(seal: AuditSeal, anchor: Anchor) -> None:
    """Record ``anchor`` for this database; a file that cannot be written is only logged
    (the saved action stands)."""
    if seal.anchor is None:
        return
    try:
        seal.anchor.put(seal.database, anchor)
    except (OSError, StorageError) as exc:
        log.warning("the audit anchor could not be written: %s", type(exc).__name__)


def check_anchor(seal: AuditSeal, rows: list[chain.StoredRow]) -> str | None:
    """Why ``rows`` (an intact chain) do not reach this workstation's anchor, or ``None``;
    when they do, the anchor moves to their last entry."""
    if seal.anchor is None:
        return None
    anchor = seal.anchor.get(seal.database)
    if anchor is not None:
        problem = audit_anchor.check(anchor, rows, seal.anchor.path)
        if problem is not None:
            return problem
    last = rows[-1] if rows else None
    if (
        last is not None
        and last.seal is not None
        and (anchor is None or last.seal.seq > anchor.seq)
    ):
        move_anchor(seal, Anchor(last.id, last.seal.seq, last.seal.hmac, _now_text()))
    return None


def _new_head(session: Session) -> AuditChainHead:
    """The head row of a trail whose tables were emptied (TRUNCATE by an administrator).

    Refused when sealed rows remain: a missing head with sealed rows means the trail was
    tampered with, and starting a new head would hide cut-off entries.
    """
    if session.scalar(select(AuditEvent.id).where(AuditEvent.seq.is_not(None)).limit(1)):
        raise StorageError(
            "The audit trail's chain head is missing; nothing was saved. Run "
            "`clinic-app audit verify` and restore the database from a backup."
        )
    head = AuditChainHead(id=HEAD_ID, seq=0, last_hmac="", key_id="", hmac="")
    session.add(head)
    return head


def _facts(row: AuditEvent) -> chain.AuditFacts:
    return chain.AuditFacts(
        at=row.at,
        user_id=row.user_id,
        action=row.action,
        patient_id=row.patient_id,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        workstation=row.workstation,
    )


def _legacy(session: Session) -> list[tuple[int, chain.AuditFacts]]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id)
    )
    return [(row.id, _facts(row)) for row in rows]


def stored_rows(session: Session) -> list[chain.StoredRow]:
    """Every audit row in id order, as the chain check reads them."""
    out: list[chain.StoredRow] = []
    for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        seal = None
        if row.hmac is not None or row.seq is not None:
            seal = chain.Seal(
                seq=row.seq or 0,
                key_id=row.key_id or "",
                prev_hmac=row.prev_hmac or "",
                hmac=row.hmac or "",
            )
        out.append(chain.StoredRow(row.id, _facts(row), seal))
    return out


def stored_head(session: Session) -> chain.StoredHead | None:
    """The chain head as stored, ``None`` when its row is gone."""
    head = session.get(AuditChainHead, HEAD_ID)
    if head is None:
        return None
    return chain.StoredHead(head.seq, head.last_hmac, head.key_id, head.hmac)
