"""Patients from a CSV export of a practice-management system.

The first row names the columns. The delimiter (comma, semicolon, tab or bar) is detected; the
text must be UTF-8, with or without a byte order mark (what spreadsheets write as "CSV UTF-8").
Which column holds which field is a :data:`Mapping` the user confirms, pre-filled by
:func:`suggest_mapping` from the column names; dates are read in one :class:`DateOrder`, asked
for when the file's own dates do not settle it (03/04/1970 is March or April).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from clinic_app.domain import fields as f
from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.errors import FieldChecks, ValidationError
from clinic_app.domain.patient_import import (
    FIELD_LABELS,
    ImportFileError,
    ImportRow,
    PatientFields,
    language_from_text,
    sex_from_text,
)

#: Our field -> the CSV column it is read from (fields not in the file are left out).
ColumnMapping = Mapping[str, str]
#: Delimiters a CSV export uses.
DELIMITERS: Final = ",;\t|"
#: How much of the file the delimiter is guessed from.
_SNIFF_CHARS: Final = 64 * 1024


class DateOrder(StrEnum):
    """How the file writes its dates."""

    ISO = "iso"
    MONTH_FIRST = "mdy"
    DAY_FIRST = "dmy"


#: How each order reads in the mapping step.
DATE_ORDER_LABELS: Final = {
    DateOrder.ISO: "Year-month-day (1970-03-04)",
    DateOrder.MONTH_FIRST: "Month/day/year (03/04/1970 is March 4)",
    DateOrder.DAY_FIRST: "Day/month/year (03/04/1970 is 3 April)",
}
_ISO: Final = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT: Final = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC: Final = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")

#: Column names (folded: lower case, letters and digits only) that suggest each field, best
#: first; what practice-management exports commonly call them, in English and Spanish.
SYNONYMS: Final = {
    "mrn": (
        "mrn", "medicalrecordnumber", "medicalrecordno", "medicalrecord", "mrnumber", "mr",
        "chartnumber", "chartno", "chart", "recordnumber", "patientnumber", "patientno",
        "patientid", "accountnumber", "accountno", "account", "identifier", "id",
    ),
    "family_name": (
        "familyname", "lastname", "surname", "family", "last", "lname", "patientlastname",
        "apellido", "apellidos",
    ),
    "given_name": (
        "givenname", "firstname", "forename", "given", "first", "fname", "patientfirstname",
        "nombre",
    ),
    "date_of_birth": (
        "dateofbirth", "dob", "birthdate", "birthday", "born", "patientdob", "fechadenacimiento",
    ),
    "sex": ("sex", "gender", "administrativegender", "sexo", "genero"),
    "preferred_language": (
        "preferredlanguage", "language", "lang", "primarylanguage", "idioma",
    ),
    "phone": (
        "phone", "phonenumber", "telephone", "tel", "homephone", "mobile", "mobilephone",
        "cellphone", "cell", "contactnumber", "telefono",
    ),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file read: its column names (made unique) and its records.

    Attributes:
        columns: the header row; a repeated name gets " (2)", " (3)"... appended.
        records: (line the record starts on, its cells padded to the header's width).
        delimiter: the delimiter detected.
    """

    columns: tuple[str, ...]
    records: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str

    def values(self, column: str) -> list[str]:
        """Every record's cell in ``column``."""
        at = self.columns.index(column)
        return [cells[at] for _line, cells in self.records]


def decode(data: bytes) -> str:
    """The file's text: UTF-8 with or without a byte order mark.

    Raises:
        ImportFileError: the bytes are not UTF-8 (which byte, and how to save it as UTF-8).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text: line {line} holds a byte ({data[exc.start]:#04x}) "
            "UTF-8 does not use. Save it from the spreadsheet as “CSV UTF-8” and choose it again."
        ) from None


def read_csv(data: bytes) -> CsvTable:
    """Read a CSV export: detect the delimiter, take the first row as the column names.

    Raises:
        ImportFileError: not UTF-8, empty, or a header with no names.
    """
    text = decode(data)
    try:
        delimiter = csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","  # one column, or too little to tell: the CSV default
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[tuple[int, tuple[str, ...]]] = []
    try:
        start = 1
        for cells in reader:
            if header is None:
                header = cells
            elif any(cell.strip() for cell in cells):
                width = len(header)
                records.append((start, tuple((cells + [""] * width)[:width])))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            f"The CSV file cannot be read at line {reader.line_num}: {exc}."
        ) from None
    if not header or not any(name.strip() for name in header):
        raise ImportFileError("The file is empty: a CSV export starts with a row of column names.")
    return CsvTable(_unique(header), tuple(records), delimiter)


def _unique(header: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    names: list[str] = []
    for raw in header:
        name = raw.strip() or "(unnamed)"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return tuple(names)


def _fold(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def suggest_mapping(columns: Iterable[str]) -> dict[str, str]:
    """Our field -> the column whose name suggests it; each column used once, the closest
    synonym winning ("Last Name", "Surname", "family" all suggest the family name)."""
    folded = {column: _fold(column) for column in columns}
    candidates = sorted(
        (rank, field, column)
        for field, names in SYNONYMS.items()
        for column, key in folded.items()
        for rank, name in enumerate(names)
        if key == name
    )
    mapping: dict[str, str] = {}
    for _rank, field, column in candidates:
        if field not in mapping and column not in mapping.values():
            mapping[field] = column
    return {field: mapping[field] for field in FIELD_LABELS if field in mapping}


def suggest_date_order(values: Iterable[str]) -> DateOrder | None:
    """The order the dates are written in, or ``None`` when the user must say (every date
    could be read both ways, such as 03/04/1970, or the file mixes orders)."""
    orders: set[DateOrder] = set()
    both = False
    for value in (v.strip() for v in values):
        if _ISO.match(value) or _COMPACT.match(value):
            orders.add(DateOrder.ISO)
            continue
        numbers = _NUMERIC.match(value)
        if not numbers:
            continue
        first, second = int(numbers.group(1)), int(numbers.group(2))
        if first > 12 >= second:
            orders.add(DateOrder.DAY_FIRST)
        elif second > 12 >= first:
            orders.add(DateOrder.MONTH_FIRST)
        else:
            both = True
    found = orders - {DateOrder.ISO}
    if len(found) == 1:
        return found.pop()
    if not found and not both and orders:
        return DateOrder.ISO
    return None


def parse_date(text: str, order: DateOrder | None) -> date | None:
    """A date of birth as the file writes it; blank is ``None`` (the form then says it is
    required).

    Raises:
        ValidationError: not a date in ``order`` (or in ISO form), a two-digit year, or no
            order chosen for a day/month date.
    """
    value = text.strip()
    if not value:
        return None
    iso = _ISO.match(value) or _COMPACT.match(value)
    numbers = _NUMERIC.match(value)
    if iso:
        parts = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    elif numbers and len(numbers.group(3)) != 4:
        raise ValidationError("date_of_birth", f"Date of birth {value!r} needs a four-digit year.")
    elif numbers and order in {DateOrder.MONTH_FIRST, DateOrder.DAY_FIRST}:
        first, second, year = (int(numbers.group(i)) for i in (1, 2, 3))
        month, day = (first, second) if order is DateOrder.MONTH_FIRST else (second, first)
        parts = (year, month, day)
    elif numbers:
        raise ValidationError(
            "date_of_birth",
            f"Date of birth {value!r}: choose whether the file writes the month or the day first.",
        )
    else:
        raise ValidationError("date_of_birth", f"Date of birth {value!r} is not a date.")
    try:
        return date(*parts)
    except ValueError:
        raise ValidationError("date_of_birth", f"Date of birth {value!r} is not a date.") from None


def _language(text: str) -> Language:
    language = language_from_text(text)
    # Not one the handouts are written in: the form's own check says so, naming the choices.
    return language or f.check_enum("preferred_language", text.strip(), Language, label="Language")


def csv_rows(table: CsvTable, mapping: ColumnMapping, order: DateOrder | None) -> list[ImportRow]:
    """The patients of ``table``, each field read from its mapped column.

    Raises:
        ValidationError: the mapping names a column the file does not have.
    """
    where: dict[str, int] = {}
    for field, column in mapping.items():
        if field not in FIELD_LABELS or column not in table.columns:
            raise ValidationError(field, f"The file has no column {column!r} for {field}.")
        where[field] = table.columns.index(column)
    rows: list[ImportRow] = []
    for line, cells in table.records:

        def cell(field: str, cells: tuple[str, ...] = cells) -> str:
            return cells[where[field]].strip() if field in where else ""

        checks = FieldChecks()
        fields = PatientFields(
            mrn=cell("mrn"),
            family_name=cell("family_name"),
            given_name=cell("given_name"),
            date_of_birth=checks.run(parse_date, cell("date_of_birth"), order),
            sex=checks.run(sex_from_text, cell("sex")) or Sex.UNKNOWN,
            preferred_language=checks.run(_language, cell("preferred_language"))
            or Language.ENGLISH,
            phone=cell("phone"),
        )
        rows.append(ImportRow(line, fields, tuple(checks.errors)))
    return rows
