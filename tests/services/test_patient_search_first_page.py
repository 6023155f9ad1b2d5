"""One character typed (issue 13): the page is the first matches in the order of their
matching word, read off the token index with a limit, never every match sorted by name
(30 ms for the letter "m" at 100,000 patients)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import Services
from tests.factories import set_up_clinic
from tests.services.test_patient_search_index import plans
from tests.services.test_patients import TODAY, person


@pytest.fixture
def services(services: Services) -> Services:
    set_up_clinic(services)
    return services


def _add(services: Services, mrn: str, given: str, family: str) -> int:
    return services.patients.create(person(mrn=mrn, given=given, family=family), today=TODAY).id


def test_one_letter_lists_the_first_matching_words_in_name_order(services: Services) -> None:
    _add(services, "K1", "Mona", "Zed")
    _add(services, "K2", "Ana", "Mabry")  # "mabry" is the first word starting with m
    _add(services, "K3", "Maria", "Moss")  # two words with m: listed once
    _add(services, "K4", "Ana", "Lee")  # no match
    _add(services, "M-9", "Bo", "Kim")  # the MRN starts with m
    found = services.patients.search("m", limit=3)
    # The three first words: "m-9" (MRN), "mabry", "maria"; shown in name order.
    assert [p.mrn for p in found] == ["M-9", "K2", "K3"]
    assert {p.mrn for p in services.patients.search("M")} == {"K1", "K2", "K3", "M-9"}
    assert [p.mrn for p in services.patients.search("m")] == ["M-9", "K2", "K3", "K1"]


def test_one_letter_fills_the_page_past_voided_and_repeated_matches(services: Services) -> None:
    ids = [_add(services, f"A{i}", f"Mae{i}", f"Moe{i}") for i in range(6)]
    for patient_id in ids[:3]:  # the first matches by word are voided
        services.patients.void(patient_id, "duplicate", expected_version=1)
    found = services.patients.search("m", limit=2)
    assert [p.mrn for p in found] == ["A3", "A4"]
    with_voided = services.patients.search("m", limit=2, include_voided=True)
    assert [(p.mrn, p.voided) for p in with_voided] == [("A0", True), ("A1", True)]
    assert len(services.patients.search("m", limit=1000)) == 3


def test_the_rows_are_the_views_a_chart_open_gives(services: Services) -> None:
    p = services.patients.create(
        person(mrn="V1", given="Mia", family="Vo", weight_kg="61.5", allergies="latex"),
        today=TODAY,
    )
    (listed,) = services.patients.search("m")
    assert listed == services.patients.get(p.id)
    (by_name,) = services.patients.search("mia vo")
    assert by_name == listed


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_one_letter_reads_index_ranges_and_sorts_only_the_page(
    services: Services, db: sessionmaker[Session]
) -> None:
    for i in range(30):
        services.patients.create(
            person(mrn=f"C{i:03d}", given=f"Gil{i}", family=f"Gray{i % 7}", born=date(1970, 1, 2)),
            today=TODAY,
        )
    found = plans(db.kw["bind"], lambda: services.patients.search("g", limit=5))
    *ranges, page = found
    assert ranges
    for plan in ranges:  # each range in index order, stopped by the limit: no sort
        assert "USING COVERING INDEX ix_patient_search_token_lookup" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    assert "SCAN patient" not in page  # the page's rows by id, sorted by name (5 rows)
