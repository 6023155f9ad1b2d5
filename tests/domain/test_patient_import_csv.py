"""Issue 14 §3: patients read from a practice-management system's CSV export."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import ValidationError
from clinic_app.domain.patient_import import (
    ImportFileError,
    PatientFields,
    language_from_text,
    sex_from_text,
)
from clinic_app.domain.patient_import_csv import (
    DateOrder,
    csv_rows,
    parse_date,
    read_csv,
    suggest_date_order,
    suggest_mapping,
)

EXPORT = (
    "Chart No;Last Name;First Name;DOB;Gender;Language;Home Phone\r\n"
    "1001;García;Ana;13/04/1970;F;Spanish;555-0100\r\n"
    "\r\n"
    '1002;"Smith; Jr";"Jo\nAnn";03/04/1980;m;;\r\n'
    "1003;Lee\r\n"
)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(delimiter: str) -> None:
    text = delimiter.join(["MRN", "Surname", "Given", "DOB"]) + "\n"
    text += delimiter.join(["A1", "Lee", "Ana", "1970-01-02"]) + "\n"
    table = read_csv(text.encode())
    assert table.delimiter == delimiter
    assert table.columns == ("MRN", "Surname", "Given", "DOB")
    assert table.records == ((2, ("A1", "Lee", "Ana", "1970-01-02")),)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_records_keep_their_line_numbers_and_the_header_width(bom: bytes) -> None:
    table = read_csv(bom + EXPORT.encode())
    assert table.columns[0] == "Chart No"
    assert [line for line, _cells in table.records] == [2, 4, 6]
    assert table.records[1][1][:3] == ("1002", "Smith; Jr", "Jo\nAnn")
    assert table.records[2][1] == ("1003", "Lee", "", "", "", "", "")
    assert table.values("DOB") == ["13/04/1970", "03/04/1980", ""]


def test_one_column_files_fall_back_to_commas() -> None:
    table = read_csv(b"MRN\nA1\nA2\n")
    assert (table.delimiter, table.values("MRN")) == (",", ["A1", "A2"])


def test_repeated_and_blank_column_names_are_made_unique() -> None:
    table = read_csv(b"Phone,Phone, ,Phone\n1,2,3,4\n")
    assert table.columns == ("Phone", "Phone (2)", "(unnamed)", "Phone (3)")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MRN,Name\nA1,Mar\xeda\n", r"line 2 holds a byte \(0xed\).*CSV UTF-8"),
        (b"", "The file is empty"),
        (b" , \nA,B\n", "The file is empty"),
        (b"MRN,Notes\nA1," + b"x" * 200_000 + b"\n", "cannot be read at line 2: field larger"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read_csv(data)


@pytest.mark.parametrize(
    ("header", "mapping"),
    [
        (
            ["Chart No", "Last Name", "First Name", "DOB", "Gender", "Language", "Home Phone"],
            {
                "mrn": "Chart No",
                "family_name": "Last Name",
                "given_name": "First Name",
                "date_of_birth": "DOB",
                "sex": "Gender",
                "preferred_language": "Language",
                "phone": "Home Phone",
            },
        ),
        (
            ["Surname", "Forename", "Date of Birth", "MRN", "Email"],
            {
                "mrn": "MRN",
                "family_name": "Surname",
                "given_name": "Forename",
                "date_of_birth": "Date of Birth",
            },
        ),
        (
            ["family", "given", "birthDate", "id"],
            {
                "mrn": "id",
                "family_name": "family",
                "given_name": "given",
                "date_of_birth": "birthDate",
            },
        ),
        # The closest name wins: "Patient ID" is the MRN only when there is no MRN column.
        (["Patient ID", "Medical Record Number"], {"mrn": "Medical Record Number"}),
        (["Notes", "Balance"], {}),
    ],
)
def test_the_mapping_is_suggested_from_the_column_names(
    header: list[str], mapping: dict[str, str]
) -> None:
    assert suggest_mapping(header) == mapping


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["1970-03-04", "19800102", ""], DateOrder.ISO),
        (["13/04/1970", "03/04/1980"], DateOrder.DAY_FIRST),
        (["04/13/1970", "03/04/1980", "n/a"], DateOrder.MONTH_FIRST),
        (["03/04/1970", "01.02.1980"], None),  # both readings possible: the user says
        (["13/04/1970", "04/13/1970"], None),  # the file mixes orders
        (["1970-03-04", "03/04/1970"], None),
        (["", "unknown"], None),
    ],
)
def test_the_date_order_is_suggested_only_when_the_dates_settle_it(
    values: list[str], order: DateOrder | None
) -> None:
    assert suggest_date_order(values) is order


@pytest.mark.parametrize(
    ("text", "order", "read"),
    [
        ("", None, None),
        ("1970-03-04", None, date(1970, 3, 4)),
        ("1970/3/4", DateOrder.DAY_FIRST, date(1970, 3, 4)),
        ("19700304", None, date(1970, 3, 4)),
        ("03/04/1970", DateOrder.MONTH_FIRST, date(1970, 3, 4)),
        ("03/04/1970", DateOrder.DAY_FIRST, date(1970, 4, 3)),
        ("3.4.1970", DateOrder.DAY_FIRST, date(1970, 4, 3)),
    ],
)
def test_dates_in_each_order(text: str, order: DateOrder | None, read: date | None) -> None:
    assert parse_date(text, order) == read


@pytest.mark.parametrize(
    ("text", "order", "message"),
    [
        ("03/04/70", DateOrder.MONTH_FIRST, "needs a four-digit year"),
        ("03/04/1970", None, "choose whether the file writes the month or the day first"),
        ("03/04/1970", DateOrder.ISO, "choose whether"),
        ("March 4", DateOrder.ISO, "is not a date"),
        ("02/30/1970", DateOrder.MONTH_FIRST, "'02/30/1970' is not a date"),
    ],
)
def test_dates_that_cannot_be_read(text: str, order: DateOrder | None, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        parse_date(text, order)
    assert refused.value.field == "date_of_birth"


def test_rows_read_through_the_mapping() -> None:
    table = read_csv(EXPORT.encode())
    rows = csv_rows(table, suggest_mapping(table.columns), DateOrder.DAY_FIRST)
    assert [(r.line, r.errors) for r in rows] == [(2, ()), (4, ()), (6, ())]
    assert rows[0].fields == PatientFields(
        "1001", "García", "Ana", date(1970, 4, 13), Sex.FEMALE, Language.SPANISH, "555-0100"
    )
    assert rows[1].fields == PatientFields(
        "1002", "Smith; Jr", "Jo\nAnn", date(1980, 4, 3), Sex.MALE
    )
    assert rows[2].fields == PatientFields("1003", "Lee")


def test_unmapped_fields_stay_blank_and_bad_cells_are_errors() -> None:
    table = read_csv(b"id,sn,born,sex,lang\nA1,Lee,1970-13-40,X,fr\n")
    (row,) = csv_rows(
        table,
        {"mrn": "id", "family_name": "sn", "date_of_birth": "born", "sex": "sex",
         "preferred_language": "lang"},
        None,
    )  # fmt: skip
    assert (row.fields.mrn, row.fields.given_name, row.fields.date_of_birth) == ("A1", "", None)
    assert (row.fields.sex, row.fields.preferred_language) == (Sex.UNKNOWN, Language.ENGLISH)
    assert [e.field for e in row.errors] == ["date_of_birth", "sex", "preferred_language"]
    assert row.errors[2].message == "Language must be one of en, es (got 'fr')."


@pytest.mark.parametrize("mapping", [{"mrn": "Nope"}, {"email": "id"}])
def test_a_mapping_to_a_column_or_field_that_does_not_exist_is_refused(
    mapping: dict[str, str],
) -> None:
    table = read_csv(b"id\nA1\n")
    with pytest.raises(ValidationError, match="has no column"):
        csv_rows(table, mapping, None)


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("", Sex.UNKNOWN),
        (" F ", Sex.FEMALE),
        ("Male", Sex.MALE),
        ("o", Sex.OTHER),
        ("U", Sex.UNKNOWN),
    ],
)
def test_sexes_as_files_write_them(text: str, sex: Sex) -> None:
    assert sex_from_text(text) is sex


def test_an_unknown_sex_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"got 'X'"):
        sex_from_text("X")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", Language.ENGLISH),
        ("en_US", Language.ENGLISH),
        ("Español", Language.SPANISH),
        ("es-MX", Language.SPANISH),
        ("spa", Language.SPANISH),
        ("fr", None),
    ],
)
def test_languages_as_files_write_them(text: str, language: Language | None) -> None:
    assert language_from_text(text) is language
