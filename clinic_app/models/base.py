"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData, Numeric, String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

from clinic_app.domain import clock
from clinic_app.domain.quantities import plain_decimal

# One naming convention, so that Alembic names (and can later drop) every constraint the
# same way on SQLite and PostgreSQL (SQLAlchemy core/constraints.rst).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC (used as a callable column default)."""
    return clock.now()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC on every backend.

    SQLite has no time zones, so values come back naive; they were written as UTC, so
    UTC is attached on the way out. Naive values are refused on the way in: a naive
    time is a bug (whose clock was it?).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact decimal quantity (mL, mg, units, kg).

    PostgreSQL stores NUMERIC(12, 4). SQLite has no exact decimal type and would go
    through a float, so there the canonical string form is stored instead.
    """

    impl = Numeric(12, 4)
    cache_ok = True
    SCALE = Decimal("0.0001")

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(24))
        return dialect.type_descriptor(Numeric(12, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"ExactDecimal needs a Decimal, got {type(value).__name__}")
        quantized = value.quantize(self.SCALE)
        if quantized != value:
            raise ValueError(f"{value} has more than 4 decimal places")
        return format(plain_decimal(quantized), "f") if dialect.name == "sqlite" else quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return plain_decimal(Decimal(str(value)))


class Base(DeclarativeBase):
    """Base class of every table; one MetaData with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
