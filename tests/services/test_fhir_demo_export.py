"""The whole demo clinic exported: every resource of the Bundle validates (issue 14 §3), with
both techniques, both languages and a patient named in each script the demo draws names
from, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.models import Patient
from clinic_app.services.demo import seed_demo
from clinic_app.services.demo_names import DEMO_PASSWORD, POOLS, PROVIDERS
from tests.conftest import Services
from tests.fhir_checks import check_bundle, resources_of

TODAY = date(2026, 11, 23)
#: Enough patients for both techniques and languages, and one per name tradition below.
PATIENTS = len(POOLS) + 1


def name_every_tradition(db: sessionmaker[Session]) -> dict[str, str]:
    """Rename the first demo patients to one name of each tradition (Latin, Cyrillic, Greek,
    Han, Hangul, kana, Arabic, Hebrew, Vietnamese...); returns family name → tradition."""
    chosen: dict[str, str] = {}
    with db.begin() as session:
        ids = session.scalars(select(Patient.id).order_by(Patient.id)).all()
        for patient_id, (tradition, (women, _men, families, _lang)) in zip(
            ids, POOLS.items(), strict=False
        ):
            session.execute(
                update(Patient)
                .where(Patient.id == patient_id)
                .values(given_name=women[0], family_name=families[-1])
            )
            chosen[families[-1]] = tradition
    assert len(chosen) == len(POOLS)
    return chosen


def test_the_demo_clinic_exports_as_valid_fhir(
    services: Services, db: sessionmaker[Session]
) -> None:
    seed_demo(db, patients=PATIENTS, seed=20261123, today=TODAY)
    chosen = name_every_tradition(db)
    services.actor.command_line = False
    services.clinic.authenticate(PROVIDERS[1][0], DEMO_PASSWORD)
    export = services.fhir.export_since(date(2000, 1, 1))
    kinds = check_bundle(export.bundle)
    assert kinds["Patient"] == export.patients > len(POOLS) - 1
    assert kinds["Encounter"] == kinds["DocumentReference"] == export.encounters
    assert kinds["Procedure"] == kinds["BodyStructure"] > kinds["Encounter"]
    techniques = {p["code"]["text"] for p in resources_of(export.bundle, "Procedure")}
    assert techniques == {"Trigger point injection", "Trigger point dry needling"}
    cpt = {c["code"] for p in resources_of(export.bundle, "Procedure") for c in p["code"]["coding"]}
    assert cpt <= {"20552", "20553", "20560", "20561"}
    patients = resources_of(export.bundle, "Patient")
    languages = {p["communication"][0]["language"]["coding"][0]["code"] for p in patients}
    assert languages == {"en", "es"}
    families = {p["name"][0]["family"] for p in patients}
    assert set(chosen) <= families, "a name tradition was not exported"
    sides = {
        s["locationQualifier"][0]["coding"][0]["display"]
        for s in resources_of(export.bundle, "BodyStructure")
    }
    assert sides == {"Left", "Right"}
