"""The FHIR export service on SQLite and PostgreSQL: only signed encounters, built from what
was signed, every resource valid, every exported encounter audited."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.models import AuditEvent
from clinic_app.services.dto import AuditQuery, EncounterInput, MeasureEntry
from tests.conftest import Services
from tests.factories import register_patient
from tests.fhir_checks import check_bundle, resources_of
from tests.services.test_signed_note import sign_visit, stored, tamper, text_of


def exports(db: sessionmaker[Session]) -> list[tuple[str, int | None, int | None]]:
    with db() as session:
        rows = session.execute(
            select(AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.patient_id)
            .where(AuditEvent.action == "fhir.export")
            .order_by(AuditEvent.id)
        ).all()
    return [(r.entity_type, r.entity_id, r.patient_id) for r in rows]


def test_a_signed_encounter_exports_valid_resources_and_is_audited(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    export = services.fhir.export_encounter(s.encounter_id)
    assert (export.encounters, export.patients) == (1, 1)
    kinds = check_bundle(export.bundle)
    assert kinds["Procedure"] == kinds["BodyStructure"] == 2
    assert kinds["MedicationAdministration"] == 2
    assert kinds["Observation"] == 2
    assert exports(db) == [("encounter", s.encounter_id, s.patient_id)]
    page = services.audit.report(AuditQuery(patient_id=s.patient_id, action="fhir.export"))
    assert [e.what for e in page.entries] == [
        "Exported a signed visit to FHIR (for the main record)"
    ]
    patient = resources_of(export.bundle, "Patient")[0]
    assert patient["identifier"][0]["value"] == "N-7"
    assert patient["name"][0]["family"] == "Nguyễn"
    lots = [
        m["contained"][0]["batch"] for m in resources_of(export.bundle, "MedicationAdministration")
    ]
    assert lots == [{"lotNumber": "LD-2291", "expirationDate": "2099-05-31"}] * 2
    codes = [p["code"]["coding"][0]["code"] for p in resources_of(export.bundle, "Procedure")]
    assert codes == ["20552", "20552"]
    pdf = base64.b64decode(
        resources_of(export.bundle, "DocumentReference")[0]["content"][0]["attachment"]["data"]
    )
    assert "Nguyễn" in text_of(pdf)
    assert "Signed" in text_of(pdf)


def test_an_outcome_questionnaire_taken_at_the_visit_is_exported_as_an_observation(
    services: Services, db: sessionmaker[Session]
) -> None:
    ndi = (2, 2, 2, 2, 2, 2, 2, 2, 1, 1)  # 18 of 50: 36 %

    def record_ndi(encounter_id: int) -> None:
        services.measures.record(
            MeasureEntry("ndi", ndi, date(2025, 3, 4), encounter_id=encounter_id)
        )

    s = sign_visit(services, db, before_signing=record_ndi)
    export = services.fhir.export_encounter(s.encounter_id)
    kinds = check_bundle(export.bundle)
    assert kinds["Observation"] == 3  # pain before, pain after, the NDI
    surveys = [
        o
        for o in resources_of(export.bundle, "Observation")
        if o.get("valueQuantity", {}).get("unit") == "%"  # pain scores are integers
    ]
    assert len(surveys) == 1
    assert surveys[0]["valueQuantity"]["value"] == 36
    assert surveys[0]["valueQuantity"]["unit"] == "%"
    assert surveys[0]["effectiveDateTime"] == "2025-03-04"


def test_a_second_export_gives_the_same_resources_and_a_second_audit_row(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    first = services.fhir.export_encounter(s.encounter_id).bundle
    second = services.fhir.export_encounter(s.encounter_id).bundle
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert len(exports(db)) == 2


def test_a_draft_is_refused_and_nothing_is_audited(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    draft = services.encounters.create(s.patient_id, s.admin_id)
    with pytest.raises(ValidationError, match="is not signed: only signed encounters"):
        services.fhir.export_encounter(draft.id)
    with pytest.raises(NotFoundError):
        services.fhir.export_encounter(987_654)
    assert exports(db) == []


def test_a_patients_export_holds_only_the_signed_encounters(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    draft = services.encounters.create(s.patient_id, s.admin_id)
    services.encounters.save_draft(draft.id, draft.version, EncounterInput(pain_before=9), [])
    export = services.fhir.export_patient(s.patient_id)
    assert export.encounters == 1
    assert check_bundle(export.bundle)["Encounter"] == 1
    other = register_patient(services, "Q-1", "Ines", "Quiroga")
    services.encounters.create(other.id, s.admin_id)
    with pytest.raises(ValidationError, match="no signed encounter"):
        services.fhir.export_patient(other.id)
    assert exports(db) == [("encounter", s.encounter_id, s.patient_id)]


def test_since_a_day_exports_what_was_signed_from_that_day(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    snap, _ = stored(db, s.encounter_id)
    signed_on = datetime.fromisoformat(snap["signed_at"]).date()
    assert services.fhir.export_since(signed_on - timedelta(days=1)).encounters == 1
    with pytest.raises(ValidationError, match="No encounter was signed on or after"):
        services.fhir.export_since(signed_on + timedelta(days=2))
    with pytest.raises(ValidationError, match="a date"):
        services.fhir.export_since("2025-01-01")  # type: ignore[arg-type]


def test_a_voided_patient_is_not_exported(services: Services, db: sessionmaker[Session]) -> None:
    s = sign_visit(services, db)
    version = services.patients.get(s.patient_id).version
    services.patients.void(s.patient_id, "Registered twice", expected_version=version)
    with pytest.raises(NotFoundError):
        services.fhir.export_encounter(s.encounter_id)
    with pytest.raises(NotFoundError):
        services.fhir.export_patient(s.patient_id)
    with pytest.raises(ValidationError, match="No encounter was signed"):
        services.fhir.export_since(date(2000, 1, 1))
    assert exports(db) == []


def test_signed_content_altered_behind_the_apps_back_is_not_exported(
    services: Services, db: sessionmaker[Session]
) -> None:
    s = sign_visit(services, db)
    snap, _ = stored(db, s.encounter_id)
    snap["form"]["pain_after"] = 0
    tamper(db, s.encounter_id, snap)
    with pytest.raises(ConflictError, match="no longer matches its seal"):
        services.fhir.export_encounter(s.encounter_id)
    assert exports(db) == []
