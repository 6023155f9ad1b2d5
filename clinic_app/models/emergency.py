"""Emergency access grants ("break the glass"): who opened whose chart outside their role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.models.base import Base, UTCDateTime, utcnow


class EmergencyAccess(Base):
    """One emergency access: a user may read one patient's chart until ``expires_at``.

    The reason is what the user typed (it may name the emergency, so it stays in this table
    and is shown only in the administrator's audit screen; the audit row holds ids only).
    Never changed or deleted by the app: an expired grant simply stops allowing reads.
    """

    __tablename__ = "emergency_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
