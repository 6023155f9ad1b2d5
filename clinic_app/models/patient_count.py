"""The number of patients not voided, kept by the database itself (issue 13)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.models.base import Base


class PatientCount(Base):
    """One row (id 1): how many patients are not voided.

    Triggers on ``patient`` (migration 0018) change it in the same transaction as every
    insert, delete and void, whoever writes (the app, an import, a bulk load), so the status
    bar reads one row instead of counting the table. The app never writes it.
    """

    __tablename__ = "patient_count"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    active: Mapped[int] = mapped_column(Integer)
