"""Loading the rows a use case works on, the same way in every service.

Each function reads inside the caller's transaction and raises the error a user can read
(``NotFoundError``, ``ConflictError``, a ``ValidationError`` for an id no row can have, such
as 10**20, which SQLite cannot even bind) instead of handing back ``None``; the services are
siblings that share these, not subclasses that inherit them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain import fields
from clinic_app.domain.enums import EncounterStatus, Role
from clinic_app.domain.errors import ConflictError, NotFoundError, StaleVersionError
from clinic_app.models import ClinicProfile, Encounter, InjectionSite, Medication, Patient, User

SIGNED_READ_ONLY = "This encounter is signed; add an addendum instead of editing."


def load_encounter(session: Session, encounter_id: int, *, for_edit: bool = False) -> Encounter:
    """The encounter with its sites and doses; ``for_edit`` refuses a signed one."""
    fields.check_id("encounter_id", encounter_id, label="Encounter")
    encounter = session.scalars(
        select(Encounter)
        .where(Encounter.id == encounter_id)
        .options(selectinload(Encounter.sites).selectinload(InjectionSite.doses))
    ).first()
    if encounter is None:
        raise NotFoundError(f"No encounter with id {encounter_id}.")
    if for_edit and encounter.status != EncounterStatus.DRAFT:
        raise ConflictError(SIGNED_READ_ONLY)
    return encounter


def load_patient(session: Session, patient_id: int, *, active: bool = False) -> Patient:
    """The patient; ``active`` also refuses a voided one (as if it did not exist)."""
    fields.check_id("patient_id", patient_id, label="Patient")
    patient = session.get(Patient, patient_id)
    if patient is None or (active and patient.voided_at is not None):
        kind = "active patient" if active else "patient"
        raise NotFoundError(f"No {kind} with id {patient_id}.")
    return patient


def active_provider(session: Session, user_id: int | None) -> User | None:
    """The user if it is an active provider, else ``None`` (each caller words the refusal)."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or Role.PROVIDER not in user.roles:
        return None
    return user


def check_version(found: int, expected: int | None, message: str) -> None:
    """Refuse a change made from a stale copy: ``expected`` is the version the screen loaded.

    ``None`` means the caller did not load one (nothing to compare).
    """
    if expected is not None and found != expected:
        raise StaleVersionError(message)


def clinic_profile(session: Session) -> ClinicProfile | None:
    """The clinic's profile (``None`` before first-run setup)."""
    return session.scalars(select(ClinicProfile).order_by(ClinicProfile.id)).first()


def clinic_zone(session: Session) -> str:
    """The clinic's IANA zone name ("" = this computer's zone)."""
    return session.scalar(select(ClinicProfile.timezone).limit(1)) or ""


def medication_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Medication.id, Medication.name)).all())


def user_label(user: User | None) -> str:
    """ "Ana Ruiz, MD", or "?" for a missing account."""
    if user is None:
        return "?"
    return f"{user.display_name}, {user.credentials}" if user.credentials else user.display_name
