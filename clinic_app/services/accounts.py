"""User accounts: password hashes, sign-in checks, the NPI check, a new user's values, the view.

The rules themselves are domain code: :mod:`clinic_app.domain.passwords` (what a new password
must be) and :mod:`clinic_app.domain.sign_in` (waits after wrong passwords, what a refusal
says). This module applies them to ``app_user`` rows for :class:`ClinicService`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Table, update
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from clinic_app.domain import passwords
from clinic_app.domain import sign_in as policy
from clinic_app.domain import validation as v
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import FieldChecks, ValidationError
from clinic_app.models import User
from clinic_app.services.dto import NewUser, UserView

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` in its normalised (NFKC) form."""
    return _hasher.hash(passwords.normalize(password))


@functools.cache
def _dummy_hash() -> str:
    """A hash no typed password matches, made like real ones: unknown usernames check it."""
    return _hasher.hash(secrets.token_urlsafe(32))


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class Verified(NamedTuple):
    """What checking a typed password against a hash found.

    Attributes:
        matches: the password is right.
        rehash: the hash should be replaced (made from the un-normalised form, or with
            older argon2 parameters).
    """

    matches: bool
    rehash: bool


def verify_password(stored_hash: str | None, typed: str) -> Verified:
    """Check ``typed`` against ``stored_hash``; ``None`` checks a dummy hash instead.

    The argon2 work is the same whether or not there is a real hash: one verification per
    form of the typed password (:func:`clinic_app.domain.passwords.verification_forms`), so
    the time taken does not tell whether the username exists.
    """
    dummy = _dummy_hash()  # made on the first call whoever signs in, so that one is alike too
    target = stored_hash if stored_hash is not None else dummy
    for index, form in enumerate(passwords.verification_forms(typed)):
        if _verify(target, form) and stored_hash is not None:
            return Verified(True, index > 0 or _hasher.check_needs_rehash(stored_hash))
    return Verified(False, False)


class UnknownNames:
    """Wrong-password counts for usernames that do not exist, so they wait like real ones.

    Without it, "try again in 30 s" after the fifth try would tell that a username exists.
    Kept in this process's memory only, under a keyed hash (the typed names are never
    stored); at most ``limit`` names, the oldest forgotten first.
    """

    def __init__(self, limit: int = 1024) -> None:
        self._key = secrets.token_bytes(32)
        self._limit = limit
        self._entries: OrderedDict[bytes, tuple[int, datetime | None]] = OrderedDict()

    def _id(self, name: str) -> bytes:
        return hmac.new(self._key, name.encode("utf-8"), hashlib.sha256).digest()

    def get(self, name: str) -> tuple[int, datetime | None]:
        return self._entries.get(self._id(name), (0, None))

    def put(self, name: str, failures: int, waits_until: datetime | None) -> None:
        key = self._id(name)
        self._entries[key] = (failures, waits_until)
        self._entries.move_to_end(key)
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)


class SignInResult(NamedTuple):
    """One sign-in attempt: the row found (or None) and whether it is signed in.

    Attributes:
        user: the account of that username, right password or not; None when unknown.
        accepted: the password was right, the account active and not waiting.
        refusal: what to tell the person when not accepted.
    """

    user: User | None
    accepted: bool
    refusal: str


def attempt_sign_in(
    user: User | None, typed: str, now: datetime, unknown: UnknownNames, name: str
) -> SignInResult:
    """Check a sign-in and update the account's wrong-password count and wait.

    Always one argon2 verification (per form of ``typed``), whether the username is unknown,
    the account inactive or waiting, so neither time nor message tells them apart.
    """
    verified = verify_password(user.password_hash if user else None, typed)
    if user is None:
        failures, until = unknown.get(name)
        outcome = policy.after_attempt(failures, until, now, password_ok=False)
        unknown.put(name, outcome.failures, outcome.waits_until)
    else:
        ok = verified.matches and user.active
        outcome = policy.after_attempt(user.failed_attempts, user.locked_until, now, password_ok=ok)
        values: dict[str, object] = {
            "failed_attempts": outcome.failures,
            "locked_until": outcome.waits_until,
        }
        if outcome.accepted and verified.rehash:
            values["password_hash"] = hash_password(typed)
        _record_sign_in(user, values)
    return SignInResult(user, outcome.accepted, outcome.refusal(now))


def _record_sign_in(user: User, values: dict[str, object]) -> None:
    """Write a sign-in's bookkeeping (wrong-password count, wait, a rehash of the same
    password) without moving the account's version.

    The version is what an administrator's Users window checks its copy against (migration
    0012); a person mistyping their password, or a deactivated one trying to sign in, has
    not changed the account, and must not make the administrator's next change fail as
    "changed meanwhile". So these columns bypass the ORM's version counter (a plain UPDATE
    of the table), and the loaded object is told the stored values. The caller holds the
    row's lock (``FOR UPDATE``), so two attempts at once still count twice.
    """
    changed = {key: value for key, value in values.items() if getattr(user, key) != value}
    if not changed:
        return
    session = object_session(user)
    assert session is not None  # loaded by the caller's transaction
    table = User.__table__
    assert isinstance(table, Table)
    session.execute(update(table).where(table.c.id == user.id).values(**changed))
    for key, value in changed.items():
        set_committed_value(user, key, value)


def replace_password(
    user: User,
    current: str,
    new: str,
    clinic_name: str,
    now: datetime,
    confirm: str | None = None,
) -> str | None:
    """Give ``user`` the password ``new`` if ``current`` is right; else what to tell them.

    Raises :class:`ValidationError` (several at once as InvalidFieldsError, in the form's
    order) when the current one is blank, the new one breaks a rule or ``confirm``, when
    given, differs from it; then nothing is counted. A wrong current password counts like a
    wrong sign-in.
    """
    context = password_context(user.username, user.display_name, clinic_name)
    c = FieldChecks()
    if not current:
        c.add("current_password", "Type your current password.")
    new_form = c.run(_as_field, "new_password", passwords.check_new_password, new, context)
    if new_form is not None and new_form == passwords.normalize(current):
        c.add("new_password", "The new password must differ from the current one.")
    if confirm is not None and confirm != new:
        c.add("confirm_password", "The two new passwords differ; type it again.")
    c.done()
    assert new_form is not None  # done() raised otherwise
    verified = verify_password(user.password_hash, current)
    outcome = policy.after_attempt(
        user.failed_attempts, user.locked_until, now, password_ok=verified.matches
    )
    if not outcome.accepted:
        # A wrong current password is counted like a wrong sign-in: bookkeeping only.
        _record_sign_in(
            user, {"failed_attempts": outcome.failures, "locked_until": outcome.waits_until}
        )
        return policy.current_password_refusal(policy.seconds_left(outcome.waits_until, now))
    # A new password is a change of the account: its version moves with it.
    user.failed_attempts, user.locked_until = outcome.failures, outcome.waits_until
    user.password_hash = hash_password(new_form)
    user.must_change_password = False
    return None


def user_view(u: User) -> UserView:
    return UserView(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        credentials=u.credentials,
        roles=u.roles,
        active=u.active,
        npi=u.npi or "",
        must_change_password=bool(u.must_change_password),
        version=u.version,
    )


def check_npi(value: str) -> str:
    """A National Provider Identifier: 10 digits with a valid Luhn check digit, or ""."""
    npi = (value or "").strip()
    if not npi:
        return ""
    if len(npi) != 10 or not npi.isdigit():
        raise ValidationError("npi", "An NPI is 10 digits.")
    # CMS: Luhn over the prefix 80840 followed by the first 9 digits.
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    if (10 - total % 10) % 10 != int(npi[9]):
        raise ValidationError("npi", f"{npi} is not a valid NPI (its check digit is wrong).")
    return npi


def check_roles(roles: frozenset[Role]) -> frozenset[Role]:
    """At least one role, each a :class:`Role`."""
    chosen = frozenset(roles)
    if not chosen:
        raise ValidationError("roles", "Choose at least one role.")
    if not all(isinstance(role, Role) for role in chosen):
        raise ValidationError("roles", "Unknown role.")
    return chosen


def password_context(username: str, display_name: str, clinic_name: str) -> dict[str, str]:
    """The words a user's password must not be, by what they are (for the message)."""
    return {"username": username, "user's name": display_name, "clinic's name": clinic_name}


def _as_field(field: str, check: Callable[..., str], *args: object) -> str:
    """``check(*args)``, its ValidationError told on ``field``."""
    try:
        return check(*args)
    except ValidationError as exc:
        raise ValidationError(field, exc.message) from None


def clean_user(
    data: NewUser, *, clinic_name: str, taken: Callable[[str], bool] | None = None
) -> dict[str, object]:
    """A new account's column values; the password checked against the rules and hashed.

    Every field at fault is reported at once (InvalidFieldsError), in the order of the user form;
    ``data.password_confirm``, when given, must repeat the password; ``taken`` tells whether
    a username is in use already (reported with the other problems).
    """
    c = FieldChecks()
    username = c.run(v.clean_username, data.username)
    if username is not None and taken is not None and taken(username):
        c.add("username", f"Username {username} is taken.")
    display_name = c.run(v.clean_name, "display_name", data.display_name, label="Full name")
    credentials = c.run(
        v.clean_text, "credentials", data.credentials, label="Credentials", max_length=40
    )
    npi = c.run(check_npi, data.npi)
    roles = c.run(check_roles, data.roles)
    context = password_context(
        username or str(data.username or ""), display_name or "", clinic_name
    )
    password = c.run(passwords.check_new_password, data.password, context)
    if data.password_confirm is not None and data.password_confirm != data.password:
        c.add("password_confirm", "The two passwords differ; type the same password twice.")
    c.done()
    assert password is not None  # done() raised otherwise
    return {
        "username": username,
        "display_name": display_name,
        "credentials": credentials,
        "roles": roles,
        "npi": npi,
        "password_hash": hash_password(password),
    }
