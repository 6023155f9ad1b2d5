"""The clinic, user and patient setup that service and UI tests share.

Everything goes through the real services (first-run setup, patient registration), so a
test's starting point is one a user could have reached.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Protocol

from sqlalchemy import update

from clinic_app.domain.enums import Role
from clinic_app.models import User
from clinic_app.services.clinic import ClinicService
from clinic_app.services.dto import ClinicProfileData, NewUser, PatientInput, PatientView, UserView
from clinic_app.services.patients import PatientService
from clinic_app.services.users import UserService

PASSWORD = "correct horse battery"


class HasClinic(Protocol):
    @property
    def clinic(self) -> ClinicService: ...


class HasUsers(HasClinic, Protocol):
    @property
    def users(self) -> UserService: ...


class HasPatients(Protocol):
    @property
    def patients(self) -> PatientService: ...


def set_up_clinic(
    services: HasClinic,
    profile: ClinicProfileData | str = "Test Pain Clinic",
    *,
    username: str = "admin",
    display_name: str = "Ana Ruiz",
    credentials: str = "MD",
    npi: str = "",
) -> UserView:
    """First-run setup: the clinic's profile and its administrator (also a provider, as the
    setup screen makes them), who is then signed in."""
    if isinstance(profile, str):
        profile = ClinicProfileData(name=profile)
    _profile, admin = services.clinic.initialize(
        profile,
        NewUser(username, display_name, PASSWORD, frozenset({Role.ADMIN}), credentials, npi),
    )
    return admin


def add_user(
    services: HasUsers,
    username: str,
    display_name: str,
    role: Role | frozenset[Role] = Role.PROVIDER,
    credentials: str = "",
    *,
    npi: str = "",
    first_sign_in: bool = False,
) -> UserView:
    """Another account, created by the signed-in administrator (password :data:`PASSWORD`).

    ``role`` is one role or a set of them. A new account must replace its first password
    at its first sign-in; unless ``first_sign_in``, the account is returned as after that
    (its flag cleared in the database directly, so that no sign-in, password change or
    audit row of the user's stands between the test and what it is about).
    """
    roles = frozenset({role}) if isinstance(role, Role) else role
    user = services.users.create_user(
        NewUser(username, display_name, PASSWORD, roles, credentials, npi)
    )
    if first_sign_in:
        return user
    with services.users._sessions.begin() as session:
        session.execute(update(User).where(User.id == user.id).values(must_change_password=False))
    return dataclasses.replace(user, must_change_password=False)


def account_version(services: HasUsers, user_id: int) -> int:
    """The account's version now, as the signed-in administrator's Users window lists it."""
    return next(u.version for u in services.users.accounts() if u.id == user_id)


def sign_in_as(services: HasClinic, user: UserView) -> UserView:
    """Sign ``user`` in on these services (password :data:`PASSWORD`): the roles come from
    the database, as at the sign-in screen."""
    return services.clinic.authenticate(user.username, PASSWORD)


def register_patient(
    services: HasPatients,
    mrn: str = "M1",
    given_name: str = "Ana",
    family_name: str = "Lee",
    date_of_birth: date | None = date(1980, 1, 1),
    *,
    today: date | None = None,
    **fields: Any,
) -> PatientView:
    """A patient registered through the service; ``fields`` are other PatientInput fields.

    ``today`` is the day of registration (a weight without a date is measured that day).
    """
    return services.patients.create(
        PatientInput(mrn, given_name, family_name, date_of_birth, **fields), today=today
    )


def medication_ids(services: HasClinic) -> dict[str, int]:
    """The formulary's medication ids by code (seeded by first-run setup)."""
    return {m.code: m.id for m in services.clinic.medications()}
