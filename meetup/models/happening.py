"""What happened at a gathering that its host and organisers hear of: an
answer, a drop-out, a promotion, a request, a bring-list claim let go. Kept
for the daily digest."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, enum_column, utcnow
from meetup.models.event import Event
from meetup.models.user import User


class HappeningKind(enum.Enum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    REQUESTED = "requested"
    DROPPED_OUT = "dropped-out"
    PROMOTED = "promoted"
    #: She stopped going and her bring-list claims were let go (`thing`).
    LET_GO = "let-go"


class Happening(Base):
    __tablename__ = "happenings"
    __table_args__ = (Index("ix_happenings_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: Who answered, dropped out, was promoted or asked.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[HappeningKind] = mapped_column(enum_column(HappeningKind))
    guests: Mapped[int] = mapped_column(default=0)
    #: For LET_GO: the thing no one brings now.
    thing: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()
