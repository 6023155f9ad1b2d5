"""Issue 13: the patient count is one row kept by the database (migration 0018), exact for
every way patients are written, on SQLite and PostgreSQL, from several workstations."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, event, text

from clinic_app.services.container import AppServices
from clinic_app.services.dto import PatientInput
from tests.conftest import Services
from tests.factories import PASSWORD, register_patient, set_up_clinic
from tests.services.test_changes import desks, shared_url  # noqa: F401 (fixtures)

STAMP = "'2026-01-01 00:00:00'"


class Statements:
    """The SQL every engine runs while the block is open."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _heard(self, _conn: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.seen.append(statement)

    def __enter__(self) -> Statements:
        event.listen(Engine, "before_cursor_execute", self._heard)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._heard)


def test_the_count_follows_registrations_and_voids_without_counting_the_table(
    services: Services,
) -> None:
    set_up_clinic(services)
    assert services.patients.count() == 0
    patients = [register_patient(services, f"C-{i}") for i in range(3)]
    assert services.patients.count() == 3
    services.patients.void(patients[0].id, "registered twice", expected_version=1)
    edited = PatientInput("C-1", "Ana", "Lee-Park", date(1980, 1, 1))
    services.patients.update(patients[1].id, edited, expected_version=1)  # voids no one
    with Statements() as sql:
        assert services.patients.count() == 2
    reads = [s for s in sql.seen if s.lstrip().upper().startswith("SELECT")]
    assert reads
    assert all("patient_count" in s for s in reads)
    assert not any("FROM patient " in s or "FROM patient\n" in s for s in reads)


def _insert_rows(services: Services, rows: list[tuple[int, str, bool]]) -> None:
    """Patients written straight to the table in ONE statement, as an import or a bulk
    load may (no ORM: the triggers alone keep the count)."""
    values = ", ".join(
        f"({pid}, '{mrn}', '{mrn.lower()}', 'X', 'Y', 'x', 'y', '1970-01-01', 'female', 'en', "
        f"'', '', false, false, false, '', 'none', {STAMP}, {STAMP}, "
        f"{STAMP if voided else 'NULL'}, '', 1)"
        for pid, mrn, voided in rows
    )
    with services.patients._tx() as session:
        session.execute(
            text(
                "INSERT INTO patient (id, mrn, mrn_key, given_name, family_name, given_key, "
                "family_key, date_of_birth, sex, preferred_language, phone, allergies, "
                "anticoagulant, diabetes, pregnant_or_breastfeeding, notes, payer, created_at, "
                f"updated_at, voided_at, void_reason, version) VALUES {values}"
            )
        )


def test_rows_written_without_the_app_are_counted_too(services: Services) -> None:
    set_up_clinic(services)
    register_patient(services, "A-1")
    _insert_rows(services, [(901, "B-1", False), (902, "B-2", False), (903, "B-3", True)])
    assert services.patients.count() == 3
    with services.patients._tx() as session:
        session.execute(text("UPDATE patient SET voided_at = NULL WHERE id = 903"))
        session.execute(text("UPDATE patient SET notes = 'seen' WHERE id IN (901, 902)"))
    assert services.patients.count() == 4
    with services.patients._tx() as session:
        session.execute(text("DELETE FROM patient WHERE id IN (901, 902)"))
        session.execute(text(f"UPDATE patient SET voided_at = {STAMP} WHERE id = 903"))
    assert services.patients.count() == 1


def test_two_workstations_registering_at_once_are_both_counted(
    desks: tuple[AppServices, AppServices],  # noqa: F811
) -> None:
    first, second = desks
    set_up_clinic(first)
    second.clinic.authenticate("admin", PASSWORD)
    each = 15
    failures: list[BaseException] = []

    def register(desk: AppServices, prefix: str) -> None:
        try:
            for i in range(each):
                register_patient(desk, f"{prefix}-{i}")
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [
        threading.Thread(target=register, args=(desk, prefix))
        for desk, prefix in ((first, "W1"), (second, "W2"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert first.patients.count() == second.patients.count() == 2 * each
