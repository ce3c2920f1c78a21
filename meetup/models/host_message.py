"""A word from the host to the people coming: mailed once, shown on the page
to those it was sent to. Never in a calendar."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, utcnow
from meetup.models.event import Event
from meetup.models.user import User


class HostMessage(Base):
    __tablename__ = "host_messages"
    # "Five a day" counts an event's recent messages.
    __table_args__ = (
        Index("ix_host_messages_event_id_sent_at", "event_id", "sent_at"),
    )

    LONGEST = 1000

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: None once the sender's account is gone; the message stays for its readers.
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Plain text as typed, escaped wherever it is shown.
    body: Mapped[str] = mapped_column(String(LONGEST))
    to_going: Mapped[bool] = mapped_column(default=True)
    to_waitlisted: Mapped[bool] = mapped_column(default=False)
    to_requested: Mapped[bool] = mapped_column(default=False)
    #: Replies go to the sender's address (she ticked it), not to no one.
    reply_to_sender: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    sender: Mapped[User | None] = relationship()


class HostMessageReader(Base):
    """Someone a message was sent to: she sees it under "From the host"."""

    __tablename__ = "host_message_readers"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("host_messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
