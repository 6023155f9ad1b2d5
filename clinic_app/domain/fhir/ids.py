"""Stable resource ids: each resource's id is a UUID derived from our own ids, so exporting
the same signed encounter twice gives the same ids (a receiving system can match them)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Final

#: The namespace of every export id (a UUIDv5 of a name only this app uses).
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "urn:clinic-app:fhir-export")


def resource_id(key: str) -> str:
    """The id of the resource named ``key`` ("patient/12", "encounter/3/site/1")."""
    return str(uuid.uuid5(NAMESPACE, key))


def full_url(key: str) -> str:
    """The Bundle entry's ``fullUrl``: ``urn:uuid:`` and the id."""
    return f"urn:uuid:{resource_id(key)}"


def reference(key: str) -> dict[str, str]:
    """A FHIR Reference to the resource named ``key`` within the Bundle."""
    return {"reference": full_url(key)}


def number(text: object) -> int | float:
    """A snapshot decimal ("0.5", "20") as a JSON number: whole numbers stay integers."""
    value = Decimal(str(text))
    integral = value == value.to_integral_value()
    return int(value) if integral else float(value)
