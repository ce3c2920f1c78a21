"""People with an account."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from meetup.models.base import Base, UTCDateTime, utcnow


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    #: Always stored lower-cased, so uniqueness is case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Bumped when the password changes: signs out every other session and
    #: makes outstanding password-reset links useless.
    session_version: Mapped[int] = mapped_column(default=1)
    #: The secret half of the personal calendar feed's address; None until the
    #: person asks for one, replaced when they make a new link.
    calendar_secret: Mapped[str | None] = mapped_column(String(64))
    #: Mail that can be turned off (confirmations and changes always go).
    wants_reminders: Mapped[bool] = mapped_column(default=True)
    wants_announcements: Mapped[bool] = mapped_column(default=True)
    #: Language and formats for pages, mail and the personal feed ("es",
    #: "en_GB"): set from the browser at sign-up, changed on the profile.
    locale: Mapped[str | None] = mapped_column(String(10))
    #: "12" or "24"; None: the locale's own habit (CLDR).
    clock: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
