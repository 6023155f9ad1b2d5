"""Import patients from another system's file: a preview first, then all or nothing.

The rows come from :mod:`clinic_app.domain.patient_import_fhir` or
:mod:`clinic_app.domain.patient_import_csv`. Each row is checked with the patient form's own
checks (:func:`clinic_app.services.patients.clean_patient`), so an imported patient is one the
form could have registered. A row whose MRN is already registered, or appears earlier in the
file, is a duplicate: reported and skipped, never merged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clinic_app.domain import clock
from clinic_app.domain import validation as v
from clinic_app.domain.errors import ConflictError, InvalidFieldsError, ValidationError
from clinic_app.domain.patient_import import ImportRow, ImportStatus, PatientFields
from clinic_app.models import Patient, PatientSearchToken
from clinic_app.models.patient import wanted_tokens
from clinic_app.services.base import Service
from clinic_app.services.changes import Topic
from clinic_app.services.dto import PatientInput
from clinic_app.services.patients import clean_patient
from clinic_app.storage.changes import notify

log = logging.getLogger(__name__)

#: Patients written per flush (one multi-row INSERT each); progress is told after each.
CHUNK = 500
#: MRNs looked up per query (well under every backend's limit on bound parameters).
LOOKUP = 500
#: Invalid lines a refusal names before "and N more".
NAMED_LINES = 10
#: The tables written in bulk (Core INSERTs: the unit of work's bookkeeping is not needed).
_PATIENTS = cast(Table, Patient.__table__)
_TOKENS = cast(Table, PatientSearchToken.__table__)
#: (patients written so far, patients to write): called after each chunk, on the calling thread.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportVerdict:
    """What the import does with one row, and why.

    Attributes:
        row: the row as read from the file.
        status: new, duplicate or invalid.
        reasons: why a row is a duplicate or invalid, one sentence per problem.
    """

    row: ImportRow
    status: ImportStatus
    reasons: tuple[str, ...] = ()

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def fields(self) -> PatientFields:
        return self.row.fields


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """Every row of the file with its verdict, in file order."""

    rows: tuple[ImportVerdict, ...]

    def count(self, status: ImportStatus) -> int:
        return sum(1 for verdict in self.rows if verdict.status is status)

    def new_rows(self) -> list[ImportRow]:
        """The rows an import would register."""
        return [verdict.row for verdict in self.rows if verdict.status is ImportStatus.NEW]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did.

    Attributes:
        imported: patients registered.
        duplicates: rows skipped because their MRN was registered already (or earlier in the
            file).
    """

    imported: int
    duplicates: tuple[ImportVerdict, ...]


def _input(fields: PatientFields) -> PatientInput:
    return PatientInput(
        mrn=fields.mrn,
        given_name=fields.given_name,
        family_name=fields.family_name,
        date_of_birth=fields.date_of_birth,
        sex=fields.sex,
        preferred_language=fields.preferred_language,
        phone=fields.phone,
    )


def _problems(row: ImportRow, today: date) -> tuple[list[ValidationError], dict[str, object]]:
    """The row's problems (what the file could not say, then what the form refuses), and its
    values when it has none."""
    problems = list(row.errors)
    try:
        values = clean_patient(_input(row.fields), today)
    except InvalidFieldsError as exc:
        refused = list(exc.errors)
    except ValidationError as exc:
        refused = [exc]
    else:
        return problems, {} if problems else values
    # A field the file could not say (an unreadable date) is not also "required".
    unread = {p.field for p in problems}
    return problems + [e for e in refused if e.field not in unread], {}


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    """Register ``rows`` (cleaned values) with one multi-row INSERT per table.

    Ten thousand patients through the unit of work take seconds of bookkeeping; these rows
    need none of it. What the ORM would have added is added here from the model's own rules:
    ``mrn_key`` (its validator runs on a transient Patient), the first version, and the
    search tokens (:func:`clinic_app.models.patient.wanted_tokens`).
    """
    patients = [Patient(**values) for values in rows]
    session.execute(
        insert(_PATIENTS),
        [
            {**values, "mrn_key": p.mrn_key, "version": 1}
            for values, p in zip(rows, patients, strict=True)
        ],
    )
    # The new ids, by the unique MRN key (an executemany returns no ids on every backend).
    keys = [p.mrn_key for p in patients]
    found = session.execute(select(Patient.mrn_key, Patient.id).where(Patient.mrn_key.in_(keys)))
    ids = dict(found.all())
    tokens = [
        {"patient_id": ids[patient.mrn_key], "kind": kind, "token": token}
        for patient in patients
        for kind, token in sorted(wanted_tokens(patient))
    ]
    session.execute(insert(_TOKENS), tokens)


def _checked_rows(rows: object) -> list[ImportRow]:
    if not isinstance(rows, list | tuple) or not all(isinstance(r, ImportRow) for r in rows):
        raise ValidationError("rows", "The rows to import are missing.")
    return list(rows)


class PatientImportService(Service):
    """The front desk's (and the administrator's) import of patients from a file."""

    @staticmethod
    def _taken(session: Session, keys: Iterable[str]) -> set[str]:
        """Which of the MRN keys ``keys`` are registered (voided patients included)."""
        wanted = sorted(set(keys))
        taken: set[str] = set()
        for start in range(0, len(wanted), LOOKUP):
            batch = wanted[start : start + LOOKUP]
            taken.update(session.scalars(select(Patient.mrn_key).where(Patient.mrn_key.in_(batch))))
        return taken

    def _verdicts(
        self, session: Session, rows: Sequence[ImportRow], today: date
    ) -> tuple[list[ImportVerdict], dict[int, dict[str, object]]]:
        """Each row's verdict, and the values of the new ones by position in ``rows``."""
        checked = [_problems(row, today) for row in rows]
        taken = self._taken(
            session, (v.mrn_key(str(values["mrn"])) for _p, values in checked if values)
        )
        first_line: dict[str, int] = {}
        verdicts: list[ImportVerdict] = []
        new: dict[int, dict[str, object]] = {}
        for at, (row, (problems, values)) in enumerate(zip(rows, checked, strict=True)):
            if problems:
                reasons = tuple(p.message for p in problems)
                verdicts.append(ImportVerdict(row, ImportStatus.INVALID, reasons))
                continue
            mrn = str(values["mrn"])
            key = v.mrn_key(mrn)
            if key in taken:
                reason = f"MRN {mrn} is already registered."
            elif key in first_line:
                reason = f"MRN {mrn} is also on line {first_line[key]}."
            else:
                first_line[key] = row.line
                new[at] = values
                verdicts.append(ImportVerdict(row, ImportStatus.NEW))
                continue
            verdicts.append(ImportVerdict(row, ImportStatus.DUPLICATE, (reason,)))
        return verdicts, new

    def preview(self, rows: Sequence[ImportRow], today: date | None = None) -> ImportPreview:
        """Which rows are new, which duplicate a registered MRN (or an earlier row), which are
        invalid and why. Reads only the MRNs; writes nothing."""
        self._permit("patient.import")
        checked = _checked_rows(rows)
        with self._tx() as session:
            verdicts, _new = self._verdicts(session, checked, today or clock.today())
            return ImportPreview(tuple(verdicts))

    def commit(
        self,
        rows: Sequence[ImportRow],
        today: date | None = None,
        *,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Register the new patients of ``rows`` in one transaction: all of them or none.

        Duplicates are skipped and reported. An invalid row refuses the whole import (import
        the rows the preview shows as new); so does any failure on the way, a database error
        or an exception raised by ``progress`` (how a cancel stops it), and nothing is saved.
        One audit row records the import and how many patients it registered.

        Raises:
            ValidationError: some rows are invalid (their lines are named).
            ConflictError: another workstation registered one of the MRNs meanwhile.
        """
        self._permit("patient.import")
        checked = _checked_rows(rows)
        with self._tx() as session:
            verdicts, new = self._verdicts(session, checked, today or clock.today())
            invalid = [
                verdict.line for verdict in verdicts if verdict.status is ImportStatus.INVALID
            ]
            if invalid:
                named = ", ".join(str(line) for line in invalid[:NAMED_LINES])
                more = (
                    f" and {len(invalid) - NAMED_LINES} more" if len(invalid) > NAMED_LINES else ""
                )
                raise ValidationError(
                    "rows",
                    f"{len(invalid)} rows are invalid (lines {named}{more}); nothing was "
                    "imported. Correct them in the file, or import only the new rows.",
                )
            values = list(new.values())
            try:
                for start in range(0, len(values), CHUNK):
                    _insert(session, values[start : start + CHUNK])
                    if progress is not None:
                        progress(min(start + CHUNK, len(values)), len(values))
            except IntegrityError:
                raise ConflictError(
                    "Another workstation registered one of these MRNs during the import. "
                    "Nothing was imported; preview the file again."
                ) from None
            if values:
                # The bulk INSERTs bypass the flush that announces a change: say it here.
                notify(session.connection(), {Topic.PATIENTS})
            duplicates = tuple(v for v in verdicts if v.status is ImportStatus.DUPLICATE)
            # One row for the whole import: how many it registered (never who).
            self._audit(session, "patient.import", "patient_import", len(values))
            log.info(
                "patient import: %d registered, %d duplicates skipped",
                len(values),
                len(duplicates),
            )
            return ImportResult(len(values), duplicates)
