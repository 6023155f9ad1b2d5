"""Emergency access ("break the glass"): open a chart outside one's role, with a reason."""

from __future__ import annotations

from clinic_app.domain import emergency
from clinic_app.models import EmergencyAccess
from clinic_app.models.base import utcnow
from clinic_app.services import rows
from clinic_app.services.base import Service
from clinic_app.services.dto import EmergencyGrant


class EmergencyAccessService(Service):
    """Grants of emergency access; ``Service._permit`` honours them for chart reads."""

    def break_glass(self, patient_id: int, reason: str) -> EmergencyGrant:
        """Let the signed-in user read ``patient_id``'s chart for the next hour.

        Only the reads of :data:`clinic_app.domain.emergency.READS` on that one patient are
        allowed, never a change. The grant and its reason are stored and the audit row
        "emergency.access" is written in the same transaction (the report flags both it and
        every chart read made under it).

        Raises:
            ValidationError: the reason is empty or too short.
            NotFoundError: there is no such patient.
        """
        self._permit("emergency.access")
        text = emergency.clean_reason(reason)
        with self._tx() as session:
            patient = rows.load_patient(session, patient_id)
            now = utcnow()
            grant = EmergencyAccess(
                user_id=self._actor.user_id,
                patient_id=patient.id,
                reason=text,
                granted_at=now,
                expires_at=emergency.grant_expiry(now),
            )
            session.add(grant)
            session.flush()
            self._audit(session, emergency.ACTION, "emergency_access", grant.id, patient.id)
            return EmergencyGrant(grant.id, patient.id, grant.expires_at)
