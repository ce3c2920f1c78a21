"""Bring-list claims: a going member brings one unit of a thing on the list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, utcnow
from meetup.models.event import Event
from meetup.models.rsvp import Rsvp


class BringClaim(Base):
    """One unit of `thing`, as named on the event's `bring_list` line, or a
    thing of her own ("something else"). Deleted with the RSVP and whenever she
    stops going: only going members hold claims."""

    __tablename__ = "bring_claims"
    # One unit of each thing per person: a second tap of "I'll bring it" is a no-op.
    __table_args__ = (UniqueConstraint("rsvp_id", "thing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvps.id", ondelete="CASCADE"))
    thing: Mapped[str] = mapped_column(String(80))
    #: "Lemon tart, no nuts": shown beside her name.
    note: Mapped[str] = mapped_column(String(120), default="")
    #: Not on the list: "something else" she added.
    is_own: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    rsvp: Mapped[Rsvp] = relationship()
