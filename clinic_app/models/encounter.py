"""A procedure visit, its injection sites and the doses given at each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_app.domain.catalog import View
from clinic_app.domain.enums import (
    Aspiration,
    DoseUnit,
    EncounterStatus,
    Side,
    SkinPrep,
    Technique,
    Tolerance,
    TwitchResponse,
)
from clinic_app.models.base import Base, ExactDecimal, UTCDateTime, utcnow
from clinic_app.models.clinic import str_enum


class Encounter(Base):
    """One trigger point injection or dry needling session.

    ``version`` is SQLAlchemy's optimistic lock: an UPDATE from a stale copy matches no
    row and raises, instead of silently overwriting a colleague's edit.
    """

    __tablename__ = "encounter"
    __table_args__ = (
        CheckConstraint(
            "pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="pain_before_range"
        ),
        CheckConstraint(
            "pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_after_range"
        ),
        CheckConstraint(
            "prior_relief_percent IS NULL OR prior_relief_percent BETWEEN 0 AND 100",
            name="prior_relief_percent_range",
        ),
        CheckConstraint(
            "prior_relief_weeks IS NULL OR prior_relief_weeks BETWEEN 0 AND 104",
            name="prior_relief_weeks_range",
        ),
        CheckConstraint(
            "follow_up_weeks IS NULL OR follow_up_weeks BETWEEN 0 AND 52",
            name="follow_up_weeks_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    indication: Mapped[str] = mapped_column(Text, default="")
    icd10_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Screening answers keyed by question code (allergies_reviewed, anticoagulant, ...):
    # {"answer": bool, "note": str}. The question set is the rules engine's data (issue 4).
    screening: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_obtained: Mapped[bool] = mapped_column(Boolean, default=False)
    time_out_done: Mapped[bool] = mapped_column(Boolean, default=False)
    skin_prep: Mapped[SkinPrep | None] = mapped_column(str_enum(SkinPrep, "skin_prep"))
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    tolerance: Mapped[Tolerance | None] = mapped_column(str_enum(Tolerance, "tolerance"))
    complications: Mapped[str] = mapped_column(Text, default="")
    # Needle tip checked intact after withdrawal: None = not recorded (tpi-reference §6).
    needle_intact: Mapped[bool | None] = mapped_column(Boolean)
    # Where the patient went and in what state, e.g. "Home with a companion; stable".
    disposition: Mapped[str] = mapped_column(Text, default="")
    follow_up_plan: Mapped[str] = mapped_column(Text, default="")
    # Why pain after was not scored (documentation completeness, issue 8).
    pain_after_reason: Mapped[str] = mapped_column(Text, default="")
    # Relief the previous session gave, reported at this visit (percent, and weeks it lasted).
    prior_relief_percent: Mapped[int | None] = mapped_column(Integer)
    prior_relief_weeks: Mapped[int | None] = mapped_column(Integer)
    # Conservative treatment tried before injections (payers ask): free clinical text.
    conservative_treatment: Mapped[str] = mapped_column(Text, default="")
    # Structured follow-up printed on the handout: a date, or "in N weeks"; both None = the
    # clinic's default interval.
    follow_up_weeks: Mapped[int | None] = mapped_column(Integer)
    follow_up_date: Mapped[date | None] = mapped_column(Date)
    # Provider's words for the patient, per language code: {"en": "...", "es": "..."}.
    # Printed on the handout only in the language it was written in.
    handout_note: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[EncounterStatus] = mapped_column(
        str_enum(EncounterStatus, "encounter_status"), default=EncounterStatus.DRAFT, index=True
    )
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Warnings the provider overrode when signing: [{"rule", "message", "reason"}].
    override_reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # What was signed, frozen: canonical JSON of the signed content and its SHA-256 (hex).
    signed_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signed_digest: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    sites: Mapped[list[InjectionSite]] = relationship(
        back_populates="encounter",
        order_by="InjectionSite.order_number",
        cascade="all, delete-orphan",
    )
    addenda: Mapped[list[Addendum]] = relationship(
        back_populates="encounter", order_by="Addendum.created_at", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy


class Addendum(Base):
    """Text added to an encounter after signing; never edited."""

    __tablename__ = "encounter_addendum"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    encounter: Mapped[Encounter] = relationship(back_populates="addenda")


class InjectionSite(Base):
    """One needle location: muscle and side from the catalog, the exact point clicked."""

    __tablename__ = "injection_site"
    __table_args__ = (
        UniqueConstraint("encounter_id", "order_number", name="uq_injection_site_order"),
        CheckConstraint(
            "point_x BETWEEN 0 AND 1 AND point_y BETWEEN 0 AND 1", name="point_in_figure"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), index=True)
    order_number: Mapped[int] = mapped_column(Integer)
    muscle_code: Mapped[str] = mapped_column(String(64), index=True)
    side: Mapped[Side] = mapped_column(str_enum(Side, "side"))
    view: Mapped[View] = mapped_column(str_enum(View, "figure_view"))
    point_x: Mapped[float] = mapped_column(Float)
    point_y: Mapped[float] = mapped_column(Float)
    technique: Mapped[Technique] = mapped_column(str_enum(Technique, "technique"))
    needle_gauge: Mapped[int | None] = mapped_column(Integer)
    needle_length_in: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    twitch_response: Mapped[TwitchResponse] = mapped_column(
        str_enum(TwitchResponse, "twitch_response"), default=TwitchResponse.NOT_ASSESSED
    )
    aspiration: Mapped[Aspiration] = mapped_column(
        str_enum(Aspiration, "aspiration"), default=Aspiration.NOT_DONE
    )
    # Examination findings at the trigger point: None = not recorded.
    taut_band: Mapped[bool | None] = mapped_column(Boolean)
    jump_sign: Mapped[bool | None] = mapped_column(Boolean)
    referred_pain_reproduced: Mapped[bool | None] = mapped_column(Boolean)

    encounter: Mapped[Encounter] = relationship(back_populates="sites")
    doses: Mapped[list[SiteDose]] = relationship(
        back_populates="site", order_by="SiteDose.id", cascade="all, delete-orphan"
    )


class SiteDose(Base):
    """One medication given at one site; ``dose`` = concentration × volume, exact."""

    __tablename__ = "site_dose"
    __table_args__ = (CheckConstraint("volume_ml > 0", name="volume_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(
        ForeignKey("injection_site.id", ondelete="CASCADE"), index=True
    )
    medication_id: Mapped[int] = mapped_column(ForeignKey("medication.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("medication_lot.id"))
    volume_ml: Mapped[Decimal] = mapped_column(ExactDecimal())
    dose: Mapped[Decimal] = mapped_column(ExactDecimal())
    dose_unit: Mapped[DoseUnit] = mapped_column(str_enum(DoseUnit, "dose_unit"))
    # Typed reason when no lot was recorded for a product that has lots.
    lot_missing_reason: Mapped[str] = mapped_column(Text, default="")

    site: Mapped[InjectionSite] = relationship(back_populates="doses")
