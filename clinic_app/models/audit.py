"""Who did what, and which handouts left the building."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.enums import Language
from clinic_app.models.base import Base, UTCDateTime, utcnow
from clinic_app.models.clinic import str_enum


class AuditEvent(Base):
    """One user action on clinical data. Holds ids, never names or clinical text."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)


class HandoutPrint(Base):
    """One printing (or PDF save) of an aftercare handout."""

    __tablename__ = "handout_print"
    __table_args__ = (CheckConstraint("copies BETWEEN 1 AND 50", name="copies_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    language: Mapped[Language] = mapped_column(str_enum(Language, "language"))
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    copies: Mapped[int] = mapped_column(Integer, default=1)
