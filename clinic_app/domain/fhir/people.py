"""The Patient and Practitioner resources (FHIR R4)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.fhir.codes import FhirCodes
from clinic_app.domain.fhir.ids import resource_id

#: Our sexes are FHIR's administrative genders (female, male, other, unknown).
GENDERS = frozenset({"female", "male", "other", "unknown"})


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """The patient as the record holds them today (demographics and contact).

    Attributes:
        birth_date: ISO date. sex: a :class:`~clinic_app.domain.enums.Sex` value.
        language: the preferred language as a BCP-47 tag ("en", "es").
    """

    id: int
    mrn: str
    given_name: str
    family_name: str
    birth_date: str
    sex: str
    phone: str
    language: str


def patient_key(patient_id: int) -> str:
    return f"patient/{patient_id}"


def practitioner_key(user_id: object) -> str:
    return f"practitioner/{user_id}"


def patient_resource(patient: PatientFacts, codes: FhirCodes) -> dict[str, Any]:
    """Patient: the MRN (identifier type MR), name, birth date, gender, phone, language."""
    systems = codes.systems
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": resource_id(patient_key(patient.id)),
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {
                            "system": systems["identifier_type"],
                            "code": "MR",
                            "display": "Medical record number",
                        }
                    ]
                },
                "system": systems["mrn"],
                "value": patient.mrn,
            }
        ],
        "name": [_name(patient.family_name, patient.given_name)],
        "gender": patient.sex if patient.sex in GENDERS else "unknown",
        "birthDate": patient.birth_date,
        "communication": [
            {
                "language": {"coding": [{"system": systems["bcp47"], "code": patient.language}]},
                "preferred": True,
            }
        ],
    }
    if patient.phone.strip():
        resource["telecom"] = [{"system": "phone", "value": patient.phone.strip()}]
    return resource


def _name(family: str, given: str) -> dict[str, Any]:
    name: dict[str, Any] = {"use": "official", "text": f"{given} {family}".strip()}
    if family.strip():
        name["family"] = family.strip()
    if given.strip():
        name["given"] = given.split()
    return name


def practitioner_resource(person: Mapping[str, Any], codes: FhirCodes) -> dict[str, Any]:
    """Practitioner from a snapshot's ``provider`` / ``signed_by`` (id, name, credentials,
    NPI): the name as one text (the app keeps one display name), the NPI as identifier."""
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": resource_id(practitioner_key(person.get("id"))),
        "name": [{"text": str(person.get("name") or "?")}],
    }
    npi = str(person.get("npi") or "").strip()
    if npi:
        resource["identifier"] = [{"system": codes.systems["npi"], "value": npi}]
    credentials = str(person.get("credentials") or "").strip()
    if credentials:
        resource["qualification"] = [{"code": {"text": credentials}}]
    return resource
