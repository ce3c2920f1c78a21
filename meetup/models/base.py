"""The declarative base, constraint naming convention and shared column types."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite keeps no offset, so values are stored as naive UTC there and given
    their zone back on load; naive input is refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class EnumSet(TypeDecorator):
    """A set of an enum's members, stored as their values joined by commas in
    a fixed order ("gluten-free,vegetarian"): a few choices, never queried by."""

    impl = String(120)
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum]):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect) -> str:
        return ",".join(sorted(member.value for member in value or ()))

    def process_result_value(self, value: str | None, dialect) -> frozenset:
        return frozenset(
            self.enum_class(code) for code in (value or "").split(",") if code
        )


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum's values as short strings with a CHECK, portable everywhere."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
