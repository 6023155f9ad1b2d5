"""Issue 11 §2: every public method that changes a record takes the version it was read at.

For each one, a colleague's save comes in between; the call made from the older copy is
refused (or, for discarding an empty draft, keeps the draft) and the colleague's change
stands. No method may skip the check: the version has no default.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest

from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, NotFoundError
from clinic_app.services.checks import ChecksService
from clinic_app.services.clinic import ClinicService
from clinic_app.services.dto import ClinicProfileData, EncounterInput, EncounterView, PatientView
from clinic_app.services.encounters import EncounterService
from clinic_app.services.patients import PatientService
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.factories import register_patient, set_up_clinic

TODAY = date(2026, 11, 23)

#: (class, method, the parameter carrying the version it was read at)
VERSIONED = [
    (PatientService, "update", "expected_version"),
    (PatientService, "void", "expected_version"),
    (EncounterService, "save_draft", "version"),
    (EncounterService, "discard_if_empty", "expected_version"),
    (ChecksService, "sign", "version"),
    (ClinicService, "update_profile", "expected_version"),
]


@pytest.mark.parametrize(("cls", "name", "parameter"), VERSIONED)
def test_the_version_is_required(cls: type, name: str, parameter: str) -> None:
    found = inspect.signature(getattr(cls, name)).parameters[parameter]
    assert found.default is inspect.Parameter.empty  # no default that skips the check


@dataclass
class Desk:
    s: Services
    patient: PatientView
    encounter: EncounterView


@pytest.fixture
def desk(services: Services) -> Desk:
    admin = set_up_clinic(services)
    patient = register_patient(services, allergies="penicillin", today=TODAY)
    encounter = services.encounters.create(patient.id, admin.id)
    return Desk(services, patient, encounter)


def test_a_stale_patient_edit_keeps_the_other_desks_allergy(desk: Desk) -> None:
    """The issue's case: the default ``expected_version=None`` erased "penicillin"."""
    s, mine = desk.s, desk.patient
    theirs = s.patients.update(
        mine.id,
        replace(mine.to_input(), allergies="penicillin, latex"),
        today=TODAY,
        expected_version=mine.version,
    )
    with pytest.raises(ConflictError, match="another workstation"):
        s.patients.update(
            mine.id,
            replace(mine.to_input(), phone="555-0100"),
            today=TODAY,
            expected_version=mine.version,
        )
    assert s.patients.get(mine.id) == theirs


def test_a_stale_void_is_refused(desk: Desk) -> None:
    s, mine = desk.s, desk.patient
    s.patients.update(
        mine.id, replace(mine.to_input(), phone="555-0101"), expected_version=mine.version
    )
    with pytest.raises(ConflictError, match="another workstation"):
        s.patients.void(mine.id, "Registered twice", expected_version=mine.version)
    assert not s.patients.get(mine.id).voided


def test_stale_clinic_settings_are_refused(desk: Desk) -> None:
    mine = desk.s.clinic.profile()
    assert mine is not None
    fields = {f.name: getattr(mine, f.name) for f in dataclasses.fields(ClinicProfileData)}
    theirs = desk.s.clinic.update_profile(
        ClinicProfileData(**{**fields, "phone": "555-0101"}), expected_version=mine.version
    )
    with pytest.raises(ConflictError, match="another workstation"):
        desk.s.clinic.update_profile(
            ClinicProfileData(**{**fields, "name": "Renamed"}), expected_version=mine.version
        )
    assert desk.s.clinic.profile() == theirs


def _colleague_saves(desk: Desk) -> EncounterView:
    return desk.s.encounters.save_draft(
        desk.encounter.id, desk.encounter.version, EncounterInput(indication="neck pain"), []
    )


STALE_CALLS: dict[str, Callable[[Desk], object]] = {
    "save_draft": lambda d: d.s.encounters.save_draft(
        d.encounter.id, d.encounter.version, EncounterInput(indication="mine"), []
    ),
    "sign": lambda d: d.s.checks.sign(d.encounter.id, d.encounter.version, complete_form(), [], {}),
}


@pytest.mark.parametrize("name", sorted(STALE_CALLS))
def test_a_stale_encounter_change_is_refused(desk: Desk, name: str) -> None:
    theirs = _colleague_saves(desk)
    with pytest.raises(ConflictError, match="another workstation"):
        STALE_CALLS[name](desk)
    stored = desk.s.encounters.get(desk.encounter.id)
    assert (stored.version, stored.status) == (theirs.version, EncounterStatus.DRAFT)
    assert stored.form.indication == "neck pain"


def test_a_stale_discard_keeps_the_draft(desk: Desk) -> None:
    # The colleague saved and then cleared the form: empty again, but not the copy I hold.
    theirs = _colleague_saves(desk)
    emptied = desk.s.encounters.save_draft(desk.encounter.id, theirs.version, EncounterInput(), [])
    assert not desk.s.encounters.discard_if_empty(
        desk.encounter.id, expected_version=desk.encounter.version
    )
    assert desk.s.encounters.get(desk.encounter.id).version == emptied.version
    assert desk.s.encounters.discard_if_empty(desk.encounter.id, expected_version=emptied.version)
    with pytest.raises(NotFoundError):
        desk.s.encounters.get(desk.encounter.id)


def test_an_addendum_needs_no_version_because_the_signed_note_cannot_change() -> None:
    """Addenda are appended to a signed note, which the database freezes: no copy goes stale."""
    assert "version" not in str(inspect.signature(EncounterService.add_addendum))
