"""The audit screen's report: chart opens audited, filters, sorting, pages, CSV, access PDF."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.enums import Role
from clinic_app.domain.errors import ValidationError
from clinic_app.models import AuditEvent
from clinic_app.services.dto import AuditQuery, ClinicProfileData
from tests.conftest import Services, system_tool
from tests.factories import add_user, register_patient, set_up_clinic, sign_in_as

CHICAGO = "America/Chicago"
#: 2026-03-04 23:30 in Chicago is already 03-05 in UTC: the day filter must use the clinic's.
LATE = datetime(2026, 3, 5, 5, 30, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)


@pytest.fixture
def trail(services: Services, set_now: Callable[[datetime], None]) -> dict[str, int]:
    """A Chicago clinic; the admin-provider opens Lee late on the 4th, a nurse opens Kim on
    the 5th; the patient search and counts in between."""
    set_now(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    admin = set_up_clinic(services, ClinicProfileData("=Lake Clinic", timezone=CHICAGO))
    lee = register_patient(services, "M1", "Ana", "Lee")
    kim = register_patient(services, "M2", "Bo", "Kim")
    encounter = services.encounters.create(lee.id, admin.id)
    nurse = add_user(services, "nurse", "Nia Nurse", Role.NURSE)
    set_now(LATE)
    services.patients.get(lee.id)
    services.encounters.get(encounter.id)
    set_now(NEXT_DAY)
    sign_in_as(services, nurse)
    services.patients.search("")
    services.patients.count()
    services.encounters.history(kim.id)
    services.patients.get(kim.id)
    sign_in_as(services, admin)
    return {"admin": admin.id, "nurse": nurse.id, "lee": lee.id, "kim": kim.id, "e": encounter.id}


def test_each_chart_open_writes_one_row_and_lists_write_none(
    trail: dict[str, int], db: sessionmaker[Session]
) -> None:
    with db() as session:
        reads = session.execute(
            select(
                AuditEvent.action, AuditEvent.user_id, AuditEvent.patient_id, AuditEvent.entity_id
            )
            .where(AuditEvent.action.like("%.read"))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(r) for r in reads] == [
        ("patient.read", trail["admin"], trail["lee"], trail["lee"]),
        ("encounter.read", trail["admin"], trail["lee"], trail["e"]),
        ("patient.read", trail["nurse"], trail["kim"], trail["kim"]),
    ]


def test_the_report_filters_by_clinic_day_user_patient_and_action(
    services: Services, trail: dict[str, int]
) -> None:
    def actions(**filters: object) -> list[str]:
        page = services.audit.report(AuditQuery(descending=False, **filters))  # type: ignore[arg-type]
        return [e.action for e in page.entries]

    # 23:30 on the 4th in Chicago, though the 5th in UTC.
    on_the_4th = actions(start=date(2026, 3, 4), end=date(2026, 3, 4), action="patient.read")
    assert on_the_4th == ["patient.read"]
    assert actions(start=date(2026, 3, 5), user_id=trail["nurse"]) == [
        "auth.sign_in",
        "patient.read",
    ]
    assert actions(patient_id=trail["kim"]) == ["patient.create", "patient.read"]
    assert actions(action="encounter.read") == ["encounter.read"]
    page = services.audit.report(AuditQuery(patient_id=trail["kim"], action="patient.read"))
    entry = page.entries[0]
    assert (entry.user_name, entry.user_roles) == ("Nia Nurse", "nurse")
    assert (entry.patient_name, entry.patient_mrn) == ("Kim, Bo", "M2")
    assert entry.local == "2026-03-05 10:00 CST"
    assert entry.what == "Opened the patient's record"
    assert not entry.emergency


def test_the_report_sorts_and_pages(services: Services, trail: dict[str, int]) -> None:
    everything = services.audit.report(AuditQuery(limit=None))
    assert everything.total == len(everything.entries)
    page = services.audit.report(AuditQuery(limit=2, offset=1))
    assert page.total == everything.total
    assert [e.id for e in page.entries] == [e.id for e in everything.entries[1:3]]
    newest_first = [e.id for e in everything.entries]
    assert newest_first == sorted(newest_first, reverse=True)
    by_user = services.audit.report(AuditQuery(sort="user", descending=False, limit=None))
    named = [e.user_name for e in by_user.entries if e.user_name]
    assert named == sorted(named)
    assert [e.user_name for e in by_user.entries][-1] == "Nia Nurse"
    with pytest.raises(ValidationError):
        services.audit.report(AuditQuery(sort="password"))
    with pytest.raises(ValidationError):
        services.audit.report(AuditQuery(start=date(2026, 3, 5), end=date(2026, 3, 4)))


def test_the_csv_export_has_every_matching_row_and_is_itself_audited(
    services: Services, trail: dict[str, int], db: sessionmaker[Session]
) -> None:
    text = services.audit.export_csv(AuditQuery(patient_id=trail["lee"], limit=1))
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:4] == ["entry", "when (clinic time)", "when (UTC)", "user"]
    body = lines[1:]
    assert {row[5] for row in body} == {
        "patient.create",
        "patient.read",
        "encounter.create",
        "encounter.read",
    }
    assert all(row[7] == "M1" and row[8] == "Lee, Ana" for row in body)
    with db() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.patient_id, last.user_id) == (
        "audit.export",
        trail["lee"],
        trail["admin"],
    )


def test_a_cell_that_a_spreadsheet_would_run_is_defused(
    services: Services, trail: dict[str, int]
) -> None:
    sign_in_as(services, add_user(services, "calc", "=cmd|' /C calc'!A0", Role.NURSE))
    services.patients.get(trail["lee"])
    sign_in_as(services, next(u for u in services.clinic.users() if u.username == "admin"))
    text = services.audit.export_csv(AuditQuery(user_id=None))
    assert "'=cmd|' /C calc'!A0" in text
    assert ",=cmd" not in text


def test_the_patient_finder_for_the_filter(services: Services, trail: dict[str, int]) -> None:
    assert [p.label for p in services.audit.find_patients("kim")] == ["Kim, Bo (MRN M2)"]
    assert [p.id for p in services.audit.find_patients("m1")] == [trail["lee"]]
    assert services.audit.find_patients("  ") == []


def test_the_patient_finder_has_the_patient_search_s_limit_and_message(
    services: Services, trail: dict[str, int]
) -> None:
    """Issue 11 §3: a 100,000-character filter is refused in words, as in the patient list."""
    assert [p.id for p in services.audit.find_patients("lee\t")] == [trail["lee"]]
    with pytest.raises(ValidationError) as from_audit:
        services.audit.find_patients("x" * 100_000)
    with pytest.raises(ValidationError) as from_patients:
        services.patients.search("x" * 100_000)
    assert (from_audit.value.field, str(from_audit.value)) == (
        from_patients.value.field,
        str(from_patients.value),
    )
    assert "longer than 200 characters" in str(from_audit.value)
    assert "nurse" in services.audit.actions() or "patient.read" in services.audit.actions()
    assert "Nia Nurse (nurse)" in [p.label for p in services.audit.people()]


def pdf_text(pdf: bytes) -> str:
    return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_access_report_lists_who_looked_in_the_period(
    services: Services, trail: dict[str, int], db: sessionmaker[Session], tmp_path: Path
) -> None:
    data = services.audit.access_report_data(trail["lee"], date(2026, 3, 4), date(2026, 3, 4))
    assert [(line.who, line.what) for line in data.lines] == [
        ("Ana Ruiz", "Registered the patient"),
        ("Ana Ruiz", "Started an encounter"),
        ("Ana Ruiz", "Opened the patient's record"),
        ("Ana Ruiz", "Opened an encounter"),
    ]
    assert data.lines[2].when == "2026-03-04 23:30 CST"
    assert data.period == "2026-03-04 to 2026-03-04"

    pdf = services.audit.access_report(trail["lee"], date(2026, 3, 4), date(2026, 3, 4))
    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "=Lake Clinic", "Chart access report", "Ana Lee", "MRN M1", "2026-03-04 to 2026-03-04",
        "2026-03-04 23:30 CST", "Ana Ruiz", "Opened the patient's record", "provider, admin",
    ):  # fmt: skip
        assert expected in text
    assert "Bo Kim" not in text
    with db() as session:
        kinds = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "audit.access_report")
        ).all()
    assert len(kinds) == 2  # the data and the PDF: each made once

    path = tmp_path / "access.pdf"
    path.write_bytes(pdf)
    pdftoppm = system_tool("pdftoppm", "poppler-utils")
    done = subprocess.run(
        [pdftoppm, "-png", "-r", "50", str(path), str(tmp_path / "page")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [p.stat().st_size > 1000 for p in tmp_path.glob("page*.png")] == [True]
