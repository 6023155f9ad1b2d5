"""The administrator's user accounts (issue 10 §1): on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ConflictError, PermissionDenied, ValidationError
from clinic_app.models import AuditEvent, User
from clinic_app.services.dto import NewUser, UserChanges
from tests.conftest import Services
from tests.factories import PASSWORD, account_version, add_user, set_up_clinic, sign_in_as

TEMPORARY = "lantern orchard pebble"


@pytest.fixture
def clinic(services: Services) -> Services:
    """A clinic whose administrator "admin" (also a provider) is signed in."""
    set_up_clinic(services, "Riverside Pain Clinic")
    return services


def audit_actions(db: sessionmaker[Session]) -> list[tuple[str, int | None]]:
    with db() as session:
        found = session.execute(
            select(AuditEvent.action, AuditEvent.entity_id).order_by(AuditEvent.id)
        )
        return [(action, entity) for action, entity in found]


def test_accounts_lists_everyone_with_roles_and_state(clinic: Services) -> None:
    nurse = add_user(clinic, "nnurse", "Nora Nurse", Role.NURSE, "RN")
    desk = add_user(clinic, "fdesk", "Fran Desk", Role.FRONT_DESK)
    clinic.users.deactivate(desk.id, expected_version=desk.version)
    listed = clinic.users.accounts()
    assert [u.username for u in listed] == ["admin", "nnurse", "fdesk"]  # active first
    by_name = {u.username: u for u in listed}
    assert by_name["admin"].roles == {Role.ADMIN, Role.PROVIDER}
    assert by_name["nnurse"].credentials == "RN"
    assert by_name["nnurse"].id == nurse.id
    assert by_name["fdesk"].active is False
    # The pickers' list (every role may read it) still shows active accounts only.
    assert "fdesk" not in {u.username for u in clinic.clinic.users()}


def test_create_checks_username_password_and_npi(clinic: Services) -> None:
    doctor = clinic.users.create_user(
        NewUser("drlee", "Dr Lee", TEMPORARY, frozenset({Role.PROVIDER}), "DO", "1234567893")
    )
    assert (doctor.npi, doctor.credentials, doctor.active) == ("1234567893", "DO", True)
    # The NPI is optional: a provider without one still charts.
    assert (
        clinic.users.create_user(
            NewUser("drkim", "Dr Kim", TEMPORARY, frozenset({Role.PROVIDER}))
        ).npi
        == ""
    )
    for bad, field in (
        (NewUser("drlee", "Another Lee", TEMPORARY, frozenset({Role.NURSE})), "username"),
        (NewUser("dr one", "Dr One", TEMPORARY, frozenset({Role.NURSE})), "username"),
        (NewUser("drtwo", "Dr Two", "short", frozenset({Role.NURSE})), "password"),
        (NewUser("drtwo", "Dr Two", TEMPORARY, frozenset()), "roles"),
        (
            NewUser("drtwo", "Dr Two", TEMPORARY, frozenset({Role.PROVIDER}), npi="1234567890"),
            "npi",
        ),
    ):
        with pytest.raises(ValidationError) as err:
            clinic.users.create_user(bad)
        assert err.value.field == field


def test_update_changes_name_roles_credentials_and_npi(
    clinic: Services, db: sessionmaker[Session]
) -> None:
    nurse = add_user(clinic, "nnurse", "Nora Nurse", Role.NURSE, "RN")
    changed = clinic.users.update_user(
        nurse.id,
        UserChanges("Nora Park", frozenset({Role.NURSE, Role.FRONT_DESK}), "LPN", ""),
        expected_version=nurse.version,
    )
    assert (changed.display_name, changed.credentials) == ("Nora Park", "LPN")
    assert changed.roles == {Role.NURSE, Role.FRONT_DESK}
    assert ("user.update", nurse.id) in audit_actions(db)
    with pytest.raises(ValidationError) as err:
        clinic.users.update_user(
            nurse.id, UserChanges("Nora Park", frozenset()), expected_version=changed.version
        )
    assert err.value.field == "roles"


def test_reset_password_makes_the_user_choose_a_new_one(
    clinic: Services, db: sessionmaker[Session]
) -> None:
    nurse = add_user(clinic, "nnurse", "Nora Nurse", Role.NURSE, "RN")
    with pytest.raises(ValidationError, match="must not be the clinic's name"):
        clinic.users.reset_password(
            nurse.id, "Riverside Pain Clinic", expected_version=nurse.version
        )
    reset = clinic.users.reset_password(nurse.id, TEMPORARY, expected_version=nurse.version)
    assert reset.must_change_password
    with pytest.raises(ValidationError):
        clinic.clinic.authenticate("nnurse", PASSWORD)  # the old password is gone
    signed_in = clinic.clinic.authenticate("nnurse", TEMPORARY)
    assert signed_in.must_change_password
    after = clinic.clinic.change_own_password(TEMPORARY, "quiet harbour violin")
    assert not after.must_change_password
    assert ("user.reset_password", nurse.id) in audit_actions(db)
    with db() as session:
        stored = " ".join(
            str(value)
            for row in session.execute(select(AuditEvent)).scalars()
            for value in vars(row).values()
        )
    for secret in (TEMPORARY, "quiet harbour violin", PASSWORD):
        assert secret not in stored


def test_deactivate_and_reactivate_never_delete(
    clinic: Services, db: sessionmaker[Session]
) -> None:
    nurse = add_user(clinic, "nnurse", "Nora Nurse", Role.NURSE, "RN")
    assert clinic.users.deactivate(nurse.id, expected_version=nurse.version).active is False
    with pytest.raises(ValidationError):
        clinic.clinic.authenticate("nnurse", PASSWORD)
    clinic.clinic.authenticate("admin", PASSWORD)
    # The refused sign-in counted a wrong attempt: the account's version moved on.
    version = account_version(clinic, nurse.id)
    assert clinic.users.reactivate(nurse.id, expected_version=version).active is True
    assert clinic.clinic.authenticate("nnurse", PASSWORD).roles == {Role.NURSE}
    with db() as session:
        assert session.scalar(select(User.id).where(User.username == "nnurse")) == nurse.id
    actions = [a for a, entity in audit_actions(db) if entity == nurse.id]
    assert "user.deactivate" in actions
    assert "user.reactivate" in actions


def test_the_last_active_administrator_stays(clinic: Services) -> None:
    admin = clinic.clinic.current_user()
    assert admin is not None
    with pytest.raises(ConflictError, match="last active administrator"):
        clinic.users.deactivate(admin.id, expected_version=admin.version)
    with pytest.raises(ConflictError, match="last active administrator"):
        clinic.users.update_user(
            admin.id,
            UserChanges("Ana Ruiz", frozenset({Role.PROVIDER})),
            expected_version=admin.version,
        )
    second = add_user(clinic, "admin2", "Bo Admin", Role.ADMIN)
    # With a second administrator, the first may give up the role (and may do less at once).
    off = clinic.users.deactivate(second.id, expected_version=second.version)
    with pytest.raises(ConflictError, match="last active administrator"):
        # an inactive administrator does not count
        clinic.users.deactivate(admin.id, expected_version=admin.version)
    clinic.users.reactivate(second.id, expected_version=off.version)
    with pytest.raises(ConflictError, match="your own account"):
        clinic.users.deactivate(admin.id, expected_version=admin.version)
    changed = clinic.users.update_user(
        admin.id,
        UserChanges("Ana Ruiz", frozenset({Role.PROVIDER}), "MD"),
        expected_version=admin.version,
    )
    assert changed.roles == {Role.PROVIDER}
    assert clinic.actor.roles == {Role.PROVIDER}
    with pytest.raises(PermissionDenied):
        clinic.users.accounts()


@contextmanager
def statements(db: sessionmaker[Session]) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    bind = db.kw["bind"]
    event.listen(bind, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(bind, "before_cursor_execute", record)


def test_the_administrator_count_locks_the_rows_it_counts(
    clinic: Services, db: sessionmaker[Session], backend: str
) -> None:
    """Two administrators removing each other at once: the second waits for the first and
    then counts again (PostgreSQL row locks; SQLite has one writer at a time)."""
    second = add_user(clinic, "admin2", "Bo Admin", Role.ADMIN)
    with statements(db) as sent:
        clinic.users.deactivate(second.id, expected_version=second.version)
    counted = [s for s in sent if "user_role" in s and "FOR UPDATE" in s.upper()]
    assert len(counted) == (1 if backend == "postgresql" else 0)


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.NURSE, Role.FRONT_DESK])
def test_only_an_administrator_manages_accounts(clinic: Services, role: Role) -> None:
    other = add_user(clinic, "someone", "Some One", role)
    sign_in_as(clinic, other)
    for call in (
        lambda: clinic.users.accounts(),
        lambda: clinic.users.reset_password(other.id, TEMPORARY, expected_version=other.version),
        lambda: clinic.users.deactivate(other.id, expected_version=other.version),
        lambda: clinic.users.update_user(
            other.id, UserChanges("X Y", frozenset({Role.ADMIN})), expected_version=other.version
        ),
        lambda: clinic.users.create_user(
            NewUser("sneaky", "Sneaky Admin", TEMPORARY, frozenset({Role.ADMIN}))
        ),
    ):
        with pytest.raises(PermissionDenied):
            call()
