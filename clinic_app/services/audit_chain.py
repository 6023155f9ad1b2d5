"""Sealing audit rows into the hash chain, and reading the chain back to verify it.

The canonical content and the HMACs are :mod:`clinic_app.domain.audit_chain`; this module
holds the key (a file outside the database) and talks to the tables.

Threat model, honestly:

- Someone who can run SQL as the app (or has the database file) but not the key cannot
  change, remove, reorder or add an audit row without ``clinic-app audit verify`` naming
  it: the triggers refuse UPDATE and DELETE, and even after dropping them (DDL rights) the
  seals no longer match. Cutting entries off the end is seen because the chain head (in
  ``audit_chain_head``, sealed too) still counts them.
- What the seals cannot see: an attacker with DDL rights who also kept an *old copy* of
  the head (from a backup) can cut the trail back to that point, or wipe both tables back to
  the empty state of a new database. Only a record kept elsewhere catches that: note the
  entry count verify prints, or compare with backups.
- Whoever holds the key file can forge anything. It lives in the installation's config
  folder with owner-only permissions (0600 where the OS supports it), or where
  ``CLINIC_APP_AUDIT_KEY`` points (e.g. a protected shared folder): every workstation
  writing to one PostgreSQL database needs the same key file, or verify reports the rows
  another key sealed.
"""

from __future__ import annotations

import logging
import os
import platform
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain import audit_chain as chain
from clinic_app.domain.errors import StorageError
from clinic_app.models import AuditChainHead, AuditEvent
from clinic_app.storage.location import config_dir

log = logging.getLogger(__name__)

#: Where the app keeps its installation key, unless ``CLINIC_APP_AUDIT_KEY`` names a file.
KEY_FILENAME = "audit.key"
KEY_ENV = "CLINIC_APP_AUDIT_KEY"
HEAD_ID = 1


def default_key_path(folder: Path | None = None) -> Path:
    """``$CLINIC_APP_AUDIT_KEY``, else ``audit.key`` in ``folder`` (default: the config folder)."""
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override).expanduser()
    return (folder or config_dir()) / KEY_FILENAME


def workstation_label() -> str:
    """This computer's host name, cut to the column's 64 characters (no patient data)."""
    return (platform.node() or "unknown")[:64]


class KeyFile:
    """The installation's audit key: 32 random bytes, hex in a file, made on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: bytes | None = None

    def __call__(self) -> bytes:
        if self._key is None:
            self._key = self._read() if self.path.exists() else self._create()
        return self._key

    def _read(self) -> bytes:
        try:
            text = self.path.read_text(encoding="ascii").strip()
            key = bytes.fromhex(text)
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"The audit key file {self.path} cannot be read ({exc}); audited actions "
                "are refused until it is restored from a backup."
            ) from None
        if len(key) < chain.KEY_BYTES:
            raise StorageError(f"The audit key file {self.path} is too short; restore it.")
        return key

    def _create(self) -> bytes:
        key = secrets.token_bytes(chain.KEY_BYTES)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once never both write a key.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self._read()
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        log.info("created a new audit key file %s", self.path)
        return key


@dataclass(frozen=True, slots=True)
class AuditSeal:
    """What sealing needs: the key (asked for when first used) and this computer's label."""

    key: Callable[[], bytes]
    workstation: str = field(default_factory=workstation_label)


def installation_seal(folder: Path | None = None) -> AuditSeal:
    """The seal of this installation: the key file in ``folder`` (default config folder)."""
    return AuditSeal(KeyFile(default_key_path(folder)))


def checking_key(seal: AuditSeal) -> bytes:
    """The key to verify with: an existing key file only (checking never makes a new key,
    which would seal this workstation's next rows with a key the trail does not know)."""
    if isinstance(seal.key, KeyFile) and not seal.key.path.exists():
        raise StorageError(
            f"No audit key at {seal.key.path}: verifying needs the installation key that "
            f"sealed the trail (copy it there, or set {KEY_ENV} to its path)."
        )
    return seal.key()


def append(session: Session, seal: AuditSeal, facts: chain.AuditFacts) -> AuditEvent:
    """Add one sealed audit row to ``session``'s transaction and advance the chain head.

    Writers are serialised on the chain head: on PostgreSQL ``SELECT ... FOR UPDATE`` locks
    its one row until this transaction ends, so a second workstation appending at the same
    moment waits, then reads the head this one wrote; two rows can never claim the same
    place (and the unique ``seq`` would refuse it anyway). On SQLite FOR UPDATE is not
    needed: one writer at a time holds the database, and a transaction whose read is
    outdated by another's commit cannot commit its write (it fails as "busy"; nothing forks).
    """
    key = seal.key()
    head = session.get(AuditChainHead, HEAD_ID, with_for_update=True)
    if head is None:
        head = _new_head(session)
    prev = chain.genesis_hmac(key, _legacy(session)) if head.seq == 0 else head.last_hmac
    sealed = chain.seal_entry(key, facts, head.seq + 1, prev)
    if head.key_id and head.key_id != sealed.key_id:
        log.warning(
            "audit key %s differs from the key %s that sealed the last entry: copy the "
            "installation key file to this workstation",
            sealed.key_id,
            head.key_id,
        )
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
    return row


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
