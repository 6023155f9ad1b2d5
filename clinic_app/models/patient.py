"""Patients: never deleted, only voided."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.validation import mrn_key
from clinic_app.models.base import Base, ExactDecimal, UTCDateTime, utcnow
from clinic_app.models.clinic import str_enum


class Patient(Base):
    """A person who receives injections.

    ``given_key`` and ``family_key`` hold the names folded for search (lower case, no
    accents), so "nguyen" finds "Nguyễn" with an index on any backend. ``mrn_key`` is the MRN
    NFC-normalised, trimmed and case-folded, kept in step with ``mrn`` on every assignment:
    its unique constraint makes "racexx" and "RACEXX" one record on every backend, however
    close together two workstations register them (migration 0011).
    """

    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mrn: Mapped[str] = mapped_column(String(32), unique=True)
    mrn_key: Mapped[str] = mapped_column(String(64), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    given_key: Mapped[str] = mapped_column(String(100), index=True)
    family_key: Mapped[str] = mapped_column(String(100), index=True)
    date_of_birth: Mapped[date] = mapped_column(Date, index=True)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"), default=Sex.UNKNOWN)
    weight_kg: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    weight_measured_on: Mapped[date | None] = mapped_column(Date)
    preferred_language: Mapped[Language] = mapped_column(
        str_enum(Language, "language"), default=Language.ENGLISH
    )
    phone: Mapped[str] = mapped_column(String(40), default="")
    allergies: Mapped[str] = mapped_column(Text, default="")
    # "No known drug allergies" as its own state (migration 0013): an empty ``allergies``
    # with this False means nobody recorded them yet.
    no_known_drug_allergies: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    anticoagulant: Mapped[bool] = mapped_column(Boolean, default=False)
    diabetes: Mapped[bool] = mapped_column(Boolean, default=False)
    pregnant_or_breastfeeding: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Which payer's coverage rules apply ("none", "medicare"; profiles are rules data).
    payer: Mapped[str] = mapped_column(String(32), default="none", server_default="none")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # Optimistic lock: two workstations editing one patient cannot silently overwrite.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy

    @validates("mrn")
    def _keep_mrn_key(self, _key: str, value: str) -> str:
        self.mrn_key = mrn_key(value)
        return value
