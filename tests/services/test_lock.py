"""Locking, unlocking and signing out (issue 10 §3): audited, checked like a sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.domain.sign_in import WRONG
from clinic_app.models import AuditEvent
from clinic_app.services.dto import ClinicProfileData
from tests.conftest import Services
from tests.factories import PASSWORD, add_user, set_up_clinic, sign_in_as

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def nurse_in(services: Services, set_now) -> Services:
    """A clinic whose nurse is signed in."""
    set_now(NOW)
    set_up_clinic(services, "Riverside Pain Clinic")
    nurse = add_user(services, "nnurse", "Nora Nurse", Role.NURSE)
    sign_in_as(services, nurse)
    return services


def actions(db: sessionmaker[Session]) -> list[tuple[str, int | None]]:
    with db() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(a.action, a.user_id) for a in rows]


def test_lock_and_unlock_are_audited(nurse_in: Services, db: sessionmaker[Session]) -> None:
    nurse_id = nurse_in.actor.user_id
    nurse_in.clinic.record_lock()
    assert nurse_in.clinic.unlock(PASSWORD).id == nurse_id
    assert actions(db)[-2:] == [("auth.lock", nurse_id), ("auth.unlock", nurse_id)]


def test_a_wrong_unlock_password_counts_like_a_wrong_sign_in(
    nurse_in: Services, db: sessionmaker[Session], set_now
) -> None:
    for _ in range(4):
        with pytest.raises(ValidationError, match=WRONG):
            nurse_in.clinic.unlock("not my password at all")
    with pytest.raises(ValidationError, match="can be tried again in 30 s"):
        nurse_in.clinic.unlock("not my password at all")
    # The right password during the wait is refused too.
    with pytest.raises(ValidationError, match="can be tried again"):
        nurse_in.clinic.unlock(PASSWORD)
    set_now(NOW + timedelta(seconds=31))
    nurse_in.clinic.unlock(PASSWORD)
    assert [a for a, _ in actions(db)].count("auth.failed") == 6


def test_sign_out_is_audited_and_leaves_no_one_signed_in(
    nurse_in: Services, db: sessionmaker[Session]
) -> None:
    nurse_id = nurse_in.actor.user_id
    nurse_in.clinic.sign_out()
    assert nurse_in.actor.user_id is None
    assert actions(db)[-1] == ("auth.sign_out", nurse_id)
    with pytest.raises(PermissionDenied):
        nurse_in.clinic.unlock(PASSWORD)  # nobody to unlock for: sign in instead


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (120, True), (121, False)])
def test_the_idle_lock_minutes_are_1_to_120(services: Services, minutes: int, ok: bool) -> None:
    set_up_clinic(services, "Riverside Pain Clinic")
    data = ClinicProfileData(name="Riverside Pain Clinic", idle_lock_minutes=minutes)
    if ok:
        version = services.clinic.profile().version
        assert (
            services.clinic.update_profile(data, expected_version=version).idle_lock_minutes
            == minutes
        )
    else:
        with pytest.raises(ValidationError) as caught:
            services.clinic.update_profile(data, expected_version=1)
        assert caught.value.field == "idle_lock_minutes"


def test_a_new_clinic_locks_after_10_minutes(services: Services) -> None:
    set_up_clinic(services, "Riverside Pain Clinic")
    profile = services.clinic.profile()
    assert profile is not None
    assert profile.idle_lock_minutes == 10
