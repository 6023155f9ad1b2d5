"""User accounts: password hashes, the NPI check, a new user's cleaned values, the view."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic_app.domain import validation as v
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.validation import MIN_PASSWORD_LENGTH
from clinic_app.models import User
from clinic_app.services.dto import NewUser, UserView

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def user_view(u: User) -> UserView:
    return UserView(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        credentials=u.credentials,
        roles=u.roles,
        active=u.active,
        npi=u.npi or "",
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


def clean_user(data: NewUser) -> dict[str, object]:
    username = v.clean_text(
        "username", data.username, label="Username", required=True, max_length=64
    ).lower()
    if not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValidationError("username", "Username may use letters, digits, '.', '_' and '-'.")
    if len(data.password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "password", f"Password must be at least {MIN_PASSWORD_LENGTH} characters."
        )
    return {
        "username": username,
        "display_name": v.clean_name("display_name", data.display_name, label="Full name"),
        "credentials": v.clean_text(
            "credentials", data.credentials, label="Credentials", max_length=40
        ),
        "roles": check_roles(data.roles),
        "npi": check_npi(data.npi),
        "password_hash": hash_password(data.password),
    }
