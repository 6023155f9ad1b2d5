"""The set of services one running app uses, built once by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from clinic_app.services.base import Actor
from clinic_app.services.checks import ChecksService
from clinic_app.services.clinic import ClinicService
from clinic_app.services.documents import DocumentService
from clinic_app.services.patients import PatientService


def _nothing() -> None:
    return None


@dataclass(frozen=True, slots=True)
class AppServices:
    """Everything the GUI may call.

    Attributes:
        actor: who is signed in on this workstation (set by setup or sign-in).
        database_label: where the data lives, safe to show (no password).
        is_sqlite: True for the embedded single-file database.
        close: releases the database connections (call once, when the app quits).
    """

    actor: Actor
    clinic: ClinicService
    patients: PatientService
    encounters: ChecksService
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
        encounters=ChecksService(sessions, actor),
        documents=DocumentService(sessions, actor),
        database_label=database_label,
        is_sqlite=is_sqlite,
        close=close,
    )
