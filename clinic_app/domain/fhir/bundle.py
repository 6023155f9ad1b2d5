"""The export Bundle (FHIR R4, type "collection") of signed encounters.

One entry per resource, each ``fullUrl`` a ``urn:uuid:`` derived from our own ids
(:mod:`.ids`), every reference pointing at another entry of the same Bundle. A patient or a
practitioner seen at several encounters appears once. Only signed content is exported: each
encounter's resources are built from the snapshot stored when it was signed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.enums import Technique
from clinic_app.domain.fhir import people, sites, visit
from clinic_app.domain.fhir.codes import FhirCodes
from clinic_app.domain.fhir.people import PatientFacts
from clinic_app.domain.fhir.visit import MeasureScore


@dataclass(frozen=True, slots=True)
class SignedEncounter:
    """One signed encounter to export.

    Attributes:
        snapshot: the content stored at signing (:mod:`clinic_app.services.snapshot`).
        note_pdf: the signed procedure note as printed.
        measures: outcome measures taken at this visit.
    """

    id: int
    patient_id: int
    snapshot: Mapping[str, Any]
    note_pdf: bytes
    measures: tuple[MeasureScore, ...] = ()


@dataclass(frozen=True, slots=True)
class CptCode:
    """A CPT code of the coding table: its technique and its display."""

    code: str
    technique: Technique
    description: str


def _site_cpt(
    site: Mapping[str, Any], snapshot: Mapping[str, Any], cpt: Mapping[str, CptCode]
) -> tuple[str, str] | None:
    """The encounter's CPT code for this site's technique (one code per technique)."""
    coded = (snapshot.get("codes") or {}).get("cpt", ())
    for line in coded:
        entry = cpt.get(str(line.get("code")))
        if entry is not None and entry.technique.value == site.get("technique"):
            return entry.code, entry.description
    return None


def encounter_resources(
    encounter: SignedEncounter,
    codes: FhirCodes,
    cpt: Mapping[str, CptCode],
    icd10: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Every resource of one encounter except the shared Patient and Practitioners."""
    e, snap = encounter, encounter.snapshot
    found = [visit.encounter_resource(e.id, e.patient_id, snap, codes)]
    found += visit.conditions(e.id, e.patient_id, snap, icd10, codes)
    for site in snap.get("sites", ()):
        found.append(sites.body_structure(e.id, e.patient_id, site, codes))
        found.append(
            sites.procedure(e.id, e.patient_id, site, _site_cpt(site, snap, cpt), snap, codes)
        )
        for index, dose in enumerate(site.get("doses", ()), start=1):
            found.append(
                sites.medication_administration(e.id, e.patient_id, site, index, dose, snap, codes)
            )
    found += visit.pain_observations(e.id, e.patient_id, snap, codes)
    found += [visit.measure_observation(e.id, e.patient_id, m, codes) for m in e.measures]
    found.append(visit.note_document(e.id, e.patient_id, snap, e.note_pdf, codes))
    return found


def _people(snapshot: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for role in ("provider", "signed_by"):
        person = snapshot.get(role)
        if person:
            yield person


def build_bundle(
    patients: Mapping[int, PatientFacts],
    encounters: Sequence[SignedEncounter],
    *,
    codes: FhirCodes,
    cpt: Mapping[str, CptCode],
    icd10: Mapping[str, str],
    timestamp: str,
) -> dict[str, Any]:
    """The Bundle of ``encounters`` (their patients in ``patients``), ready for JSON.

    ``timestamp`` is when the Bundle was assembled (an instant, ISO 8601 with zone).
    """
    resources: dict[str, dict[str, Any]] = {}  # by id: a shared resource appears once
    for encounter in encounters:
        patient = patients[encounter.patient_id]
        found = [people.patient_resource(patient, codes)]
        found += [people.practitioner_resource(p, codes) for p in _people(encounter.snapshot)]
        found += encounter_resources(encounter, codes, cpt, icd10)
        for resource in found:
            resources.setdefault(resource["id"], resource)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp,
        "entry": [
            {"fullUrl": f"urn:uuid:{rid}", "resource": resource}
            for rid, resource in resources.items()
        ],
    }


__all__ = ["CptCode", "MeasureScore", "PatientFacts", "SignedEncounter", "build_bundle"]
