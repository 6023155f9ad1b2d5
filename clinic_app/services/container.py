"""The set of services one running app uses, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from clinic_app.services.base import Actor
from clinic_app.services.checks import ChecksService
from clinic_app.services.clinic import ClinicService
from clinic_app.services.documents import DocumentService
from clinic_app.services.encounters import EncounterService
from clinic_app.services.notes import NoteService
from clinic_app.services.patients import PatientService


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
        close: releases the database connections (call once, when the app quits).
    """

    actor: Actor
    clinic: ClinicService
    patients: PatientService
    encounters: EncounterService
    checks: ChecksService
    notes: NoteService
    documents: DocumentService
    database_label: str
    is_sqlite: bool
    close: Callable[[], None] = _nothing


def build_services(
    sessions: sessionmaker[Session],
    database_label: str,
    *,
    is_sqlite: bool,
    close: Callable[[], None] = _nothing,
) -> AppServices:
    actor = Actor()
    return AppServices(
        actor=actor,
        clinic=ClinicService(sessions, actor),
        patients=PatientService(sessions, actor),
        encounters=EncounterService(sessions, actor),
        checks=ChecksService(sessions, actor),
        notes=NoteService(sessions, actor),
        documents=DocumentService(sessions, actor),
        database_label=database_label,
        is_sqlite=is_sqlite,
        close=close,
    )
