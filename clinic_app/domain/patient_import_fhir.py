"""Patients from a FHIR R4 JSON file: a Bundle of Patient resources, or one Patient.

Read per the FHIR R4 Patient resource (https://hl7.org/fhir/R4/patient.html): the MRN is the
identifier typed "MR" in the v2-0203 code system (else the first identifier); the name used is
the "official" one (else "usual", else the first); ``birthDate`` must be a whole date;
``gender`` is one of FHIR's administrative genders, which are our sex values; the phone is
the first ``telecom`` of system "phone" (by rank); the language is the first ``communication``
the handouts are written in, the preferred one first. Other resource types in the Bundle are
counted, not read.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import FieldChecks, ValidationError
from clinic_app.domain.patient_import import (
    ImportFileError,
    ImportRow,
    PatientFields,
    language_from_text,
)

#: The HL7 v2 identifier type code system, and its code for a medical record number.
IDENTIFIER_TYPES: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
MRN_TYPE: Final = "MR"
#: Bundle types that list resources to take in (a document or a message is not a patient list).
BUNDLE_TYPES: Final = frozenset({"collection", "searchset", "transaction", "batch"})
_NAME_USES: Final = ("official", "usual")


@dataclass(frozen=True, slots=True)
class FhirPatients:
    """What a FHIR file held.

    Attributes:
        rows: one per Patient resource, in file order.
        ignored: how many resources of each other type were passed over.
    """

    rows: tuple[ImportRow, ...]
    ignored: dict[str, int] = field(default_factory=dict)


def parse_fhir(data: bytes) -> FhirPatients:
    """Read a FHIR JSON file (UTF-8, with or without a byte order mark).

    Raises:
        ImportFileError: not UTF-8, not JSON, or neither a Bundle nor a Patient.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). FHIR JSON "
            "is always UTF-8: export the file again."
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    kind = document.get("resourceType") if isinstance(document, dict) else None
    if kind == "Patient":
        return FhirPatients((patient_row(1, document),))
    if kind != "Bundle":
        raise ImportFileError(
            "The file is neither a FHIR Bundle nor a Patient resource"
            + (f" (it is a {kind})." if isinstance(kind, str) else ".")
        )
    if document.get("type") not in BUNDLE_TYPES:
        raise ImportFileError(
            f"A FHIR Bundle of type {document.get('type')!r} holds no patient list; export a "
            f"Bundle of type {', '.join(sorted(BUNDLE_TYPES))}."
        )
    rows: list[ImportRow] = []
    ignored: Counter[str] = Counter()
    for number, entry in enumerate(_list(document.get("entry")), start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
            rows.append(patient_row(number, resource))
        else:
            kind = resource.get("resourceType") if isinstance(resource, dict) else None
            ignored[kind if isinstance(kind, str) else "(no resource)"] += 1
    return FhirPatients(tuple(rows), dict(sorted(ignored.items())))


def patient_row(number: int, patient: dict[str, Any]) -> ImportRow:
    """One Patient resource read as an :class:`ImportRow` numbered ``number``."""
    checks = FieldChecks()
    family, given = _name(patient)
    fields = PatientFields(
        mrn=checks.run(_mrn, patient) or "",
        family_name=family,
        given_name=given,
        date_of_birth=checks.run(_birth_date, patient.get("birthDate")),
        sex=checks.run(_gender, patient.get("gender")) or Sex.UNKNOWN,
        preferred_language=_language(patient),
        phone=_phone(patient),
    )
    return ImportRow(number, fields, tuple(checks.errors))


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _codes(concept: object) -> set[tuple[str, str]]:
    codings = _list(concept.get("coding")) if isinstance(concept, dict) else []
    return {(_text(c.get("system")), _text(c.get("code"))) for c in codings if isinstance(c, dict)}


def _mrn(patient: dict[str, Any]) -> str:
    identifiers = [
        i for i in _list(patient.get("identifier")) if isinstance(i, dict) and _text(i.get("value"))
    ]
    typed = [i for i in identifiers if (IDENTIFIER_TYPES, MRN_TYPE) in _codes(i.get("type"))]
    chosen = (typed or identifiers)[:1]
    if not chosen:
        raise ValidationError("mrn", "No MRN: the Patient has no identifier with a value.")
    return _text(chosen[0].get("value"))


def _name(patient: dict[str, Any]) -> tuple[str, str]:
    names = [n for n in _list(patient.get("name")) if isinstance(n, dict)]
    ranked = sorted(
        names, key=lambda n: _NAME_USES.index(n["use"]) if n.get("use") in _NAME_USES else 2
    )
    if not ranked:
        return "", ""
    name = ranked[0]
    given = " ".join(_text(g) for g in _list(name.get("given")) if _text(g))
    return _text(name.get("family")), given


def _birth_date(value: object) -> date | None:
    if value is None:
        return None
    try:
        # FHIR allows a year or a year-month alone; a patient record needs the whole date.
        if isinstance(value, str) and len(value) == len("1970-01-01"):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValidationError(
        "date_of_birth", f"Date of birth {value!r} is not a whole date (year, month and day)."
    )


def _gender(value: object) -> Sex:
    if value is None:
        return Sex.UNKNOWN
    for member in Sex:
        if value == member.value:
            return member
    raise ValidationError(
        "sex", f"Gender must be one of {', '.join(m.value for m in Sex)} (got {value!r})."
    )


def _rank(point: dict[str, Any]) -> int:
    rank = point.get("rank")
    return rank if isinstance(rank, int) and not isinstance(rank, bool) else 1_000_000


def _phone(patient: dict[str, Any]) -> str:
    phones = [
        t
        for t in _list(patient.get("telecom"))
        if isinstance(t, dict) and t.get("system") == "phone" and _text(t.get("value"))
    ]
    phones.sort(key=_rank)
    return _text(phones[0].get("value")) if phones else ""


def _language(patient: dict[str, Any]) -> Language:
    spoken = [c for c in _list(patient.get("communication")) if isinstance(c, dict)]
    spoken.sort(key=lambda c: c.get("preferred") is not True)
    for communication in spoken:
        for _system, code in sorted(_codes(communication.get("language"))):
            language = language_from_text(code) if code else None
            if language is not None:
                return language
    return Language.ENGLISH
