"""Patient use cases, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from clinic_app.models import AuditEvent, Patient
from clinic_app.services.container import build_services
from clinic_app.services.dto import PatientInput
from tests.conftest import Services
from tests.factories import set_up_clinic

TODAY = date(2026, 11, 23)


@pytest.fixture
def services(services: Services) -> Services:
    """Signed in as the clinic's first user (administrator and provider), as after setup."""
    set_up_clinic(services)
    return services


def person(
    mrn: str = "M1",
    given: str = "Ana",
    family: str = "Ruiz",
    born: date = date(1980, 3, 14),
    **kw: object,
) -> PatientInput:
    return PatientInput(mrn=mrn, given_name=given, family_name=family, date_of_birth=born, **kw)  # type: ignore[arg-type]


def test_create_and_get(services: Services) -> None:
    p = services.patients.create(
        person(
            weight_kg="72.5", sex=Sex.FEMALE, preferred_language=Language.SPANISH, allergies="sulfa"
        ),
        today=TODAY,
    )
    again = services.patients.get(p.id)
    assert again == p
    assert again.weight_kg == Decimal("72.5")
    assert again.weight_measured_on == TODAY  # defaulted to the day it was entered
    assert again.preferred_language is Language.SPANISH
    assert again.display_name == "Ruiz, Ana"


def test_duplicate_mrn_is_refused_case_insensitively(services: Services) -> None:
    services.patients.create(person(mrn="ab-1"), today=TODAY)
    with pytest.raises(ConflictError, match="AB-1 already belongs"):
        services.patients.create(person(mrn="AB-1", given="Other"), today=TODAY)
    assert services.patients.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth"),
        ({"weight_kg": "0"}, "weight_kg"),
        ({"weight_kg": "401"}, "weight_kg"),
        ({"given_name": "An\x00a"}, "given_name"),
        ({"family_name": ""}, "family_name"),
        ({"mrn": "bad mrn"}, "mrn"),
    ],
)
def test_bad_input_saves_nothing(
    services: Services, db: sessionmaker[Session], change: dict[str, object], field: str
) -> None:
    with db() as s:
        setup_rows = s.scalar(select(func.max(AuditEvent.id)))
    with pytest.raises(ValidationError) as err:
        services.patients.create(replace(person(), **change), today=TODAY)  # type: ignore[arg-type]
    assert err.value.field == field
    with db() as s:
        assert s.scalar(select(func.count(Patient.id))) == 0
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id > setup_rows)) == 0


def test_update_and_audit(services: Services, db: sessionmaker[Session]) -> None:
    p = services.patients.create(person(), today=TODAY)
    edited = services.patients.update(
        p.id,
        replace(p.to_input(), family_name="Ruiz García", diabetes=True),
        today=TODAY,
        expected_version=p.version,
    )
    assert edited.family_name == "Ruiz García"
    assert edited.diabetes
    with db() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("patient.%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["patient.create", "patient.update"]


def test_update_cannot_take_another_patients_mrn(services: Services) -> None:
    services.patients.create(person(mrn="A1"), today=TODAY)
    b = services.patients.create(person(mrn="B1"), today=TODAY)
    with pytest.raises(ConflictError):
        services.patients.update(
            b.id, replace(b.to_input(), mrn="a1"), today=TODAY, expected_version=b.version
        )
    assert services.patients.get(b.id).mrn == "B1"


def test_void_hides_but_keeps(services: Services) -> None:
    p = services.patients.create(person(), today=TODAY)
    with pytest.raises(ValidationError, match="Reason"):
        services.patients.void(p.id, "  ", expected_version=p.version)
    services.patients.void(p.id, "registered twice", expected_version=p.version)
    assert services.patients.search("ruiz") == []
    assert [x.id for x in services.patients.search("ruiz", include_voided=True)] == [p.id]
    assert services.patients.get(p.id).voided
    with pytest.raises(ConflictError):
        services.patients.void(p.id, "again", expected_version=p.version + 1)
    with pytest.raises(ConflictError):
        services.patients.update(p.id, p.to_input(), today=TODAY, expected_version=p.version + 1)
    assert services.patients.count() == 0


def test_missing_patient(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.patients.get(999_999)


@pytest.fixture
def crowd(services: Services) -> Services:
    names = [
        ("M1", "Thị Hoa", "Nguyễn"),
        ("M2", "Łukasz", "Kowalski"),
        ("M3", "Hans", "Müller"),
        ("M4", "Siobhan", "O'Brien"),
        ("M5", "José", "García López"),
        ("M6", "Zoë", "Adams"),
        ("M7", "Ivan", "Иванов"),
        ("X-77", "Nguyen", "Tran"),
    ]
    for i, (mrn, given, family) in enumerate(names):
        services.patients.create(
            person(mrn=mrn, given=given, family=family, born=date(1970 + i, 1, 2)), today=TODAY
        )
    return services


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen", {"M1", "X-77"}),
        ("NGUYỄN", {"M1", "X-77"}),
        ("lukasz", {"M2"}),
        ("muller", {"M3"}),
        ("o'br", {"M4"}),
        ("lopez", {"M5"}),
        ("garcia, jose", {"M5"}),
        ("zoe", {"M6"}),
        ("иван", {"M7"}),
        ("x-7", {"X-77"}),
        ("m3", {"M3"}),
        ("1972-01-02", {"M3"}),
        ("1/2/1972", {"M3"}),
        ("ngu thi", {"M1"}),
        ("%", set()),
        ("zzz", set()),
    ],
)
def test_search(crowd: Services, query: str, expected: set[str]) -> None:
    assert {p.mrn for p in crowd.patients.search(query)} == expected


def test_empty_search_lists_alphabetically_with_limit(crowd: Services) -> None:
    everyone = crowd.patients.search("")
    assert [p.family_name for p in everyone][:3] == ["Adams", "García López", "Kowalski"]
    assert len(crowd.patients.search("", limit=3)) == 3


def test_a_stale_edit_is_refused(services: Services) -> None:
    p = services.patients.create(person(), today=TODAY)
    mine = p  # the form I opened
    theirs = services.patients.update(
        p.id, replace(p.to_input(), phone="555-1111"), today=TODAY, expected_version=p.version
    )
    assert theirs.version > p.version
    with pytest.raises(ConflictError, match="another workstation"):
        services.patients.update(
            mine.id,
            replace(mine.to_input(), phone="555-2222"),
            today=TODAY,
            expected_version=mine.version,
        )
    assert services.patients.get(p.id).phone == "555-1111"


def test_current_user_and_setup_actor(db: sessionmaker[Session], backend: str) -> None:
    from clinic_app.domain.enums import Role
    from clinic_app.services.dto import ClinicProfileData, NewUser

    services = build_services(db, "test", is_sqlite=backend == "sqlite")
    assert services.clinic.current_user() is None
    _, admin = services.clinic.initialize(
        ClinicProfileData(name="C"),
        NewUser("boss", "Ana Ruiz", "boss picks a passphrase", frozenset({Role.ADMIN})),
    )
    assert services.clinic.current_user() == admin
    assert admin.roles == {Role.ADMIN, Role.PROVIDER}  # the first user also sees patients
    again = (
        ClinicProfileData(name="C2"),
        NewUser("boss2", "Bo Li", "bo li picks another one", frozenset({Role.ADMIN})),
    )
    with pytest.raises(PermissionDenied, match="set up a new clinic"):
        services.clinic.initialize(*again)  # setup is for no one signed in...
    services.actor.sign_out()
    with pytest.raises(ConflictError, match="already set up"):
        services.clinic.initialize(*again)  # ...and only while no clinic exists
    assert services.clinic.current_user() is None
    assert services.clinic.authenticate("boss", "boss picks a passphrase") == admin


def test_the_weight_day_comes_from_the_app_clock(services: Services, set_now) -> None:
    from datetime import UTC, datetime

    set_now(datetime(2031, 6, 1, 15, 0, tzinfo=UTC))
    p = services.patients.create(person(weight_kg="70"))
    assert p.weight_measured_on == date(2031, 6, 1)
    assert p.date_of_birth < date(2031, 6, 1)


def test_no_known_drug_allergies_is_its_own_state(services: Services) -> None:
    """Issue 12 §4: NKDA is stored apart from "not recorded"; "None" typed is NKDA."""
    unknown = services.patients.create(person(mrn="A1"), today=TODAY)
    nkda = services.patients.create(person(mrn="A2", no_known_drug_allergies=True), today=TODAY)
    typed = services.patients.create(person(mrn="A3", allergies=" None "), today=TODAY)
    assert (unknown.allergies, unknown.no_known_drug_allergies) == ("", False)
    assert (nkda.allergies, nkda.no_known_drug_allergies) == ("", True)
    assert (typed.allergies, typed.no_known_drug_allergies) == ("", True)
    listed = services.patients.update(
        typed.id,
        replace(typed.to_input(), allergies="Penicillin", no_known_drug_allergies=False),
        today=TODAY,
        expected_version=typed.version,
    )
    assert (listed.allergies, listed.no_known_drug_allergies) == ("Penicillin", False)


def test_nkda_with_a_list_of_allergies_is_refused(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.patients.create(
            person(allergies="Latex", no_known_drug_allergies=True), today=TODAY
        )
    assert caught.value.field == "allergies"
    assert services.patients.count() == 0
