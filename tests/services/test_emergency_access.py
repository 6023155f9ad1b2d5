"""Emergency access ("break the glass"): a reason opens one patient's chart, for reading only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.emergency import GRANT_DURATION
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import PermissionDenied, ValidationError
from clinic_app.models import AuditEvent, EmergencyAccess
from clinic_app.services.dto import AuditQuery, EncounterInput
from tests.conftest import Services
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as

REASON = "Patient collapsed in the waiting room; checking allergies"
NOON = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)


@pytest.fixture
def clinic(services: Services, set_now: Callable[[datetime], None]) -> dict[str, int]:
    """A provider-admin, two patients with an encounter each; front desk and admin-only users."""
    set_now(NOON)
    admin = set_up_clinic(services)
    first = register_patient(services, "M1", "Ana", "Lee")
    second = register_patient(services, "M2", "Bo", "Kim")
    e1 = services.encounters.create(first.id, admin.id)
    e2 = services.encounters.create(second.id, admin.id)
    desk = add_user(services, "desk", "Dee Desk", Role.FRONT_DESK)
    office = add_user(services, "office", "Oli Office", Role.ADMIN)
    return {
        "p1": first.id, "p2": second.id, "e1": e1.id, "e2": e2.id,
        "desk": desk.id, "office": office.id,
    }  # fmt: skip


def sign_in(services: Services, username: str) -> None:
    user = next(u for u in services.clinic.users() if u.username == username)
    sign_in_as(services, user)


def test_front_desk_opens_an_encounter_of_one_patient_only_after_a_reason(
    services: Services, clinic: dict[str, int], db: sessionmaker[Session]
) -> None:
    sign_in(services, "desk")
    with pytest.raises(PermissionDenied):
        services.encounters.get(clinic["e1"])
    with pytest.raises(PermissionDenied):  # no grant, no formulary for the front desk
        services.clinic.medications()
    with pytest.raises(ValidationError, match="required"):
        services.emergency.break_glass(clinic["p1"], "  ")
    with pytest.raises(ValidationError, match="at least"):
        services.emergency.break_glass(clinic["p1"], "because")
    with pytest.raises(PermissionDenied):  # a refused reason granted nothing
        services.encounters.get(clinic["e1"])

    grant = services.emergency.break_glass(clinic["p1"], REASON)

    assert grant.patient_id == clinic["p1"]
    assert grant.expires_at == NOON + GRANT_DURATION
    assert services.encounters.get(clinic["e1"]).patient_id == clinic["p1"]
    assert services.notes.note_data(clinic["e1"]) is not None
    assert services.checks.assess_saved(clinic["e1"]) is not None
    assert services.clinic.medications()  # what the chart screen shows besides the chart
    with pytest.raises(PermissionDenied):  # another patient's chart stays closed
        services.encounters.get(clinic["e2"])
    with pytest.raises(PermissionDenied):
        services.checks.assess_saved(clinic["e2"])
    with pytest.raises(PermissionDenied):  # reading, never charting
        services.encounters.save_draft(clinic["e1"], 1, EncounterInput(), [])
    with db() as session:
        stored = session.scalars(select(EmergencyAccess)).one()
        row = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "emergency.access")
        ).one()
    assert (stored.user_id, stored.patient_id, stored.reason) == (
        clinic["desk"],
        clinic["p1"],
        REASON,
    )
    assert (row.user_id, row.patient_id, row.entity_id) == (clinic["desk"], clinic["p1"], stored.id)


def test_an_admin_only_account_opens_a_patient_and_the_grant_ends_after_an_hour(
    services: Services, clinic: dict[str, int], set_now: Callable[[datetime], None]
) -> None:
    sign_in(services, "office")
    with pytest.raises(PermissionDenied):
        services.patients.get(clinic["p2"])
    services.emergency.break_glass(clinic["p2"], REASON)
    assert services.patients.get(clinic["p2"]).mrn == "M2"
    assert services.encounters.history(clinic["p2"])[0].id == clinic["e2"]
    with pytest.raises(PermissionDenied):
        services.patients.get(clinic["p1"])

    set_now(NOON + GRANT_DURATION + timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        services.patients.get(clinic["p2"])


def test_the_report_flags_the_grant_and_the_reads_made_under_it(
    services: Services, clinic: dict[str, int]
) -> None:
    sign_in(services, "desk")
    services.emergency.break_glass(clinic["p1"], REASON)
    services.encounters.get(clinic["e1"])
    sign_in(services, "admin")
    services.encounters.get(clinic["e1"])  # the provider's own read: not an emergency

    entries = services.audit.report(AuditQuery(patient_id=clinic["p1"], limit=50)).entries
    flagged = [(e.action, e.user_name) for e in entries if e.emergency]

    assert flagged == [("encounter.read", "Dee Desk"), ("emergency.access", "Dee Desk")]
    grant_row = next(e for e in entries if e.action == "emergency.access")
    assert grant_row.reason == REASON
    assert grant_row.what == "Emergency access (break the glass)"
    assert [e.user_name for e in entries if e.action == "encounter.read"] == [
        "Ana Ruiz",
        "Dee Desk",
    ]


def test_a_missing_patient_is_refused_and_nothing_is_granted(
    services: Services, clinic: dict[str, int], db: sessionmaker[Session]
) -> None:
    sign_in(services, "desk")
    with pytest.raises(Exception, match="No patient"):
        services.emergency.break_glass(999_999, REASON)
    with db() as session:
        assert session.scalars(select(EmergencyAccess)).all() == []
