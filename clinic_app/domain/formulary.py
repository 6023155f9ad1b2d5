"""The formulary seed: injectables with their strengths, billing units and dose limits.

The data lives in ``resources/formulary/formulary.toml`` (its header documents every field).
Every number is an exact :class:`~decimal.Decimal` parsed from a TOML *string*; floats are
refused so that 0.1 + 0.2 never reaches a dose. A broken entry raises :class:`FormularyError`
naming the file, the entry and the problem.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from importlib.resources.abc import Traversable
from typing import Final, TypeVar

from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.enums import DoseUnit
from clinic_app.domain.quantities import format_quantity, plain_decimal
from clinic_app.domain.resource_files import resource


class DrugClass(StrEnum):
    LOCAL_ANESTHETIC = "local_anesthetic"
    CORTICOSTEROID = "corticosteroid"
    BOTULINUM_TOXIN = "botulinum_toxin"
    SALINE = "saline"


class ConcentrationUnit(StrEnum):
    """How much drug one mL holds. ``NONE``: recorded by volume only (saline)."""

    MG_PER_ML = "mg/mL"
    UNITS_PER_ML = "units/mL"
    NONE = "none"

    @property
    def dose_unit(self) -> DoseUnit:
        """The unit of volume × concentration."""
        return _DOSE_UNITS[self]


_DOSE_UNITS: Final = {
    ConcentrationUnit.MG_PER_ML: DoseUnit.MG,
    ConcentrationUnit.UNITS_PER_ML: DoseUnit.UNITS,
    ConcentrationUnit.NONE: DoseUnit.NONE,
}
#: The only concentration unit each class may use.
_CLASS_UNITS: Final = {
    DrugClass.LOCAL_ANESTHETIC: ConcentrationUnit.MG_PER_ML,
    DrugClass.CORTICOSTEROID: ConcentrationUnit.MG_PER_ML,
    DrugClass.BOTULINUM_TOXIN: ConcentrationUnit.UNITS_PER_ML,
    DrugClass.SALINE: ConcentrationUnit.NONE,
}
#: Classes with no drug HCPCS code: infiltration anesthetic is part of the TPI and saline is a
#: supply (tpi-reference.md §3; J2001 is intravenous lidocaine, never this use).
_NOT_BILLED: Final = frozenset({DrugClass.LOCAL_ANESTHETIC, DrugClass.SALINE})
_BILLING_FIELDS: Final = ("hcpcs_code", "billing_unit_amount", "billing_unit")
_REQUIRED: Final = (
    "code", "name", "generic", "drug_class", "concentration", "concentration_unit",
    "strength_label", "epinephrine", "source",
)  # fmt: skip
_OPTIONAL: Final = (
    *_BILLING_FIELDS,
    "max_mg_per_kg",
    "max_total_mg",
    "triamcinolone_equivalent_factor",
)
_SNAKE_CASE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_DECIMAL: Final = re.compile(r"\d+(?:\.\d+)?")
_HCPCS: Final = re.compile(r"[A-Z]\d{4}")
_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class FormularyEntry:
    """One injectable as the clinic stocks it (drug + strength).

    Attributes:
        concentration: amount per mL in ``concentration_unit``; 0 for saline.
        billing_unit_amount: the dose one HCPCS unit stands for (10 for J3301 "per 10 mg").
        max_mg_per_kg / max_total_mg: dose limits, local anesthetics only.
        triamcinolone_equivalent_factor: mg triamcinolone per mg of this drug, steroids only.
    """

    code: str
    name: str
    generic: str
    drug_class: DrugClass
    concentration: Decimal
    concentration_unit: ConcentrationUnit
    strength_label: str
    epinephrine: bool
    source: str
    hcpcs_code: str | None = None
    billing_unit_amount: Decimal | None = None
    billing_unit: DoseUnit | None = None
    max_mg_per_kg: Decimal | None = None
    max_total_mg: Decimal | None = None
    triamcinolone_equivalent_factor: Decimal | None = None

    @property
    def dose_unit(self) -> DoseUnit:
        """The unit a dose of this entry is recorded in (``none``: volume only)."""
        return self.concentration_unit.dose_unit


class FormularyError(DataFileError):
    """The formulary file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the formulary file.
        entry: the medication code, ``"medication #N"`` when the code is unusable, or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


def percent_to_mg_per_ml(percent: Decimal) -> Decimal:
    """Strength in percent (g per 100 mL) to mg/mL: 1% -> 10, 0.25% -> 2.5 (tpi-reference §4)."""
    if not percent.is_finite() or percent < 0:
        raise ValueError(f"a strength in percent must be a finite number >= 0, not {percent}")
    return plain_decimal(percent * 10)


def _read_entry(entry: Entry) -> FormularyEntry:
    entry.fields(_REQUIRED, _OPTIONAL)
    epinephrine = entry.flag("epinephrine")
    drug_class = entry.choice("drug_class", DrugClass)
    unit = entry.choice("concentration_unit", ConcentrationUnit)
    if unit is not _CLASS_UNITS[drug_class]:
        raise entry.error(
            f"for {drug_class} must be {_CLASS_UNITS[drug_class]}", "concentration_unit"
        )
    concentration = entry.decimal("concentration", allow_zero=unit is ConcentrationUnit.NONE)
    if unit is ConcentrationUnit.NONE and concentration != 0:
        raise entry.error('must be "0" when concentration_unit is none', "concentration")
    label_text = entry.text("strength_label")
    _check_strength_label(entry, label_text, concentration, unit)
    if epinephrine and drug_class is not DrugClass.LOCAL_ANESTHETIC:
        raise entry.error("can only be true for a local anesthetic", "epinephrine")
    billing = _read_billing(entry, drug_class, unit)
    _only_for(entry, drug_class, DrugClass.LOCAL_ANESTHETIC, "max_mg_per_kg", "max_total_mg")
    _only_for(entry, drug_class, DrugClass.CORTICOSTEROID, "triamcinolone_equivalent_factor")
    limits = [_optional_decimal(entry, "max_mg_per_kg"), _optional_decimal(entry, "max_total_mg")]
    factor = _optional_decimal(entry, "triamcinolone_equivalent_factor")
    return FormularyEntry(
        code=entry.snake("code"),
        name=entry.text("name"),
        generic=entry.text("generic"),
        drug_class=drug_class,
        concentration=concentration,
        concentration_unit=unit,
        strength_label=label_text,
        epinephrine=epinephrine,
        source=entry.text("source"),
        hcpcs_code=billing[0],
        billing_unit_amount=billing[1],
        billing_unit=billing[2],
        max_mg_per_kg=limits[0],
        max_total_mg=limits[1],
        triamcinolone_equivalent_factor=factor,
    )


def _optional_decimal(entry: Entry, key: str) -> Decimal | None:
    return entry.decimal(key) if entry.has(key) else None


def _check_strength_label(
    entry: Entry, label: str, concentration: Decimal, unit: ConcentrationUnit
) -> None:
    """The vial label must say the same as the numbers: "1%" = 10 mg/mL, or "40 mg/mL"."""
    if unit is ConcentrationUnit.NONE:
        return  # saline: the label ("0.9%") is for display only
    expected = format_quantity(concentration, unit)
    if label == expected:
        return
    if unit is ConcentrationUnit.MG_PER_ML and label.endswith("%"):
        percent = label.removesuffix("%")
        if _DECIMAL.fullmatch(percent) and percent_to_mg_per_ml(Decimal(percent)) == concentration:
            return
    raise entry.error(f"{label!r} does not match concentration {expected}", "strength_label")


def _read_billing(
    entry: Entry, drug_class: DrugClass, unit: ConcentrationUnit
) -> tuple[str | None, Decimal | None, DoseUnit | None]:
    present = [key for key in _BILLING_FIELDS if entry.has(key)]
    if not present:
        return None, None, None
    if drug_class in _NOT_BILLED:
        raise entry.error(
            f"{drug_class} has no drug HCPCS code: it is not billed separately "
            "(J2001 is intravenous lidocaine); remove " + ", ".join(present)
        )
    if len(present) < len(_BILLING_FIELDS):
        absent = [key for key in _BILLING_FIELDS if key not in present]
        raise entry.error(f"{', '.join(absent)} missing: give all of {', '.join(_BILLING_FIELDS)}")
    code = entry.text("hcpcs_code", _HCPCS, "a HCPCS Level II code such as J3301")
    amount = entry.decimal("billing_unit_amount")
    billing_unit = entry.choice("billing_unit", DoseUnit)
    if billing_unit is not unit.dose_unit:
        raise entry.error(f"must be {unit.dose_unit} for a drug measured in {unit}", "billing_unit")
    return code, amount, billing_unit


def _only_for(entry: Entry, drug_class: DrugClass, owner: DrugClass, *keys: str) -> None:
    """``keys`` are required for ``owner`` entries and forbidden for every other class."""
    for key in keys:
        if drug_class is owner and not entry.has(key):
            raise entry.error(f"is missing (required for every {owner})", key)
        if drug_class is not owner and entry.has(key):
            raise entry.error(f"applies only to {owner} entries", key)


def default_formulary_path() -> Traversable:
    """The shipped ``formulary/formulary.toml``."""
    return resource("formulary", "formulary.toml")


def load_formulary(path: Traversable | None = None) -> tuple[FormularyEntry, ...]:
    """Read and check a formulary file (the shipped seed by default), in file order.

    Raises:
        FormularyError: the file is missing or unreadable, is not TOML, or an entry breaks a rule.
    """
    path = default_formulary_path() if path is None else path
    document = read_document(path, FormularyError, {"medication"})
    tables = entries(document, "medication", "medication", snake=True)
    return tuple(_read_entry(entry) for entry in tables)


@functools.cache
def default_formulary() -> tuple[FormularyEntry, ...]:
    """The shipped formulary seed, loaded once per process."""
    return load_formulary()
