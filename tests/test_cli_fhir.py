"""`clinic-app export-fhir` run as a subprocess on a real SQLite file: the Bundle file,
its audit rows, and clear refusals (a draft, an unknown id, a path that cannot be written)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.models import AuditEvent
from clinic_app.services.container import build_services
from clinic_app.storage import migrate
from clinic_app.storage.engine import make_engine, make_sessionmaker
from clinic_app.storage.location import sqlite_url
from tests.factories import PASSWORD
from tests.fhir_checks import check_bundle, resources_of
from tests.services.test_signed_note import sign_visit

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Clinic:
    path: Path
    signed: int
    draft: int
    patient: int


@pytest.fixture
def clinic(tmp_path: Path) -> Clinic:
    """A database file with one signed encounter (user "ana") and a draft for the patient."""
    path = tmp_path / "clinic.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    sessions: sessionmaker[Session] = make_sessionmaker(engine)
    services = build_services(sessions, "test file", is_sqlite=True)
    signed = sign_visit(services, sessions)
    draft = services.encounters.create(signed.patient_id, signed.admin_id)
    with sessions.begin() as session:  # as after the first sign-in in the app
        session.execute(text("UPDATE app_user SET must_change_password = false"))
    engine.dispose()
    return Clinic(path, signed.encounter_id, draft.id, signed.patient_id)


def run(clinic: Clinic, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "clinic_app", "--db", str(clinic.path), "export-fhir"]
    return subprocess.run(
        [*command, *args, "--user", "ana", "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def exported(clinic: Clinic) -> list[tuple[int | None, int | None]]:
    engine = make_engine(sqlite_url(clinic.path))
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(AuditEvent.entity_id, AuditEvent.patient_id).where(
                    AuditEvent.action == "fhir.export"
                )
            ).all()
    finally:
        engine.dispose()
    return [(r.entity_id, r.patient_id) for r in rows]


def test_an_encounter_is_written_as_a_valid_bundle_and_audited(
    clinic: Clinic, tmp_path: Path
) -> None:
    out = tmp_path / "visit.json"
    done = run(clinic, "--encounter", str(clinic.signed), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "1 signed encounter of 1 patient" in done.stdout
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert check_bundle(bundle)["Encounter"] == 1
    assert resources_of(bundle, "Patient")[0]["name"][0]["family"] == "Nguyễn"
    assert exported(clinic) == [(clinic.signed, clinic.patient)]
    # What the terminal and the log file say names no patient.
    log = "".join(
        p.read_text(encoding="utf-8") for p in Path(os.environ["CLINIC_APP_LOG_DIR"]).glob("*.log*")
    )
    for said in (done.stdout, done.stderr, log):
        assert "Nguyễn" not in said
        assert "N-7" not in said


def test_by_patient_and_since_a_day(clinic: Clinic, tmp_path: Path) -> None:
    by_patient = tmp_path / "patient.json"
    assert run(clinic, "--patient", str(clinic.patient), "--out", str(by_patient)).returncode == 0
    since = tmp_path / "since.json"
    done = run(clinic, "--since", "2000-01-01", "--out", str(since))
    assert done.returncode == 0, done.stderr
    for path in (by_patient, since):
        assert check_bundle(json.loads(path.read_text(encoding="utf-8")))["Encounter"] == 1
    assert len(exported(clinic)) == 2


def test_a_draft_is_refused_and_no_file_is_written(clinic: Clinic, tmp_path: Path) -> None:
    out = tmp_path / "draft.json"
    done = run(clinic, "--encounter", str(clinic.draft), "--out", str(out))
    assert done.returncode == 2
    assert f"Encounter {clinic.draft} is not signed" in done.stderr
    assert not out.exists()
    assert exported(clinic) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--encounter", "9999"], "No encounter with id 9999"),
        (["--since", "2026-02-30"], "is not a date"),
    ],
)
def test_unknown_ids_and_bad_dates_are_clear_errors(
    clinic: Clinic, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "x.json"
    done = run(clinic, *args, "--out", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert not out.exists()


def test_a_path_that_cannot_be_written_is_refused_before_signing_in(
    clinic: Clinic, tmp_path: Path
) -> None:
    for out, message in (
        (tmp_path / "missing" / "x.json", "does not exist"),
        (tmp_path, "it is a folder"),
    ):
        done = run(clinic, "--encounter", str(clinic.signed), "--out", str(out))
        assert done.returncode == 2
        assert message in done.stderr
    assert exported(clinic) == []
