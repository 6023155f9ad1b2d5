"""The FHIR R4 Bundle built from plain values (clinic_app.domain.fhir): every resource
validates, ids are stable, references resolve, body sites carry their laterality."""

from __future__ import annotations

import base64
import copy
from decimal import Decimal
from typing import Any

import pytest

from clinic_app.domain.enums import Technique
from clinic_app.domain.fhir.bundle import CptCode, SignedEncounter, build_bundle
from clinic_app.domain.fhir.codes import default_codes
from clinic_app.domain.fhir.ids import full_url, number, resource_id
from clinic_app.domain.fhir.people import PatientFacts
from clinic_app.domain.fhir.visit import MeasureScore
from tests.fhir_checks import check_bundle, resources_of

PDF = b"%PDF-1.4 a signed note"
CPT = {
    "20552": CptCode("20552", Technique.INJECTION, "Trigger point injection(s), 1 or 2 muscles"),
    "20560": CptCode("20560", Technique.DRY_NEEDLING, "Needle insertion(s) without injection(s)"),
}
ICD10 = {"M79.18": "Myalgia, other site"}
DOCTOR = {"id": 1, "name": "Ana Ruiz", "credentials": "MD", "npi": "1234567893"}
PATIENT = PatientFacts(7, "N-7", "Łukasz", "Nguyễn", "1961-07-14", "male", "555-0100", "es")


def dose(**changes: Any) -> dict[str, Any]:
    found = {
        "medication_code": "lidocaine_1",
        "medication_name": "Lidocaine 1%",
        "generic": "lidocaine",
        "volume_ml": "3",
        "dose": "30",
        "dose_unit": "mg",
        "lot_number": "LD-2291",
        "lot_expires_on": "2099-05-31",
        "lot_missing_reason": None,
    }
    found.update(changes)
    return found


def snapshot(**changes: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "encounter_id": 3,
        "performed_at": "2025-03-04T15:30:00+00:00",
        "signed_at": "2025-03-04T16:00:00+00:00",
        "provider": DOCTOR,
        "signed_by": DOCTOR,
        "form": {"pain_before": 7, "pain_after": 2},
        "codes": {"cpt": [{"code": "20552", "units": 1}], "icd10": ["M79.18"]},
        "sites": [
            {
                "number": 1,
                "muscle_code": "trapezius_upper",
                "muscle_name": "Trapezius (upper)",
                "side": "right",
                "technique": "injection",
                "doses": [dose()],
            },
            {
                "number": 2,
                "muscle_code": "sternocleidomastoid",
                "muscle_name": "Sternocleidomastoid",
                "side": "left",
                "technique": "injection",
                "doses": [dose(dose="0.5", volume_ml="0.5")],
            },
        ],
    }
    found.update(changes)
    return found


def bundle_of(*encounters: SignedEncounter, patient: PatientFacts = PATIENT) -> dict[str, Any]:
    return build_bundle(
        {patient.id: patient},
        encounters,
        codes=default_codes(),
        cpt=CPT,
        icd10=ICD10,
        timestamp="2025-03-05T08:00:00+00:00",
    )


def one(snap: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    return bundle_of(SignedEncounter(3, 7, snap or snapshot(**changes), PDF))


def test_a_signed_encounter_gives_every_resource_and_each_validates() -> None:
    bundle = one()
    assert check_bundle(bundle) == {
        "Patient": 1,
        "Practitioner": 1,
        "Encounter": 1,
        "Condition": 1,
        "BodyStructure": 2,
        "Procedure": 2,
        "MedicationAdministration": 2,
        "Observation": 2,
        "DocumentReference": 1,
    }
    assert bundle["timestamp"] == "2025-03-05T08:00:00+00:00"


def test_the_same_export_twice_gives_the_same_ids() -> None:
    first, second = one(), one()
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert resources_of(first, "Patient")[0]["id"] == resource_id("patient/7")
    assert full_url("patient/7") == f"urn:uuid:{resource_id('patient/7')}"
    assert resource_id("patient/7") != resource_id("patient/8")


def test_the_patient_carries_the_mrn_name_language_and_phone() -> None:
    patient = resources_of(one(), "Patient")[0]
    identifier = patient["identifier"][0]
    assert identifier["type"]["coding"][0]["code"] == "MR"
    assert identifier["type"]["coding"][0]["system"].endswith("/v2-0203")
    assert identifier["value"] == "N-7"
    assert patient["name"][0]["family"] == "Nguyễn"
    assert patient["name"][0]["given"] == ["Łukasz"]
    assert patient["birthDate"] == "1961-07-14"
    assert patient["gender"] == "male"
    assert patient["telecom"] == [{"system": "phone", "value": "555-0100"}]
    language = patient["communication"][0]["language"]["coding"][0]
    assert language == {"system": "urn:ietf:bcp:47", "code": "es"}


def test_a_sparse_patient_and_practitioner_leave_out_what_is_unknown() -> None:
    sparse = PatientFacts(7, "N-7", "", "Cher", "1961-07-14", "not-a-sex", " ", "en")
    person = {"id": 2, "name": "", "credentials": "", "npi": ""}
    bundle = bundle_of(
        SignedEncounter(3, 7, snapshot(provider=person, signed_by=None), PDF), patient=sparse
    )
    check_bundle(bundle)
    patient = resources_of(bundle, "Patient")[0]
    assert "telecom" not in patient
    assert patient["gender"] == "unknown"
    assert "given" not in patient["name"][0]
    assert "authenticator" not in resources_of(bundle, "DocumentReference")[0]
    practitioner = resources_of(bundle, "Practitioner")[0]
    assert practitioner["name"] == [{"text": "?"}]
    assert "identifier" not in practitioner
    assert "qualification" not in practitioner
    no_family = PatientFacts(7, "N-7", "Cher", "", "1961-07-14", "female", "", "en")
    name = resources_of(bundle_of(SignedEncounter(3, 7, snapshot(), PDF), patient=no_family),
                        "Patient")[0]["name"][0]  # fmt: skip
    assert "family" not in name
    assert name["given"] == ["Cher"]


def test_the_provider_and_signer_are_practitioners_with_their_npi() -> None:
    signer = {"id": 9, "name": "Bo Chen", "credentials": "DO", "npi": "1992000000"}
    bundle = one(signed_by=signer)
    people = {p["name"][0]["text"]: p for p in resources_of(bundle, "Practitioner")}
    assert set(people) == {"Ana Ruiz", "Bo Chen"}
    assert people["Ana Ruiz"]["identifier"][0] == {
        "system": "http://hl7.org/fhir/sid/us-npi",
        "value": "1234567893",
    }
    assert people["Bo Chen"]["qualification"][0]["code"]["text"] == "DO"
    document = resources_of(bundle, "DocumentReference")[0]
    assert document["authenticator"]["reference"] == full_url("practitioner/9")
    assert document["author"][0]["reference"] == full_url("practitioner/1")


def test_each_site_has_its_cpt_code_body_site_and_laterality() -> None:
    bundle = one()
    procedures = resources_of(bundle, "Procedure")
    structures = {s["id"]: s for s in resources_of(bundle, "BodyStructure")}
    right, left = procedures
    assert right["code"]["coding"][0] == {
        "system": "http://www.ama-assn.org/go/cpt",
        "code": "20552",
        "display": CPT["20552"].description,
    }
    assert right["bodySite"][0]["text"] == "Right Trapezius (upper)"
    assert left["bodySite"][0]["coding"][0]["code"] == "22823000"
    for procedure, side in ((right, "24028007"), (left, "7771000")):
        target = procedure["extension"][0]
        assert target["url"].endswith("/procedure-targetBodyStructure")
        structure = structures[target["valueReference"]["reference"].removeprefix("urn:uuid:")]
        assert structure["location"] == procedure["bodySite"][0]
        assert structure["locationQualifier"][0]["coding"][0]["code"] == side


def test_a_site_without_a_known_side_or_matching_code_still_validates() -> None:
    snap = snapshot(codes={"cpt": [{"code": "99999"}, {"code": "20560"}], "icd10": []})
    snap["sites"][0]["side"] = None
    bundle = one(snap)
    check_bundle(bundle)
    procedure = resources_of(bundle, "Procedure")[0]
    assert "coding" not in procedure["code"]  # dry needling was coded, this is an injection
    assert procedure["code"]["text"] == "Trigger point injection"
    assert procedure["bodySite"][0]["text"] == "Trapezius (upper)"
    assert "locationQualifier" not in resources_of(bundle, "BodyStructure")[0]
    assert resources_of(bundle, "Condition") == []
    assert "diagnosis" not in resources_of(bundle, "Encounter")[0]


def test_doses_carry_drug_lot_expiry_and_a_ucum_quantity() -> None:
    given = resources_of(one(), "MedicationAdministration")[0]
    medication = given["contained"][0]
    assert given["medicationReference"] == {"reference": "#medication"}
    assert medication["batch"] == {"lotNumber": "LD-2291", "expirationDate": "2099-05-31"}
    assert medication["code"]["coding"][0]["code"] == "lidocaine_1"
    assert given["dosage"]["dose"] == {
        "value": 30,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }
    assert given["dosage"]["text"] == "3 mL of Lidocaine 1% (30 mg)"
    assert given["partOf"][0]["reference"] == resources_of(one(), "Procedure")[0]["id"].join(
        ("urn:uuid:", "")
    )


@pytest.mark.parametrize(
    ("changes", "quantity", "text"),
    [
        ({"dose": "50", "dose_unit": "units"}, (50, "units", "{units}"),
         "3 mL of Lidocaine 1% (50 units)"),
        ({"dose": None, "dose_unit": "none"}, (3, "mL", "mL"), "3 mL of Lidocaine 1%"),
        ({"dose": None, "volume_ml": "2.5"}, (2.5, "mL", "mL"), "2.5 mL of Lidocaine 1%"),
    ],
)  # fmt: skip
def test_a_dose_in_units_or_by_volume(
    changes: dict[str, Any], quantity: tuple[Any, str, str], text: str
) -> None:
    snap = snapshot()
    snap["sites"][0]["doses"] = [dose(**changes)]
    bundle = one(snap)
    check_bundle(bundle)
    dosage = resources_of(bundle, "MedicationAdministration")[0]["dosage"]
    got = dosage["dose"]
    assert (got["value"], got["unit"], got["code"]) == quantity
    assert dosage["text"] == text


def test_a_dose_without_lot_or_amount_still_validates_and_says_why() -> None:
    snap = snapshot()
    snap["sites"][0]["doses"] = [
        dose(lot_number=None, lot_missing_reason="Sample vial", volume_ml=None, dose=None),
        dose(lot_expires_on=None, medication_code="", medication_name=None),
        dose(lot_number=None, lot_missing_reason=None, dose_unit="none"),
    ]
    bundle = one(snap)
    check_bundle(bundle)
    first, second, third = resources_of(bundle, "MedicationAdministration")[:3]
    assert "dose" not in first["dosage"]
    assert "batch" not in first["contained"][0]
    assert first["note"] == [{"text": "No lot recorded: Sample vial"}]
    assert first["dosage"]["text"] == "Lidocaine 1%"
    assert second["contained"][0]["batch"] == {"lotNumber": "LD-2291"}
    assert second["contained"][0]["code"] == {"text": "lidocaine"}
    assert "note" not in third


def test_pain_scores_are_loinc_observations_and_missing_ones_are_left_out() -> None:
    before, after = resources_of(one(), "Observation")
    assert before["code"]["coding"][0]["code"] == "72514-3"
    assert (before["valueInteger"], after["valueInteger"]) == (7, 2)
    assert "before" in before["code"]["text"]
    assert "after" in after["code"]["text"]
    only = resources_of(one(form={"pain_before": 4, "pain_after": None}), "Observation")
    assert [o["valueInteger"] for o in only] == [4]


def test_outcome_measures_become_observations_in_percent() -> None:
    measures = (MeasureScore("ndi", Decimal("34"), "2025-03-04"),
                MeasureScore("odi", Decimal("22.5"), "2025-03-04"))  # fmt: skip
    bundle = bundle_of(SignedEncounter(3, 7, snapshot(), PDF, measures))
    check_bundle(bundle)
    scores = resources_of(bundle, "Observation")[2:]
    assert [(o["code"]["coding"][0]["code"], o["valueQuantity"]["value"]) for o in scores] == [
        ("ndi", 34),
        ("odi", 22.5),
    ]
    assert scores[0]["valueQuantity"]["code"] == "%"


def test_the_note_pdf_is_attached_with_its_sha1() -> None:
    document = resources_of(one(), "DocumentReference")[0]
    attachment = document["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == PDF
    assert attachment["contentType"] == "application/pdf"
    assert document["type"]["coding"][0]["code"] == "28570-0"
    assert document["date"] == "2025-03-04T16:00:00+00:00"
    unsigned_time = resources_of(one(signed_at=None), "DocumentReference")[0]
    assert unsigned_time["date"] == "2025-03-04T15:30:00+00:00"


def test_shared_patient_and_practitioner_appear_once_across_encounters() -> None:
    later = copy.deepcopy(snapshot(performed_at="2025-04-01T15:00:00+00:00"))
    bundle = bundle_of(SignedEncounter(3, 7, snapshot(), PDF), SignedEncounter(4, 7, later, PDF))
    kinds = check_bundle(bundle)
    assert (kinds["Patient"], kinds["Practitioner"], kinds["Encounter"]) == (1, 1, 2)


def test_snapshot_decimals_become_json_numbers() -> None:
    assert number("20") == 20
    assert isinstance(number("20"), int)
    assert number("0.25") == 0.25
    assert number(Decimal("1.50")) == 1.5


def test_an_icd10_code_outside_the_clinics_table_is_exported_without_display() -> None:
    bundle = one(codes={"cpt": [], "icd10": ["M79.18", "G44.209", " "]})
    check_bundle(bundle)
    known, other = resources_of(bundle, "Condition")
    assert known["code"]["coding"][0]["display"] == "Myalgia, other site"
    assert other["code"] == {
        "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "G44.209"}],
        "text": "G44.209",
    }
    assert known["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    diagnoses = resources_of(bundle, "Encounter")[0]["diagnosis"]
    assert [d["rank"] for d in diagnoses] == [1, 2]
