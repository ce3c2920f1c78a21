"""Signing in: the devices someone is signed in on, and codes sent by mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, utcnow
from meetup.models.user import User


class Device(Base):
    """One signed-in browser. Its cookies carry a random token; only the token's
    hash is stored, and deleting the row signs that browser out wherever its
    cookies were copied."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: "Keep me signed in": kept for REMEMBER_FOR after it was last seen, not
    #: FORGET_AFTER.
    remember: Mapped[bool] = mapped_column(default=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class MailCode(Base):
    """A 6-digit code and a link, sent together in one mail: the code works in
    the browser that asked for it, the link in any. Single use."""

    __tablename__ = "mail_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased; whether an account has it is looked up only once the code
    #: is used, so asking costs the same either way.
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: "sign-in", "change-email" or "delete-account".
    purpose: Mapped[str] = mapped_column(String(20))
    #: Whose change it confirms (changing her email, deleting her account);
    #: None for signing in, where the address is all that is known.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The name typed at sign-up, used only if the address has no account yet.
    display_name: Mapped[str | None] = mapped_column(String(80))
    remember: Mapped[bool] = mapped_column(default=True)
    #: Where to go once signed in (a path on this site).
    next_path: Mapped[str | None] = mapped_column(String(500))
    #: An answer to place once signed in: {"event_id", "guests", "answer"}.
    then_rsvp: Mapped[dict | None] = mapped_column(JSON)
    #: Codes typed so far; MAX_WRONG wrong ones and it is dead.
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
