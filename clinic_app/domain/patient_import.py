"""Patients read from another system's file, before any check against the database.

A file (a FHIR Bundle of Patient resources, :mod:`clinic_app.domain.patient_import_fhir`, or a
practice-management CSV export, :mod:`clinic_app.domain.patient_import_csv`) becomes a list of
:class:`ImportRow`: where the patient stood in the file, the demographics read, and what could
not be read (a date that is not a date, a gender that is not one of ours). Whether the values
are acceptable is not decided here: the service runs the patient form's own checks on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import ClinicError, ValidationError


class ImportFileError(ClinicError):
    """The file cannot be read at all (not UTF-8, not JSON, no header row...): nothing is shown
    or imported, and the message says what to do."""


class ImportStatus(StrEnum):
    """What an import does with one row (the preview's Status column)."""

    NEW = "new"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


#: How each status reads on screen.
STATUS_LABELS: Final = {
    ImportStatus.NEW: "New",
    ImportStatus.DUPLICATE: "Duplicate",
    ImportStatus.INVALID: "Invalid",
}

#: The patient fields a file may fill, in the order of the patient form, with their labels.
#: Clinical fields (weight, allergies, safety flags) are never imported: they are recorded by
#: the clinicians at the visit, and the front desk that imports may not set them.
FIELD_LABELS: Final = {
    "mrn": "MRN",
    "family_name": "Family name",
    "given_name": "Given name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "preferred_language": "Language",
    "phone": "Phone",
}
#: The fields without which no patient can be registered.
REQUIRED_FIELDS: Final = ("mrn", "family_name", "given_name", "date_of_birth")


@dataclass(frozen=True, slots=True)
class PatientFields:
    """The demographics read for one patient; text as found, ``None`` for an unread date."""

    mrn: str = ""
    family_name: str = ""
    given_name: str = ""
    date_of_birth: date | None = None
    sex: Sex = Sex.UNKNOWN
    preferred_language: Language = Language.ENGLISH
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One patient of the file.

    Attributes:
        line: where it stands: the CSV line its record starts on, or the Bundle entry's number
            (1 for the first entry).
        fields: what was read.
        errors: what could not be read, one per field at fault.
    """

    line: int
    fields: PatientFields
    errors: tuple[ValidationError, ...] = ()


def sex_from_text(text: str) -> Sex:
    """A sex or gender as files write it: "F", "female", "Male", "U"...; blank is unknown.

    Raises:
        ValidationError: anything else (the file's value is named).
    """
    word = text.strip().casefold()
    if not word:
        return Sex.UNKNOWN
    for member in Sex:
        if word in {member.value, member.value[0]}:
            return member
    raise ValidationError(
        "sex", f"Sex must be one of {', '.join(m.value for m in Sex)} (got {text.strip()!r})."
    )


#: Language names a file may use instead of the code (English and the language's own name).
_LANGUAGE_NAMES: Final = {
    Language.ENGLISH: ("en", "eng", "english", "inglés", "ingles"),
    Language.SPANISH: ("es", "spa", "spanish", "español", "espanol"),
}


def language_from_text(text: str) -> Language | None:
    """A language as files write it ("es", "es-MX", "Spanish", "Español"); ``None`` when it is
    not one the handouts are written in. Blank is English, the app's default."""
    word = text.strip().casefold().replace("_", "-")
    if not word:
        return Language.ENGLISH
    base = word.split("-", 1)[0]
    for member, names in _LANGUAGE_NAMES.items():
        if word in names or base in names:
            return member
    return None
