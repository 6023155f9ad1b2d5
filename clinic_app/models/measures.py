"""Outcome measure responses: one completed questionnaire (NDI, ODI...) of one patient."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.models.base import Base, UTCDateTime, utcnow


class MeasureResponse(Base):
    """One questionnaire as the patient answered it, with its score.

    ``answers`` holds one score (0-5) per section in questionnaire order, ``null`` for a
    section left unanswered; ``total``, ``answered``, ``percent`` and ``band`` are what the
    scoring rule of ``measure`` at ``measure_version`` made of them when it was recorded
    (kept, so a later change of the data file never rewrites an old score).

    Never updated or deleted by the app: a correction is a new response (the latest of a
    visit counts). Once its visit is signed, the database refuses any change (migration 0016).
    """

    __tablename__ = "measure_response"
    __table_args__ = (
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint("answered >= 1", name="answered_positive"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    measure: Mapped[str] = mapped_column(String(20))
    measure_version: Mapped[str] = mapped_column(String(40))
    answers: Mapped[list[int | None]] = mapped_column(JSON)
    answered: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    percent: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(60))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
