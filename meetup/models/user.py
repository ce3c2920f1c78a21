"""People with an account."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from meetup.models.base import Base, EnumSet, UTCDateTime, enum_column, utcnow


class HostNews(enum.Enum):
    """How a host or organiser hears of answers to her gatherings."""

    EACH = "each"
    DAILY = "daily"
    NONE = "none"


class Diet(enum.Enum):
    """Needs a host cooks for: counted for her, named only to her and organisers."""

    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    GLUTEN_FREE = "gluten-free"
    NUT_ALLERGY = "nut-allergy"

    @property
    def label(self) -> str:
        return str(DIET_LABELS[self])


DIET_LABELS = {
    Diet.VEGETARIAN: _l("Vegetarian"),
    Diet.VEGAN: _l("Vegan"),
    Diet.GLUTEN_FREE: _l("Gluten-free"),
    Diet.NUT_ALLERGY: _l("Nut allergy"),
}


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    #: Always stored lower-cased, so uniqueness is case-insensitive everywhere.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: None: she signs in with a code by mail (passwords are optional).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: When a code or link sent to this address was used. Until then Hearth
    #: mails her only what she asks for (a code, a reset link).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The secret half of the personal calendar feed's address; None until the
    #: person asks for one, replaced when they make a new link.
    calendar_secret: Mapped[str | None] = mapped_column(String(64))
    #: One copy of each gathering per calendar: invitations by mail (True), or
    #: only her personal feed (False), when mail carries no invitation.
    wants_invitations: Mapped[bool] = mapped_column(default=True)
    #: Mail that can be turned off (confirmations and changes always go).
    wants_reminders: Mapped[bool] = mapped_column(default=True)
    wants_announcements: Mapped[bool] = mapped_column(default=True)
    #: Answers, drop-outs, promotions and requests at gatherings she hosts or
    #: organises: each as it happens, in a daily digest, or not at all.
    host_news: Mapped[HostNews] = mapped_column(
        enum_column(HostNews), default=HostNews.EACH
    )
    #: The last daily digest: the next one tells what happened since.
    host_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What she last said she eats, offered again with her next answer.
    diets: Mapped[frozenset[Diet]] = mapped_column(EnumSet(Diet), default=frozenset)
    diet_note: Mapped[str] = mapped_column(String(120), default="")
    #: Language and formats for pages, mail and the personal feed ("es",
    #: "en_GB"): set from the browser at sign-up, changed on the profile.
    locale: Mapped[str | None] = mapped_column(String(10))
    #: "12" or "24"; None: the locale's own habit (CLDR).
    clock: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    #: The device session this request runs in (set by auth_session, not stored
    #: here): Flask-Login keeps it in the session and remember-me cookies.
    device_token = None

    def get_id(self) -> str | None:
        return self.device_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
