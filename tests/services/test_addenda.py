"""Addenda: corrections to a signed encounter, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain import clock
from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ConflictError, PermissionDenied, ValidationError
from clinic_app.models import ClinicProfile
from tests.conftest import Services
from tests.factories import add_user, sign_in_as
from tests.storage.test_frozen_records import Visit, make_visit, sign_in_orm


@pytest.fixture
def visit(services: Services, db: sessionmaker[Session]) -> Visit:
    return make_visit(services, db)


def test_a_provider_adds_an_addendum_that_keeps_the_signed_content(
    services: Services, db: sessionmaker[Session], visit: Visit
) -> None:
    before = services.encounters.get(visit.encounter_id)
    added = services.encounters.add_addendum(
        visit.encounter_id, "  Lot number of site 1 was LD-2291.\n"
    )
    assert added.text == "Lot number of site 1 was LD-2291."
    assert added.author_name == "Ana Ruiz"
    assert added.author_id == visit.provider_id
    assert abs(added.created_at - clock.now()).total_seconds() < 60
    after = services.encounters.get(visit.encounter_id)
    assert after.addenda == (added,)
    assert (after.version, after.sites, after.form) == (before.version, before.sites, before.form)
    second = services.encounters.add_addendum(visit.encounter_id, "Patient called: no bruising.")
    assert services.encounters.get(visit.encounter_id).addenda == (added, second)
    with db() as session:
        actions = session.scalars(
            text("SELECT action FROM audit_event WHERE entity_type = 'encounter_addendum'")
        ).all()
    assert actions == ["encounter.addendum", "encounter.addendum"]


def test_the_addendum_time_is_shown_in_the_clinic_zone(
    services: Services, db: sessionmaker[Session], visit: Visit
) -> None:
    with db.begin() as session:
        profile = session.query(ClinicProfile).one()
        profile.timezone = "Asia/Tokyo"
    added = services.encounters.add_addendum(visit.encounter_id, "Late entry.")
    assert added.created_local.endswith(" JST")
    local = added.created_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert added.created_local.startswith(local.strftime("%Y-%m-%d %H:%M"))
    assert services.encounters.get(visit.encounter_id).clinic_timezone == "Asia/Tokyo"


def test_only_a_signed_encounter_takes_an_addendum(
    services: Services, db: sessionmaker[Session]
) -> None:
    draft = make_visit(services, db, sign=False)
    with pytest.raises(ConflictError, match="signed encounter"):
        services.encounters.add_addendum(draft.encounter_id, "Too early.")
    sign_in_orm(db, draft.encounter_id, draft.provider_id)
    assert services.encounters.add_addendum(draft.encounter_id, "Now fine.").text == "Now fine."


def test_only_a_provider_adds_an_addendum(services: Services, visit: Visit) -> None:
    desk = add_user(services, "desk", "Fran Desk", Role.FRONT_DESK)
    admin = services.clinic.current_user()
    sign_in_as(services, desk)
    with pytest.raises(PermissionDenied, match="add an addendum"):
        services.encounters.add_addendum(visit.encounter_id, "Not mine to add.")
    services.actor.sign_out()
    with pytest.raises(PermissionDenied, match="Sign in"):
        services.encounters.add_addendum(visit.encounter_id, "Nobody signed in.")
    assert admin is not None
    sign_in_as(services, admin)
    assert services.encounters.get(visit.encounter_id).addenda == ()


def test_an_addendum_needs_text(services: Services, visit: Visit) -> None:
    with pytest.raises(ValidationError) as caught:
        services.encounters.add_addendum(visit.encounter_id, "   \n ")
    assert caught.value.field == "text"
    with pytest.raises(ValidationError):
        services.encounters.add_addendum(visit.encounter_id, "x" * 4001)
    assert services.encounters.get(visit.encounter_id).addenda == ()
