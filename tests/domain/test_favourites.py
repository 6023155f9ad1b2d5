"""Favourite mixes: the shipped file, computed doses and labels, and the loader's checks."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from clinic_app.domain.enums import Technique
from clinic_app.domain.errors import ClinicError
from clinic_app.domain.favourites import (
    DRY_NEEDLING_LABEL,
    Favourites,
    FavouritesError,
    default_favourites,
    default_favourites_path,
    load_favourites,
)
from clinic_app.domain.resource_files import resource

GOOD_NEW_SITE = '[new_site]\nfavourite = "lido"\n'
LIDO = '[[favourite]]\ncode = "lido"\ntechnique = "injection"\n' + (
    'doses = [{ medication = "lidocaine_1", volume_ml = "0.5" }]\n'
)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    def write_file(text: str) -> Path:
        path = tmp_path / "favourites.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


def test_shipped_favourites_load_with_computed_doses() -> None:
    favourites = default_favourites()
    assert favourites is default_favourites()
    assert default_favourites_path() == resource("formulary", "favourites.toml")
    labels = [f.label for f in favourites.items]
    assert labels == [
        "Lidocaine 1% 1 mL",
        "Lidocaine 1% 1 mL + triamcinolone acetonide 10 mg",
        "Bupivacaine 0.25% 1 mL",
        "Normal saline 0.9% 1 mL",
        DRY_NEEDLING_LABEL,
    ]
    mix = favourites.get("lidocaine_1_1ml_triamcinolone_10mg")
    assert [d.dose for d in mix.doses] == [Decimal("10"), Decimal("10")]
    assert [d.dose_text for d in mix.doses] == ["10 mg", "10 mg"]
    assert mix.doses[1].volume_ml == Decimal("0.25")
    assert mix.medication_codes == ("lidocaine_1", "triamcinolone_40")
    assert mix.detail == (
        "Lidocaine 1% 1 mL = 10 mg + Triamcinolone acetonide 40 mg/mL 0.25 mL = 10 mg"
    )
    assert favourites.get("bupivacaine_0_25_1ml").doses[0].dose_text == "2.5 mg"
    saline = favourites.get("saline_1ml").doses[0]
    assert (saline.dose, saline.dose_text) == (None, "")
    assert saline.detail == "Normal saline 0.9% 1 mL"
    dry = favourites.get("dry_needling")
    assert (dry.technique, dry.doses, dry.detail) == (
        Technique.DRY_NEEDLING,
        (),
        "Dry needling: no medicine is injected.",
    )
    assert favourites.new_site.code == "lidocaine_1_1ml"
    assert (favourites.needle_gauge, favourites.needle_length_in) == (25, Decimal("1.5"))
    assert dry not in favourites.injections()
    with pytest.raises(KeyError):
        favourites.get("nope")


def test_half_millilitre_of_lidocaine_is_five_mg(write: Callable[[str], Path]) -> None:
    favourites = load_favourites(write(GOOD_NEW_SITE + LIDO))
    assert isinstance(favourites, Favourites)
    dose = favourites.get("lido").doses[0]
    assert dose.dose == Decimal("5")
    assert dose.label == "Lidocaine 1% 0.5 mL"
    assert (favourites.needle_gauge, favourites.needle_length_in) == (None, None)


@pytest.mark.parametrize(
    ("volume", "problem"),
    [
        ('"0"', "volume_ml must be more than 0"),
        ('"-1"', "must be a decimal written as a string"),
        ('"11"', "implausible"),
        ('"0.125"', "with at most 2 decimals"),
        ("1.5", "must be a decimal written as a string"),
        ('"abc"', "must be a decimal written as a string"),
    ],
)
def test_bad_volumes_are_refused(write: Callable[[str], Path], volume: str, problem: str) -> None:
    text = GOOD_NEW_SITE + LIDO.replace('"0.5"', volume)
    with pytest.raises(FavouritesError, match=problem) as caught:
        load_favourites(write(text))
    assert caught.value.entry == "lido"
    assert isinstance(caught.value, ClinicError)


@pytest.mark.parametrize(
    ("text", "entry", "problem"),
    [
        (LIDO.replace("lidocaine_1", "lidocaine_9"), "lido", "'lidocaine_9' is not in"),
        (LIDO.replace('"injection"', '"laser"'), "lido", "technique 'laser' is not one of"),
        (
            '[[favourite]]\ncode = "lido"\ntechnique = "injection"\ndoses = []\n',
            "lido",
            "at least one dose",
        ),
        (LIDO.replace('"injection"', '"dry_needling"'), "lido", "doses must be \\[\\]"),
        (
            LIDO.replace(
                'volume_ml = "0.5" }',
                'volume_ml = "0.5" }, { medication = "lidocaine_1", volume_ml = "1" }',
            ),
            "lido",
            "listed twice",
        ),
        (LIDO + LIDO, "lido", "duplicate code"),
        (LIDO.replace('code = "lido"', 'code = "Lido X"'), "favourite #1", "snake_case"),
        (LIDO.replace("doses =", "dose ="), "lido", "unknown field 'dose'"),
        (LIDO.replace("volume_ml =", "mL ="), "lido", r"doses\[1\].volume_ml is missing"),
        (
            LIDO.replace(
                'doses = [{ medication = "lidocaine_1", volume_ml = "0.5" }]',
                'doses = ["lidocaine_1"]',
            ),
            "lido",
            "must be a table",
        ),
        (LIDO.replace('medication = "lidocaine_1", ', ""), "lido", r"\].medication is missing"),
        (LIDO.replace("doses = [", "doses = 3 #"), "lido", "doses must be an array of tables"),
        ('[[favourite]]\ntechnique = "injection"\n', "favourite #1", "code is missing"),
    ],
)
def test_broken_favourites_name_the_entry(
    write: Callable[[str], Path], text: str, entry: str, problem: str
) -> None:
    with pytest.raises(FavouritesError, match=problem) as caught:
        load_favourites(write(GOOD_NEW_SITE + text))
    assert caught.value.entry == entry
    assert str(caught.value).startswith(f"favourites.toml, entry {entry!r}: ")


DRY = '[[favourite]]\ncode = "dry"\ntechnique = "dry_needling"\ndoses = []\n'


@pytest.mark.parametrize(
    ("new_site", "problem"),
    [
        ("", "a \\[new_site\\] table is required"),
        ('[new_site]\nfavourite = "other"\n', "'other' is not defined"),
        ('[new_site]\nfavourite = "dry"\n', "must be an injection"),
        (GOOD_NEW_SITE + "needle_gauge = 50\n", "needle_gauge must be"),
        (GOOD_NEW_SITE + "needle_gauge = true\n", "needle_gauge must be"),
        (GOOD_NEW_SITE + "needle_length_in = 1.5\n", "needle_length_in must be a decimal"),
        (GOOD_NEW_SITE + 'needle_length_in = "9"\n', "from 0.25 to 7"),
        (GOOD_NEW_SITE + "colour = 1\n", "unknown field 'colour'"),
    ],
)
def test_new_site_section_is_checked(
    write: Callable[[str], Path], new_site: str, problem: str
) -> None:
    with pytest.raises(FavouritesError, match=problem) as caught:
        load_favourites(write(new_site + LIDO + DRY))
    assert caught.value.entry == "new_site"


def test_new_site_needle(write: Callable[[str], Path]) -> None:
    text = GOOD_NEW_SITE + 'needle_gauge = 27\nneedle_length_in = "1.25"\n' + LIDO
    favourites = load_favourites(write(text))
    assert (favourites.needle_gauge, favourites.needle_length_in) == (27, Decimal("1.25"))


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("[[favourite]\n", "invalid TOML", 1),
        ("colour = 1\n" + GOOD_NEW_SITE, "unknown top-level key 'colour'", None),
        (GOOD_NEW_SITE, "expected one or more \\[\\[favourite\\]\\] tables", None),
        ("favourite = [1]\n", "must be a table", None),
    ],
)
def test_file_level_problems(
    write: Callable[[str], Path], text: str, problem: str, line: int | None
) -> None:
    with pytest.raises(FavouritesError, match=problem) as caught:
        load_favourites(write(text))
    assert caught.value.line == line


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FavouritesError, match="file not found"):
        load_favourites(tmp_path / "absent.toml")
    with pytest.raises(FavouritesError, match="cannot read the file"):
        load_favourites(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(FavouritesError, match="not UTF-8"):
        load_favourites(binary)


def test_validated_against_the_formulary_given(write: Callable[[str], Path]) -> None:
    with pytest.raises(FavouritesError, match="'lidocaine_1' is not in the formulary"):
        load_favourites(write(GOOD_NEW_SITE + LIDO), formulary=())
