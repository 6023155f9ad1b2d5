"""The clinic's formulary and the lots on its shelf."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_app.domain.formulary import DrugClass
from clinic_app.models.base import Base, ExactDecimal, UTCDateTime, utcnow
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
    """A manufacturer's lot of one medication, with its expiry date and what was received.

    Stock is counted in mL, the unit every dose row charts (``site_dose.volume_ml``): a lot of
    ten 5 mL vials is received as 50 mL, and each charted dose draws its volume from it. What
    is left is never stored: it is the quantity received less the doses charted with the lot
    and the recorded adjustments (:mod:`clinic_app.services.lot_stock`), so undoing a dose,
    discarding a draft or voiding a patient registered in error gives the stock back on every
    workstation at once. ``quantity_ml`` is None for lots added before migration 0014 (stock
    not tracked).

    ``version`` is SQLAlchemy's optimistic lock: an edit from a stale copy is refused.
    """

    __tablename__ = "medication_lot"
    __table_args__ = (
        UniqueConstraint("medication_id", "lot_number", name="uq_medication_lot_number"),
        CheckConstraint("quantity_ml IS NULL OR quantity_ml > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    medication_id: Mapped[int] = mapped_column(ForeignKey("medication.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(64))
    expires_on: Mapped[date] = mapped_column(Date)
    # Migration 0014: what was received, from whom, when and by whom; recalled lots are kept
    # (their doses still name them) but never offered for a new dose.
    quantity_ml: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    supplier: Mapped[str] = mapped_column(String(200), default="", server_default=text("''"))
    received_on: Mapped[date | None] = mapped_column(Date)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recalled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy

    medication: Mapped[Medication] = relationship(back_populates="lots")


class LotAdjustment(Base):
    """Stock taken off (wastage, breakage: positive) or found (a count: negative), in mL."""

    __tablename__ = "lot_adjustment"
    __table_args__ = (CheckConstraint("quantity_ml <> 0", name="quantity_not_zero"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("medication_lot.id"), index=True)
    quantity_ml: Mapped[Decimal] = mapped_column(ExactDecimal())
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
