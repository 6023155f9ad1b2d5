"""Patients: never deleted, only voided."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from clinic_app.domain.enums import Language, Sex
from clinic_app.domain.validation import mrn_key, search_tokens
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
    __table_args__ = (
        # The alphabetical list (an empty search) reads the first rows of this index, no sort.
        Index("ix_patient_family_given_id", "family_key", "given_key", "id"),
    )

    search_tokens: Mapped[list[PatientSearchToken]] = relationship(
        back_populates="patient", cascade="all, delete-orphan"
    )

    @validates("mrn")
    def _keep_mrn_key(self, _key: str, value: str) -> str:
        self.mrn_key = mrn_key(value)
        return value


#: Byte order on PostgreSQL (``COLLATE "C"``), as SQLite compares: a prefix is then the range
#: ``token >= prefix AND token < next(prefix)`` on the index, in any locale.
_TOKEN = String(100).with_variant(String(100, collation="C"), "postgresql")


class PatientSearchToken(Base):
    """One searchable word of a patient, folded as stored (see :func:`search_tokens`).

    ``kind`` is ``"n"`` for a word of the given or family name and ``"m"`` for the whole MRN
    key. Search asks for a token range per word typed, so no query scans the patient table
    (issue 13). Kept in step with the patient by :func:`_keep_search_tokens` on every flush
    that adds a patient or changes a name or the MRN.
    """

    __tablename__ = "patient_search_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(1))
    token: Mapped[str] = mapped_column(_TOKEN)

    patient: Mapped[Patient] = relationship(back_populates="search_tokens")

    __table_args__ = (
        Index("ix_patient_search_token_lookup", "kind", "token", "patient_id"),
        Index("ix_patient_search_token_patient", "patient_id"),
    )


def wanted_tokens(patient: Patient) -> set[tuple[str, str]]:
    """The (kind, token) pairs ``patient`` should have."""
    names = search_tokens(f"{patient.given_key or ''} {patient.family_key or ''}")
    wanted = {("n", t) for t in names}
    if patient.mrn_key:
        wanted.add(("m", patient.mrn_key))
    return wanted


_TOKEN_SOURCES = ("given_key", "family_key", "mrn_key")


@event.listens_for(Session, "before_flush")
def _keep_search_tokens(session: Session, _context: Any, _instances: Any) -> None:
    """Add and remove the search tokens of every new patient and of every patient whose name or
    MRN changed, in the same flush (so in the same transaction) as the change itself."""
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Patient):
            continue
        state = inspect(obj)
        if not state.pending and not any(
            state.attrs[name].history.has_changes() for name in _TOKEN_SOURCES
        ):
            continue
        wanted = wanted_tokens(obj)
        have = {(t.kind, t.token): t for t in obj.search_tokens}
        for key, row in have.items():
            if key not in wanted:
                obj.search_tokens.remove(row)
        for kind, token in sorted(wanted - have.keys()):
            obj.search_tokens.append(PatientSearchToken(kind=kind, token=token))
