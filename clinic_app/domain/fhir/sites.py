"""One charted site: its BodyStructure, its Procedure and a MedicationAdministration per dose.

Body site and laterality (FHIR R4): the Procedure's ``bodySite`` holds the muscle's SNOMED CT
body-structure code (text: "Right Trapezius (upper)"), and the R4 core extension
``procedure-targetBodyStructure`` points to a BodyStructure whose ``location`` is the same
code and whose ``locationQualifier`` is the SNOMED CT laterality qualifier (Right 24028007,
Left 7771000). R4 has no laterality element on a CodeableConcept; a second coding would
claim the side is the same concept as the muscle, so the qualifier lives on the
BodyStructure, the element R4 defines for it.

The drug: ``medicationReference`` to a contained Medication carrying the formulary code, the
drug's name and the lot (``batch.lotNumber``, ``batch.expirationDate``): a
CodeableConcept cannot carry a lot.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from clinic_app.domain.fhir.codes import FhirCodes
from clinic_app.domain.fhir.ids import number, reference, resource_id
from clinic_app.domain.fhir.people import patient_key, practitioner_key

TARGET_BODY_STRUCTURE: Final = (
    "http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure"
)
#: Botulinum toxin "units" are product-specific, not a UCUM unit: a UCUM annotation.
UNITS_CODE: Final = "{units}"


def site_key(encounter_id: int, number_: object) -> str:
    return f"encounter/{encounter_id}/site/{number_}"


def body_site(site: Mapping[str, Any], codes: FhirCodes) -> dict[str, Any]:
    """The muscle's CodeableConcept, its text naming the side and the catalog muscle."""
    muscle = codes.muscle(str(site.get("muscle_code")))
    side = str(site.get("side") or "")
    name = str(site.get("muscle_name") or site.get("muscle_code"))
    text = f"{side.capitalize()} {name}".strip()
    return {"coding": [muscle.coding()], "text": text}


def body_structure(
    encounter_id: int, patient_id: int, site: Mapping[str, Any], codes: FhirCodes
) -> dict[str, Any]:
    """BodyStructure: the muscle (location) and the side (locationQualifier)."""
    key = site_key(encounter_id, site.get("number"))
    location = body_site(site, codes)
    resource: dict[str, Any] = {
        "resourceType": "BodyStructure",
        "id": resource_id(f"{key}/body-structure"),
        "location": location,
        "description": location["text"],
        "patient": reference(patient_key(patient_id)),
    }
    side = codes.laterality.get(str(site.get("side") or ""))
    if side is not None:
        resource["locationQualifier"] = [{"coding": [side.coding()], "text": side.display}]
    return resource


def procedure(
    encounter_id: int,
    patient_id: int,
    site: Mapping[str, Any],
    cpt: tuple[str, str] | None,
    snapshot: Mapping[str, Any],
    codes: FhirCodes,
) -> dict[str, Any]:
    """Procedure for one site: the CPT code of its technique (``cpt`` = code and display;
    None when the encounter was coded without one), the body site, who and when."""
    key = site_key(encounter_id, site.get("number"))
    technique = str(site.get("technique") or "").replace("_", " ")
    code: dict[str, Any] = {"text": f"Trigger point {technique}".strip()}
    if cpt is not None:
        code["coding"] = [{"system": codes.systems["cpt"], "code": cpt[0], "display": cpt[1]}]
    provider = snapshot.get("provider") or {}
    return {
        "resourceType": "Procedure",
        "id": resource_id(key),
        "extension": [
            {
                "url": TARGET_BODY_STRUCTURE,
                "valueReference": reference(f"{key}/body-structure"),
            }
        ],
        "status": "completed",
        "code": code,
        "subject": reference(patient_key(patient_id)),
        "encounter": reference(f"encounter/{encounter_id}"),
        "performedDateTime": str(snapshot.get("performed_at")),
        "performer": [{"actor": reference(practitioner_key(provider.get("id")))}],
        "bodySite": [body_site(site, codes)],
    }


def dose_quantity(dose: Mapping[str, Any], codes: FhirCodes) -> dict[str, Any] | None:
    """The dose in UCUM: mg, product units, or the volume in mL for a drug dosed by volume
    (saline); None when nothing was recorded."""
    ucum = codes.systems["ucum"]
    unit = str(dose.get("dose_unit") or "none")
    amount = dose.get("dose")
    if unit == "mg" and amount not in (None, ""):
        return {"value": number(amount), "unit": "mg", "system": ucum, "code": "mg"}
    if unit == "units" and amount not in (None, ""):
        return {"value": number(amount), "unit": "units", "system": ucum, "code": UNITS_CODE}
    volume = dose.get("volume_ml")
    if volume in (None, ""):
        return None
    return {"value": number(volume), "unit": "mL", "system": ucum, "code": "mL"}


def medication(dose: Mapping[str, Any], codes: FhirCodes) -> dict[str, Any]:
    """The contained Medication: formulary code, name, and the lot when one was recorded."""
    name = str(dose.get("medication_name") or dose.get("generic") or "?")
    code: dict[str, Any] = {"text": name}
    if dose.get("medication_code"):
        code["coding"] = [
            {
                "system": codes.systems["medication"],
                "code": str(dose["medication_code"]),
                "display": name,
            }
        ]
    found: dict[str, Any] = {"resourceType": "Medication", "id": "medication", "code": code}
    if dose.get("lot_number"):
        batch = {"lotNumber": str(dose["lot_number"])}
        if dose.get("lot_expires_on"):
            batch["expirationDate"] = str(dose["lot_expires_on"])
        found["batch"] = batch
    return found


def medication_administration(
    encounter_id: int,
    patient_id: int,
    site: Mapping[str, Any],
    index: int,
    dose: Mapping[str, Any],
    snapshot: Mapping[str, Any],
    codes: FhirCodes,
) -> dict[str, Any]:
    """MedicationAdministration for the ``index``-th dose of ``site``."""
    key = site_key(encounter_id, site.get("number"))
    provider = snapshot.get("provider") or {}
    dosage: dict[str, Any] = {"site": body_site(site, codes), "text": _dosage_text(dose)}
    quantity = dose_quantity(dose, codes)
    if quantity is not None:
        dosage["dose"] = quantity
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": resource_id(f"{key}/dose/{index}"),
        "contained": [medication(dose, codes)],
        "partOf": [reference(key)],
        "status": "completed",
        "medicationReference": {"reference": "#medication"},
        "subject": reference(patient_key(patient_id)),
        "context": reference(f"encounter/{encounter_id}"),
        "effectiveDateTime": str(snapshot.get("performed_at")),
        "performer": [{"actor": reference(practitioner_key(provider.get("id")))}],
        "dosage": dosage,
    }
    if not dose.get("lot_number") and dose.get("lot_missing_reason"):
        resource["note"] = [{"text": f"No lot recorded: {dose['lot_missing_reason']}"}]
    return resource


def _dosage_text(dose: Mapping[str, Any]) -> str:
    """ "2 mL of Lidocaine 1% (20 mg)"."""
    name = str(dose.get("medication_name") or dose.get("generic") or "?")
    volume = dose.get("volume_ml")
    text = f"{volume} mL of {name}" if volume not in (None, "") else name
    unit = str(dose.get("dose_unit") or "none")
    if unit != "none" and dose.get("dose") not in (None, ""):
        text += f" ({dose['dose']} {unit})"
    return text
