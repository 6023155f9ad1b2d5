"""The clinic profile and the people who use the app."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from clinic_app.domain.enums import Language, Role
from clinic_app.models.base import Base, ExactDecimal, UTCDateTime, utcnow


def str_enum(enum_cls: type, name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, stored by value."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class ClinicProfile(Base):
    """The one clinic this database belongs to (a single row).

    ``is_demo`` marks a database made by ``clinic-app seed-demo``; the app shows a banner on it
    and refuses to seed over a real one.
    """

    __tablename__ = "clinic_profile"
    __table_args__ = (
        CheckConstraint("activity_restriction_hours BETWEEN 0 AND 336", name="activity_hours"),
        CheckConstraint("follow_up_weeks BETWEEN 0 AND 52", name="follow_up_weeks"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    after_hours_phone: Mapped[str] = mapped_column(String(40), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    default_language: Mapped[Language] = mapped_column(
        str_enum(Language, "language"), default=Language.ENGLISH
    )
    # Handout settings (tpi-reference §7): fever threshold 100.4 °F / 38 °C (seed 002),
    # 48 h without strenuous activity (seed 000), follow-up every few weeks (seed 000).
    fever_threshold_c: Mapped[Decimal] = mapped_column(ExactDecimal(), default=Decimal("38.0"))
    activity_restriction_hours: Mapped[int] = mapped_column(Integer, default=48)
    follow_up_weeks: Mapped[int] = mapped_column(Integer, default=3)
    # How old a weight may be before dose limits fall back to the absolute cap (issue 4).
    weight_max_age_days: Mapped[int] = mapped_column(Integer, default=180)
    # IANA time zone of the clinic ("America/Chicago"); "" = this computer's zone.
    timezone: Mapped[str] = mapped_column(String(64), default="")
    # Minutes without keyboard or mouse input before every window locks (migration 0009).
    idle_lock_minutes: Mapped[int] = mapped_column(Integer, default=10, server_default=text("10"))
    # Clinic choices on rules that allow it: {rule_id: {"severity": "warning", "reason": ...}}.
    rule_overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # The skin prep the encounter form starts with (a SkinPrep value; NULL = none chosen).
    default_skin_prep: Mapped[str | None] = mapped_column(
        String(32), default="chlorhexidine", server_default="chlorhexidine"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic lock (migration 0011): two administrators saving the settings at once
    # cannot silently overwrite each other.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy

    @property
    def handout_progress(self) -> bool:
        """Whether the handout prints the patient's pain at the first visit and today.

        A clinic setting kept in the profile's JSON (``rule_overrides``, key
        :data:`HANDOUT_PROGRESS_KEY`) rather than a column of its own: no migration, and the
        rules' readers look up rule ids only, so the key is invisible to them. Off unless set.
        """
        return (self.rule_overrides or {}).get(HANDOUT_PROGRESS_KEY) is True

    @handout_progress.setter
    def handout_progress(self, on: bool) -> None:
        stored = {k: v for k, v in (self.rule_overrides or {}).items() if k != HANDOUT_PROGRESS_KEY}
        if on:
            stored[HANDOUT_PROGRESS_KEY] = True
        self.rule_overrides = stored  # a new dict: JSON columns track assignment


#: The clinic profile JSON's key of the "your progress" handout line (issue 14 §1).
HANDOUT_PROGRESS_KEY = "handout.show_progress"


class User(Base):
    """Someone who signs in, holding one or more roles: provider, nurse, front desk, admin.

    What each role may do is the permission matrix (:mod:`clinic_app.domain.access`); an
    administrator who also sees patients (the first user made at setup) holds both roles.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(40), default="")
    # National Provider Identifier (10 digits) for providers; "" when not one.
    npi: Mapped[str] = mapped_column(String(10), default="", server_default=text("''"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Sign-in protection (migration 0008): wrong passwords in a row, and until when the
    # account waits before it may be tried again (clinic_app/domain/sign_in.py).
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by an administrator's password reset: a new password is chosen at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )
    # Optimistic lock (migration 0012): every UPDATE of the row bumps it and checks the
    # version read, so an administrator's change from a stale copy of the account is refused.
    # A change of roles only (rows of user_role) bumps it too: see ``touch``.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by SQLAlchemy

    @property
    def roles(self) -> frozenset[Role]:
        """The roles the account holds (a deactivated account keeps them but may use none)."""
        return frozenset(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, roles: frozenset[Role]) -> None:
        """Hold exactly ``roles`` (the rows of roles kept stay as they are)."""
        kept = [row for row in self.role_rows if row.role in roles]
        held = {row.role for row in kept}
        self.role_rows = kept + [UserRole(role=role) for role in sorted(roles - held)]

    def touch(self) -> None:
        """Make the next flush UPDATE this row (bumping ``version``) even when only rows of
        other tables changed (the roles): the account as a whole is what an administrator
        read."""
        flag_modified(self, "display_name")


class UserRole(Base):
    """One role a user holds (a user holds each role at most once)."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)


class UserPreference(Base):
    """One user's own charting defaults (migration 0013), kept apart from the account.

    ``charting`` holds ``{"favourite": code, "needle_gauge": int, "needle_length_in": str}``
    (each optional): what new sites of this provider start with. A separate row, so saving
    a default never moves the ``app_user`` version an administrator edits.
    """

    __tablename__ = "user_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    charting: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
