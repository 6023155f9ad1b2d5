"""Whether an emergency access grant lets a user read a chart (asked by ``Service._permit``).

Kept apart from :mod:`clinic_app.services.emergency` (which gives grants) so that the base
service can ask without importing a service.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.emergency import SUPPORT_READS, grant_covers
from clinic_app.models import EmergencyAccess, Encounter
from clinic_app.models.base import utcnow


def active_patients(session: Session, user_id: int) -> set[int]:
    """The patients whose chart ``user_id`` may read now under an emergency grant."""
    now = utcnow()
    return set(
        session.scalars(
            select(EmergencyAccess.patient_id).where(
                EmergencyAccess.user_id == user_id,
                EmergencyAccess.granted_at <= now,
                EmergencyAccess.expires_at > now,
            )
        )
    )


def allows(
    session: Session,
    user_id: int,
    action: str,
    patient_id: int | None,
    encounter_id: int | None,
) -> bool:
    """Whether a grant of ``user_id`` covers ``action`` on this patient (or encounter's).

    The encounter's patient is looked up only when the user holds some active grant. A
    support read (:data:`~clinic_app.domain.emergency.SUPPORT_READS`, no patient's data)
    needs any active grant.
    """
    if not grant_covers(action):
        return False
    granted = active_patients(session, user_id)
    if not granted:
        return False
    if action in SUPPORT_READS:
        return True
    if patient_id is None and encounter_id is None:
        return False
    if patient_id is None:
        patient_id = session.scalar(
            select(Encounter.patient_id).where(Encounter.id == encounter_id)
        )
    return patient_id in granted


def may_lift(action: str) -> bool:
    """Whether an emergency grant could allow ``action`` at all (else no query is made)."""
    return grant_covers(action)
