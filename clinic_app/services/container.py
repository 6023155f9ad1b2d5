"""The set of services one running app uses, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from clinic_app.services.audit import AuditService
from clinic_app.services.audit_chain import AuditSeal, installation_seal
from clinic_app.services.backup import BackupService
from clinic_app.services.base import Actor
from clinic_app.services.changes import ChangeFeed, track_changes
from clinic_app.services.checks import ChecksService
from clinic_app.services.clinic import ClinicService
from clinic_app.services.documents import DocumentService
from clinic_app.services.emergency import EmergencyAccessService
from clinic_app.services.encounters import EncounterService
from clinic_app.services.fhir_export import FhirExportService
from clinic_app.services.lots import LotService
from clinic_app.services.notes import NoteService
from clinic_app.services.outcome_measures import OutcomeMeasureService
from clinic_app.services.pain_drawing import PainDrawingService
from clinic_app.services.patient_import import PatientImportService
from clinic_app.services.patients import PatientService
from clinic_app.services.preferences import PreferenceService
from clinic_app.services.progress import ProgressService
from clinic_app.services.users import UserService


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class AppServices:
    """Everything the GUI may call: sibling services sharing one actor and one database.

    Attributes:
        actor: who is signed in on this workstation (set by setup or sign-in).
        encounters: the encounter record (open, read, save the draft, repeat, addenda).
        checks: the live checks and signing.
        notes: the procedure note.
        database_label: where the data lives, safe to show (no password).
        is_sqlite: True for the embedded single-file database.
        audit: the audit trail's check and report (the administrator's).
        emergency: emergency access to a chart outside one's role ("break the glass").
        users: the administrator's user accounts.
        backups: back up now, restore, the automatic daily backup.
        preferences: the signed-in user's own charting defaults.
        lots: medication lots and stock, the lot recall search.
        fhir: the FHIR R4 export of signed encounters.
        patient_import: patients imported from another system's file (issue 14 §3).
        measures: the patients' outcome questionnaires (NDI, ODI).
        progress: a patient's series of visits (the Progress view) and its report.
        pain_drawings: an encounter's pain drawing and the muscles it suggests.
        close: releases the database connections (call once, when the app quits).
        changes: what other workstations commit (the screens' live refresh).
    """

    actor: Actor
    clinic: ClinicService
    patients: PatientService
    encounters: EncounterService
    checks: ChecksService
    notes: NoteService
    documents: DocumentService
    audit: AuditService
    users: UserService
    emergency: EmergencyAccessService
    backups: BackupService
    preferences: PreferenceService
    lots: LotService
    fhir: FhirExportService
    patient_import: PatientImportService
    measures: OutcomeMeasureService
    progress: ProgressService
    pain_drawings: PainDrawingService
    database_label: str
    is_sqlite: bool
    close: Callable[[], None] = _nothing
    changes: ChangeFeed = field(default_factory=lambda: ChangeFeed(None))


def build_services(
    sessions: sessionmaker[Session],
    database_label: str,
    *,
    is_sqlite: bool,
    close: Callable[[], None] = _nothing,
    seal: AuditSeal | None = None,
) -> AppServices:
    """One set of services sharing ``sessions``, one actor and one audit ``seal`` (by default
    the installation key in the per-user config folder)."""
    actor = Actor()
    # The workstation's audit anchor files this database under its label.
    seal = replace(seal or installation_seal(), database=database_label)
    track_changes(sessions)  # every commit tells the other workstations what it changed
    return AppServices(
        actor=actor,
        clinic=ClinicService(sessions, actor, seal=seal),
        patients=PatientService(sessions, actor, seal=seal),
        encounters=EncounterService(sessions, actor, seal=seal),
        checks=ChecksService(sessions, actor, seal=seal),
        notes=NoteService(sessions, actor, seal=seal),
        documents=DocumentService(sessions, actor, seal=seal),
        audit=AuditService(sessions, actor, seal=seal),
        users=UserService(sessions, actor, seal=seal),
        emergency=EmergencyAccessService(sessions, actor, seal=seal),
        backups=BackupService(sessions, actor, seal=seal),
        preferences=PreferenceService(sessions, actor, seal=seal),
        lots=LotService(sessions, actor, seal=seal),
        fhir=FhirExportService(sessions, actor, seal=seal),
        patient_import=PatientImportService(sessions, actor, seal=seal),
        measures=OutcomeMeasureService(sessions, actor, seal=seal),
        progress=ProgressService(sessions, actor, seal=seal),
        pain_drawings=PainDrawingService(sessions, actor, seal=seal),
        database_label=database_label,
        is_sqlite=is_sqlite,
        close=close,
        changes=ChangeFeed(sessions),
    )
