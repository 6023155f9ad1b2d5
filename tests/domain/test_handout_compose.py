"""What each handout block says for a given treatment (handout_compose.compose)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import (
    Block,
    GivenDose,
    HandoutData,
    HandoutSite,
    Medicine,
    PainThenNow,
)
from clinic_app.domain.handout_compose import LineStyle, Section, compose, join_words
from clinic_app.domain.handout_settings import default_settings
from clinic_app.domain.handout_texts import default_texts

CATALOG = default_catalog()
LIDO = Medicine("lidocaine", DrugClass.LOCAL_ANESTHETIC)
TRIAM = Medicine("triamcinolone acetonide", DrugClass.CORTICOSTEROID)
DEXA = Medicine("dexamethasone sodium phosphate", DrugClass.CORTICOSTEROID)
SALINE = Medicine("sodium chloride", DrugClass.SALINE)
INJ, DN = Technique.INJECTION, Technique.DRY_NEEDLING
EN, ES = Language.ENGLISH, Language.SPANISH


def site(
    code: str, technique: Technique = INJ, *meds: Medicine, side: Side = Side.RIGHT
) -> HandoutSite:
    return HandoutSite(1, code, side, technique, View.POSTERIOR, 0.5, 0.5, meds)


def data(*sites: HandoutSite, language: Language = EN, **changes: object) -> HandoutData:
    base = HandoutData(
        patient_given="Ana",
        patient_family="Diaz",
        birth_date=date(1970, 1, 2),
        language=language,
        clinic_name="Clinic",
        clinic_phone="555-0100",
        after_hours_phone="555-0199",
        provider_name="Dr. X",
        visit_date=date(2025, 3, 4),
        sites=sites,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def sections(d: HandoutData) -> dict[Block, Section]:
    return {s.block: s for s in compose(d, CATALOG)}


def text_of(section: Section) -> str:
    return " ".join(line.text for line in section.lines)


def all_text(d: HandoutData) -> str:
    return " ".join(s.heading + " " + text_of(s) for s in compose(d, CATALOG))


def t(key: str, language: Language = EN) -> str:
    return default_texts(language).text(key)


# ---------------------------------------------------------------- numbness and dry needling


def test_numbness_is_expected_only_where_numbing_medicine_was_given() -> None:
    numb = t("block.what_to_expect.numb")
    assert numb in all_text(data(site("deltoid", INJ, LIDO)))
    assert numb not in all_text(data(site("deltoid", DN)))
    assert numb not in all_text(data(site("deltoid", INJ, SALINE)))
    assert numb in all_text(data(site("deltoid", DN), site("infraspinatus", INJ, LIDO)))
    for language in Language:  # no "may feel numb" in any language for dry needling
        text = all_text(data(site("deltoid", DN), language=language))
        assert t("block.what_to_expect.numb", language) not in text


@pytest.mark.parametrize("language", list(Language))
def test_dry_needling_warns_that_new_numbness_is_a_warning_sign(language: Language) -> None:
    chosen = sections(data(site("piriformis", DN), language=language))
    needling = chosen[Block.DRY_NEEDLING]
    warning = needling.lines[-1]
    assert warning.style is LineStyle.STRONG
    assert warning.text == t("block.dry_needling.warning", language)
    # Driving advice does not blame numbing medicine that was never given.
    driving = chosen[Block.NO_DRIVING]
    assert driving.heading == t("block.no_driving.needling_heading", language)
    assert t("block.no_driving.heading", language) not in all_text(data(site("piriformis", DN)))
    assert driving.lines[-1].text == t("block.no_driving.needling_warning", language)
    assert driving.lines[-1].style is LineStyle.STRONG
    english = all_text(data(site("piriformis", DN)))
    assert "Numbing medicine in the low back" not in english
    assert "not normal" in english


def test_driving_advice_blames_numbing_medicine_only_when_the_leg_got_some() -> None:
    numbed = sections(data(site("piriformis", INJ, LIDO)))[Block.NO_DRIVING]
    assert numbed.heading == t("block.no_driving.heading")
    assert "Numbing medicine in the low back" in text_of(numbed)
    # Numbing medicine in the neck does not make the needled leg numb.
    mixed = sections(data(site("trapezius_upper", INJ, LIDO), site("soleus", DN)))
    assert mixed[Block.NO_DRIVING].heading == t("block.no_driving.needling_heading")


# ---------------------------------------------------------------- the 911 box


@pytest.mark.parametrize(
    ("code", "where"),
    [
        ("trapezius_upper", "at the base of your neck"),
        ("rhomboids", "in your upper back"),
        ("thoracic_paraspinals", "in the middle of your back"),
        ("pectoralis_major", "in the front of your chest"),
        ("serratus_anterior", "on the side of your chest"),
        ("latissimus_dorsi", "on the side of your back"),
    ],
)
def test_the_911_box_names_a_collapsed_lung_and_where(code: str, where: str) -> None:
    box = sections(data(site(code, INJ, LIDO)))[Block.EMERGENCY]
    text = text_of(box)
    assert "collapsed lung" in text
    assert f"were {where}, near your lung." in text
    assert "close to your chest" not in text
    assert box.lines[0].style is LineStyle.STRONG


def test_an_upper_back_site_is_not_said_to_be_close_to_the_chest() -> None:
    text = text_of(sections(data(site("trapezius_middle", DN)))[Block.EMERGENCY])
    assert "in your upper back, near your lung" in text
    assert "chest," not in text.split("Call 911")[-1].split(".")[1]


def test_places_are_listed_once_each_in_site_order() -> None:
    d = data(
        site("trapezius_upper", INJ, LIDO),
        site("trapezius_upper", INJ, LIDO, side=Side.LEFT),
        site("rhomboids", INJ, LIDO),
        site("levator_scapulae", INJ, LIDO),
    )
    text = text_of(sections(d)[Block.EMERGENCY])
    assert "were at the base of your neck and in your upper back, near your lung." in text
    spanish = text_of(sections(replace(d, language=ES))[Block.EMERGENCY])
    assert "en la base del cuello y en la parte alta de la espalda, cerca del pulmón" in spanish
    assert "colapsado" in spanish


def test_a_neck_site_away_from_the_lung_says_where_without_the_lung() -> None:
    box = sections(data(site("splenius_capitis", INJ, LIDO)))[Block.EMERGENCY]
    text = text_of(box)
    assert "Some of today's spots were in the back of your neck." in text
    assert "lung" not in text
    assert "hours or even days" in text


def test_join_words() -> None:
    en, es = default_texts(EN), default_texts(ES)
    assert join_words([], en) == ""
    assert join_words(["a"], en) == "a"
    assert join_words(["a", "b"], en) == "a and b"
    assert join_words(["a", "b", "c"], es) == "a, b y c"


# ---------------------------------------------------------------- new blocks


def test_arm_numbness_after_a_front_of_neck_injection_with_numbing_medicine() -> None:
    block = sections(data(site("scalenes", INJ, LIDO)))[Block.NECK_ARM]
    assert "arm" in text_of(block)
    assert block.lines[-1].style is LineStyle.STRONG
    assert Block.NECK_ARM in sections(data(site("sternocleidomastoid", INJ, LIDO)))
    assert Block.NECK_ARM not in sections(data(site("scalenes", DN)))
    assert Block.NECK_ARM not in sections(data(site("trapezius_upper", INJ, LIDO)))


@pytest.mark.parametrize("language", list(Language))
def test_pain_relievers_and_the_blood_thinner_caveat(language: Language) -> None:
    plain = sections(data(site("deltoid", INJ, LIDO), language=language))[Block.PAIN_RELIEF]
    pain_reliever = t("pain_reliever.name", language)
    assert pain_reliever in text_of(plain)
    assert t("block.pain_relief.others", language) in text_of(plain)
    assert Block.BLOOD_THINNER not in sections(data(site("deltoid"), language=language))
    thinned = sections(data(site("deltoid", INJ, LIDO), language=language, anticoagulant=True))
    relief = thinned[Block.PAIN_RELIEF]
    assert pain_reliever in text_of(relief)
    assert t("block.pain_relief.others", language) not in text_of(relief)
    assert relief.lines[-1].text == t("block.pain_relief.blood_thinner", language)
    assert relief.lines[-1].style is LineStyle.STRONG
    bruising = thinned[Block.BLOOD_THINNER]
    assert "10" in text_of(bruising)
    assert bruising.lines[-1].style is LineStyle.STRONG


def test_bandage_bathing_and_work_use_the_clinic_values() -> None:
    chosen = sections(data(site("deltoid"), activity_hours=72, no_soak_hours=12))
    assert "for 12 hours" in text_of(chosen[Block.BANDAGE_BATHING])
    assert "72 hours" in text_of(chosen[Block.RETURN_TO_WORK])
    assert "72 hours" in text_of(chosen[Block.ACTIVITY])
    assert f"for {default_settings().no_soak_hours} hours" in all_text(data(site("deltoid")))


def test_the_steroid_dose_is_printed_for_the_other_doctors() -> None:
    d = data(
        site("deltoid", INJ, LIDO, TRIAM),
        site("infraspinatus", INJ, DEXA),
        doses=(
            GivenDose(LIDO, Decimal("20"), "mg"),
            GivenDose(TRIAM, Decimal("20.0"), "mg"),
            GivenDose(DEXA, Decimal("4"), "mg"),
        ),
    )
    given = sections(d)[Block.STEROID].lines[0]
    assert given.style is LineStyle.STRONG
    assert "triamcinolone 20 mg and dexamethasone 4 mg" in given.text
    assert "other doctors" in given.text
    assert "lidocaine" not in given.text
    spanish = sections(replace(d, language=ES))[Block.STEROID].lines[0].text
    assert "triamcinolona 20 mg y dexametasona 4 mg" in spanish
    no_dose = sections(data(site("deltoid", INJ, TRIAM)))[Block.STEROID].lines[0].text
    assert "steroid in it: triamcinolone." in no_dose


def test_a_diabetic_patient_gets_a_blood_sugar_number_to_call_about() -> None:
    d = data(site("deltoid", INJ, TRIAM), diabetes=True)
    block = sections(d)[Block.DIABETES_NOTE]
    assert block.lines[-1].style is LineStyle.STRONG
    assert "300 mg/dL (16.7 mmol/L)" in block.lines[-1].text
    lower = sections(replace(d, glucose_call_mg_dl=250))[Block.DIABETES_NOTE]
    assert "250 mg/dL (13.9 mmol/L)" in lower.lines[-1].text
    assert Block.DIABETES_NOTE not in sections(data(site("deltoid", INJ, LIDO), diabetes=True))


# ---------------------------------------------------------------- follow-up and the note


def follow_up(d: HandoutData) -> list[str]:
    return [line.text for line in sections(d)[Block.FOLLOW_UP].lines]


def test_follow_up_is_a_date_then_weeks_then_the_clinic_default() -> None:
    when = date(2025, 3, 25)
    assert follow_up(data(follow_up_date=when, follow_up_weeks=2))[0] == (
        "Your next visit is on March 25, 2025."
    )
    assert follow_up(data(follow_up_date=when, language=ES))[0] == (
        "Su próxima consulta es el 25 de marzo de 2025."
    )
    assert follow_up(data(follow_up_weeks=2, default_follow_up_weeks=4))[0] == (
        "Please come back in about 2 weeks."
    )
    assert follow_up(data(default_follow_up_weeks=4))[0] == "Please come back in about 4 weeks."
    assert follow_up(data(default_follow_up_weeks=1))[0] == "Please come back in about 1 week."
    assert follow_up(data(default_follow_up_weeks=3, language=ES))[0] == (
        "Vuelva en aproximadamente 3 semanas."
    )
    assert follow_up(data(follow_up_weeks=0, default_follow_up_weeks=4))[0] == (
        t("block.follow_up.no_date")
    )
    assert follow_up(data())[0] == t("block.follow_up.no_date")


def test_the_handout_note_prints_only_in_its_own_language() -> None:
    notes = ((EN, "Bring your  pain diary.\n\nWalk daily."), (ES, "Traiga su diario."))
    english = follow_up(data(handout_notes=notes, default_follow_up_weeks=3))
    assert english[1:3] == ["Bring your pain diary.", "Walk daily."]
    assert "Traiga su diario." not in english
    spanish = follow_up(data(handout_notes=notes, language=ES))
    assert "Traiga su diario." in spanish
    assert not any("pain diary" in line for line in spanish)
    assert data(handout_notes=((ES, "solo"),)).note() == ""


# ---------------------------------------------------------------- clinic values


def test_handout_data_prints_the_shipped_clinic_values() -> None:
    d = data()
    assert d.glucose_call_mg_dl == 300
    assert d.glucose_call_mmol_l == Decimal("16.7")


def test_medicine_names_in_each_language() -> None:
    assert default_texts(ES).drug_name("lidocaine") == "lidocaína"
    assert default_texts(EN).drug_name("Some  ne\u0301w drug") == "Some néw drug"


def test_the_neck_visit_keeps_the_911_lung_box() -> None:
    """Issue 12: trapezius + levator no longer warn at signing; the handout still warns."""
    both = data(site("trapezius_upper", INJ, LIDO), site("levator_scapulae", DN, side=Side.LEFT))
    assert "collapsed lung" in text_of(sections(both)[Block.EMERGENCY])


# ---------------------------------------------------------------- your progress (issue 14 §1)


@pytest.mark.parametrize(
    ("language", "line"),
    [
        (EN, "Your pain: 7/10 at your first visit on January 12, 2026, 3/10 today."),
        (ES, "Su dolor: 7/10 en su primera consulta, el 12 de enero de 2026; 3/10 hoy."),
    ],
)
def test_the_progress_line_in_the_patients_language(language: Language, line: str) -> None:
    then_now = PainThenNow(date(2026, 1, 12), 7, 3)
    follow_up = sections(data(site("deltoid"), language=language, progress=then_now))
    last = follow_up[Block.FOLLOW_UP].lines[-1]
    assert last.text == line  # after the next visit and how to change it
    assert last.style is LineStyle.PARAGRAPH  # not run on with "To change it, call us"


def test_no_progress_line_unless_given() -> None:
    follow_up = sections(data(site("deltoid")))[Block.FOLLOW_UP]
    assert not any("Your pain" in x.text for x in follow_up.lines)
