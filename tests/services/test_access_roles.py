"""Each role doing its own work end to end, and refused the rest (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import EncounterStatus, Language, Role, Side
from clinic_app.domain.errors import PermissionDenied, StorageError, ValidationError
from clinic_app.models import AuditEvent, User
from clinic_app.services.base import DENIED
from clinic_app.services.container import build_services
from clinic_app.services.dto import (
    ClinicProfileData,
    DoseInput,
    EncounterInput,
    PatientView,
    SiteDraft,
    SiteInput,
    UserView,
)
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.complete_documentation import complete_form
from tests.conftest import Services
from tests.factories import (
    PASSWORD,
    add_user,
    medication_ids,
    register_patient,
    set_up_clinic,
    sign_in_as,
)

SCREENED = complete_form(
    EncounterInput(
        icd10_codes=("M79.18",),
        screening={
            "allergies_reviewed": {"answer": True, "note": ""},
            "infection": {"answer": False, "note": ""},
            "anticoagulant": {"answer": False, "note": ""},
            "pregnancy": {"answer": False, "note": ""},
        },
    )
)


@dataclass
class Clinic:
    s: Services
    db: sessionmaker[Session]
    admin: UserView  # the first user: administrator and provider
    patient: PatientView

    def user(self, role: Role | frozenset[Role], name: str = "") -> UserView:
        """A new account with ``role``, signed in."""
        roles = frozenset({role}) if isinstance(role, Role) else role
        username = name or "u." + "-".join(sorted(r.value for r in roles)).replace("_", "")
        return sign_in_as(self.s, add_user(self.s, username, "Some One", roles))

    def denials(self) -> list[str]:
        with self.db() as session:
            return list(
                session.scalars(
                    select(AuditEvent.entity_type)
                    .where(AuditEvent.action == DENIED)
                    .order_by(AuditEvent.id)
                )
            )


@pytest.fixture
def clinic(services: Services, db: sessionmaker[Session]) -> Clinic:
    admin = set_up_clinic(services)
    patient = register_patient(services, weight_kg="72", allergies="")
    return Clinic(services, db, admin, patient)


def sites(clinic: Clinic) -> list[SiteDraft]:
    lidocaine = medication_ids(clinic.s)["lidocaine_1"]
    return [
        SiteDraft(
            SiteInput("trapezius_upper", Side.RIGHT, View.POSTERIOR, 0.5, 0.3),
            (DoseInput(lidocaine, "1"),),
        )
    ]


def test_a_nurse_prepares_a_draft_but_cannot_sign_it(clinic: Clinic) -> None:
    charted = sites(clinic)  # the formulary, read before the nurse signs in
    clinic.user(Role.NURSE)
    draft = clinic.s.encounters.create(clinic.patient.id, clinic.admin.id)  # for the provider
    saved = clinic.s.encounters.save_draft(draft.id, draft.version, SCREENED, charted)
    assert len(saved.sites) == 1
    assert clinic.s.checks.assess_draft(draft.id, SCREENED, charted).can_sign
    with pytest.raises(PermissionDenied, match=r"nurse.*sign a procedure note"):
        clinic.s.checks.sign(draft.id, saved.version, SCREENED, charted, {})
    assert clinic.denials() == ["encounter.sign"]
    with pytest.raises(PermissionDenied, match="add an addendum"):
        clinic.s.encounters.add_addendum(draft.id, "Late entry")
    # The provider then signs what the nurse prepared.
    sign_in_as(clinic.s, clinic.admin)
    signed = clinic.s.checks.sign(draft.id, saved.version, SCREENED, charted, {})
    assert signed.status is EncounterStatus.SIGNED


def test_a_nurse_records_vitals_and_safety_flags(clinic: Clinic) -> None:
    clinic.user(Role.NURSE)
    edited = clinic.s.patients.update(
        clinic.patient.id,
        replace(clinic.patient.to_input(), weight_kg="70", anticoagulant=True),
        expected_version=clinic.patient.version,
    )
    assert edited.anticoagulant
    with pytest.raises(PermissionDenied, match="register a patient"):
        clinic.s.patients.create(replace(clinic.patient.to_input(), mrn="N2"))


def test_the_front_desk_registers_and_edits_demographics(clinic: Clinic) -> None:
    clinic.user(Role.FRONT_DESK)
    new = register_patient(clinic.s, "F1", "Rosa", "Díaz", date(1990, 5, 6), phone="555-0101")
    edited = clinic.s.patients.update(
        new.id,
        replace(new.to_input(), phone="555-0199", preferred_language=Language.SPANISH),
        expected_version=new.version,
    )
    assert (edited.phone, edited.preferred_language) == ("555-0199", Language.SPANISH)
    found = clinic.s.patients.search("rosa")
    assert [p.id for p in found] == [new.id]
    assert clinic.denials() == []


def test_the_front_desk_cannot_change_a_clinical_flag(clinic: Clinic) -> None:
    desk = clinic.user(Role.FRONT_DESK)
    before = clinic.s.patients.get(clinic.patient.id)
    # Unticking nothing but the anticoagulant flag, together with a harmless phone change.
    changed = replace(before.to_input(), phone="555-0123", anticoagulant=True)
    with pytest.raises(PermissionDenied, match=r"front desk.*weight, allergies or safety flags"):
        clinic.s.patients.update(before.id, changed, expected_version=before.version)
    after = clinic.s.patients.get(before.id)
    assert after == before  # nothing saved, not even the phone
    assert clinic.denials() == ["patient.clinical"]
    with clinic.db() as session:
        denial = session.scalars(select(AuditEvent).where(AuditEvent.action == DENIED)).one()
    assert denial.user_id == desk.id
    for field, value in (("allergies", "latex"), ("weight_kg", "80"), ("diabetes", True)):
        with pytest.raises(PermissionDenied):
            clinic.s.patients.update(
                before.id,
                replace(before.to_input(), **{field: value}),
                expected_version=before.version,
            )
    # Registering a patient with a safety flag already set is refused the same way.
    with pytest.raises(PermissionDenied, match="safety flags"):
        register_patient(clinic.s, "F2", "Lee", "Kim", pregnant_or_breastfeeding=True)
    assert [p.mrn for p in clinic.s.patients.search("")] == ["M1"]


def test_the_front_desk_prints_handouts_but_enters_no_clinical_data(clinic: Clinic) -> None:
    encounter = clinic.s.encounters.create(clinic.patient.id, clinic.admin.id)
    clinic.user(Role.FRONT_DESK)
    row = clinic.s.documents.record_print(encounter.id, Language.ENGLISH, copies=2)
    assert row.copies == 2
    assert clinic.s.documents.render_handout(encounter.id).startswith(b"%PDF")
    assert clinic.s.notes.render_note(encounter.id).startswith(b"%PDF")
    assert [
        r.encounter_id for r in clinic.s.documents.procedures_on(encounter.performed_at.date())
    ] in (
        [encounter.id],
        [],  # the clinic's day may differ from UTC's
    )
    with pytest.raises(PermissionDenied, match="start an encounter"):
        clinic.s.encounters.create(clinic.patient.id, clinic.admin.id)
    with pytest.raises(PermissionDenied, match="chart an encounter"):
        clinic.s.encounters.save_draft(encounter.id, encounter.version, SCREENED, [])
    with pytest.raises(PermissionDenied, match="open an encounter"):
        clinic.s.encounters.get(encounter.id)
    assert clinic.denials() == ["encounter.create", "encounter.save", "encounter.read"]


def test_an_administrator_edits_the_clinic_profile_and_sees_no_chart(clinic: Clinic) -> None:
    clinic.user(Role.ADMIN)
    profile = clinic.s.clinic.profile()
    assert profile is not None
    updated = clinic.s.clinic.update_profile(
        ClinicProfileData(name="Renamed Clinic"), expected_version=profile.version
    )
    assert updated.name == "Renamed Clinic"
    with pytest.raises(PermissionDenied, match="search the patient list"):
        clinic.s.patients.search("")


def test_a_provider_edits_the_clinic_profile_only_when_also_an_administrator(
    clinic: Clinic,
) -> None:
    clinic.user(Role.PROVIDER)
    with pytest.raises(PermissionDenied, match=r"Your role \(provider\).*clinic's profile"):
        clinic.s.clinic.update_profile(ClinicProfileData(name="Mine Now"), expected_version=1)
    with pytest.raises(PermissionDenied, match="create a user account"):
        add_user(clinic.s, "another", "Another One", Role.ADMIN)
    profile = clinic.s.clinic.profile()
    assert profile is not None
    assert profile.name == "Test Pain Clinic"
    sign_in_as(clinic.s, clinic.admin)
    both = clinic.user(frozenset({Role.PROVIDER, Role.ADMIN}))
    assert both.roles == {Role.PROVIDER, Role.ADMIN}
    updated = clinic.s.clinic.update_profile(
        ClinicProfileData(name="Both Roles"), expected_version=profile.version
    )
    assert updated.name == "Both Roles"
    assert clinic.denials() == ["clinic.update", "user.create"]


def test_the_roles_come_from_the_database_at_sign_in(clinic: Clinic) -> None:
    desk = add_user(clinic.s, "desk", "Fran Desk", Role.FRONT_DESK)
    with clinic.db.begin() as session:
        session.execute(
            text("INSERT INTO user_role (user_id, role) VALUES (:id, 'nurse')"), {"id": desk.id}
        )
    signed_in = clinic.s.clinic.authenticate("desk", PASSWORD)
    assert signed_in.roles == {Role.FRONT_DESK, Role.NURSE}
    assert clinic.s.actor.roles == {Role.FRONT_DESK, Role.NURSE}
    clinic.s.patients.update(  # now a nurse too: may record the weight
        clinic.patient.id,
        replace(clinic.patient.to_input(), weight_kg="71"),
        expected_version=clinic.patient.version,
    )
    with clinic.db.begin() as session:
        session.execute(update(User).where(User.id == desk.id).values(active=False))
    with pytest.raises(ValidationError, match=r"(?i)wrong"):  # a deactivated account: no roles
        clinic.s.clinic.authenticate("desk", PASSWORD)


def test_providers_are_the_accounts_holding_the_role(clinic: Clinic) -> None:
    add_user(clinic.s, "nurse", "Nina Park", Role.NURSE)
    add_user(clinic.s, "np", "Lucía Santos", frozenset({Role.PROVIDER, Role.NURSE}))
    names = [u.display_name for u in clinic.s.clinic.users(providers_only=True)]
    assert names == ["Ana Ruiz", "Lucía Santos"]
    with pytest.raises(ValidationError, match="at least one role"):
        add_user(clinic.s, "nobody", "No Role", frozenset())


def test_a_refusal_stays_a_refusal_when_the_audit_row_cannot_be_written(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(sqlite_url(path))
    services = build_services(make_sessionmaker(engine), "test", is_sqlite=True)
    set_up_clinic(services)
    desk = add_user(services, "desk", "Fran Desk", Role.FRONT_DESK)
    engine.dispose()
    read_only = make_engine(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
    services = build_services(make_sessionmaker(read_only), "test", is_sqlite=True)
    with pytest.raises(StorageError, match="read-only"):  # signing in writes its audit row
        services.clinic.authenticate("desk", PASSWORD)
    services.actor.sign_in(desk.id, desk.roles)  # as if signed in before it became read-only
    with pytest.raises(PermissionDenied, match="start an encounter") as caught:
        services.encounters.create(1, 1)
    assert isinstance(caught.value.__cause__, StorageError)  # the audit row could not be kept
    read_only.dispose()
