"""What the demo's providers write: indications, histories, dispositions, reasons.

Invented wording for a synthetic clinic, in the style of real procedure notes (see
tpi-reference.md §6 for what a note records). Nothing here is a rule: the rules engine decides
what must be documented and which warnings need a typed reason; these are only the words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pattern:
    """A typical presentation: the muscles a provider treats together in a series.

    Attributes:
        region: key of the region's texts below ("neck", "low_back"...).
        codes: ICD-10-CM codes (resources/rules/icd10.toml); the first is a myalgia or
            tension-type headache code, the ones Medicare's TPI article covers.
    """

    region: str
    indication: str
    muscles: tuple[str, ...]
    codes: tuple[str, ...]


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "neck",
        "Myofascial neck and shoulder pain with active trigger points",
        ("trapezius_upper", "levator_scapulae", "trapezius_middle", "splenius_capitis"),
        ("M79.12", "M54.2"),
    ),
    Pattern(
        "low_back",
        "Myofascial low back pain, no radicular signs",
        ("quadratus_lumborum", "lumbar_paraspinals", "gluteus_medius", "gluteus_maximus"),
        ("M79.18", "M54.50", "M62.830"),
    ),
    Pattern(
        "buttock",
        "Buttock pain referring to the posterior thigh, piriformis trigger points",
        ("piriformis", "gluteus_medius", "hamstrings"),
        ("M79.18",),
    ),
    Pattern(
        "head",
        "Tension-type headache with cervical and temporal trigger points",
        ("suboccipitals", "trapezius_upper", "sternocleidomastoid", "temporalis"),
        ("G44.209", "M79.12"),
    ),
    Pattern(
        "jaw",
        "Masticatory myofascial pain (jaw and temple)",
        ("masseter", "temporalis"),
        ("M79.11",),
    ),
    Pattern(
        "shoulder_blade",
        "Myofascial pain between and over the shoulder blades",
        ("infraspinatus", "rhomboids", "trapezius_lower", "supraspinatus"),
        ("M79.18",),
    ),
)

#: Muscles reached with a longer needle (deep or under a thick layer).
DEEP_MUSCLES = frozenset(
    {
        "piriformis",
        "gluteus_maximus",
        "gluteus_medius",
        "quadratus_lumborum",
        "lumbar_paraspinals",
        "hamstrings",
    }
)

#: Conservative treatment before a first series, by region.
CONSERVATIVE: dict[str, tuple[str, ...]] = {
    "neck": (
        "Physical therapy 6 weeks, ibuprofen as needed, daily neck stretches; partial relief.",
        "Home stretching and heat for 2 months, naproxen 2 weeks; pain persists at work.",
        "Massage therapy and a home program for 8 weeks; ergonomic desk change; little relief.",
    ),
    "low_back": (
        "Physical therapy 8 visits (core program), naproxen, heat; pain persists.",
        "Home exercise program 3 months, acetaminophen, activity modification; partial relief.",
        "Chiropractic care 6 weeks and NSAIDs; relief lasted days only.",
    ),
    "buttock": (
        "Piriformis stretching program 6 weeks, physical therapy, ibuprofen; sitting still hurts.",
        "Physical therapy 6 visits and a seat cushion; partial relief.",
    ),
    "head": (
        "Acetaminophen and ibuprofen as needed (under 10 days a month), posture work, "
        "physical therapy 4 weeks.",
        "Headache diary, sleep routine, neck stretches and massage for 2 months; still 3 "
        "headache days a week.",
    ),
    "jaw": (
        "Night guard, soft diet and jaw exercises for 8 weeks (dentist); partial relief.",
        "Jaw stretching, warm compresses and ibuprofen for 6 weeks; still sore when chewing.",
    ),
    "shoulder_blade": (
        "Physical therapy 6 weeks (scapular stabilisation), ibuprofen, home stretches.",
        "Massage and a home program for 2 months; pain returns after desk work.",
    ),
}
#: Conservative care carried on between series.
CONSERVATIVE_AGAIN: tuple[str, ...] = (
    "Home exercise program continued since the last series; flare for 2 weeks despite it.",
    "Stretching and heat continued; 4 refresher physical therapy visits this month.",
    "Daily home program and acetaminophen as needed since the last series.",
)

#: How the patient left, most often first.
DISPOSITIONS: tuple[str, ...] = (
    "Home ambulatory, stable",
    "Home ambulatory, stable",
    "Home ambulatory, stable; aftercare reviewed",
    "Returned to work, stable",
    "Home with family member, stable",
)
#: After an anesthetic at a leg, buttock or low-back site (the driving leg may feel numb).
DISPOSITIONS_LEG: tuple[str, ...] = (
    "Home with driver after low back and buttock injections, stable",
    "Home with driver (leg may feel numb for a few hours), stable",
)
DISPOSITION_OBSERVED = "Observed 20 minutes lying down, then home with driver, stable"
DISPOSITION_BLEEDING = "Home ambulatory, stable; no bleeding at the sites after pressure"

VASOVAGAL = "Brief vasovagal reaction after the last site; recovered lying flat within 5 minutes."

PAIN_AFTER_REASONS: tuple[str, ...] = (
    "Patient left for a ride before the post-procedure score; said the area felt looser.",
    "Patient declined a number after the procedure; described the pain as much less.",
)

#: Follow-up plan for the chart (the handout prints the structured follow-up instead).
PLAN_NEXT = (
    "Continue the home program; reassess in {weeks} weeks and repeat if helpful.",
    "Stretching twice daily; next session in {weeks} weeks if pain persists.",
    "Reassess response in {weeks} weeks; continue physical therapy.",
)
PLAN_MEDICARE = ("Reassess in {weeks} weeks; repeat only with 50% or more relief lasting 6 weeks.",)
PLAN_LAST = (
    "Series complete; home program; recheck in {weeks} weeks or sooner if pain returns.",
    "Good response; return in {weeks} weeks, sooner as needed.",
)

#: Words for the patient, printed only on the handout of that language (per region).
HANDOUT_NOTES: dict[str, dict[str, str]] = {
    "neck": {
        "en": "Do your neck stretches twice a day and take breaks from the screen.",
        "es": "Haga sus estiramientos de cuello dos veces al día y descanse de la pantalla.",
    },
    "low_back": {
        "en": "Walk a little every day and keep doing your back exercises.",
        "es": "Camine un poco todos los días y siga con sus ejercicios de espalda.",
    },
    "buttock": {
        "en": "Stretch your hip as shown and avoid sitting for long without a break.",
        "es": "Estire la cadera como se le enseñó y no pase mucho tiempo sentado sin pausa.",
    },
    "head": {
        "en": "Keep your headache diary and bring it to your next visit.",
        "es": "Siga anotando sus dolores de cabeza y traiga el diario a su próxima cita.",
    },
    "jaw": {
        "en": "Wear your night guard and eat soft foods for two days.",
        "es": "Use su protector nocturno y coma alimentos blandos durante dos días.",
    },
    "shoulder_blade": {
        "en": "Do your shoulder blade squeezes three times a day.",
        "es": "Junte los omóplatos como se le enseñó, tres veces al día.",
    },
}

#: Blood thinners as the screening note records them.
ANTICOAGULANTS: tuple[str, ...] = (
    "apixaban 5 mg twice daily (atrial fibrillation)",
    "rivaroxaban 20 mg daily",
    "warfarin, INR 2.4 last week",
    "clopidogrel 75 mg daily (coronary stent)",
    "aspirin 81 mg daily",
)

NEEDLE_PHOBIA_NOTE = "Anxious about needles; treated lying down."
KELOID_NOTE = "Keloid after surgery; scarring risk discussed."

#: Typed reasons for warnings that ask for one, by rule id (resources/rules/rules.toml and
#: screening.toml). Fields: {drug} blood thinner, {approach} how the needling was kept gentle,
#: {gauge} finest needle, {percent} / {weeks} relief reported today, {pain} pain before.
REASONS: dict[str, tuple[str, ...]] = {
    "screening.anticoagulant": (
        "Takes {drug}; not stopped for this. {approach}, firm pressure for 5 minutes after "
        "each site; bruising risk explained and accepted.",
        "On {drug}; the prescriber advises against a pause. {approach}, pressure held until "
        "dry; benefit outweighs the bleeding risk, patient agrees.",
    ),
    "screening.pregnancy": (
        "Local anesthetic only, no steroid, smallest effective volume; the patient's obstetric "
        "clinician agrees; risks and alternatives discussed.",
    ),
    "site.bilateral_chest_wall": (
        "Both sides symptomatic and limiting sleep. Pincer grasp lifting the muscle off the "
        "chest wall, needle aimed away from the lung, {gauge} G short needle; pneumothorax "
        "symptoms explained.",
        "Bilateral bands reproduce the patient's pain; each side treated superficially with "
        "the muscle held in a pincer grasp, tangential approach; warning signs of a collapsed "
        "lung reviewed.",
    ),
    "steroid.window": (
        "Severe flare with poor sleep despite the home program; one more steroid dose agreed "
        "after discussing cumulative effects. No further steroid for 3 months.",
    ),
    "interval.same_site": (
        "Pain back to {pain}/10 with loss of function; an earlier repeat is medically "
        "necessary. Patient told Medicare may not pay for it (ABN signed).",
    ),
    "interval.sessions_per_year": (
        "Each session this year gave 50% or more relief for 6 weeks or longer and kept the "
        "patient working; this session is medically necessary. Patient told Medicare may not "
        "pay for it (ABN signed).",
    ),
    "interval.relief": (
        "Relief was {percent}% for {weeks} weeks, less than Medicare expects, but sleep and "
        "walking improved; one more trial before stopping injections (ABN signed).",
    ),
    "payer.dry_needling": (
        "Patient told Medicare does not cover dry needling and chose to go ahead (ABN signed).",
    ),
    "payer.icd10_not_covered": (
        "Diagnosis documented as examined; patient told Medicare may not pay (ABN signed).",
    ),
}
#: interval.relief when the relief reported today meets the payer's numbers (the reason
#: states them when a rules version reads the relief from the earlier visit's record).
RELIEF_REPORTED = "Relief after the last session, reported today: {percent}% lasting {weeks} weeks."

#: {approach} of the anticoagulant reason.
APPROACH_SUPERFICIAL = "Superficial trigger points only with a {gauge} G needle"
APPROACH_DEEP = "Deep sites with a single pass of a {gauge} G needle each"
