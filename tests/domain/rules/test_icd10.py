"""ICD-10-CM validity against the clinic's table (icd10.toml, tpi-reference §3)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.rules import Severity, default_rules
from clinic_app.domain.rules.icd10 import normalize

from .helpers import encounter, only, rules, run


@pytest.mark.parametrize(
    ("raw", "code"),
    [(" m79.18 ", "M79.18"), ("M7918", "M79.18"), ("m62830", "M62.830"), ("M79", "M79"),
     ("M 79.1", "M79.1"), ("", "")],
)  # fmt: skip
def test_normalize(raw: str, code: str) -> None:
    assert normalize(raw) == code


@pytest.mark.parametrize(
    "code",
    ["M79.10", "M79.11", "M79.12", "M79.18", "G44.201", "G44.209", "G44.229", "M79.7", "M54.2",
     "M54.50", "M54.51", "M54.59", "M62.830"],
)  # fmt: skip
def test_reference_codes_are_accepted(code: str) -> None:
    result = run(encounter(icd10=(code.lower().replace(".", ""),)))
    assert result.findings == ()
    assert result.coding.icd10 == (code,)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("M79.1", "M79.1 is not billable; use M79.10, M79.11, M79.12 or M79.18."),
        ("M54.5", "M54.5 was retired on 2021-10-01; use M54.50, M54.51 or M54.59."),
        ("G44.2", "G44.2 is not billable; use G44.201, G44.209, G44.211, G44.219, G44.221 or "
                  "G44.229."),
        ("G44.20", "G44.20 is not billable; use G44.201 or G44.209."),
        ("M62.83", "M62.83 is not billable; use M62.830, M62.831 or M62.838."),
    ],
)  # fmt: skip
def test_non_billable_parents_block_with_the_children_suggested(code: str, message: str) -> None:
    result = run(encounter(icd10=(code, "M79.18")))
    finding = only(result, "icd10.not_billable")
    assert (finding.severity, finding.message) == (Severity.BLOCK, message)
    assert result.coding.icd10 == ("M79.18",)
    assert not result.can_sign


def test_a_retired_code_is_accepted_before_its_retirement() -> None:
    result = run(encounter(icd10=("M54.5",), on=date(2021, 9, 30)))
    assert result.coding.icd10 == ("M54.5",)
    assert "icd10.not_billable" not in rules(result)
    assert "icd10.not_billable" in rules(run(encounter(icd10=("M54.5",), on=date(2021, 10, 1))))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("M79.13", "M79.13 is not a valid code under M79.1; use M79.10, M79.11, M79.12 or M79.18."),
        ("G44.2091", "G44.2091 is not a valid code under G44.20; use G44.201 or G44.209."),
        ("XYZ", "'XYZ' is not an ICD-10-CM code (a letter and two characters, then a dot and up "
                "to four characters, e.g. M79.18)."),
        ("M79.18.1", "'M79.18.1' is not an ICD-10-CM code (a letter and two characters, then a "
                     "dot and up to four characters, e.g. M79.18)."),
        ("7", "'7' is not an ICD-10-CM code (a letter and two characters, then a dot and up to "
              "four characters, e.g. M79.18)."),
    ],
)  # fmt: skip
def test_invalid_codes_block(code: str, message: str) -> None:
    result = run(encounter(icd10=(code,)))
    finding = only(result, "icd10.invalid")
    assert (finding.severity, finding.message) == (Severity.BLOCK, message)
    assert result.coding.icd10 == ()


def test_a_well_formed_code_not_in_the_table_warns() -> None:
    result = run(encounter(icd10=("M25.511",)))
    finding = only(result, "icd10.unknown")
    assert finding.severity is Severity.WARNING
    assert finding.needs_reason
    assert finding.message == (
        "M25.511 is not in the clinic's ICD-10 table; check that it is a valid, billable code."
    )
    assert result.coding.icd10 == ("M25.511",)
    assert result.can_sign


@pytest.mark.parametrize("codes", [(), ("",), ("  ", "")])
def test_no_code_warns(codes: tuple[str, ...]) -> None:
    result = run(encounter(icd10=codes))
    finding = only(result, "icd10.missing")
    assert finding.message == "No ICD-10 code is recorded: add the diagnosis the injections treat."
    assert result.coding.icd10 == ()


def test_duplicates_are_listed_once() -> None:
    assert run(encounter(icd10=("M79.18", "m7918", "M54.2"))).coding.icd10 == ("M79.18", "M54.2")


def test_table_lookups() -> None:
    table = default_rules().icd10
    assert table.parent_of("M79.19") is table.entries["M79.1"]
    assert table.parent_of("M25.511") is None
    assert table.parent_of("M79.181") is table.entries["M79.1"]  # M79.18 is billable, not a parent
    assert table.parent_of("G44.2099") is table.entries["G44.20"]
    assert table.entries["M54.5"].retired_on == date(2021, 10, 1)
