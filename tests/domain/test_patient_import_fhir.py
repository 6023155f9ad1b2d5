"""Issue 14 §3: patients read from a FHIR R4 Bundle or a single Patient resource."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.patient_import import ImportFileError, PatientFields
from clinic_app.domain.patient_import_fhir import IDENTIFIER_TYPES, parse_fhir, patient_row

MR = {"coding": [{"system": IDENTIFIER_TYPES, "code": "MR"}]}


def exported(mrn: str = "A-100", **more: Any) -> dict[str, Any]:
    """A Patient as the clinic's own FHIR export writes it."""
    return {
        "resourceType": "Patient",
        "identifier": [
            {"system": "urn:other", "value": "X-1"},
            {"type": MR, "system": "urn:clinic", "value": mrn},
        ],
        "name": [{"family": "Nguyễn", "given": ["Thị", "Lan"]}],
        "birthDate": "1970-03-04",
        "gender": "female",
        "telecom": [
            {"system": "email", "value": "lan@example.org"},
            {"system": "phone", "value": "+1 555 0100"},
        ],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}]}}],
        **more,
    }


def bundle(*resources: object, kind: str = "collection") -> bytes:
    entries = [r if isinstance(r, str) else {"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries}).encode()


def test_the_clinic_export_is_read_back_whole() -> None:
    (row,) = parse_fhir(bundle(exported())).rows
    assert row.line == 1
    assert row.errors == ()
    assert row.fields == PatientFields(
        mrn="A-100",
        family_name="Nguyễn",
        given_name="Thị Lan",
        date_of_birth=date(1970, 3, 4),
        sex=Sex.FEMALE,
        preferred_language=Language.SPANISH,
        phone="+1 555 0100",
    )


@pytest.mark.parametrize("kind", ["collection", "searchset", "transaction", "batch"])
def test_bundle_types_that_list_patients(kind: str) -> None:
    read = parse_fhir(
        bundle(exported("A"), {"resourceType": "Observation"}, exported("B"), kind=kind)
    )
    assert [(r.line, r.fields.mrn) for r in read.rows] == [(1, "A"), (3, "B")]
    assert read.ignored == {"Observation": 1}


def test_other_resources_are_counted_not_read() -> None:
    read = parse_fhir(
        bundle(
            {"resourceType": "Practitioner"},
            {"resourceType": "Encounter"},
            {"resourceType": "Encounter"},
            {"no": "type"},
            "not an entry",
        )
    )
    assert read.rows == ()
    assert read.ignored == {"(no resource)": 2, "Encounter": 2, "Practitioner": 1}


def test_a_single_patient_and_a_bundle_without_entries() -> None:
    (row,) = parse_fhir(json.dumps(exported()).encode()).rows
    assert row.fields.mrn == "A-100"
    assert parse_fhir(b'{"resourceType": "Bundle", "type": "searchset"}').rows == ()


def test_a_byte_order_mark_is_allowed() -> None:
    assert len(parse_fhir(b"\xef\xbb\xbf" + bundle(exported())).rows) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b'{"resourceType": ', r"not valid JSON \(line 1"),
        (b"[1, 2]", r"neither a FHIR Bundle nor a Patient resource\.$"),
        (b'{"resourceType": "Observation"}', r"\(it is a Observation\)"),
        (b'{"resourceType": "Bundle", "type": "document"}', "type 'document' holds no patient"),
    ],
)
def test_files_that_are_not_a_patient_list_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_fhir(data)


def test_the_mr_identifier_wins_else_the_first_with_a_value() -> None:
    typed_second = exported("MRN-2")
    assert patient_row(1, typed_second).fields.mrn == "MRN-2"
    untyped = exported(identifier=[{"value": ""}, {"type": {"text": "SSN"}, "value": "S-9"}])
    assert patient_row(1, untyped).fields.mrn == "S-9"
    odd_type = exported(identifier=[{"type": {"coding": ["MR"]}, "value": "T-1"}])
    assert patient_row(1, odd_type).fields.mrn == "T-1"


def test_no_mrn_is_an_error() -> None:
    row = patient_row(4, exported(identifier=[{"system": "urn:x"}, "junk"]))
    assert [(e.field, e.message) for e in row.errors] == [
        ("mrn", "No MRN: the Patient has no identifier with a value.")
    ]
    assert row.fields.mrn == ""


def test_the_official_name_is_preferred_then_the_usual_one() -> None:
    names = [
        {"use": "nickname", "family": "Nick", "given": ["N"]},
        {"use": "usual", "family": "Usual", "given": ["U"]},
        {"use": "official", "family": "Lee", "given": ["Ana", 7, "", "María"]},
        "junk",
    ]
    fields = patient_row(1, exported(name=names)).fields
    assert (fields.family_name, fields.given_name) == ("Lee", "Ana María")
    fields = patient_row(1, exported(name=names[:2])).fields
    assert (fields.family_name, fields.given_name) == ("Usual", "U")
    fields = patient_row(1, exported(name=[])).fields
    assert (fields.family_name, fields.given_name) == ("", "")


@pytest.mark.parametrize(
    ("value", "read", "error"),
    [
        (None, None, None),
        ("1999-12-31", date(1999, 12, 31), None),
        ("1970-03", None, "Date of birth '1970-03' is not a whole date"),
        ("1970-13-01", None, "Date of birth '1970-13-01' is not a whole date"),
        (19700304, None, "Date of birth 19700304 is not a whole date"),
    ],
)
def test_birth_dates(value: object, read: date | None, error: str | None) -> None:
    patient = exported()
    if value is None:
        del patient["birthDate"]
    else:
        patient["birthDate"] = value
    row = patient_row(1, patient)
    assert row.fields.date_of_birth == read
    assert [e.message.split(" (")[0] for e in row.errors] == ([error] if error else [])


@pytest.mark.parametrize(
    ("value", "sex"), [(None, Sex.UNKNOWN), ("male", Sex.MALE), ("other", Sex.OTHER)]
)
def test_genders(value: str | None, sex: Sex) -> None:
    assert patient_row(1, exported(gender=value)).fields.sex is sex


def test_an_unknown_gender_is_an_error() -> None:
    row = patient_row(1, exported(gender="F"))
    assert row.fields.sex is Sex.UNKNOWN
    assert [e.field for e in row.errors] == ["sex"]
    assert "got 'F'" in row.errors[0].message


def test_the_best_ranked_phone_is_taken() -> None:
    telecom = [
        {"system": "phone", "value": "third", "rank": True},
        {"system": "phone", "value": "second", "rank": 2},
        {"system": "phone", "value": "first", "rank": 1},
        {"system": "phone"},
        "junk",
    ]
    assert patient_row(1, exported(telecom=telecom)).fields.phone == "first"
    assert patient_row(1, exported(telecom=[])).fields.phone == ""


def test_the_preferred_language_the_handouts_have_is_taken() -> None:
    def coded(*codes: str, preferred: bool | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {"language": {"coding": [{"code": c} for c in codes]}}
        if preferred is not None:
            found["preferred"] = preferred
        return found

    spanish_preferred = [coded("en"), coded("fr", "", "es-MX", preferred=True)]
    assert patient_row(1, exported(communication=spanish_preferred)).fields.preferred_language is (
        Language.SPANISH
    )
    only_french = [coded("fr", preferred=False), "junk", {"language": "en"}]
    assert patient_row(1, exported(communication=only_french)).fields.preferred_language is (
        Language.ENGLISH
    )
