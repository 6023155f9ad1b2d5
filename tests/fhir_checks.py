"""Checks of an exported FHIR Bundle shared by the domain, service and command tests.

Every resource is parsed with the R4B model classes of ``fhir.resources`` (FHIR 4.3.0,
identical to R4 for these resources): unknown elements, wrong types, a missing required
element or a malformed date fail. The library does not check the codes of required
bindings nor parse the resources inside a Bundle, so :func:`check_bundle` parses each
resource on its own and checks the codes of the required bindings the export uses against
the R4 value sets, and that every reference points at an entry of the Bundle.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

#: Required bindings (FHIR R4 value sets) of the elements the export fills.
REQUIRED: dict[tuple[str, str], frozenset[str]] = {
    ("Patient", "gender"): frozenset(["male", "female", "other", "unknown"]),
    ("Encounter", "status"): frozenset(
        [
            "planned",
            "arrived",
            "triaged",
            "in-progress",
            "onleave",
            "finished",
            "cancelled",
            "entered-in-error",
            "unknown",
        ]
    ),
    ("Procedure", "status"): frozenset(
        [
            "preparation",
            "in-progress",
            "not-done",
            "on-hold",
            "stopped",
            "completed",
            "entered-in-error",
            "unknown",
        ]
    ),
    ("MedicationAdministration", "status"): frozenset(
        [
            "in-progress",
            "not-done",
            "on-hold",
            "completed",
            "entered-in-error",
            "stopped",
            "unknown",
        ]
    ),
    ("Observation", "status"): frozenset(
        [
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        ]
    ),
    ("DocumentReference", "status"): frozenset(["current", "superseded", "entered-in-error"]),
    ("DocumentReference", "docStatus"): frozenset(
        ["preliminary", "final", "amended", "entered-in-error"]
    ),
}


def references(value: Any) -> Iterator[str]:
    """Every ``reference`` string inside a resource."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def check_bundle(bundle: Mapping[str, Any]) -> dict[str, int]:
    """Validate ``bundle`` (see the module); returns the count of each resource type."""
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls)), "a resource appears twice"
    kinds: dict[str, int] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        kinds[kind] = kinds.get(kind, 0) + 1
        get_fhir_model_class(kind).model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        for (owner, element), allowed in REQUIRED.items():
            if owner == kind and element in resource:
                assert resource[element] in allowed, (kind, element, resource[element])
        contained = {f"#{c['id']}" for c in resource.get("contained", ())}
        for target in references(resource):
            assert target in urls or target in contained, (kind, target)
        if kind == "DocumentReference":
            attachment = resource["content"][0]["attachment"]
            pdf = base64.b64decode(attachment["data"])
            assert pdf.startswith(b"%PDF-")
            assert attachment["size"] == len(pdf)
            sha1 = hashlib.sha1(pdf, usedforsecurity=False).digest()
            assert base64.b64decode(attachment["hash"]) == sha1
    return kinds


def resources_of(bundle: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
