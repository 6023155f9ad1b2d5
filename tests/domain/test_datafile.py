"""The one data-file reader: declared field types and one error format (file, entry, field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.domain.datafile import DataFileError, Entry, read_document


def entry(tmp_path: Path, **raw: object) -> Entry:
    return Entry(tmp_path / "data.toml", "thing", raw)


def test_the_message_names_file_entry_and_field(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as info:
        entry(tmp_path).text("name")
    assert str(info.value) == "data.toml, entry 'thing': name is missing"
    assert (info.value.entry, info.value.field, info.value.problem) == (
        "thing",
        "name",
        "is missing",
    )
    error = DataFileError(tmp_path / "data.toml", None, "invalid TOML", line=3)
    assert str(error) == "data.toml, line 3: invalid TOML"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2, 2.0), (-1.5, -1.5)],
)
def test_number_takes_integers_and_floats(tmp_path: Path, value: object, expected: float) -> None:
    assert entry(tmp_path, x=value).number("x") == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (True, "x must be a number, not a boolean"),
        ("1", "x must be a number, not a string"),
        (float("inf"), "x must be a finite number, not inf"),
        (float("nan"), "x must be a finite number, not nan"),
    ],
)
def test_number_refuses_what_is_not_a_finite_number(
    tmp_path: Path, value: object, problem: str
) -> None:
    with pytest.raises(DataFileError, match=problem):
        entry(tmp_path, x=value).number("x")


def test_sub_tables_name_their_fields_in_full(tmp_path: Path) -> None:
    outer = entry(tmp_path, lay_name={"en": "back", "es": "espalda", "zz": "?"})
    with pytest.raises(DataFileError, match=r"unknown field 'lay_name\.zz'"):
        outer.table("lay_name").fields(("en", "es"))
    with pytest.raises(DataFileError, match=r"lay_name\.de, lay_name\.fr are missing"):
        outer.table("lay_name").fields(("de", "fr"))


def test_a_document_refuses_unknown_top_level_keys(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text("[[thing]]\ncode = 'a'\n[other]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"data\.toml: unknown top-level key 'other'"):
        read_document(path, DataFileError, {"thing"})
    assert read_document(path, DataFileError, {"thing", "other"}).has("other")


def test_one_missing_field_is_the_errors_field(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as info:
        entry(tmp_path, a=1).fields(("a", "b"))
    assert (str(info.value), info.value.field) == ("data.toml, entry 'thing': b is missing", "b")
    with pytest.raises(DataFileError) as info:
        entry(tmp_path).fields(("a", "b"))
    assert (info.value.problem, info.value.field) == ("a, b are missing", None)


def test_positive_numbers(tmp_path: Path) -> None:
    assert entry(tmp_path, x=0.5).number("x", positive=True) == 0.5
    assert entry(tmp_path, x=0).number("x") == 0.0
    for value in (0, -2.5):
        with pytest.raises(DataFileError, match=f"x must be more than 0, not {value:g}$"):
            entry(tmp_path, x=value).number("x", positive=True)


def test_an_array_of_tables_names_each_table(tmp_path: Path) -> None:
    shapes = entry(tmp_path, shapes=[{"cx": 1}, {"cx": "2"}]).tables("shapes")
    assert [shape.raw for shape in shapes] == [{"cx": 1}, {"cx": "2"}]
    assert shapes[0].number("cx") == 1.0
    with pytest.raises(DataFileError) as info:
        shapes[1].number("cx")
    assert (
        str(info.value) == "data.toml, entry 'thing': shapes[2].cx must be a number, not a string"
    )
    assert info.value.field == "shapes[2].cx"
    assert entry(tmp_path, shapes=[]).tables("shapes") == []
    nested = entry(tmp_path, outer={"shapes": [{}]}).table("outer").tables("shapes")
    with pytest.raises(DataFileError, match=r": outer\.shapes\[1\]\.cx is missing$"):
        nested[0].fields(("cx",))


@pytest.mark.parametrize(
    ("value", "allow_empty", "field", "problem"),
    [
        ({"cx": 1}, True, "shapes", "must be an array of tables, not a table"),
        ([], False, "shapes", "must list at least one table"),
        ([{}, 3], True, "shapes[2]", "must be a table, not an integer"),
    ],
)
def test_an_array_of_tables_refuses_other_values(
    tmp_path: Path, value: object, allow_empty: bool, field: str, problem: str
) -> None:
    with pytest.raises(DataFileError) as info:
        entry(tmp_path, shapes=value).tables("shapes", allow_empty=allow_empty)
    assert (info.value.field, info.value.problem) == (field, problem)
