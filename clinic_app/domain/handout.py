"""What goes on a patient's aftercare handout: the data, the blocks, and the texts.

Pure content selection: :class:`HandoutData` is the plain data a renderer needs,
:func:`select_blocks` decides which advice blocks apply (tpi-reference.md §7), and
:class:`HandoutTexts` serves every printed word from ``resources/handouts/<language>.toml``.
No drawing happens here; ``clinic_app.reports.handout`` turns this into a PDF.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Final

from clinic_app.domain.catalog import BodyZone, Catalog, Region, View
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.formulary import DrugClass


class Block(StrEnum):
    """One advice block of the handout; the member order is the printed order."""

    EMERGENCY = "emergency"
    WHAT_TO_EXPECT = "what_to_expect"
    DRY_NEEDLING = "dry_needling"
    ACTIVITY = "activity"
    ICE_HEAT = "ice_heat"
    NO_DRIVING = "no_driving"
    STEROID = "steroid"
    DIABETES_NOTE = "diabetes_note"
    CALL_CLINIC = "call_clinic"
    FOLLOW_UP = "follow_up"


ALWAYS: Final[frozenset[Block]] = frozenset(
    {
        Block.WHAT_TO_EXPECT,
        Block.ACTIVITY,
        Block.ICE_HEAT,
        Block.CALL_CLINIC,
        Block.FOLLOW_UP,
    }
)

#: A numb or weak driving leg (seed 003): sites in these regions or zones.
DRIVING_REGIONS: Final[frozenset[Region]] = frozenset({Region.LEG, Region.THIGH, Region.HIP})
DRIVING_ZONES: Final[frozenset[BodyZone]] = frozenset(
    {
        BodyZone.LEG,
        BodyZone.THIGH,
        BodyZone.HIP,
        BodyZone.BUTTOCK,
        BodyZone.LOW_BACK,
    }
)


@dataclass(frozen=True, slots=True)
class Medicine:
    """A drug given at a site: its generic name and class (drives the steroid block)."""

    generic: str
    drug_class: DrugClass


@dataclass(frozen=True, slots=True)
class HandoutSite:
    """One treated spot, numbered as on the figure.

    Attributes:
        view: the body-map view the mark was placed on.
        x, y: the mark in 0..1 coordinates of that view's figure.
    """

    number: int
    muscle_code: str
    side: Side
    technique: Technique
    view: View
    x: float
    y: float
    medicines: tuple[Medicine, ...] = ()


@dataclass(frozen=True, slots=True)
class HandoutData:
    """Everything one handout prints; user text is raw here and escaped by the renderer.

    Attributes:
        fever_threshold_c: the clinic's "call us" fever, in °C (default 38.0 = 100.4 °F).
        activity_hours: how long to avoid hard exercise (clinic setting, default 48).
        follow_up_date: the next visit, if booked.
        follow_up_text: free text about the follow-up ("in 2 weeks", instructions...).
    """

    patient_given: str
    patient_family: str
    birth_date: date
    language: Language
    clinic_name: str
    clinic_phone: str
    after_hours_phone: str
    provider_name: str
    visit_date: date
    sites: tuple[HandoutSite, ...]
    large_print: bool = False
    diabetes: bool = False
    fever_threshold_c: Decimal = Decimal("38.0")
    activity_hours: int = 48
    follow_up_date: date | None = None
    follow_up_text: str = ""
    #: The clinic's logo as PNG bytes (from the clinic profile), printed in the page header.
    logo_png: bytes | None = None

    @property
    def patient_name(self) -> str:
        return f"{self.patient_given} {self.patient_family}".strip()

    @property
    def fever_threshold_f(self) -> Decimal:
        return (self.fever_threshold_c * 9 / 5 + 32).quantize(Decimal("0.1"))

    def medicines(self) -> tuple[Medicine, ...]:
        """Every medicine used today, each once, in site order."""
        seen: dict[Medicine, None] = {}
        for site in self.sites:
            for medicine in site.medicines:
                seen.setdefault(medicine)
        return tuple(seen)


def select_blocks(data: HandoutData, catalog: Catalog) -> tuple[Block, ...]:
    """The advice blocks that apply to ``data``, in printed order."""
    chosen = set(ALWAYS)
    if any(m.drug_class is DrugClass.CORTICOSTEROID for m in data.medicines()):
        chosen.add(Block.STEROID)
        if data.diabetes:
            chosen.add(Block.DIABETES_NOTE)
    for site in data.sites:
        muscle = catalog.get(site.muscle_code)
        if site.technique is Technique.DRY_NEEDLING:
            chosen.add(Block.DRY_NEEDLING)
        if muscle.region in DRIVING_REGIONS or muscle.body_zone in DRIVING_ZONES:
            chosen.add(Block.NO_DRIVING)
        if muscle.emergency_zone:
            chosen.add(Block.EMERGENCY)
    return tuple(block for block in Block if block in chosen)


def lay_sites(data: HandoutData, catalog: Catalog, language: Language) -> list[str]:
    """One line per site: lay words, the technical name beside them, the side."""
    texts = default_texts(language)
    lines = []
    for site in data.sites:
        muscle = catalog.get(site.muscle_code)
        technical = muscle.name.replace(" (", ", ").replace(")", "")
        lines.append(
            texts.format(
                "label.site_line",
                place=muscle.lay_name(language),
                muscle=technical,
                side=texts.text(f"label.{site.side.value}"),
            )
        )
    return lines


# ---------------------------------------------------------------- texts


class HandoutTextError(ClinicError):
    """A handout text file is missing, not TOML, or disagrees with the other languages."""


TextValue = str | tuple[str, ...]
_FORMATTER: Final = string.Formatter()


def placeholders(value: TextValue) -> frozenset[str]:
    """The ``{names}`` used in a string or a list of strings."""
    items = (value,) if isinstance(value, str) else value
    return frozenset(name for item in items for _, name, _, _ in _FORMATTER.parse(item) if name)


@dataclass(frozen=True)
class HandoutTexts:
    """Every printed word of one language, keyed by dotted path (``block.activity.heading``)."""

    language: Language
    values: Mapping[str, TextValue] = field(repr=False)

    def text(self, key: str) -> str:
        value = self.values[key]
        if not isinstance(value, str):
            raise HandoutTextError(f"{self.language}: {key} is a list, not a string")
        return value

    def lines(self, key: str) -> tuple[str, ...]:
        value = self.values[key]
        if isinstance(value, str):
            raise HandoutTextError(f"{self.language}: {key} is a string, not a list")
        return value

    def format(self, key: str, **values: object) -> str:
        return self.text(key).format(**values)

    def date(self, when: date) -> str:
        """``when`` written out, e.g. "March 4, 2025" / "4 de marzo de 2025"."""
        month = self.lines("label.months")[when.month - 1]
        return self.format("label.date", day=when.day, month=month, year=when.year)


def _flatten(prefix: str, table: Mapping[str, object], path: Path) -> dict[str, TextValue]:
    out: dict[str, TextValue] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(f"{dotted}.", value, path))
        elif isinstance(value, str) and value.strip():
            out[dotted] = value
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(item, str) and item.strip() for item in value)
        ):
            out[dotted] = tuple(value)
        else:
            raise HandoutTextError(
                f"{path.name}: {dotted} must be a non-empty string or list of strings"
            )
    return out


def default_texts_dir() -> Path:
    """``resources/handouts`` in the source tree."""
    return Path(__file__).resolve().parents[2] / "resources" / "handouts"


def _read(path: Path) -> dict[str, TextValue]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HandoutTextError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise HandoutTextError(f"{path.name}: invalid TOML: {exc}") from None
    return _flatten("", document, path)


def load_texts(folder: Path | None = None) -> dict[Language, HandoutTexts]:
    """Read every language and check they agree.

    Raises:
        HandoutTextError: a file is missing or malformed; a key is missing from a language;
            a string's placeholders differ from the English one; a block lacks its heading or
            lines; a list-valued key is a string in another language or vice versa.
    """
    folder = default_texts_dir() if folder is None else folder
    read = {language: _read(folder / f"{language.value}.toml") for language in Language}
    reference = read[Language.ENGLISH]
    for block in Block:
        for part in ("heading", "lines"):
            if f"block.{block.value}.{part}" not in reference:
                raise HandoutTextError(f"en.toml: block.{block.value}.{part} is missing")
    for language, values in read.items():
        missing = sorted(set(reference) - set(values))
        extra = sorted(set(values) - set(reference))
        if missing or extra:
            raise HandoutTextError(
                f"{language.value}.toml: missing {missing or 'nothing'}, extra {extra or 'nothing'}"
            )
        for key, value in values.items():
            if isinstance(value, str) is not isinstance(reference[key], str):
                raise HandoutTextError(f"{language.value}.toml: {key} must match en.toml's type")
            if placeholders(value) != placeholders(reference[key]):
                raise HandoutTextError(
                    f"{language.value}.toml: {key} uses {sorted(placeholders(value))}, "
                    f"en.toml uses {sorted(placeholders(reference[key]))}"
                )
    return {language: HandoutTexts(language, values) for language, values in read.items()}


@functools.cache
def _default_texts() -> dict[Language, HandoutTexts]:
    return load_texts()


def default_texts(language: Language) -> HandoutTexts:
    """The shipped texts of ``language``, loaded and checked once per process."""
    return _default_texts()[language]
