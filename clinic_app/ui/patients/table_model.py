"""The patient list as a Qt table model, fed plain PatientView rows by the main window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from clinic_app.domain import clock
from clinic_app.domain.labels import LANGUAGE_LABELS, SEX_LABELS
from clinic_app.domain.validation import search_key
from clinic_app.services.dto import PatientView
from clinic_app.ui.common.labels import age_in_years
from clinic_app.ui.common.rows_model import RowsTableModel

#: The patient's database id, on every cell of the row (survives a sort proxy).
PatientIdRole = int(Qt.ItemDataRole.UserRole) + 1
#: A value that sorts the column correctly (dates as dates, ages as numbers, names folded).
SortRole = int(Qt.ItemDataRole.UserRole) + 2

_Index = QModelIndex | QPersistentModelIndex


class PatientTableModel(RowsTableModel[PatientView]):
    """Rows of patients: MRN, name, date of birth, age, sex, language, phone.

    The model never fetches anything: the owner calls :meth:`set_rows` with the result of
    a search, and the whole table is reset at once.

    Attributes:
        PatientIdRole: custom role returning the patient's id.
        SortRole: custom role returning a sort key.
    """

    PatientIdRole = PatientIdRole
    SortRole = SortRole

    MRN, NAME, BIRTH_DATE, AGE, SEX, LANGUAGE, PHONE = range(7)
    HEADERS = ("MRN", "Name", "Date of birth", "Age", "Sex", "Language", "Phone")

    def __init__(
        self, parent: QObject | None = None, *, today: Callable[[], date] = clock.today
    ) -> None:
        super().__init__(parent)
        self._today = today

    # ------------------------------------------------------------------ our API
    def patient_at(self, row: int) -> PatientView:
        """The patient shown in ``row`` of this (source) model (IndexError when none)."""
        return self.row_at(row)

    def row_of(self, patient_id: int) -> int | None:
        """The row showing ``patient_id``, if it is in the list."""
        for row, patient in enumerate(self._rows):
            if patient.id == patient_id:
                return row
        return None

    def patients(self) -> list[PatientView]:
        return list(self._rows)

    # ------------------------------------------------------------------ Qt API
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        patient = self._rows[index.row()]
        column = index.column()
        if role == PatientIdRole:
            return patient.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(patient, column)
        if role == SortRole:
            return self._sort_key(patient, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return f"{patient.display_name} — MRN {patient.mrn}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.AGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # ------------------------------------------------------------------ helpers
    def _text(self, p: PatientView, column: int) -> str | None:
        if column == self.MRN:
            return p.mrn
        if column == self.NAME:
            return p.display_name
        if column == self.BIRTH_DATE:
            return p.date_of_birth.isoformat()
        if column == self.AGE:
            return str(age_in_years(p.date_of_birth, self._today()))
        if column == self.SEX:
            return SEX_LABELS.get(p.sex, str(p.sex))
        if column == self.LANGUAGE:
            return LANGUAGE_LABELS.get(p.preferred_language, str(p.preferred_language))
        if column == self.PHONE:
            return p.phone
        return None

    def _sort_key(self, p: PatientView, column: int) -> Any:
        if column == self.NAME:
            # Sorted like the search results: folded family then given name.
            return f"{search_key(p.family_name)}\x00{search_key(p.given_name)}"
        if column == self.BIRTH_DATE:
            return p.date_of_birth.isoformat()
        if column == self.AGE:
            return age_in_years(p.date_of_birth, self._today())
        text = self._text(p, column)
        return text.casefold() if text is not None else None
