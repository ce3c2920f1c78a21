"""Series: a group's rhythm ("first Thursday of the month"), the dates it opens,
the dates skipped, and the members put down for every date."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, enum_column, utcnow
from meetup.models.event import (
    Admission,
    Children,
    EventVisibility,
    GuestList,
    VenueType,
)
from meetup.models.group import Group
from meetup.models.user import User
from meetup.rhythm import LAST  # noqa: F401  (the model's "last")


class Rule(enum.Enum):
    #: Every N weeks on a weekday, counted from the first date.
    WEEKLY = "weekly"
    #: The 1st–4th or last given weekday of each month.
    MONTHLY_WEEKDAY = "monthly-weekday"
    #: A day of the month, 1–28 (every month has it).
    MONTHLY_DAY = "monthly-day"


class Series(Base):
    __tablename__ = "series"
    __table_args__ = (
        CheckConstraint("every_weeks BETWEEN 1 AND 8", name="every_weeks_in_range"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_in_range"),
        CheckConstraint(
            "week_of_month BETWEEN 1 AND 4 OR week_of_month = -1",
            name="week_of_month_in_range",
        ),
        CheckConstraint("day_of_month BETWEEN 1 AND 28", name="day_of_month_in_range"),
        CheckConstraint("minutes BETWEEN 15 AND 1440", name="minutes_in_range"),
        CheckConstraint("horizon BETWEEN 1 AND 12", name="horizon_in_range"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("max_guests >= 0", name="max_guests_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    rule: Mapped[Rule] = mapped_column(enum_column(Rule))
    every_weeks: Mapped[int] = mapped_column(default=1)
    #: Monday is 0, as in Python.
    weekday: Mapped[int] = mapped_column(default=0)
    week_of_month: Mapped[int] = mapped_column(default=1)
    day_of_month: Mapped[int] = mapped_column(default=1)
    #: No date before this one; weekly rules count their N weeks from it.
    starts_on: Mapped[date] = mapped_column(Date)
    #: Wall-clock time in `timezone`: 19:30 stays 19:30 across daylight saving.
    start_time: Mapped[time] = mapped_column(Time)
    minutes: Mapped[int] = mapped_column(default=150)
    timezone: Mapped[str] = mapped_column(String(64))
    #: Members take turns: each date opens when a member says she'll host it.
    is_rota: Mapped[bool] = mapped_column(default=True)
    #: The host of every date when there is no rota.
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: How many dates ahead stay open.
    horizon: Mapped[int] = mapped_column(default=3)
    # What each new date starts with.
    venue_type: Mapped[VenueType] = mapped_column(enum_column(VenueType))
    venue_name: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    area: Mapped[str] = mapped_column(String(120), default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    capacity: Mapped[int | None]
    max_guests: Mapped[int] = mapped_column(default=0)
    question: Mapped[str] = mapped_column(String(200), default="")
    bring_list: Mapped[str] = mapped_column(Text, default="")
    children: Mapped[Children] = mapped_column(
        enum_column(Children), default=Children.WELCOME
    )
    visibility: Mapped[EventVisibility] = mapped_column(
        enum_column(EventVisibility), default=EventVisibility.PUBLIC
    )
    admission: Mapped[Admission] = mapped_column(
        enum_column(Admission), default=Admission.ANYONE
    )
    street_day_before: Mapped[bool] = mapped_column(default=False)
    guest_list: Mapped[GuestList] = mapped_column(
        enum_column(GuestList), default=GuestList.MEMBERS
    )
    #: The summer break: no new dates until resumed.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Ended: no new dates, ever.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    host: Mapped[User | None] = relationship()

    @property
    def is_running(self) -> bool:
        return self.paused_at is None and self.ended_at is None

    def __repr__(self) -> str:
        return f"<Series {self.id} {self.title!r}>"


class SkippedDate(Base):
    """A date the organisers skipped: never opened again."""

    __tablename__ = "series_skips"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    slot_on: Mapped[date] = mapped_column(Date, primary_key=True)


class StandingRsvp(Base):
    """ "Put me down for each one": an answer given, in this order, as dates open."""

    __tablename__ = "standing_rsvps"
    __table_args__ = (UniqueConstraint("series_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
