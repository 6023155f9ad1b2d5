"""What goes on a patient's aftercare handout: the data, the blocks, and the texts.

Pure content selection: :class:`HandoutData` is the plain data a renderer needs,
:func:`select_blocks` decides which advice blocks apply (tpi-reference.md §7), :func:`compose`
fills each block with the lines that fit this patient's treatment, :class:`HandoutTexts` serves
every printed word from ``resources/handouts/<language>.toml`` and :func:`load_settings` the
clinic values (with their sources) from ``resources/handouts/settings.toml``. No drawing
happens here; ``clinic_app.reports.handout`` turns this into a PDF.
"""

from __future__ import annotations

import functools
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from importlib.resources.abc import Traversable
from typing import Final

from clinic_app.domain.catalog import BodyZone, Catalog, Muscle, Region, View
from clinic_app.domain.datafile import DataFileError, read_toml
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.quantities import format_quantity
from clinic_app.domain.resource_files import resource


class Block(StrEnum):
    """One advice block of the handout; the member order is the printed order."""

    EMERGENCY = "emergency"
    WHAT_TO_EXPECT = "what_to_expect"
    DRY_NEEDLING = "dry_needling"
    NECK_ARM = "neck_arm"
    NO_DRIVING = "no_driving"
    BLOOD_THINNER = "blood_thinner"
    PAIN_RELIEF = "pain_relief"
    ACTIVITY = "activity"
    RETURN_TO_WORK = "return_to_work"
    ICE_HEAT = "ice_heat"
    BANDAGE_BATHING = "bandage_bathing"
    STEROID = "steroid"
    DIABETES_NOTE = "diabetes_note"
    CALL_CLINIC = "call_clinic"
    FOLLOW_UP = "follow_up"


ALWAYS: Final[frozenset[Block]] = frozenset(
    {
        Block.WHAT_TO_EXPECT,
        Block.PAIN_RELIEF,
        Block.ACTIVITY,
        Block.RETURN_TO_WORK,
        Block.ICE_HEAT,
        Block.BANDAGE_BATHING,
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

#: mg/dL of glucose per mmol/L (molar mass of glucose, 180.16 g/mol, over 10).
MG_DL_PER_MMOL_L: Final = Decimal("18.016")


@dataclass(frozen=True, slots=True)
class Medicine:
    """A drug given at a site: its generic name and class (drives the steroid block)."""

    generic: str
    drug_class: DrugClass


@dataclass(frozen=True, slots=True)
class GivenDose:
    """How much of one medicine was given in the whole visit, e.g. triamcinolone 20 mg."""

    medicine: Medicine
    amount: Decimal
    unit: str


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

    @property
    def numbed(self) -> bool:
        """True when a local anesthetic was given here."""
        return any(m.drug_class is DrugClass.LOCAL_ANESTHETIC for m in self.medicines)


# ---------------------------------------------------------------- clinic values


class HandoutSettingsError(DataFileError):
    """``resources/handouts/settings.toml`` is missing, not TOML, or has a bad value."""


@dataclass(frozen=True, slots=True)
class HandoutSettings:
    """Clinic values the handout prints, each read with its source from ``settings.toml``.

    Attributes:
        glucose_call_mg_dl: a diabetic patient who got a steroid calls above this blood sugar.
        no_soak_hours: no bath, pool or hot tub for this long.
    """

    glucose_call_mg_dl: int
    glucose_call_source: str
    no_soak_hours: int
    no_soak_source: str


def default_settings_path() -> Traversable:
    """``resources/handouts/settings.toml`` in the source tree."""
    return default_texts_dir() / "settings.toml"


def load_settings(path: Traversable | None = None) -> HandoutSettings:
    """Read and check the handout's clinic values.

    Raises:
        HandoutSettingsError: the file is missing or malformed, a table or its source is
            missing, or a value is not a whole number in its allowed range.
    """
    path = default_settings_path() if path is None else path
    document = read_toml(path, HandoutSettingsError)

    def value(table: str, key: str, low: int, high: int) -> tuple[int, str]:
        raw = document.get(table)
        if not isinstance(raw, dict):
            raise HandoutSettingsError(path, table, "table is missing")
        number, source = raw.get(key), raw.get("source")
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            raise HandoutSettingsError(path, table, f"{key} must be a whole number {low}-{high}")
        if not isinstance(source, str) or not source.strip():
            raise HandoutSettingsError(path, table, "source is missing")
        return number, source.strip()

    glucose, glucose_source = value("glucose_call", "mg_dl", 150, 500)
    soak, soak_source = value("no_soak", "hours", 0, 168)
    return HandoutSettings(glucose, glucose_source, soak, soak_source)


@functools.cache
def default_settings() -> HandoutSettings:
    """The shipped clinic values, loaded once per process."""
    return load_settings()


def _default_glucose() -> int:
    return default_settings().glucose_call_mg_dl


def _default_soak() -> int:
    return default_settings().no_soak_hours


@dataclass(frozen=True, slots=True)
class HandoutData:
    """Everything one handout prints; user text is raw here and escaped by the renderer.

    Attributes:
        signed: False for a visit whose note is not signed yet: every page says
            "preliminary".
        fever_threshold_c: the clinic's "call us" fever, in °C (default 38.0 = 100.4 °F).
        activity_hours: how long to avoid hard exercise (clinic setting, default 48).
        follow_up_date: the next visit, if booked (wins over weeks).
        follow_up_weeks: "come back in N weeks" chosen for this visit; None = the clinic's
            ``default_follow_up_weeks``; 0 = no interval ("call to set up your next visit").
        handout_notes: the provider's words for the patient per language; a handout prints
            only the note of its own language.
        doses: how much of each medicine the visit gave (the steroid block prints its dose).
        anticoagulant: the patient takes a blood thinner or antiplatelet.
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
    signed: bool = False
    diabetes: bool = False
    anticoagulant: bool = False
    fever_threshold_c: Decimal = Decimal("38.0")
    activity_hours: int = 48
    follow_up_date: date | None = None
    follow_up_weeks: int | None = None
    default_follow_up_weeks: int = 0
    handout_notes: tuple[tuple[Language, str], ...] = ()
    doses: tuple[GivenDose, ...] = ()
    clinic_address: str = ""
    glucose_call_mg_dl: int = field(default_factory=_default_glucose)
    no_soak_hours: int = field(default_factory=_default_soak)
    #: The clinic's logo as PNG bytes (from the clinic profile), printed in the page header.
    logo_png: bytes | None = None

    @property
    def patient_name(self) -> str:
        return f"{self.patient_given} {self.patient_family}".strip()

    @property
    def fever_threshold_f(self) -> Decimal:
        return (self.fever_threshold_c * 9 / 5 + 32).quantize(Decimal("0.1"))

    @property
    def glucose_call_mmol_l(self) -> Decimal:
        return (Decimal(self.glucose_call_mg_dl) / MG_DL_PER_MMOL_L).quantize(Decimal("0.1"))

    def medicines(self) -> tuple[Medicine, ...]:
        """Every medicine used today, each once, in site order."""
        seen: dict[Medicine, None] = {}
        for site in self.sites:
            for medicine in site.medicines:
                seen.setdefault(medicine)
        return tuple(seen)

    def note(self) -> str:
        """The provider's note for the patient in this handout's language ("" when none)."""
        return "\n\n".join(text for lang, text in self.handout_notes if lang == self.language)


def _muscles(data: HandoutData, catalog: Catalog) -> list[tuple[HandoutSite, Muscle]]:
    return [(site, catalog.get(site.muscle_code)) for site in data.sites]


def _drives(muscle: Muscle) -> bool:
    return muscle.region in DRIVING_REGIONS or muscle.body_zone in DRIVING_ZONES


def select_blocks(data: HandoutData, catalog: Catalog) -> tuple[Block, ...]:
    """The advice blocks that apply to ``data``, in printed order."""
    chosen = set(ALWAYS)
    if any(m.drug_class is DrugClass.CORTICOSTEROID for m in data.medicines()):
        chosen.add(Block.STEROID)
        if data.diabetes:
            chosen.add(Block.DIABETES_NOTE)
    if data.anticoagulant:
        chosen.add(Block.BLOOD_THINNER)
    for site, muscle in _muscles(data, catalog):
        if site.technique is Technique.DRY_NEEDLING:
            chosen.add(Block.DRY_NEEDLING)
        if _drives(muscle):
            chosen.add(Block.NO_DRIVING)
        if muscle.emergency_zone:
            chosen.add(Block.EMERGENCY)
        if muscle.arm_nerve_spread and site.numbed:
            chosen.add(Block.NECK_ARM)
    return tuple(block for block in Block if block in chosen)


@dataclass(frozen=True, slots=True)
class SiteText:
    """One site as the handout's table prints it."""

    number: int
    place: str  # lay words and side: "upper back and shoulder, right side"
    muscle: str  # "Muscle: Trapezius, upper" / "Músculo: Trapecio superior"
    technique: str


def lay_sites(data: HandoutData, catalog: Catalog, language: Language) -> list[SiteText]:
    """One entry per site: lay words with the side, the anatomical name, the technique."""
    texts = default_texts(language)
    return [
        SiteText(
            number=site.number,
            place=texts.format(
                "label.site_line",
                place=muscle.lay_name(language),
                side=texts.text(f"label.{site.side.value}"),
            ),
            muscle=texts.format("label.site_muscle", muscle=muscle.handout_name(language)),
            technique=texts.text(f"label.{site.technique.value}"),
        )
        for site, muscle in _muscles(data, catalog)
    ]


# ---------------------------------------------------------------- composing the blocks


class LineStyle(StrEnum):
    """How a line of a block prints."""

    TEXT = "text"
    STRONG = "strong"  # a warning or the one fact to remember: bold
    BULLET = "bullet"


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    style: LineStyle = LineStyle.TEXT


@dataclass(frozen=True, slots=True)
class Section:
    """One block, its words chosen for this patient and filled in; plain text, not markup."""

    block: Block
    heading: str
    lines: tuple[Line, ...]


def join_words(items: list[str], texts: HandoutTexts) -> str:
    """ "A", "A and B", "A, B and C" in the texts' language."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {texts.text('label.and')} {items[-1]}"


def _steroids(data: HandoutData, texts: HandoutTexts) -> str:
    """The steroids given, with their doses when known: "triamcinolone 20 mg"."""
    amounts = {
        dose.medicine: format_quantity(dose.amount, dose.unit)
        for dose in data.doses
        if dose.medicine.drug_class is DrugClass.CORTICOSTEROID
    }
    names = [
        " ".join(filter(None, (texts.drug_name(m.generic), amounts.get(m, ""))))
        for m in data.medicines()
        if m.drug_class is DrugClass.CORTICOSTEROID
    ]
    return join_words(names, texts)


def _places(muscles: list[Muscle], texts: HandoutTexts) -> str:
    places = dict.fromkeys(m.emergency_place for m in muscles if m.emergency_place is not None)
    return join_words([texts.text(f"place.{place.value}") for place in places], texts)


def compose(data: HandoutData, catalog: Catalog) -> tuple[Section, ...]:
    """Every block that applies, with the lines that fit this patient's treatment.

    The rules (tpi-reference.md §7): numbness is expected only where a local anesthetic was
    given; dry needling warns that new numbness is not normal; the 911 box names a collapsed
    lung and where the sites near the lung were; driving advice blames numbing medicine only
    when some was given to a driving-leg site; a blood thinner changes the pain-reliever
    advice; the follow-up is a date, else "in N weeks", never the provider's clinical text.
    """
    t = default_texts(data.language)
    sites = _muscles(data, catalog)
    values: dict[str, object] = {
        "hours": data.activity_hours,
        "soak_hours": data.no_soak_hours,
        "fever_c": f"{data.fever_threshold_c:.1f}",
        "fever_f": f"{data.fever_threshold_f:.1f}",
        "glucose_mg": data.glucose_call_mg_dl,
        "glucose_mmol": f"{data.glucose_call_mmol_l:.1f}",
        "clinic_phone": clean(data.clinic_phone),
        # No after-hours number on file: the clinic's own number is the one to call.
        "after_hours_phone": clean(data.after_hours_phone) or clean(data.clinic_phone),
        "pain_reliever": t.text("pain_reliever.name"),
    }

    def line(key: str, style: LineStyle = LineStyle.TEXT, **more: object) -> Line:
        return Line(t.text(key).format(**values, **more), style)

    def lines(key: str, style: LineStyle = LineStyle.TEXT) -> list[Line]:
        return [Line(text.format(**values), style) for text in t.lines(key)]

    sections: list[Section] = []
    for block in select_blocks(data, catalog):
        key = f"block.{block.value}"
        heading = t.text(f"{key}.heading")
        body: list[Line] = []
        if block is Block.EMERGENCY:
            body += lines(f"{key}.lines", LineStyle.STRONG)
            lung = [m for _, m in sites if m.pneumothorax_risk]
            if lung:
                body.append(line(f"{key}.lung_where", places=_places(lung, t)))
                body += lines(f"{key}.lung")
            else:
                emergency = [m for _, m in sites if m.emergency_zone]
                body.append(line(f"{key}.where", places=_places(emergency, t)))
            body.append(line(f"{key}.timing"))
        elif block is Block.WHAT_TO_EXPECT:
            if any(site.numbed for site, _ in sites):
                body.append(line(f"{key}.numb"))
            body += lines(f"{key}.lines")
        elif block is Block.NO_DRIVING and not any(s.numbed for s, m in sites if _drives(m)):
            heading = t.text(f"{key}.needling_heading")
            body += lines(f"{key}.needling_lines")
            body.append(line(f"{key}.needling_warning", LineStyle.STRONG))
        elif block is Block.PAIN_RELIEF:
            body += lines(f"{key}.lines")
            if data.anticoagulant:
                body.append(line(f"{key}.blood_thinner", LineStyle.STRONG))
            else:
                body.append(line(f"{key}.others"))
        elif block is Block.STEROID:
            body.append(line(f"{key}.given", LineStyle.STRONG, steroids=_steroids(data, t)))
            body += lines(f"{key}.lines")
        elif block is Block.FOLLOW_UP:
            body += _follow_up(data, t)
            body += lines(f"{key}.lines")
        else:
            body += lines(f"{key}.lines")
        if f"{key}.bullets" in t.values:
            body += lines(f"{key}.bullets", LineStyle.BULLET)
        for extra in ("warning", "call", "urgent"):
            if f"{key}.{extra}" in t.values:
                body.append(line(f"{key}.{extra}", LineStyle.STRONG))
        sections.append(Section(block, heading, tuple(body)))
    return tuple(sections)


def _follow_up(data: HandoutData, t: HandoutTexts) -> list[Line]:
    """The next visit (a date, else "in about N weeks"), then the note in this language."""
    key = f"block.{Block.FOLLOW_UP.value}"
    weeks = data.default_follow_up_weeks if data.follow_up_weeks is None else data.follow_up_weeks
    if data.follow_up_date is not None:
        first = t.format(f"{key}.date_line", date=t.date(data.follow_up_date))
    elif weeks == 1:
        first = t.text(f"{key}.in_one_week")
    elif weeks > 1:
        first = t.format(f"{key}.in_weeks", weeks=weeks)
    else:
        first = t.text(f"{key}.no_date")
    out = [Line(first, LineStyle.STRONG)]
    out += [Line(clean(part)) for part in data.note().split("\n\n") if part.strip()]
    return out


def clean(text: str) -> str:
    """User text as printed: NFC (so "é" typed as e + accent is one glyph), one line."""
    return " ".join(unicodedata.normalize("NFC", text).split())


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

    def drug_name(self, generic: str) -> str:
        """The medicine in this language (the formulary's generic name when not listed)."""
        translated = self.values.get(f"drug_name.{generic}")
        return translated if isinstance(translated, str) else clean(generic)

    def date(self, when: date) -> str:
        """``when`` written out, e.g. "March 4, 2025" / "4 de marzo de 2025"."""
        month = self.lines("label.months")[when.month - 1]
        return self.format("label.date", day=when.day, month=month, year=when.year)


def _flatten(prefix: str, table: Mapping[str, object], path: Traversable) -> dict[str, TextValue]:
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


def default_texts_dir() -> Traversable:
    """The shipped ``handouts`` folder (one TOML file per language, and settings.toml)."""
    return resource("handouts")


def _read(path: Traversable) -> dict[str, TextValue]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HandoutTextError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise HandoutTextError(f"{path.name}: invalid TOML: {exc}") from None
    return _flatten("", document, path)


def load_texts(folder: Traversable | None = None) -> dict[Language, HandoutTexts]:
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
