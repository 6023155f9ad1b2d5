"""Who did what, and which handouts left the building."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.enums import Language
from clinic_app.models.base import Base, UTCDateTime, utcnow
from clinic_app.models.clinic import str_enum


class AuditEvent(Base):
    """One user action on clinical data. Holds ids, never names or clinical text.

    Append-only (migration 0007's triggers refuse UPDATE and DELETE) and sealed into a hash
    chain (:mod:`clinic_app.domain.audit_chain`): ``seq``, ``key_id``, ``prev_hmac`` and
    ``hmac`` are ``None`` only on rows written before the chain existed.

    Attributes:
        workstation: a short host label of the computer that wrote the row.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patient.id"), index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    workstation: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    key_id: Mapped[str | None] = mapped_column(String(16))
    prev_hmac: Mapped[str | None] = mapped_column(String(64))
    hmac: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The last sealed audit entry's number and seal, itself sealed: one row (id 1).

    Kept apart from ``audit_event`` so that cutting entries off the end of that table is
    seen; its triggers refuse DELETE and any UPDATE that does not advance ``seq`` by one.
    Appending locks this row (``SELECT ... FOR UPDATE`` on PostgreSQL), which serialises
    the writers of the chain.
    """

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    last_hmac: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    hmac: Mapped[str] = mapped_column(String(64))


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
