"""The visit-level resources (FHIR R4): Encounter, Condition per ICD-10-CM code, Observation
per pain score and outcome measure, and the DocumentReference carrying the signed note PDF."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clinic_app.domain.fhir.codes import FhirCodes
from clinic_app.domain.fhir.ids import number, reference, resource_id
from clinic_app.domain.fhir.people import patient_key, practitioner_key


@dataclass(frozen=True, slots=True)
class MeasureScore:
    """An outcome measure's total (``key`` "ndi" or "odi", a percent) taken on a day."""

    key: str
    score: Decimal
    taken_on: str


def encounter_key(encounter_id: int) -> str:
    return f"encounter/{encounter_id}"


def encounter_resource(
    encounter_id: int, patient_id: int, snapshot: Mapping[str, Any], codes: FhirCodes
) -> dict[str, Any]:
    """Encounter: finished, ambulatory, its provider, its time, its diagnoses."""
    provider = snapshot.get("provider") or {}
    performed = str(snapshot.get("performed_at"))
    icd10 = _icd10(snapshot)
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": resource_id(encounter_key(encounter_id)),
        "status": "finished",
        "class": {
            "system": codes.systems["encounter_class"],
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": reference(patient_key(patient_id)),
        "participant": [{"individual": reference(practitioner_key(provider.get("id")))}],
        "period": {"start": performed, "end": performed},
    }
    if icd10:
        resource["diagnosis"] = [
            {"condition": reference(_condition_key(encounter_id, code)), "rank": rank}
            for rank, code in enumerate(icd10, start=1)
        ]
    return resource


def _icd10(snapshot: Mapping[str, Any]) -> list[str]:
    codes = snapshot.get("codes") or {}
    return [str(code) for code in codes.get("icd10", ()) if str(code).strip()]


def _condition_key(encounter_id: int, code: str) -> str:
    return f"{encounter_key(encounter_id)}/condition/{code}"


def conditions(
    encounter_id: int,
    patient_id: int,
    snapshot: Mapping[str, Any],
    descriptions: Mapping[str, str],
    codes: FhirCodes,
) -> list[dict[str, Any]]:
    """A Condition (encounter diagnosis) per ICD-10-CM code; ``descriptions`` gives the
    display of the codes the clinic's table knows."""
    found = []
    for code in _icd10(snapshot):
        coding = {"system": codes.systems["icd10cm"], "code": code}
        if code in descriptions:
            coding["display"] = descriptions[code]
        found.append(
            {
                "resourceType": "Condition",
                "id": resource_id(_condition_key(encounter_id, code)),
                "clinicalStatus": _concept(codes.systems["condition_clinical"], "active"),
                "category": [
                    _concept(
                        codes.systems["condition_category"],
                        "encounter-diagnosis",
                        "Encounter Diagnosis",
                    )
                ],
                "code": {"coding": [coding], "text": descriptions.get(code, code)},
                "subject": reference(patient_key(patient_id)),
                "encounter": reference(encounter_key(encounter_id)),
                "recordedDate": str(snapshot.get("performed_at")),
            }
        )
    return found


def _concept(system: str, code: str, display: str = "") -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def pain_observations(
    encounter_id: int, patient_id: int, snapshot: Mapping[str, Any], codes: FhirCodes
) -> list[dict[str, Any]]:
    """An Observation (LOINC 72514-3, 0-10) for the pain before and after, when recorded."""
    form = snapshot.get("form") or {}
    pain = codes.observations["pain"]
    found = []
    for moment in ("before", "after"):
        score = form.get(f"pain_{moment}")
        if score is None:
            continue
        found.append(
            {
                "resourceType": "Observation",
                "id": resource_id(f"{encounter_key(encounter_id)}/pain/{moment}"),
                "status": "final",
                "category": [_concept(codes.systems["observation_category"], "survey", "Survey")],
                "code": {
                    "coding": [pain.coded.coding()],
                    "text": f"Pain {moment} the procedure (0-10)",
                },
                "subject": reference(patient_key(patient_id)),
                "encounter": reference(encounter_key(encounter_id)),
                "effectiveDateTime": str(snapshot.get("performed_at")),
                "valueInteger": int(score),
            }
        )
    return found


def measure_observation(
    encounter_id: int, patient_id: int, measure: MeasureScore, codes: FhirCodes
) -> dict[str, Any]:
    """An outcome measure's total as an Observation (a percent, UCUM ``%``)."""
    code = codes.observations[measure.key]
    return {
        "resourceType": "Observation",
        "id": resource_id(f"{encounter_key(encounter_id)}/measure/{measure.key}"),
        "status": "final",
        "category": [_concept(codes.systems["observation_category"], "survey", "Survey")],
        "code": {"coding": [code.coded.coding()], "text": code.coded.display},
        "subject": reference(patient_key(patient_id)),
        "encounter": reference(encounter_key(encounter_id)),
        "effectiveDateTime": measure.taken_on,
        "valueQuantity": {
            "value": number(measure.score),
            "unit": code.unit,
            "system": codes.systems["ucum"],
            "code": code.unit,
        },
    }


def note_document(
    encounter_id: int,
    patient_id: int,
    snapshot: Mapping[str, Any],
    pdf: bytes,
    codes: FhirCodes,
) -> dict[str, Any]:
    """DocumentReference with the signed note PDF inline (base64) and its SHA-1 (base64, as
    R4's Attachment.hash requires)."""
    signer = snapshot.get("signed_by") or {}
    provider = snapshot.get("provider") or {}
    signed_at = str(snapshot.get("signed_at") or snapshot.get("performed_at"))
    digest = hashlib.sha1(pdf, usedforsecurity=False).digest()  # R4 names SHA-1
    document: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": resource_id(f"{encounter_key(encounter_id)}/note"),
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [codes.document.coding()], "text": "Procedure note"},
        "subject": reference(patient_key(patient_id)),
        "date": signed_at,
        "author": [reference(practitioner_key(provider.get("id")))],
        "description": "Signed procedure note (trigger point injection / dry needling)",
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "data": base64.b64encode(pdf).decode("ascii"),
                    "size": len(pdf),
                    "hash": base64.b64encode(digest).decode("ascii"),
                    "title": f"Procedure note, encounter {encounter_id}",
                    "creation": signed_at,
                }
            }
        ],
        "context": {"encounter": [reference(encounter_key(encounter_id))]},
    }
    if signer:
        document["authenticator"] = reference(practitioner_key(signer.get("id")))
    return document
