"""The handout's words per language and the checks on their files (handout_texts)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from clinic_app.domain.datafile import DataFileError
from clinic_app.domain.enums import Language
from clinic_app.domain.handout import Block
from clinic_app.domain.handout_texts import (
    LINE_FIELDS,
    HandoutTextError,
    HandoutTexts,
    default_texts,
    default_texts_dir,
    load_texts,
    placeholders,
)


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


def test_the_declared_types_hold_in_the_shipped_texts() -> None:
    for texts in load_texts().values():
        for key, value in texts.values.items():
            assert isinstance(value, tuple) is (key.rsplit(".", 1)[-1] in LINE_FIELDS), key


def test_asking_for_the_wrong_kind_of_value_is_a_programming_error() -> None:
    texts = HandoutTexts(Language.ENGLISH, {"a": "x", "b": ("y",)})
    with pytest.raises(TypeError, match="a holds one string, not lines: use text"):
        texts.lines("a")
    with pytest.raises(TypeError, match="b holds lines, not one string: use lines"):
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
    pytest.param("es.toml", 'intro = "Lea', 'intro = 3\nx = "Lea', "document.intro",
                 "must be a string, not an integer", id="string-type"),
    pytest.param("es.toml", 'intro = "Lea', 'intro = " "\nx = "Lea', "document.intro",
                 "must not be empty", id="empty-string"),
    pytest.param("es.toml", 'left = "lado izquierdo"', 'left = ["lado izquierdo"]',
                 "label.left", "must be a string, not an array", id="array-for-string"),
    pytest.param("en.toml", "months = [", "months = []\nx = [", "label.months",
                 "must list at least one item", id="empty-lines"),
    pytest.param("en.toml", "months = [", 'months = "May"\nx = [', "label.months",
                 "must be an array of strings, not a string", id="string-for-lines"),
    pytest.param("es.toml", 'months = [', 'months = ["enero", 3]\nx = [', "label.months",
                 "must hold only non-empty strings, found 3", id="lines-item-type"),
    pytest.param("es.toml", 'left = "lado izquierdo"\n', "", "label.left", "is missing",
                 id="missing-key"),
    pytest.param("es.toml", "[label]\n", '[label]\nextra = "x"\n', None,
                 "unknown field 'label.extra'", id="extra-key"),
    pytest.param("es.toml", "{hours} horas", "48 horas", "block.activity.lines",
                 "uses [], en.toml uses ['hours']", id="placeholders"),
    pytest.param("en.toml", 'heading = "Activity"\n', "", "block.activity.heading",
                 "is missing", id="block-heading"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "old", "new", "field", "problem"), BROKEN)
def test_a_broken_text_file_names_file_and_field(
    folder: Path, name: str, old: str, new: str, field: str | None, problem: str
) -> None:
    _edit(folder / name, old, new)
    with pytest.raises(HandoutTextError) as info:
        load_texts(folder)
    error = info.value
    assert isinstance(error, DataFileError)
    assert (error.path, error.entry, error.field, error.problem) == (
        folder / name,
        None,
        field,
        problem,
    )
    expected = problem if field is None else f"{field} {problem}"
    assert str(error) == f"{name}: {expected}"


def test_invalid_toml_names_the_file_and_line(folder: Path) -> None:
    _edit(folder / "es.toml", "[document]", "[document")
    with pytest.raises(HandoutTextError) as info:
        load_texts(folder)
    assert info.value.line is not None
    assert str(info.value).startswith(f"es.toml, line {info.value.line}: invalid TOML")


def test_missing_text_file(folder: Path) -> None:
    (folder / "es.toml").unlink()
    with pytest.raises(HandoutTextError, match=r"^es\.toml: file not found$"):
        load_texts(folder)
