"""The FHIR R4 export of signed encounters (issue 14 §3): by encounter, by patient, or every
encounter signed since a day, as one Bundle for the clinic's main record.

Only signed encounters leave: each one's resources are built from the content stored when it
was signed, checked against its seal (a record altered since is refused, not exported), with
the signed procedure note PDF as printed. Every exported encounter gets an audit row
("fhir.export", with its patient) in the same transaction that builds the export. The
mapping to FHIR lives in :mod:`clinic_app.domain.fhir`; the codes in resources/fhir/codes.toml.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import EncounterStatus
from clinic_app.domain.errors import ConflictError, NotFoundError, ValidationError
from clinic_app.domain.fhir.bundle import CptCode, SignedEncounter, build_bundle
from clinic_app.domain.fhir.codes import default_codes
from clinic_app.domain.fhir.people import PatientFacts
from clinic_app.domain.fhir.visit import MeasureScore
from clinic_app.domain.rules import default_rules
from clinic_app.models import Encounter, Patient
from clinic_app.reports.note_data import NoteSeal
from clinic_app.services import rows
from clinic_app.services.base import Service
from clinic_app.services.documents import local_day_bounds
from clinic_app.services.notes import NoteService, note_from_snapshot
from clinic_app.services.snapshot import plain, seal_matches

#: The audit action of an export (one row per exported encounter).
ACTION = "fhir.export"


@dataclass(frozen=True, slots=True)
class FhirExport:
    """One export: the Bundle (plain JSON values) and what it holds."""

    bundle: Mapping[str, Any]
    encounters: int
    patients: int

    def json_bytes(self) -> bytes:
        """The Bundle as UTF-8 JSON, indented (what the file holds)."""
        return (json.dumps(self.bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class FhirExportService(Service):
    """Export signed encounters as a FHIR R4 Bundle."""

    def export_encounter(self, encounter_id: int) -> FhirExport:
        """One signed encounter.

        Raises:
            NotFoundError: no such encounter (or its patient was voided).
            ValidationError: the encounter is not signed.
            ConflictError: its signed content no longer matches its seal.
        """
        self._permit("fhir.export", encounter_id=encounter_id)
        with self._tx() as session:
            e = rows.load_encounter(session, encounter_id)
            if e.status is not EncounterStatus.SIGNED:
                raise ValidationError(
                    "encounter_id",
                    f"Encounter {encounter_id} is not signed: only signed encounters are "
                    "exported. Sign it first; nothing was exported.",
                )
            return self._export(session, [e])

    def export_patient(self, patient_id: int) -> FhirExport:
        """Every signed encounter of one patient, oldest first.

        Raises:
            NotFoundError: no such patient (or voided).
            ValidationError: the patient has no signed encounter.
        """
        self._permit("fhir.export", patient_id)
        with self._tx() as session:
            rows.load_patient(session, patient_id, active=True)
            found = session.scalars(
                select(Encounter)
                .where(
                    Encounter.patient_id == patient_id,
                    Encounter.status == EncounterStatus.SIGNED,
                )
                .order_by(Encounter.performed_at, Encounter.id)
            ).all()
            if not found:
                raise ValidationError(
                    "patient_id",
                    "This patient has no signed encounter to export; nothing was exported.",
                )
            return self._export(session, found)

    def export_since(self, since: date) -> FhirExport:
        """Every signed encounter signed on or after ``since`` (a day at the clinic).

        Raises:
            ValidationError: none was signed since then.
        """
        self._permit("fhir.export")
        if not isinstance(since, date):
            raise ValidationError("since", "Give the first day to export (a date).")
        with self._tx() as session:
            start, _ = local_day_bounds(since, rows.clinic_zone(session))
            found = session.scalars(
                select(Encounter)
                .join(Patient, Patient.id == Encounter.patient_id)
                .where(
                    Encounter.status == EncounterStatus.SIGNED,
                    Encounter.signed_at >= start,
                    Patient.voided_at.is_(None),
                )
                .order_by(Encounter.signed_at, Encounter.id)
            ).all()
            if not found:
                raise ValidationError(
                    "since",
                    f"No encounter was signed on or after {since.isoformat()}; "
                    "nothing was exported.",
                )
            return self._export(session, found)

    # ------------------------------------------------------------------ helpers
    def _export(self, session: Session, found: Sequence[Encounter]) -> FhirExport:
        patient_ids = sorted({e.patient_id for e in found})
        patients = {
            p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(patient_ids)))
        }
        if any(p.voided_at is not None for p in patients.values()):
            raise NotFoundError("This patient record was voided; nothing was exported.")
        signed = [self._signed(session, e) for e in found]
        book = default_rules()
        bundle = build_bundle(
            {pid: _facts(p) for pid, p in patients.items()},
            signed,
            codes=default_codes(),
            cpt={b.code: CptCode(b.code, b.technique, b.description) for b in book.cpt},
            icd10={code: entry.description for code, entry in book.icd10.entries.items()},
            timestamp=str(plain(self._clock())),
        )
        for e in found:
            # Patient data leaves the building: one row per encounter, naming its patient.
            self._audit(session, ACTION, "encounter", e.id, e.patient_id)
        return FhirExport(bundle, len(found), len(patients))

    @staticmethod
    def _signed(session: Session, e: Encounter) -> SignedEncounter:
        """The encounter's sealed content and its signed note PDF."""
        snap = e.signed_snapshot
        if snap is None or not seal_matches(snap, e.signed_digest):
            raise ConflictError(
                f"The signed content of encounter {e.id} no longer matches its seal (it was "
                "altered outside the app); nothing was exported. Print its note to see it."
            )
        from clinic_app.reports.note import render_note  # reportlab on first use

        # The note exactly as `clinic-app note` prints it for a signed encounter (its live
        # parts, addenda and the handout's print log, read by the note service's own readers).
        data = note_from_snapshot(
            snap,
            seal=NoteSeal(e.signed_digest or "", True),
            addenda=NoteService._addenda(session, e.id),
            prints=NoteService._prints(session, e.id),
        )
        # Outcome questionnaires taken at the visit are part of its seal (snapshot "measures").
        measures = tuple(
            MeasureScore(str(m["measure"]), Decimal(str(m["percent"])), str(m["taken_on"]))
            for m in snap.get("measures") or ()
        )
        return SignedEncounter(e.id, e.patient_id, snap, render_note(data), measures=measures)


def _facts(p: Patient) -> PatientFacts:
    return PatientFacts(
        id=p.id,
        mrn=p.mrn,
        given_name=p.given_name,
        family_name=p.family_name,
        birth_date=p.date_of_birth.isoformat(),
        sex=p.sex.value,
        phone=p.phone,
        language=p.preferred_language.value,
    )
