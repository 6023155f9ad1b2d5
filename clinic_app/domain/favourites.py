"""Favourite mixes: one-click technique + medicines + volumes for a site.

The data lives in ``resources/formulary/favourites.toml`` (its header documents every field).
Each dose names a formulary code and a volume; the dose itself (concentration × volume) and
the label a provider reads are computed here, never typed, so a favourite cannot say
"10 mg" while drawing up 20 mg. A broken file raises :class:`FavouritesError` naming the
file, the entry and the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain.datafile import DataFileError, Entry, entries, read_document
from clinic_app.domain.enums import DoseUnit, Technique
from clinic_app.domain.formulary import DrugClass, FormularyEntry, load_formulary
from clinic_app.domain.quantities import dose_of, format_quantity
from clinic_app.domain.resource_files import resource
from clinic_app.domain.validation import NEEDLE_GAUGE_RANGE, NEEDLE_LENGTH_RANGE_IN

#: Largest volume a favourite may draw up for one point (mL): typical TPI volumes are 1–2 mL
#: per point and more than 10 mL at one point is implausible (tpi-reference.md §4).
MAX_FAVOURITE_VOLUME_ML: Final = Decimal("10")
DRY_NEEDLING_LABEL: Final = "Dry needling (no medicine)"

#: Classes named by their strength and volume ("Lidocaine 1% 1 mL"); the others by their dose.
_BY_VOLUME: Final = frozenset({DrugClass.LOCAL_ANESTHETIC, DrugClass.SALINE})


class FavouritesError(DataFileError):
    """The favourites file is missing, not TOML, or has an entry that breaks a rule.

    Attributes:
        path: the favourites file.
        entry: the favourite's code, ``"favourite #N"`` when the code is unusable, or None.
        problem: what is wrong, in words.
        line: the line in the file, when the TOML parser reported one.
    """


@dataclass(frozen=True, slots=True)
class FavouriteDose:
    """One medicine of a favourite: what is drawn up, and the dose that makes."""

    medication: FormularyEntry
    volume_ml: Decimal

    @property
    def dose(self) -> Decimal | None:
        """Concentration × volume, exact; None for a volume-only medicine (saline)."""
        if self.medication.dose_unit is DoseUnit.NONE:
            return None
        return dose_of(self.medication.concentration, self.volume_ml)

    @property
    def dose_text(self) -> str:
        """ "10 mg", "25 units", or "" for saline."""
        dose = self.dose
        return "" if dose is None else format_quantity(dose, self.medication.dose_unit.value)

    @property
    def label(self) -> str:
        """ "Lidocaine 1% 1 mL" for anesthetics and saline, "triamcinolone acetonide 10 mg"
        for drugs a provider thinks of by dose."""
        volume = format_quantity(self.volume_ml, "mL")
        if self.medication.drug_class in _BY_VOLUME or self.dose is None:
            return f"{self.medication.name} {volume}"
        return f"{self.medication.generic} {self.dose_text}"

    @property
    def detail(self) -> str:
        """Everything: "Triamcinolone acetonide 40 mg/mL 0.25 mL = 10 mg"."""
        text = f"{self.medication.name} {format_quantity(self.volume_ml, 'mL')}"
        return f"{text} = {self.dose_text}" if self.dose_text else text


@dataclass(frozen=True, slots=True)
class Favourite:
    """A technique and what is injected at one point."""

    code: str
    technique: Technique
    doses: tuple[FavouriteDose, ...]

    @property
    def label(self) -> str:
        """What the picker shows: "Lidocaine 1% 1 mL + triamcinolone acetonide 10 mg"."""
        if not self.doses:
            return DRY_NEEDLING_LABEL
        return " + ".join(d.label for d in self.doses)

    @property
    def detail(self) -> str:
        """A tooltip with every strength, volume and dose."""
        if not self.doses:
            return "Dry needling: no medicine is injected."
        return " + ".join(d.detail for d in self.doses)

    @property
    def medication_codes(self) -> tuple[str, ...]:
        return tuple(d.medication.code for d in self.doses)


@dataclass(frozen=True, slots=True)
class Favourites:
    """All favourites in file order, and what a new site starts with.

    Attributes:
        items: every favourite, in file order.
        new_site: the injection favourite a click on the body map starts with.
        needle_gauge / needle_length_in: the needle a new site starts with (None: unset).
    """

    items: tuple[Favourite, ...]
    new_site: Favourite
    needle_gauge: int | None = None
    needle_length_in: Decimal | None = None

    def get(self, code: str) -> Favourite:
        """The favourite with this code.

        Raises:
            KeyError: no such favourite.
        """
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def injections(self) -> tuple[Favourite, ...]:
        """Favourites a new injection site can start with (everything but dry needling)."""
        return tuple(f for f in self.items if f.technique is Technique.INJECTION)


def _dose(dose: Entry, formulary: Mapping[str, FormularyEntry]) -> FavouriteDose:
    dose.fields(("medication", "volume_ml"))
    code = dose.text("medication")
    medication = formulary.get(code)
    if medication is None:
        raise dose.error(f"{code!r} is not in the formulary", "medication")
    volume = dose.decimal("volume_ml", places=2)
    if volume > MAX_FAVOURITE_VOLUME_ML:
        raise dose.error(
            f"{volume} mL at one point is implausible (at most {MAX_FAVOURITE_VOLUME_ML} mL)",
            "volume_ml",
        )
    return FavouriteDose(medication, volume)


def _favourite(entry: Entry, formulary: Mapping[str, FormularyEntry]) -> Favourite:
    entry.fields(("code", "technique"), ("doses",))
    code = entry.snake("code")
    technique = entry.choice("technique", Technique)
    doses = (
        tuple(_dose(dose, formulary) for dose in entry.tables("doses"))
        if entry.has("doses")
        else ()
    )
    if technique is Technique.DRY_NEEDLING and doses:
        raise entry.error("dry needling injects nothing: doses must be []")
    if technique is Technique.INJECTION and not doses:
        raise entry.error("an injection needs at least one dose")
    codes = [d.medication.code for d in doses]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise entry.error(f"medication {', '.join(map(repr, repeated))} is listed twice")
    return Favourite(code, technique, doses)


def _new_site(
    document: Entry, items: Sequence[Favourite]
) -> tuple[Favourite, int | None, Decimal | None]:
    if not document.has("new_site"):
        raise FavouritesError(document.path, "new_site", "a [new_site] table is required")
    entry = document.table("new_site")
    entry.label, entry.prefix = "new_site", ""
    entry.fields(("favourite",), ("needle_gauge", "needle_length_in"))
    code = entry.text("favourite")
    chosen = next((f for f in items if f.code == code), None)
    if chosen is None:
        raise entry.error(f"{code!r} is not defined", "favourite")
    if chosen.technique is not Technique.INJECTION:
        raise entry.error(f"{code!r} must be an injection", "favourite")
    low, high = NEEDLE_GAUGE_RANGE
    gauge = (
        entry.integer("needle_gauge", minimum=low, maximum=high)
        if entry.has("needle_gauge")
        else None
    )
    length: Decimal | None = None
    if entry.has("needle_length_in"):
        low_l, high_l = NEEDLE_LENGTH_RANGE_IN
        length = entry.decimal("needle_length_in", places=2)
        if not low_l <= length <= high_l:
            raise entry.error(f"must be from {low_l} to {high_l} in", "needle_length_in")
    return chosen, gauge, length


def default_favourites_path() -> Traversable:
    """The shipped ``formulary/favourites.toml``."""
    return resource("formulary", "favourites.toml")


def load_favourites(
    path: Traversable | None = None, formulary: Sequence[FormularyEntry] | None = None
) -> Favourites:
    """Read and check a favourites file against the formulary (the shipped ones by default).

    Raises:
        FavouritesError: the file is missing or unreadable, is not TOML, or an entry breaks a
            rule (unknown medication code, implausible volume, duplicate code...).
    """
    path = default_favourites_path() if path is None else path
    by_code = {e.code: e for e in (load_formulary() if formulary is None else formulary)}
    document = read_document(path, FavouritesError, {"favourite", "new_site"})
    tables = entries(document, "favourite", "favourite", snake=True)
    items = [_favourite(entry, by_code) for entry in tables]
    new_site, gauge, length = _new_site(document, items)
    return Favourites(tuple(items), new_site, gauge, length)


@functools.cache
def default_favourites() -> Favourites:
    """The shipped favourites, loaded once per process."""
    return load_favourites()
