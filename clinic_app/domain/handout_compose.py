"""Which advice blocks a patient's handout carries, and the lines that fill them.

Pure content selection (tpi-reference.md §7): :func:`select_blocks` decides which blocks apply,
:func:`compose` fills each with the lines that fit this patient's treatment, :func:`lay_sites`
words the treated sites. No drawing happens here; ``clinic_app.reports.handout`` turns this into
a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from clinic_app.domain.catalog import BodyZone, Catalog, Muscle, Region
from clinic_app.domain.enums import Language, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import Block, HandoutData, HandoutSite, clean
from clinic_app.domain.handout_texts import HandoutTexts, default_texts
from clinic_app.domain.quantities import format_quantity

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
    PARAGRAPH = "paragraph"  # plain text that does not run on with the lines around it


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
            body += _progress(data, t)
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


def _progress(data: HandoutData, t: HandoutTexts) -> list[Line]:
    """The "your progress" line: pain at the first visit and today (when the clinic prints it)."""
    p = data.progress
    if p is None:
        return []
    key = f"block.{Block.FOLLOW_UP.value}.progress"
    text = t.format(key, first=p.first_pain, date=t.date(p.first_visit), today=p.today_pain)
    return [Line(text, LineStyle.PARAGRAPH)]
