"""Handout content selection and the handout texts (clinic_app.domain.handout)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from clinic_app.domain.catalog import View, default_catalog
from clinic_app.domain.enums import Language, Side, Technique
from clinic_app.domain.formulary import DrugClass
from clinic_app.domain.handout import (
    ALWAYS,
    Block,
    HandoutData,
    HandoutSite,
    HandoutTextError,
    HandoutTexts,
    Medicine,
    default_texts,
    default_texts_dir,
    lay_sites,
    load_texts,
    placeholders,
    select_blocks,
)

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


# ---------------------------------------------------------------- texts


@pytest.mark.parametrize(
    ("language", "expected"),
    [(Language.ENGLISH, "March 4, 2025"), (Language.SPANISH, "4 de marzo de 2025")],
)
def test_dates_are_written_out(language: Language, expected: str) -> None:
    assert default_texts(language).date(date(2025, 3, 4)) == expected


def test_shipped_texts_agree_and_cover_every_block() -> None:
    texts = load_texts()
    english, spanish = texts[Language.ENGLISH], texts[Language.SPANISH]
    assert set(english.values) == set(spanish.values)
    for block in Block:
        assert english.text(f"block.{block.value}.heading")
        assert spanish.lines(f"block.{block.value}.lines")
    assert english.format("label.page", page=1, pages=2) == "Page 1 of 2"
    assert spanish.format("label.page", page=1, pages=2) == "Página 1 de 2"
    assert english.text("label.no_medicine") == "Dry needling, no medicine"


def test_wrong_kind_of_value_is_refused() -> None:
    texts = HandoutTexts(Language.ENGLISH, {"a": "x", "b": ("y",)})
    with pytest.raises(HandoutTextError, match="a is a string"):
        texts.lines("a")
    with pytest.raises(HandoutTextError, match="b is a list"):
        texts.text("b")


def test_placeholders() -> None:
    assert placeholders("A {x} and {y}") == {"x", "y"}
    assert placeholders(("{a}", "b", "{c}")) == {"a", "c"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("en.toml", "es.toml"):
        shutil.copy(default_texts_dir() / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    ("es.toml", 'intro = "Lea', 'intro = 3\nx = "Lea', "document.intro must be a non-empty"),
    ("es.toml", "[document]", "[document", "es.toml: invalid TOML"),
    ("es.toml", 'left = "lado izquierdo"\n', "", r"es.toml: missing \['label.left'\]"),
    ("es.toml", "[label]\n", '[label]\nextra = "x"\n', r"extra \['label.extra'\]"),
    ("es.toml", 'left = "lado izquierdo"', 'left = ["lado izquierdo"]', "label.left must match"),
    ("es.toml", "{hours} horas", "48 horas", "block.activity.lines uses"),
    ("en.toml", 'heading = "Activity"\n', "", "block.activity.heading is missing"),
    ("en.toml", "months = [", "months = []\nx = [", "label.months must be a non-empty"),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BROKEN, ids=[b[3] for b in BROKEN])
def test_broken_text_files_fail_loudly(
    folder: Path, name: str, old: str, new: str, message: str
) -> None:
    _edit(folder / name, old, new)
    with pytest.raises(HandoutTextError, match=message):
        load_texts(folder)


def test_missing_text_file(folder: Path) -> None:
    (folder / "es.toml").unlink()
    with pytest.raises(HandoutTextError, match="file not found"):
        load_texts(folder)
