"""What every service shares: one transaction per call, errors a user can read, audit rows."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Final, NoReturn

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_app.domain.access import default_permissions
from clinic_app.domain.audit_chain import AuditFacts
from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import (
    ClinicError,
    ConflictError,
    PermissionDenied,
    StaleVersionError,
    StorageError,
)
from clinic_app.models.base import utcnow
from clinic_app.services import audit_chain, grants

log = logging.getLogger(__name__)

#: What the database triggers of migration 0005 say when a signed record would change.
FROZEN_MARKER = "signed record is frozen"
#: What the user reads instead.
SIGNED_FROZEN_TEXT = "This visit is signed; corrections are added as addenda. Nothing was changed."
#: The audit action of a refused call (its entity_type names the action refused).
DENIED = "permission.denied"


@dataclass(slots=True)
class Actor:
    """Who is using this workstation: set at sign-in (or setup) from the database.

    Attributes:
        user_id: the signed-in account, ``None`` before setup or sign-in.
        roles: the roles the account held when it signed in (none for a deactivated one);
            what they allow is the permission matrix (:mod:`clinic_app.domain.access`).
        command_line: a headless document command with no one signed in (it may do only the
            matrix's ``command_line`` actions).
    """

    user_id: int | None = None
    roles: frozenset[Role] = frozenset()
    command_line: bool = False

    def sign_in(self, user_id: int, roles: frozenset[Role]) -> None:
        self.user_id = user_id
        self.roles = frozenset(roles)

    def sign_out(self) -> None:
        self.user_id = None
        self.roles = frozenset()

    @property
    def granted(self) -> frozenset[Role] | None:
        """The roles to check against the matrix; ``None`` while no one is signed in."""
        return None if self.user_id is None else self.roles


def storage_error_from(exc: DBAPIError) -> ClinicError:
    """Translate a driver error into a sentence for the person at the keyboard.

    Only the error class and SQLSTATE are logged, never the statement or its parameters,
    which can hold patient data.
    """
    text = str(exc.orig).lower()
    log.warning(
        "database error %s (sqlstate %s)",
        type(exc.orig).__name__,
        getattr(exc.orig, "sqlstate", None),
    )
    if FROZEN_MARKER in text:
        return ConflictError(SIGNED_FROZEN_TEXT)
    if isinstance(exc, IntegrityError):
        return ConflictError(
            "That would duplicate or break a link to another record; nothing was saved."
        )
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return StorageError(
            "The database is busy: another workstation is saving. Nothing was "
            "saved; try again in a moment."
        )
    if "disk is full" in text or "no space" in text or "disk full" in text:
        return StorageError(
            "The disk holding the database is full. Nothing was saved; free "
            "some space and try again."
        )
    if "malformed" in text or "not a database" in text:
        return StorageError(
            "The database file is damaged. Nothing was saved; restore the clinic's latest backup."
        )
    if "readonly" in text or "read-only" in text:
        return StorageError("The database file is read-only for this user. Nothing was saved.")
    if isinstance(exc, OperationalError):
        return StorageError(
            "The database cannot be reached. Nothing was saved; check the "
            "network or the server and try again."
        )
    return StorageError("The database refused the change. Nothing was saved.")


class _SignedIn:
    """The default of ``Service._audit(user_id=...)``: the user signed in now."""


SIGNED_IN: Final = _SignedIn()


class Service:
    """What every service holds: the session factory, the current actor and the clock.

    Services are siblings: each subclasses this directly and shares row loading through
    :mod:`clinic_app.services.rows`, never another service's methods. Every public method
    has the same shape::

        def do_thing(self, ...):
            self._permit("area.thing")        # first, before any row is read
            values = clean(...)               # checks that need no database
            with self._tx() as session:       # one transaction per user action
                ...                           # load rows (rows.load_*), change them
                self._audit(session, "area.thing", ...)   # inside the same transaction
                return plain_view(...)        # dataclasses out, never ORM objects

    Read-only methods permit too, and write no audit row.

    ``clock`` gives the time a user action records (when a note is signed, and every audit
    row's time); the app uses the real UTC clock, the demo seeder one set to each historical
    visit. ``seal`` seals the
    audit rows (the composition root passes the installation's; by default the key file in
    the per-user config folder).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor: Actor | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        seal: audit_chain.AuditSeal | None = None,
    ) -> None:
        self._sessions = sessions
        self._actor = actor or Actor()
        self._clock = clock
        self._seal = seal or audit_chain.installation_seal()

    @functools.cached_property
    def _catalog(self) -> Catalog:
        """The muscle catalog the app ships (read once per process)."""
        return default_catalog()

    def _permit(
        self, action: str, patient_id: int | None = None, *, encounter_id: int | None = None
    ) -> None:
        """The one place a use case asks whether the person at the keyboard may do ``action``.

        Called first by every public method, before any row is read, with the name its audit
        row uses (``area.verb``; reads use their own names such as ``encounter.read``). The
        permission matrix (:mod:`clinic_app.domain.access`, deny by default) answers from the
        actor's roles; with no one signed in only the matrix's ``signed_out`` actions pass
        (first-run setup, which refuses once a clinic exists; signing in).

        A read of one patient's chart names the patient (``patient_id``, or the
        ``encounter_id`` it belongs to): an emergency access the actor was granted for that
        patient (:mod:`clinic_app.services.emergency`) then allows the reads it covers even
        when the roles do not. Only a refused call with an active grant reads the encounter's
        patient; without a grant no patient row is read.

        Raises:
            PermissionDenied: the roles do not allow it. A "permission.denied" audit row
                naming the action is written first, in its own short transaction; the
                action's own transaction never starts.
        """
        if self._may(action):
            return
        user_id = self._actor.user_id
        if user_id is not None and grants.may_lift(action):
            with self._tx() as session:
                if grants.allows(session, user_id, action, patient_id, encounter_id):
                    return
        self._deny(action)

    def _may(self, action: str) -> bool:
        """Whether the actor's roles allow ``action`` (for a finer check inside a method)."""
        actor = self._actor
        return default_permissions().allows(actor.granted, action, command_line=actor.command_line)

    def _deny(self, action: str) -> NoReturn:
        """Audit the refusal of ``action`` in its own transaction, then refuse."""
        log.info("permission denied: %s for user %s", action, self._actor.user_id)
        refusal = PermissionDenied(
            action, default_permissions().refusal(self._actor.granted, action)
        )
        try:
            with self._tx() as session:
                # The entity of a denial is the action refused (no row was read, so no id).
                self._audit(session, DENIED, action, None)
        except ClinicError as exc:
            # Refused all the same: a database that cannot take the audit row must not turn
            # a refusal into a different error.
            log.warning("the refusal of %s could not be audited: %s", action, type(exc).__name__)
            raise refusal from exc
        raise refusal

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        try:
            with self._sessions.begin() as session:
                yield session
        except StaleDataError:
            raise StaleVersionError(
                "This record was changed on another workstation since you "
                "opened it. Reopen it to see the latest version; your edit "
                "was not saved."
            ) from None
        except DBAPIError as exc:
            # "from None": a driver message can quote the failing row (PostgreSQL's DETAIL
            # "Failing row contains (...)"), so it must not ride along in a traceback.
            raise storage_error_from(exc) from None

    def _audit(
        self,
        session: Session,
        action: str,
        entity_type: str,
        entity_id: int | None,
        patient_id: int | None = None,
        *,
        user_id: int | _SignedIn | None = SIGNED_IN,
    ) -> None:
        """Record an action in the same transaction as the change it describes.

        ``user_id`` is who did it: by default the signed-in user; an explicit id or ``None``
        for an attempt by no known account (a failed sign-in under an unknown name is never
        credited to whoever is signed in on the workstation).

        The row is sealed into the audit chain (:func:`clinic_app.services.audit_chain.append`),
        which locks the chain head until this transaction ends.
        """
        facts = AuditFacts(
            at=self._clock(),  # the app's real clock; the demo seeder's historical one
            user_id=self._actor.user_id if isinstance(user_id, _SignedIn) else user_id,
            action=action,
            patient_id=patient_id,
            entity_type=entity_type,
            entity_id=entity_id,
            workstation=self._seal.workstation,
        )
        audit_chain.append(session, self._seal, facts)
