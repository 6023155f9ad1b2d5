"""A demo patient's treatment story and what the provider charts at each visit.

Pure: a random generator and the patient's facts in, the encounter editor's values out
(:class:`~clinic_app.services.dto.EncounterInput` and site drafts), which
:class:`~clinic_app.services.demo.DemoSeeder` saves and signs through the signing service as
the editor does. Every visit is charted completely (tpi-reference.md §6): consent, time-out,
skin prep, pain before and after, an indication with its ICD-10 codes, findings per site,
needle and lot per dose, needle intact, disposition and a structured follow-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from random import Random

from clinic_app.domain.bodymap import FigureView, default_bodymap
from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import (
    Aspiration,
    Language,
    Side,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.domain.formulary import FormularyEntry
from clinic_app.domain.rules.data import FiresWhen, default_rules
from clinic_app.domain.screening import ScreeningAnswer
from clinic_app.services import demo_phrases as words
from clinic_app.services.demo_phrases import DEEP_MUSCLES
from clinic_app.services.demo_stock import Stock
from clinic_app.services.demo_story import STEROIDS, Slot, Story
from clinic_app.services.dto import DoseInput, EncounterInput, SiteDraft, SiteInput

#: Share of an anesthetic's maximum a demo visit stays under (a provider's margin).
DOSE_MARGIN = Decimal("0.6")
STEROID_WINDOW_DAYS, STEROID_THRESHOLD_MG = 90, Decimal("80")


# ---------------------------------------------------------------- one visit
@dataclass(frozen=True, slots=True)
class PatientFacts:
    """The patient record as it stands at the visit."""

    weight_kg: Decimal | None
    diabetic: bool
    pregnant_or_breastfeeding: bool
    language: Language


@dataclass(slots=True)
class Memory:
    """What the provider remembers between visits of one patient."""

    previous_day: date | None = None
    baseline_pain: int = 7
    steroid: list[tuple[date, Decimal]] = field(default_factory=list)
    turn: int = 0  # alternates the side of chest-wall muscles when both hurt
    both_sides: bool = False  # this visit treats both sides even over the lung


@dataclass(frozen=True, slots=True)
class Charted:
    """The editor's content for one visit."""

    form: EncounterInput
    sites: tuple[SiteDraft, ...]


def _screening(story: Story, facts: PatientFacts) -> dict[str, object]:
    """Every question answered, as the form stores it ({"answer", "note"})."""
    known = {
        "anticoagulant": (bool(story.anticoagulant), story.anticoagulant),
        "pregnancy": (facts.pregnant_or_breastfeeding, ""),
        "diabetes": (facts.diabetic, ""),
        "needle_phobia": (story.needle_phobia, words.NEEDLE_PHOBIA_NOTE),
        "keloid": (story.keloid, words.KELOID_NOTE),
    }
    answers: dict[str, object] = {}
    for question in default_rules().questions:
        # A "not yes" question is a check that was done ("allergies reviewed").
        answer, note = known.get(question.code, (question.fires_when is FiresWhen.NOT_YES, ""))
        answers[question.code] = ScreeningAnswer(answer, note if answer else "").to_json()
    return answers


def _relief(rng: Random, story: Story, memory: Memory, day: date) -> tuple[int, int] | None:
    """(percent, weeks) of relief the previous session gave, as the patient reports it."""
    if memory.previous_day is None:
        return None
    weeks_since = max(1, (day - memory.previous_day).days // 7)
    if story.medicare and rng.random() < 0.85:  # why a Medicare patient came back
        return rng.randint(5, 8) * 10, rng.randint(6, max(6, min(weeks_since, 16)))
    if story.medicare:
        return rng.randint(3, 5) * 10, rng.randint(2, 5)
    return rng.randint(3, 9) * 10, rng.randint(1, max(1, min(weeks_since, 12)))


def _sides_today(story: Story, muscle: str, memory: Memory) -> tuple[Side, ...]:
    """Both affected sides, except over the lung, where one side is treated per visit."""
    if len(story.sides) < 2 or not default_catalog().get(muscle).pneumothorax_risk:
        return story.sides
    if memory.both_sides:  # now and then both, with a typed reason at signing
        return story.sides
    return (story.sides[memory.turn % 2],)


def _needle(rng: Random, muscle: str, dry: bool, heavy: bool) -> tuple[int, Decimal]:
    deep = muscle in DEEP_MUSCLES
    if dry:
        return rng.choice((30, 32)), Decimal("2.4") if deep else Decimal("1.2")
    if deep and heavy:
        return 22, Decimal("3.5")
    if deep:
        return rng.choice((22, 25)), Decimal("2.5")
    return rng.choice((25, 27, 27)), rng.choice((Decimal("1.25"), Decimal("1.5")))


def _site(rng: Random, muscle: str, side: Side, story: Story, facts: PatientFacts) -> SiteInput:
    view, x, y = demo_point(rng, muscle, side)
    dry = story.dry_needling
    heavy = facts.weight_kg is not None and facts.weight_kg > 100
    gauge, length = _needle(rng, muscle, dry, heavy)
    twitch = rng.choices(
        (TwitchResponse.LOCAL, TwitchResponse.REFERRED, TwitchResponse.NONE,
         TwitchResponse.NOT_ASSESSED),
        (6, 2, 2, 0) if dry else (4, 2, 3, 1),
    )[0]  # fmt: skip
    return SiteInput(
        muscle_code=muscle,
        side=side,
        view=view,
        point_x=x,
        point_y=y,
        technique=Technique.DRY_NEEDLING if dry else Technique.INJECTION,
        needle_gauge=gauge,
        needle_length_in=length,
        twitch_response=twitch,
        aspiration=Aspiration.NOT_DONE if dry else Aspiration.NEGATIVE,
        taut_band=rng.random() < 0.92,
        jump_sign=rng.random() < 0.6,
        referred_pain_reproduced=rng.random() < (0.8 if twitch is TwitchResponse.REFERRED else 0.4),
    )


def _anesthetic_volumes(
    rng: Random, sites: Sequence[SiteInput], entry: FormularyEntry, weight: Decimal | None
) -> list[Decimal]:
    """A volume per site, kept well under the anesthetic's maximum for this patient."""
    volumes = [
        rng.choice((Decimal("1.5"), Decimal("2"), Decimal("2"), Decimal("3")))
        if s.muscle_code in DEEP_MUSCLES
        else rng.choice((Decimal("0.5"), Decimal("1"), Decimal("1"), Decimal("1.5")))
        for s in sites
    ]
    limits = [entry.max_total_mg] if entry.max_total_mg is not None else []
    if weight is not None and entry.max_mg_per_kg is not None:
        limits.append(weight * entry.max_mg_per_kg)
    allowed = min(limits) * DOSE_MARGIN if limits else None
    while allowed is not None and sum(volumes) * entry.concentration > allowed:
        largest = max(range(len(volumes)), key=volumes.__getitem__)
        if volumes[largest] <= Decimal("0.5"):
            break  # cannot happen with the demo's site counts; the signing checks would say
        volumes[largest] -= Decimal("0.5")
    return volumes


def _steroid_today(rng: Random, story: Story, facts: PatientFacts, memory: Memory, day: date,
                   first: bool) -> str | None:  # fmt: skip
    if story.dry_needling or facts.pregnant_or_breastfeeding:
        return None
    chance = (0.3 if first else 0.15) * (0.5 if facts.diabetic else 1)
    if rng.random() >= chance:
        return None
    recent = sum(
        (mg for d, mg in memory.steroid if (day - d).days < STEROID_WINDOW_DAYS), Decimal(0)
    )
    # Providers mostly keep to the clinic's steroid window; now and then a flare wins (with
    # a typed reason at signing).
    if recent + 20 > STEROID_THRESHOLD_MG and rng.random() < 0.85:
        return None
    return rng.choice(STEROIDS)


def chart_visit(
    rng: Random, story: Story, facts: PatientFacts, slot: Slot, memory: Memory, stock: Stock
) -> Charted:
    """What the provider records at this visit; ``memory`` is updated for the next one."""
    day = slot.day
    pattern = story.pattern
    muscles = rng.sample(pattern.muscles, k=rng.randint(1, min(3, len(pattern.muscles))))
    memory.both_sides = rng.random() < 0.08
    sites = [
        _site(rng, muscle, side, story, facts)
        for muscle in muscles
        for side in _sides_today(story, muscle, memory)
    ]
    drafts = [SiteDraft(s) for s in sites]
    steroid_mg = Decimal(0)
    if not story.dry_needling:
        code = story.anesthetic
        volumes = _anesthetic_volumes(rng, sites, stock.entries[code], facts.weight_kg)
        lot = stock.lot_on(code, day)
        drafts = [
            SiteDraft(s, (DoseInput(stock.ids[code], volume, lot),))
            for s, volume in zip(sites, volumes, strict=True)
        ]
        steroid = _steroid_today(rng, story, facts, memory, day, slot.first_of_series)
        if steroid is not None:
            entry, lot = stock.entries[steroid], stock.lot_on(steroid, day)
            factor = entry.triamcinolone_equivalent_factor or Decimal(1)
            # 10–20 mg at the one or two most tender sites.
            for most_tender in rng.sample(
                range(len(drafts)), k=min(len(drafts), rng.randint(1, 2))
            ):
                volume = rng.choice((Decimal("0.25"), Decimal("0.5")))
                target = drafts[most_tender]
                dose = DoseInput(stock.ids[steroid], volume, lot)
                drafts[most_tender] = SiteDraft(target.site, (*target.doses, dose))
                steroid_mg += entry.concentration * volume * factor
    if slot.first_of_series:
        memory.baseline_pain = rng.randint(5, 9)
    pain_before = max(2, memory.baseline_pain - rng.randint(0, 2))
    pain_after: int | None = max(0, pain_before - rng.randint(2, 5))
    pain_after_reason = ""
    if rng.random() < 0.02:
        pain_after, pain_after_reason = None, rng.choice(words.PAIN_AFTER_REASONS)
    complications, disposition = "None", rng.choice(words.DISPOSITIONS)
    if story.anticoagulant:
        disposition = words.DISPOSITION_BLEEDING
    if not story.dry_needling and pattern.region in {"low_back", "buttock"}:
        disposition = rng.choice(words.DISPOSITIONS_LEG)
    tolerance = rng.choice((Tolerance.WELL,) * 8 + (Tolerance.FAIR,))
    if story.needle_phobia or rng.random() < 0.015:
        disposition = words.DISPOSITION_OBSERVED
        if rng.random() < 0.4:
            complications, tolerance = words.VASOVAGAL, Tolerance.FAIR
    relief = _relief(rng, story, memory, day)
    weeks = max(1, round(((slot.next_day or day) - day).days / 7))
    if slot.next_day is None or slot.next_day - day > timedelta(days=84):
        weeks = rng.choice((6, 8)) if story.medicare else rng.choice((4, 6, 8))
        plan = rng.choice(words.PLAN_LAST)
    else:
        plan = rng.choice(words.PLAN_MEDICARE if story.medicare else words.PLAN_NEXT)
    note: dict[str, str] = {}
    if rng.random() < 0.2:
        texts = words.HANDOUT_NOTES[pattern.region]
        note = {facts.language.value: texts[facts.language.value]}
    conservative = ""
    if slot.first_of_series:
        pool = (
            words.CONSERVATIVE_AGAIN if memory.previous_day else words.CONSERVATIVE[pattern.region]
        )
        conservative = rng.choice(pool)
    form = EncounterInput(
        indication=pattern.indication,
        icd10_codes=story.codes,
        screening=_screening(story, facts),
        consent_obtained=True,
        time_out_done=True,
        skin_prep=story.skin_prep,
        pain_before=pain_before,
        pain_after=pain_after,
        pain_after_reason=pain_after_reason,
        tolerance=tolerance,
        complications=complications,
        follow_up_plan=plan.format(weeks=weeks),
        follow_up_weeks=weeks,
        needle_intact=True,
        disposition=disposition,
        prior_relief_percent=relief[0] if relief else None,
        prior_relief_weeks=relief[1] if relief else None,
        conservative_treatment=conservative,
        handout_note=note,
    )
    memory.previous_day = day
    memory.turn += 1
    if steroid_mg:
        memory.steroid.append((day, steroid_mg))
    return Charted(form, tuple(drafts))


def demo_point(rng: Random, muscle: str, side: Side) -> tuple[View, float, float]:
    """A point on the muscle's region near its standard point, in normalised coordinates.

    The first view the catalog lists is used; the jitter stays inside the region, so the
    demo's markers sit on the muscle they name, as a provider's clicks would.
    """
    view = default_catalog().get(muscle).views[0]
    figure = default_bodymap()[FigureView.for_site(view, side)]
    region = figure.region(muscle, side)
    assert region is not None, (muscle, side)
    cx, cy = figure.standard_point(region)
    x, y = cx, cy
    for _ in range(10):
        jx, jy = cx + rng.uniform(-6, 6), cy + rng.uniform(-6, 6)
        if region.contains(jx, jy):
            x, y = jx, jy
            break
    nx, ny = figure.normalise(x, y)
    return view, round(nx, 4), round(ny, 4)


def override_reason(rng: Random, rule: str, story: Story, charted: Charted) -> str | None:
    """The provider's typed reason for a warning that asks for one; None for a rule the demo
    has no words for (the seeder then counts it, so a new rule does not go unnoticed)."""
    form = charted.form
    gauges = [s.site.needle_gauge for s in charted.sites if s.site.needle_gauge is not None]
    gauge = max(gauges, default=27)
    deep = any(s.site.muscle_code in DEEP_MUSCLES for s in charted.sites)
    approach = words.APPROACH_DEEP if deep else words.APPROACH_SUPERFICIAL
    fields = {
        "drug": story.anticoagulant or "an anticoagulant",
        "approach": approach.format(gauge=min(gauges, default=22) if deep else gauge),
        "gauge": gauge,
        "percent": form.prior_relief_percent,
        "weeks": form.prior_relief_weeks,
        "pain": form.pain_before,
    }
    medicare = default_rules().payers.get("medicare")
    if (
        rule == "interval.relief"
        and medicare is not None
        and form.prior_relief_percent is not None
        and form.prior_relief_weeks is not None
        and form.prior_relief_percent >= (medicare.min_relief_percent or 0)
        and form.prior_relief_weeks >= (medicare.min_relief_weeks or 0)
    ):
        return words.RELIEF_REPORTED.format(**fields)
    templates = words.REASONS.get(rule)
    return rng.choice(templates).format(**fields) if templates else None
