"""RSVPs: one person's answer to one event, with their guests."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, EnumSet, UTCDateTime, enum_column, utcnow
from meetup.models.event import Event
from meetup.models.user import Diet, User


class RsvpStatus(enum.Enum):
    #: Waiting for the host's yes: no seat, no street.
    REQUESTED = "requested"
    GOING = "going"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"


class Rsvp(Base):
    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("guests >= 0", name="guests_not_negative"),
        CheckConstraint("children >= 0", name="children_not_negative"),
        Index(
            "ix_rsvps_event_id_status_waitlisted_at",
            "event_id",
            "status",
            "waitlisted_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RsvpStatus] = mapped_column(enum_column(RsvpStatus))
    #: Adults she brings: they take places, as she does.
    guests: Mapped[int] = mapped_column(default=0)
    #: Children she brings: counted for the host, never taking a place.
    children: Mapped[int] = mapped_column(default=0)
    #: What her party eats: counted for going members, named to the host.
    diets: Mapped[frozenset[Diet]] = mapped_column(EnumSet(Diet), default=frozenset)
    diet_note: Mapped[str] = mapped_column(String(120), default="")
    #: The answer to the event's question.
    answer: Mapped[str] = mapped_column(String(500), default="")
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Place in the queue: when the party last joined the waitlist.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Marked by the host after the start: going, but not there.
    did_not_come: Mapped[bool] = mapped_column(default=False)
    #: Place in the host's queue: when she asked. Approvals keep this order.
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The host said no: she may not ask again for this gathering.
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Places that went to later, smaller parties while this one was first in
    #: line; 0 once told, promoted or changed. ("2 places came free; ...")
    passed_over: Mapped[int] = mapped_column(default=0)
    #: Added to the event's SEQUENCE in invitations mailed to this person. Odd
    #: after a cancel was mailed to them, so an invitation after that one (and a
    #: cancel after an invitation) is always newer in their calendar's eyes.
    sequence_offset: Mapped[int] = mapped_column(default=0)
    #: Any change to the row: what the personal calendar feed's Last-Modified is.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    @property
    def party(self) -> int:
        """Places this RSVP needs: the member and their guests."""
        return 1 + self.guests

    @property
    def is_going(self) -> bool:
        return self.status is RsvpStatus.GOING

    @property
    def is_waitlisted(self) -> bool:
        return self.status is RsvpStatus.WAITLISTED

    @property
    def is_requested(self) -> bool:
        return self.status is RsvpStatus.REQUESTED

    @property
    def is_refused(self) -> bool:
        return self.refused_at is not None
