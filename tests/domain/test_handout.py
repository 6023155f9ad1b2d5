"""The handout's data (clinic_app.domain.handout) and which blocks apply (handout_compose)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import Block, HandoutData, HandoutSite, Medicine
from clinic_app.domain.handout_compose import ALWAYS, lay_sites, select_blocks
from clinic_app.domain.handout_texts import default_texts

CATALOG = default_catalog()
LIDO = Medicine("lidocaine", DrugClass.LOCAL_ANESTHETIC)
STEROID = Medicine("triamcinolone", DrugClass.CORTICOSTEROID)
BOTOX = Medicine("onabotulinumtoxinA", DrugClass.BOTULINUM_TOXIN)
INJ, DN = Technique.INJECTION, Technique.DRY_NEEDLING


def site(code: str, technique: Technique = INJ, *meds: Medicine, number: int = 1) -> HandoutSite:
    return HandoutSite(number, code, Side.RIGHT, technique, View.POSTERIOR, 0.5, 0.5, meds)


def data(*sites: HandoutSite, diabetes: bool = False, **changes: object) -> HandoutData:
    return HandoutData(
        patient_given="Zoë",
        patient_family="O'Brien",
        birth_date=date(1970, 1, 2),
        language=Language.ENGLISH,
        clinic_name="Clinic",
        clinic_phone="1",
        after_hours_phone="2",
        provider_name="Dr. X",
        visit_date=date(2025, 3, 4),
        sites=sites,
        diabetes=diabetes,
        **changes,  # type: ignore[arg-type]
    )


# Each row: the sites, diabetic?, the conditional blocks expected on top of ALWAYS.
CASES = [
    ("deltoid lidocaine", [site("deltoid", INJ, LIDO)], False, set()),
    ("no sites", [], False, set()),
    ("steroid", [site("deltoid", INJ, LIDO, STEROID)], False, {Block.STEROID}),
    (
        "steroid, diabetic",
        [site("deltoid", INJ, STEROID)],
        True,
        {Block.STEROID, Block.DIABETES_NOTE},
    ),
    ("diabetic, no steroid", [site("deltoid", INJ, LIDO)], True, set()),
    ("botulinum toxin is no steroid", [site("deltoid", INJ, BOTOX)], True, set()),
    ("dry needling arm", [site("forearm_extensors", DN)], False, {Block.DRY_NEEDLING}),
    ("leg", [site("gastrocnemius", INJ, LIDO)], False, {Block.NO_DRIVING}),
    ("thigh", [site("hamstrings", INJ, LIDO)], False, {Block.NO_DRIVING}),
    ("hip", [site("tensor_fasciae_latae", INJ, LIDO)], False, {Block.NO_DRIVING}),
    ("buttock", [site("piriformis", INJ, LIDO)], False, {Block.NO_DRIVING}),
    (
        "low back dry needling",
        [site("quadratus_lumborum", DN)],
        False,
        {Block.NO_DRIVING, Block.DRY_NEEDLING},
    ),
    ("neck", [site("levator_scapulae", INJ, LIDO)], False, {Block.EMERGENCY}),
    (
        "front of the neck with numbing medicine",
        [site("scalenes", INJ, LIDO)],
        False,
        {Block.EMERGENCY, Block.NECK_ARM},
    ),
    (
        "front of the neck, saline only",
        [site("sternocleidomastoid", INJ)],
        False,
        {Block.EMERGENCY},
    ),
    (
        "front of the neck, dry needling",
        [site("sternocleidomastoid", DN)],
        False,
        {Block.EMERGENCY, Block.DRY_NEEDLING},
    ),
    ("chest", [site("pectoralis_major", INJ, LIDO)], False, {Block.EMERGENCY}),
    ("upper back", [site("trapezius_upper", INJ, LIDO)], False, {Block.EMERGENCY}),
    ("mid back", [site("thoracic_paraspinals", INJ, LIDO)], False, {Block.EMERGENCY}),
    ("head is not an emergency zone", [site("temporalis", INJ, LIDO)], False, set()),
    ("shoulder is not an emergency zone", [site("infraspinatus", INJ, LIDO)], False, set()),
    (
        "everything",
        [site("trapezius_upper", INJ, STEROID), site("soleus", DN, number=2)],
        True,
        {Block.EMERGENCY, Block.STEROID, Block.DIABETES_NOTE, Block.DRY_NEEDLING, Block.NO_DRIVING},
    ),
]


@pytest.mark.parametrize(
    ("sites", "diabetes", "extra"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_select_blocks(sites: list[HandoutSite], diabetes: bool, extra: set[Block]) -> None:
    chosen = select_blocks(data(*sites, diabetes=diabetes), CATALOG)
    assert set(chosen) == ALWAYS | extra
    assert list(chosen) == [block for block in Block if block in chosen]  # printed order


def test_every_emergency_zone_muscle_gets_the_box_and_no_other_does() -> None:
    for muscle in CATALOG:
        chosen = select_blocks(data(site(muscle.code, INJ, LIDO)), CATALOG)
        assert (Block.EMERGENCY in chosen) is muscle.emergency_zone, muscle.code


def test_medicines_are_listed_once_in_site_order() -> None:
    d = data(site("deltoid", INJ, LIDO, STEROID), site("soleus", INJ, STEROID, BOTOX))
    assert d.medicines() == (LIDO, STEROID, BOTOX)
    assert data(site("soleus", DN)).medicines() == ()


def test_derived_values() -> None:
    d = data()
    assert d.patient_name == "Zoë O'Brien"
    assert d.fever_threshold_f == Decimal("100.4")
    assert replace(d, fever_threshold_c=Decimal("38.3")).fever_threshold_f == Decimal("100.9")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            Language.ENGLISH,
            [
                "upper back and shoulder, right side (Muscle: Trapezius, upper)",
                "low back, beside the spine, left side (Muscle: Lumbar paraspinals)",
            ],
        ),
        (
            Language.SPANISH,
            [
                "parte superior de la espalda y el hombro, lado derecho "
                "(Músculo: Trapecio superior)",
                "parte baja de la espalda, junto a la columna, lado izquierdo "
                "(Músculo: Paravertebrales lumbares)",
            ],
        ),
    ],
)
def test_lay_sites(language: Language, expected: list[str]) -> None:
    d = data(
        site("trapezius_upper"),
        replace(site("lumbar_paraspinals", DN, number=2), side=Side.LEFT),
    )
    texts = lay_sites(d, CATALOG, language)
    assert [f"{t.place} ({t.muscle})" for t in texts] == expected
    assert [t.number for t in texts] == [1, 2]
    assert [t.technique for t in texts] == [
        default_texts(language).text("label.injection"),
        default_texts(language).text("label.dry_needling"),
    ]
