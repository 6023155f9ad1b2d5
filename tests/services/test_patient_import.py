"""Issue 14 §3: patients imported from a file, previewed, then all or nothing (both backends)."""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Language, Role, Sex
from clinic_app.domain.errors import ConflictError, PermissionDenied, ValidationError
from clinic_app.domain.patient_import import ImportRow, ImportStatus, PatientFields
from clinic_app.domain.patient_import_csv import DateOrder, csv_rows, read_csv, suggest_mapping
from clinic_app.models import AuditEvent, Patient, PatientSearchToken
from clinic_app.services import patient_import
from tests.conftest import Services
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as

TODAY = date(2026, 12, 7)


def row(line: int, mrn: str, family: str = "Lee", given: str = "Ana", **more: object) -> ImportRow:
    fields = PatientFields(mrn, family, given, more.pop("born", date(1980, 1, 1)), **more)  # type: ignore[arg-type]
    return ImportRow(line, fields)


@pytest.fixture
def desk(services: Services) -> Services:
    """A clinic, with a front-desk user signed in."""
    set_up_clinic(services)
    sign_in_as(services, add_user(services, "desk", "Fran Desk", Role.FRONT_DESK))
    return services


def counts(db: sessionmaker[Session]) -> tuple[int, int]:
    with db() as session:
        patients = session.scalar(select(func.count(Patient.id)))
        tokens = session.scalar(select(func.count(PatientSearchToken.id)))
        return int(patients or 0), int(tokens or 0)


def test_the_preview_sorts_new_duplicate_and_invalid_rows(desk: Services) -> None:
    register_patient(desk, "A-1")
    rows = [
        row(2, "a-1"),  # registered already (MRNs compare without case)
        row(3, "B-2", "García", "Ana María", sex=Sex.FEMALE),
        row(4, "b-2"),  # the same MRN as line 3
        row(5, "", "Lee", "Bo"),  # no MRN
        row(6, "C-3", "", "", born=date(2030, 1, 1)),  # the form's own checks
    ]
    preview = desk.patient_import.preview(rows, TODAY)
    assert [(v.line, v.status) for v in preview.rows] == [
        (2, ImportStatus.DUPLICATE),
        (3, ImportStatus.NEW),
        (4, ImportStatus.DUPLICATE),
        (5, ImportStatus.INVALID),
        (6, ImportStatus.INVALID),
    ]
    assert preview.rows[0].reasons == ("MRN a-1 is already registered.",)
    assert preview.rows[2].reasons == ("MRN b-2 is also on line 3.",)
    assert preview.rows[3].reasons == ("MRN is required.",)
    assert preview.rows[4].reasons == (
        "Given name is required.",
        "Family name is required.",
        "Date of birth 2030-01-01 is in the future.",
    )
    assert (preview.count(ImportStatus.NEW), preview.count(ImportStatus.INVALID)) == (1, 2)
    assert preview.new_rows() == [rows[1]]


def test_a_field_the_file_could_not_say_is_reported_once(desk: Services) -> None:
    unread = ValidationError("date_of_birth", "Date of birth '31/31/1970' is not a date.")
    bad = ImportRow(7, PatientFields("D-4", "Lee", "Ana", None), (unread,))
    (verdict,) = desk.patient_import.preview([bad], TODAY).rows
    assert verdict.status is ImportStatus.INVALID
    assert verdict.reasons == ("Date of birth '31/31/1970' is not a date.",)


def test_commit_registers_the_new_rows_skips_duplicates_and_audits_once(
    desk: Services, db: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    register_patient(desk, "A-1")
    rows = [
        row(2, "A-1"),
        row(
            3,
            "N-7",
            "Nguyễn",
            "Thị Lan",
            sex=Sex.FEMALE,
            preferred_language=Language.SPANISH,
            phone="+1 555 0100",
        ),
        row(4, "N-8", "O'Brien", "Seán"),
    ]
    with caplog.at_level(logging.INFO):
        result = desk.patient_import.commit(rows, TODAY)
    assert result.imported == 2
    assert [(v.line, v.status) for v in result.duplicates] == [(2, ImportStatus.DUPLICATE)]
    found = desk.patients.search("nguyen")
    assert [(p.mrn, p.family_name, p.given_name) for p in found] == [("N-7", "Nguyễn", "Thị Lan")]
    assert (found[0].sex, found[0].preferred_language, found[0].phone) == (
        Sex.FEMALE,
        Language.SPANISH,
        "+1 555 0100",
    )
    assert [p.mrn for p in desk.patients.search("n-8")] == ["N-8"]
    assert [p.mrn for p in desk.patients.search("sean")] == ["N-8"]
    with db() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "patient.import")
        ).all()
    assert [(a.entity_type, a.entity_id, a.patient_id) for a in audit] == [
        ("patient_import", 2, None)
    ]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "2 registered, 1 duplicates skipped" in logged
    assert "Nguy" not in logged
    assert "N-7" not in logged


def test_an_invalid_row_imports_nothing(desk: Services, db: sessionmaker[Session]) -> None:
    before = counts(db)
    rows = [row(2, "OK-1"), row(3, "OK-2", "", "Bo"), row(4, "OK-3")]
    with pytest.raises(ValidationError, match=r"1 rows are invalid \(lines 3\); nothing"):
        desk.patient_import.commit(rows, TODAY)
    assert counts(db) == before
    assert desk.patients.search("ok") == []


def test_many_invalid_rows_are_named_in_part(desk: Services) -> None:
    rows = [row(n, f"X{n}", "") for n in range(2, 15)]
    with pytest.raises(ValidationError, match=r"13 rows .*lines 2, 3, .* 11 and 3 more\)"):
        desk.patient_import.commit(rows, TODAY)


def test_a_database_failure_mid_import_leaves_the_tables_unchanged(
    desk: Services, db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another desk registers an MRN of the file after the check: the INSERT of a later chunk
    fails on the unique key, and the chunks flushed before it are rolled back too."""
    register_patient(desk, "RACE")
    before = counts(db)
    monkeypatch.setattr(patient_import, "CHUNK", 2)
    monkeypatch.setattr(
        patient_import.PatientImportService, "_taken", staticmethod(lambda *_: set())
    )
    rows = [row(n, f"R{n}") for n in range(2, 7)] + [row(7, "race")]
    told: list[tuple[int, int]] = []
    with pytest.raises(ConflictError, match="Nothing was imported"):
        desk.patient_import.commit(
            rows, TODAY, progress=lambda done, total: told.append((done, total))
        )
    assert told == [(2, 6), (4, 6)]  # two chunks were written before the failure
    assert counts(db) == before
    assert [p.mrn for p in desk.patients.search("r")] == ["RACE"]


def test_a_cancel_from_the_progress_callback_rolls_everything_back(
    desk: Services, db: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patient_import, "CHUNK", 2)
    before = counts(db)

    def cancel(done: int, _total: int) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        desk.patient_import.commit([row(n, f"K{n}") for n in range(5)], TODAY, progress=cancel)
    assert counts(db) == before


def test_an_administrator_may_import_and_a_nurse_may_not(services: Services) -> None:
    set_up_clinic(services)  # the administrator is signed in
    assert services.patient_import.commit([row(2, "AD-1")], TODAY).imported == 1
    sign_in_as(services, add_user(services, "nurse", "Nia Nurse", Role.NURSE))
    with pytest.raises(PermissionDenied, match="import patients"):
        services.patient_import.preview([row(2, "AD-2")], TODAY)


def test_the_rows_must_be_import_rows(desk: Services) -> None:
    with pytest.raises(ValidationError, match="rows to import"):
        desk.patient_import.preview("not rows", TODAY)  # type: ignore[arg-type]


def test_ten_thousand_csv_rows_import_in_a_few_seconds(
    desk: Services, db: sessionmaker[Session]
) -> None:
    lines = ["Chart No,Last Name,First Name,DOB,Sex,Phone"]
    lines += [
        f"P{n:05d},Family{n},Given {n},1970-01-{1 + n % 28:02d},F,555-{n:04d}"
        for n in range(10_000)
    ]
    table = read_csv("\n".join(lines).encode())
    rows = csv_rows(table, suggest_mapping(table.columns), DateOrder.ISO)
    told: list[int] = []
    started = time.perf_counter()
    preview = desk.patient_import.preview(rows, TODAY)
    result = desk.patient_import.commit(
        preview.new_rows(), TODAY, progress=lambda d, _t: told.append(d)
    )
    elapsed = time.perf_counter() - started
    assert result.imported == 10_000
    assert told[-1] == 10_000
    assert len(told) == 10_000 // patient_import.CHUNK
    assert counts(db)[0] == 10_000
    assert [p.mrn for p in desk.patients.search("family9999")] == ["P09999"]
    assert [p.mrn for p in desk.patients.search("P0999")][:2] == ["P09990", "P09991"]
    assert elapsed < 15, elapsed  # a few seconds on a developer machine; slack for shared CI
