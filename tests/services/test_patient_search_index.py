"""Search by index (issue 13): every patient's search tokens follow its names and MRN, and
no search scans the patient table (SQLite's query plans, read back)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.models import Patient, PatientSearchToken
from clinic_app.models.patient import wanted_tokens
from tests.conftest import Services
from tests.factories import set_up_clinic
from tests.services.test_patients import TODAY, person


@pytest.fixture
def services(services: Services) -> Services:
    """Signed in as the clinic's first user, as after setup."""
    set_up_clinic(services)
    return services


def tokens(db: sessionmaker[Session], patient_id: int) -> set[tuple[str, str]]:
    with db() as session:
        found = session.execute(
            select(PatientSearchToken.kind, PatientSearchToken.token).where(
                PatientSearchToken.patient_id == patient_id
            )
        )
        return {(kind, token) for kind, token in found}


def test_tokens_are_the_folded_name_words_and_the_mrn_key(
    services: Services, db: sessionmaker[Session]
) -> None:
    p = services.patients.create(
        person(mrn="Ab-12", given="Thị Hoa", family="Nguyễn Văn"), today=TODAY
    )
    assert tokens(db, p.id) == {
        ("n", "thi"),
        ("n", "hoa"),
        ("n", "nguyen"),
        ("n", "van"),
        ("m", "ab-12"),
    }


def test_renaming_and_a_new_mrn_move_the_tokens_with_them(
    services: Services, db: sessionmaker[Session]
) -> None:
    p = services.patients.create(person(mrn="OLD-1", given="Ana", family="Lopez"), today=TODAY)
    other = services.patients.create(person(mrn="KEEP-2", given="Ana", family="Ruiz"), today=TODAY)
    assert {x.mrn for x in services.patients.search("lopez")} == {"OLD-1"}

    changed = replace(p.to_input(), mrn="NEW-1", family_name="Fernández")
    services.patients.update(p.id, changed, today=TODAY, expected_version=p.version)

    assert services.patients.search("lopez") == []
    assert services.patients.search("old-") == []
    assert {x.mrn for x in services.patients.search("fernan")} == {"NEW-1"}
    assert {x.mrn for x in services.patients.search("new-1")} == {"NEW-1"}
    assert {x.mrn for x in services.patients.search("ana")} == {"NEW-1", "KEEP-2"}
    with db() as session:
        wanted = {p.id: wanted_tokens(p) for p in session.scalars(select(Patient))}
    assert {pid: tokens(db, pid) for pid in wanted} == wanted
    assert tokens(db, other.id) == {("n", "ana"), ("n", "ruiz"), ("m", "keep-2")}


def test_an_edit_that_leaves_the_names_alone_keeps_the_same_token_rows(
    services: Services, db: sessionmaker[Session]
) -> None:
    p = services.patients.create(person(mrn="T-1", given="Eva", family="Moreau"), today=TODAY)
    with db() as session:
        before = set(
            session.scalars(
                select(PatientSearchToken.id).where(PatientSearchToken.patient_id == p.id)
            )
        )
    changed = replace(p.to_input(), phone="555-0101")
    services.patients.update(p.id, changed, today=TODAY, expected_version=p.version)
    with db() as session:
        after = set(
            session.scalars(
                select(PatientSearchToken.id).where(PatientSearchToken.patient_id == p.id)
            )
        )
    assert after == before


def test_a_prefix_at_the_top_of_the_alphabet_range_still_matches(services: Services) -> None:
    """The range's upper bound increments the last character: "z" must find "zoë" and "zz"
    nothing below it; characters beyond ASCII work the same way."""
    services.patients.create(person(mrn="K1", given="Zoë", family="Zygmunt"), today=TODAY)
    services.patients.create(person(mrn="K2", given="Юрий", family="Яковлев"), today=TODAY)
    assert {x.mrn for x in services.patients.search("z")} == {"K1"}
    assert {x.mrn for x in services.patients.search("zyg")} == {"K1"}
    assert {x.mrn for x in services.patients.search("я")} == {"K2"}
    assert {x.mrn for x in services.patients.search("юр")} == {"K2"}


@pytest.fixture
def crowd(services: Services) -> Services:
    for i in range(30):
        services.patients.create(
            person(
                mrn=f"C{i:03d}",
                given=f"Given{i}",
                family=f"Family{i % 7}",
                born=date(1960 + i, 1, 2),
            ),
            today=TODAY,
        )
    return services


def plans(engine: Engine, run: object) -> list[str]:
    """The SQLite query plans of the patient queries ``run()`` makes."""
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "FROM patient" in statement and statement.lstrip().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()  # type: ignore[operator]
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert seen, "the search ran no query on the patient table"
    with engine.connect() as conn:
        return [
            " | ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p))
            for s, p in seen
        ]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("text", ["g", "given1", "fam giv", "c01", "C029", "qqq", "1975-01-02"])
def test_no_search_scans_the_patient_table(
    crowd: Services, db: sessionmaker[Session], text: str
) -> None:
    engine = db.kw["bind"]
    for plan in plans(engine, lambda: crowd.patients.search(text)):
        assert "SCAN patient" not in plan, plan


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_alphabetical_list_reads_its_index_in_order(
    crowd: Services, db: sessionmaker[Session]
) -> None:
    engine = db.kw["bind"]
    (plan,) = plans(engine, lambda: crowd.patients.search(""))
    assert "USING INDEX ix_patient_family_given_id" in plan
    assert "TEMP B-TREE" not in plan
