"""Mail waiting to go out: written in the same transaction as the change that
causes it, delivered by `flask worker`."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from meetup.models.base import Base, UTCDateTime, enum_column, utcnow


class MailStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMail(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        # The worker's query: what is due, oldest first.
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What it is ("rsvp-going", "reminder", ...), for people reading the table.
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: The whole message as it will be sent (RFC 5322 bytes, Message-ID included,
    #: so a retry is the same message and mail clients can drop a duplicate).
    message: Mapped[bytes] = mapped_column(LargeBinary)
    #: Set for mail that must go once only (a reminder): a second copy is refused.
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    #: The group it is about, so its organisers can see mail that failed.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus), default=MailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: A worker's claim: others leave the row alone until then. A worker that
    #: dies mid-send simply lets it run out, and the mail is tried again.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
