"""The code systems and codes of the FHIR export, read from ``resources/fhir/codes.toml``.

Each muscle of the catalog must have an entry there: a SNOMED CT body-structure code with
its display and source, or an explicit ``fallback = true`` (the file's generic parent
concept). A catalog muscle without an entry, a side without a laterality qualifier or a
missing observation stops the export with a sentence naming it (:class:`FhirCodesError`),
so a muscle added to the catalog is never exported without a body site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain.catalog import Catalog, default_catalog
from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.resource_files import resource

#: Systems the export needs; the file must name each.
SYSTEMS: Final = (
    "snomed", "loinc", "ucum", "cpt", "icd10cm", "bcp47", "identifier_type", "npi",
    "observation_category", "condition_clinical", "condition_category", "encounter_class",
    "mrn", "medication", "outcome_measure",
)  # fmt: skip
#: The sides a site or a measure may have.
SIDES: Final = ("left", "right", "bilateral")
#: The tables of the file.
TOP_LEVEL: Final = ("systems", "muscle", "laterality", "observation", "fallback", "document")
#: What the export measures: pain (before and after) and the outcome measures.
OBSERVATIONS: Final = ("pain", "ndi", "odi")
_SCTID: Final = re.compile(r"[1-9][0-9]{5,17}")
_URI: Final = re.compile(r"(https?://|urn:)\S+")


class FhirCodesError(DataFileError):
    """``codes.toml`` is missing, broken, or leaves a catalog muscle without a body site."""


@dataclass(frozen=True, slots=True)
class Coded:
    """One code of a system: ``system`` is the URI, ``display`` the code's display text.

    Attributes:
        fallback: the code is a parent concept standing in for a more precise one.
    """

    system: str
    code: str
    display: str
    source: str
    fallback: bool = False

    def coding(self) -> dict[str, str]:
        """The FHIR Coding."""
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True, slots=True)
class ObservationCode:
    """What an observation measures, and its UCUM unit."""

    coded: Coded
    unit: str


@dataclass(frozen=True, slots=True)
class FhirCodes:
    """The checked content of ``codes.toml``."""

    systems: Mapping[str, str]
    muscles: Mapping[str, Coded]
    laterality: Mapping[str, Coded]
    observations: Mapping[str, ObservationCode]
    document: Coded

    def muscle(self, code: str) -> Coded:
        """The body-structure code of catalog muscle ``code``.

        Raises:
            FhirCodesError: the muscle has no entry (a catalog newer than the codes file).
        """
        try:
            return self.muscles[code]
        except KeyError:
            raise FhirCodesError(
                default_codes_path(), code, "has no SNOMED CT body-site entry in codes.toml"
            ) from None


def _system_uri(document: Entry, key: str) -> str:
    return document.table("systems").text(key, _URI, "a URI (http://, https:// or urn:)")


def _snomed(entry: Entry, snomed: str, source_key: str = "source") -> Coded:
    return Coded(
        snomed,
        entry.text("snomed", _SCTID, "a SNOMED CT identifier (digits)"),
        entry.text("display"),
        entry.text(source_key),
        fallback=entry.flag("fallback") if entry.has("fallback") else False,
    )


def _muscles(document: Entry, snomed: str, catalog: Catalog) -> dict[str, Coded]:
    fallback_entry = document.table("fallback")
    fallback_entry.fields(("snomed", "display", "source", "note"))
    generic = _snomed(fallback_entry, snomed)
    generic = Coded(generic.system, generic.code, generic.display, generic.source, True)
    found: dict[str, Coded] = {}
    for entry in entries(document, "muscle", "muscle", snake=True):
        code = entry.snake("code")
        if code not in catalog:
            raise entry.error("is not a muscle of the catalog (muscles.toml)", "code")
        if entry.has("snomed"):
            entry.fields(("code", "snomed", "display", "source"), ("fallback", "note"))
            coded = _snomed(entry, snomed)
            if coded.fallback and not entry.has("note"):
                raise entry.error("must say why a parent concept is used", "note")
            found[code] = coded
        else:
            entry.fields(("code", "fallback"))
            if not entry.flag("fallback"):
                raise entry.error("must be true when the entry gives no snomed code", "fallback")
            found[code] = generic
    missing = [m.code for m in catalog if m.code not in found]
    if missing:
        raise document.error(
            f"no body-site entry for the catalog muscle(s) {', '.join(missing)}: add a "
            "[[muscle]] with its SNOMED CT code, or with fallback = true"
        )
    return found


def _laterality(document: Entry, snomed: str) -> dict[str, Coded]:
    found: dict[str, Coded] = {}
    for entry in entries(document, "laterality", "laterality", "side"):
        entry.fields(("side", "snomed", "display", "source"))
        side = entry.text("side")
        if side not in SIDES:
            raise entry.error(f"must be one of {', '.join(SIDES)}", "side")
        found[side] = _snomed(entry, snomed)
    _require(document, found, SIDES, "laterality")
    return found


def _observations(document: Entry, systems: Mapping[str, str]) -> dict[str, ObservationCode]:
    found: dict[str, ObservationCode] = {}
    for entry in entries(document, "observation", "observation", "key"):
        entry.fields(("key", "system", "code", "display", "unit", "source"))
        system = entry.text("system")
        if system not in systems:
            raise entry.error(f"{system!r} is not a key of [systems]", "system")
        coded = Coded(
            systems[system], entry.text("code"), entry.text("display"), entry.text("source")
        )
        found[entry.text("key")] = ObservationCode(coded, entry.text("unit"))
    _require(document, found, OBSERVATIONS, "observation")
    return found


def _document_type(entry: Entry, systems: Mapping[str, str]) -> Coded:
    entry.fields(("system", "code", "display", "source"))
    system = entry.text("system")
    if system not in systems:
        raise entry.error(f"{system!r} is not a key of [systems]", "system")
    return Coded(systems[system], entry.text("code"), entry.text("display"), entry.text("source"))


def _require(document: Entry, found: Mapping[str, object], keys: Iterable[str], what: str) -> None:
    missing = [key for key in keys if key not in found]
    if missing:
        raise document.error(f"no [[{what}]] entry for {', '.join(missing)}")


def load_codes(path: Traversable | None = None, catalog: Catalog | None = None) -> FhirCodes:
    """Read and check the codes file (the shipped one by default) against ``catalog``.

    Raises:
        FhirCodesError: the file is missing or broken, or a catalog muscle has no entry.
    """
    path = default_codes_path() if path is None else path
    catalog = default_catalog() if catalog is None else catalog
    document = read_document(path, FhirCodesError, TOP_LEVEL)
    document.table("systems").fields(SYSTEMS)
    systems = {key: _system_uri(document, key) for key in SYSTEMS}
    return FhirCodes(
        systems=systems,
        muscles=_muscles(document, systems["snomed"], catalog),
        laterality=_laterality(document, systems["snomed"]),
        observations=_observations(document, systems),
        document=_document_type(document.table("document"), systems),
    )


def default_codes_path() -> Traversable:
    """The shipped ``fhir/codes.toml``."""
    return resource("fhir", "codes.toml")


@functools.cache
def default_codes() -> FhirCodes:
    """The shipped codes, loaded once per process."""
    return load_codes()
