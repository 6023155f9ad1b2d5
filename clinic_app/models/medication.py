"""The clinic's formulary and the lots on its shelf."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_app.domain.formulary import DrugClass
from clinic_app.models.base import Base, ExactDecimal
from clinic_app.models.clinic import str_enum


class Medication(Base):
    """One product at one strength (``lidocaine_1`` = lidocaine 1% without epinephrine)."""

    __tablename__ = "medication"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    generic: Mapped[str] = mapped_column(String(100))
    drug_class: Mapped[DrugClass] = mapped_column(str_enum(DrugClass, "drug_class"))
    concentration: Mapped[Decimal] = mapped_column(ExactDecimal())
    concentration_unit: Mapped[str] = mapped_column(String(16))
    strength_label: Mapped[str] = mapped_column(String(40), default="")
    epinephrine: Mapped[bool] = mapped_column(Boolean, default=False)
    hcpcs_code: Mapped[str | None] = mapped_column(String(8))
    billing_unit_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    billing_unit: Mapped[str | None] = mapped_column(String(16))
    max_mg_per_kg: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    max_total_mg: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    triamcinolone_equivalent_factor: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    source: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    lots: Mapped[list[MedicationLot]] = relationship(back_populates="medication")


class MedicationLot(Base):
    """A manufacturer's lot of one medication, with its expiry date."""

    __tablename__ = "medication_lot"
    __table_args__ = (
        UniqueConstraint("medication_id", "lot_number", name="uq_medication_lot_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    medication_id: Mapped[int] = mapped_column(ForeignKey("medication.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[date] = mapped_column(Date)

    medication: Mapped[Medication] = relationship(back_populates="lots")
