"""Forms learn every problem in one submit, in field order (issue 12 §8). Both backends."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ConflictError, InvalidFieldsError
from clinic_app.services.dto import ClinicProfileData, NewUser, PatientInput
from tests.conftest import Services
from tests.factories import PASSWORD, set_up_clinic

GOOD = PASSWORD


def test_setup_names_every_problem_of_both_halves(services: Services) -> None:
    profile = ClinicProfileData(name="", follow_up_weeks=99)
    admin = NewUser("bad name", "Ana Ruiz", GOOD, frozenset({Role.ADMIN}), password_confirm="x")
    with pytest.raises(InvalidFieldsError) as refused:
        services.clinic.initialize(profile, admin)
    fields = [e.field for e in refused.value.errors]
    assert fields == ["name", "follow_up_weeks", "username", "password_confirm"]
    assert services.clinic.needs_setup()


def test_a_new_user_names_every_problem(services: Services) -> None:
    set_up_clinic(services)
    data = NewUser("x y", "", "short", frozenset(), npi="1234567890", password_confirm="other")
    with pytest.raises(InvalidFieldsError) as refused:
        services.users.create_user(data)
    assert [e.field for e in refused.value.errors] == [
        "username", "display_name", "npi", "roles", "password", "password_confirm"
    ]  # fmt: skip
    assert [u.username for u in services.users.accounts()] == ["admin"]
    ok = dataclasses.replace(data, username="nora", display_name="Nora Park", npi="",
                             roles=frozenset({Role.NURSE}), password=PASSWORD,
                             password_confirm=PASSWORD)  # fmt: skip
    assert services.users.create_user(ok).username == "nora"


def test_a_patient_names_every_problem_and_check_saves_nothing(services: Services) -> None:
    set_up_clinic(services)
    data = PatientInput("", "Ana", "", date(2999, 1, 1), weight_kg="900")
    for call in (services.patients.check, services.patients.create):
        with pytest.raises(InvalidFieldsError) as refused:
            call(data)
        fields = [e.field for e in refused.value.errors]
        assert fields == ["mrn", "family_name", "date_of_birth", "weight_kg"]
    assert services.patients.count() == 0
    services.patients.check(PatientInput("M1", "Ana", "Lee", date(1980, 1, 1)))
    assert services.patients.count() == 0


def test_a_taken_mrn_or_username_is_told_with_the_other_problems(services: Services) -> None:
    set_up_clinic(services)
    first = services.patients.create(PatientInput("AB-9", "Ana", "Lee", date(1980, 1, 1)))
    taken = PatientInput("ab-9", "Ana", "", date(2999, 1, 1))
    for call in (services.patients.check, services.patients.create):
        with pytest.raises(InvalidFieldsError) as refused:
            call(taken)
        assert [e.field for e in refused.value.errors] == ["mrn", "family_name", "date_of_birth"]
        assert "MRN ab-9 already belongs to another patient" in refused.value.errors[0].message
    # The patient's own MRN is not "taken" when their own form is checked.
    services.patients.check(PatientInput("AB-9", "Ana", "Lee", date(1980, 1, 1)), None, first.id)
    with pytest.raises(ConflictError, match="already belongs"):
        services.patients.check(PatientInput("AB-9", "Ana", "Lee", date(1980, 1, 1)))
    assert services.patients.count() == 1
    data = NewUser("admin", "", "", frozenset({Role.NURSE}))
    with pytest.raises(InvalidFieldsError) as refused:
        services.users.create_user(data)
    assert [e.field for e in refused.value.errors] == ["username", "display_name", "password"]
    assert refused.value.errors[0].message == "Username admin is taken."
