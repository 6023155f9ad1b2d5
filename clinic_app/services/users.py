"""User administration: the administrator's accounts screen (issue 10 §1).

Every method is an administrator's action (the permission matrix allows ``user.*`` to the
admin role only). Accounts are never deleted: a deactivated account keeps its rows, which the
audit trail and signed notes point to. The clinic always keeps one active administrator:
the last one can be neither deactivated nor stripped of the admin role. That rule is
checked inside the transaction that makes the change, after locking every active
administrator's row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite by taking the
database's one write lock first), so two administrators removing each other at the same
moment cannot both succeed (``tests/services/test_last_admin_race.py``).

Every method that changes an existing account takes ``expected_version``, the version of the
account the window listed (issue 11 §2): a change made meanwhile on another workstation is
not overwritten. ``create_user`` makes a new row (nothing to be stale against).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clinic_app.domain import fields as f
from clinic_app.domain import passwords
from clinic_app.domain import validation as v
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ConflictError, FieldChecks, NotFoundError
from clinic_app.models import User, UserRole
from clinic_app.services import rows
from clinic_app.services.accounts import (
    check_npi,
    check_roles,
    clean_user,
    hash_password,
    password_context,
    user_view,
)
from clinic_app.services.base import Service
from clinic_app.services.dto import NewUser, UserChanges, UserView

#: What the last administrator's account refuses (deactivation or losing the role).
LAST_ADMIN_TEXT = (
    "{name} is the clinic's last active administrator. Give another active account the "
    "administrator role first; nothing was changed."
)
#: What a change made from a stale copy of an account is told. The version moves with every
#: change of the account: another administrator's, and the user choosing their own password
#: (not with a sign-in's wrong-password count: ``accounts._record_sign_in``).
STALE_ACCOUNT_TEXT = (
    "Another administrator changed {name}'s account (or the user chose a new password) "
    "since the list was loaded. Nothing was changed; look at the account as it is now and "
    "try again."
)
SELF_DEACTIVATE_TEXT = (
    "You cannot deactivate your own account while signed in with it; another administrator "
    "can. Nothing was changed."
)


def _clinic_name(session: Session) -> str:
    clinic = rows.clinic_profile(session)
    return clinic.name if clinic else ""


def _load_user(session: Session, user_id: int, expected_version: int) -> User:
    """The account, its row locked, if it is still the version the caller read."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFoundError(f"No user with id {user_id}.")
    rows.check_version(
        user.version, expected_version, STALE_ACCOUNT_TEXT.format(name=user.display_name)
    )
    return user


def _checked_version(expected_version: int) -> int:
    return f.check_id("expected_version", expected_version, label="The account's version")


def _locked_active_admins(session: Session) -> set[int]:
    """The active administrators' ids, their rows locked until the transaction ends.

    Locked in id order, so two transactions wait for each other instead of deadlocking; a
    row another transaction changed meanwhile is read again (PostgreSQL re-checks the WHERE
    clause), so a just-deactivated administrator is not counted.
    """
    if session.get_bind().dialect.name == "sqlite":
        # pysqlite runs a SELECT outside any transaction (it begins one before the first
        # write only), so two connections could both count two administrators. A write
        # first takes SQLite's single write lock for this transaction (the other waits for
        # it), and the count below is then the latest committed one.
        session.execute(update(User).where(User.id == -1).values(active=User.active))
    query = (
        select(User.id)
        .join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()
    )
    return set(session.scalars(query))


def _keep_an_admin(admins: set[int], user: User) -> None:
    """Refuse when ``user`` is the only active administrator left (``admins``, locked)."""
    if admins == {user.id}:
        raise ConflictError(LAST_ADMIN_TEXT.format(name=user.display_name))


class UserService(Service):
    """The administrator's user accounts: list, create, edit, reset, deactivate, reactivate."""

    def accounts(self) -> list[UserView]:
        """Every account, active or not: active ones first, then by name."""
        self._permit("user.accounts")
        with self._tx() as session:
            found = session.scalars(
                select(User).order_by(User.active.desc(), User.display_name, User.id)
            )
            return [user_view(u) for u in found]

    def create_user(self, data: NewUser) -> UserView:
        """A new active account with ``data``'s roles, which must choose its own password at
        first sign-in (the one given here is the administrator's first, temporary one).

        The username follows :func:`clinic_app.domain.validation.clean_username`, the password
        :func:`clinic_app.domain.passwords.check_new_password`; an NPI is optional (a provider
        without one still charts; it is printed on notes when given) and must be valid when
        given.
        """
        self._permit("user.create")
        with self._tx() as session:
            values = clean_user(
                data,
                clinic_name=_clinic_name(session),
                taken=lambda name: (
                    session.scalar(select(User.id).where(User.username == name)) is not None
                ),
            )
            # The administrator chose (and knows) this password: the user replaces it with
            # one only they know at first sign-in, as after a reset.
            user = User(**values, must_change_password=True)
            session.add(user)
            session.flush()
            self._audit(session, "user.create", "user", user.id)
            return user_view(user)

    def update_user(self, user_id: int, changes: UserChanges, *, expected_version: int) -> UserView:
        """Change an account's name, roles, credentials and NPI.

        Raises:
            ConflictError: the account changed since ``expected_version`` was read, or it
                would take the admin role from the last active administrator.
        """
        self._permit("user.update")
        user_id = f.check_id("user_id", user_id, label="User")
        version = _checked_version(expected_version)
        display_name = v.clean_name("display_name", changes.display_name, label="Full name")
        credentials = v.clean_text(
            "credentials", changes.credentials, label="Credentials", max_length=40
        )
        npi = check_npi(changes.npi)
        roles = check_roles(changes.roles)
        with self._tx() as session:
            # The administrators' rows first, then the account's: every transaction takes
            # the locks in the same order, so two of them wait instead of deadlocking.
            admins = _locked_active_admins(session)
            user = _load_user(session, user_id, version)
            if Role.ADMIN in user.roles and Role.ADMIN not in roles and user.active:
                _keep_an_admin(admins, user)
            user.display_name, user.credentials, user.npi = display_name, credentials, npi
            if user.roles != roles:
                user.roles = roles
                user.touch()  # only user_role rows change: the account's version moves too
            session.flush()
            self._audit(session, "user.update", "user", user.id)
            view = user_view(user)
        if view.id == self._actor.user_id:
            # What this workstation may do follows the edit at once (it may be less).
            self._actor.sign_in(view.id, view.roles)
        return view

    def reset_password(
        self,
        user_id: int,
        temporary: str,
        *,
        expected_version: int,
        confirm: str | None = None,
    ) -> UserView:
        """Give an account a temporary password, which it must replace at next sign-in;
        ``confirm``, when given, must repeat it (both problems are told at once).

        The temporary password follows the same rules as any new password (never the
        user's name or username, nor the clinic's name). The waits after wrong passwords are
        cleared. The audit row names the account, never the password.
        """
        self._permit("user.reset_password")
        user_id = f.check_id("user_id", user_id, label="User")
        version = _checked_version(expected_version)
        with self._tx() as session:
            user = _load_user(session, user_id, version)
            context = password_context(user.username, user.display_name, _clinic_name(session))
            c = FieldChecks()
            password = c.run(passwords.check_new_password, temporary, context)
            if confirm is not None and confirm != temporary:
                c.add("confirm_password", "The two passwords differ; type it again.")
            c.done()
            assert password is not None  # done() raised otherwise
            user.password_hash = hash_password(password)
            user.must_change_password = True
            user.failed_attempts, user.locked_until = 0, None
            self._audit(session, "user.reset_password", "user", user.id)
            return user_view(user)

    def deactivate(self, user_id: int, *, expected_version: int) -> UserView:
        """Stop an account from signing in (its records stay; it can be reactivated).

        Raises:
            ConflictError: the account changed since ``expected_version`` was read, it is
                the last active administrator, or the signed-in account.
        """
        self._permit("user.deactivate")
        user_id = f.check_id("user_id", user_id, label="User")
        version = _checked_version(expected_version)
        with self._tx() as session:
            admins = _locked_active_admins(session)  # before the account's row (see above)
            user = _load_user(session, user_id, version)
            if user.active:
                if Role.ADMIN in user.roles:
                    _keep_an_admin(admins, user)
                if user.id == self._actor.user_id:
                    raise ConflictError(SELF_DEACTIVATE_TEXT)
                user.active = False
                self._audit(session, "user.deactivate", "user", user.id)
            return user_view(user)

    def reactivate(self, user_id: int, *, expected_version: int) -> UserView:
        """Let a deactivated account sign in again (with its old password; waits cleared).

        Raises:
            ConflictError: the account changed since ``expected_version`` was read.
        """
        self._permit("user.reactivate")
        user_id = f.check_id("user_id", user_id, label="User")
        version = _checked_version(expected_version)
        with self._tx() as session:
            user = _load_user(session, user_id, version)
            if not user.active:
                user.active = True
                user.failed_attempts, user.locked_until = 0, None
                self._audit(session, "user.reactivate", "user", user.id)
            return user_view(user)
