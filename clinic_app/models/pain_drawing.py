"""Where the patient hurts, drawn on the body map: one pain drawing per encounter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.models.base import Base, UTCDateTime, utcnow


class PainDrawing(Base):
    """The shaded cells of one encounter's pain drawing.

    ``cells`` is :meth:`clinic_app.domain.pain_drawing.PainDrawing.encode`'s compact text.
    ``version`` is SQLAlchemy's optimistic lock, as on the encounter: a save from a stale
    copy matches no row. Once the encounter is signed the database refuses any change
    (the triggers of migration 0017), and the signed snapshot holds the cells.
    """

    __tablename__ = "pain_drawing"

    encounter_id: Mapped[int] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), primary_key=True
    )
    cells: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy
