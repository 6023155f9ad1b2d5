"""Issue 14 "done when": the FHIR round trip. The demo clinic's signed encounters are exported
as a FHIR Bundle (``services.fhir``, the export of issue 14 §3), the Bundle is imported into an
empty database, and every exported patient comes back with the demographics the record held.

The export is built on its own branch (helper "fhir"); until both are merged this module is
skipped, and afterwards it runs on every backend as the source.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.patient_import import ImportStatus
from clinic_app.domain.patient_import_fhir import parse_fhir
from clinic_app.domain.validation import search_key
from clinic_app.models import Encounter, Patient
from clinic_app.services.container import build_services
from clinic_app.services.demo import seed_demo
from clinic_app.services.demo_names import DEMO_PASSWORD, PROVIDERS
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.conftest import Services
from tests.factories import set_up_clinic

pytest.importorskip("clinic_app.services.fhir_export", reason="the FHIR export is not merged yet")

TODAY = date(2026, 11, 23)
#: What the Patient resource carries; the clinical fields (weight, allergies, safety flags),
#: notes and payer are not part of it, and the import never sets them.
CARRIED = (
    "mrn",
    "family_name",
    "given_name",
    "date_of_birth",
    "sex",
    "preferred_language",
    "phone",
)


def test_exported_patients_import_back_into_an_empty_database_with_nothing_lost(
    services: Services, db: sessionmaker[Session], sqlite_template: Path, tmp_path: Path
) -> None:
    seed_demo(db, patients=8, seed=20261123, today=TODAY)
    with db.begin() as session:  # names that test the way back: several given names, marks
        signed = session.scalar(
            select(Encounter.patient_id)
            .where(Encounter.status == EncounterStatus.SIGNED)
            .order_by(Encounter.id)
        )
        given, family = "Thị Mai Anh", "Nguyễn-O'Brien"
        session.execute(
            update(Patient)
            .where(Patient.id == signed)
            .values(
                given_name=given,
                family_name=family,
                given_key=search_key(given),
                family_key=search_key(family),
                phone="+84 28 555 0100",
            )
        )
    services.clinic.authenticate(PROVIDERS[1][0], DEMO_PASSWORD)
    export = services.fhir.export_since(date(2000, 1, 1))
    source = {p.mrn: p for p in services.patients.search("", limit=1000)}

    path = tmp_path / "empty.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(sqlite_url(path))
    try:
        empty = build_services(make_sessionmaker(engine), "empty", is_sqlite=True)
        set_up_clinic(empty)  # its administrator may import
        read = parse_fhir(export.json_bytes())
        preview = empty.patient_import.preview(list(read.rows))
        assert {v.status for v in preview.rows} == {ImportStatus.NEW}
        assert empty.patient_import.commit(preview.new_rows()).imported == export.patients
        imported = {p.mrn: p for p in empty.patients.search("", limit=1000)}
    finally:
        engine.dispose()
    assert len(imported) == export.patients > 1
    for mrn, patient in imported.items():
        before = source[mrn]
        assert [getattr(patient, f) for f in CARRIED] == [getattr(before, f) for f in CARRIED]
    assert any(p.given_name == "Thị Mai Anh" for p in imported.values())
