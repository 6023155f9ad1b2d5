"""The front desk's table models: the day's procedures and a handout's print log."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from clinic_app.domain.enums import Language
from clinic_app.domain.labels import LANGUAGE_NAMES
from clinic_app.services.documents import PrintRecord, ProcedureRow
from clinic_app.ui.common.labels import clinic_clock, local_timestamp
from clinic_app.ui.common.rows_model import Index, RowsTableModel

EncounterIdRole = Qt.ItemDataRole.UserRole + 1


def doc_name(encounter_id: int) -> str:
    """The print job's title, also cups-pdf's file name."""
    return f"handout-{encounter_id}"


def language_name(language: Language) -> str:
    return LANGUAGE_NAMES.get(language, language.value)


class ProcedureTableModel(RowsTableModel[ProcedureRow]):
    """The day's procedures, one row each (times in the clinic's zone ``zone``)."""

    zone = ""

    HEADERS = (
        "Time",
        "Patient",
        "MRN",
        "Born",
        "Language",
        "Provider",
        "Chart",
        "Sites",
        "Handout",
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row = self.row_at(index.row())
        if role == EncounterIdRole:
            return row.encounter_id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        printed = (
            f"Printed {clinic_clock(row.last_printed_at, self.zone)}"
            if row.printed and row.last_printed_at
            else "Not printed"
        )
        return (
            clinic_clock(row.performed_at, self.zone),
            row.patient_name,
            row.mrn,
            row.date_of_birth.isoformat(),
            language_name(row.language),
            row.provider_name,
            "Signed" if row.signed else "Draft",
            str(row.sites),
            printed,
        )[index.column()]


class PrintLogModel(RowsTableModel[PrintRecord]):
    """Who printed an encounter's handout, when, in which language, how many copies.

    Times read in the clinic's zone ``zone``, with the zone.
    """

    zone = ""

    HEADERS = ("When", "Who", "Language", "Copies")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.row_at(index.row())
        return (
            local_timestamp(r.printed_at, self.zone),
            r.printed_by_name or "—",
            language_name(r.language),
            str(r.copies),
        )[index.column()]
