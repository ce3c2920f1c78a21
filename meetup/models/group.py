"""Groups, their members and requests to join them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, enum_column, utcnow
from meetup.models.user import User


class Visibility(enum.Enum):
    PUBLIC = "public"
    PRIVATE = "private"


class Role(enum.Enum):
    ORGANISER = "organiser"
    CO_ORGANISER = "co-organiser"
    MEMBER = "member"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def you_are(self) -> str:
        """ "You're an organiser of this group.", said whole for translators."""
        return str(YOU_ARE[self])


ROLE_LABELS = {
    Role.ORGANISER: _l("Organiser"),
    Role.CO_ORGANISER: _l("Co-organiser"),
    Role.MEMBER: _l("Member"),
}
YOU_ARE = {
    Role.ORGANISER: _l("You're an organiser of this group."),
    Role.CO_ORGANISER: _l("You're a co-organiser of this group."),
    Role.MEMBER: _l("You're a member of this group."),
}


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (
        # The home page's newest public groups, without sorting them all.
        Index("ix_groups_visibility_created_at", "visibility", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made from the name once and never changed, so shared links keep working.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Markdown as the organiser typed it; sanitised when rendered.
    description: Mapped[str] = mapped_column(Text, default="")
    #: The group's home online: a Facebook group, Discord, WhatsApp, mailing list.
    online_url: Mapped[str | None] = mapped_column(String(500))
    #: Where the group meets, in words ("Leith, Edinburgh").
    area: Mapped[str] = mapped_column(String(120), default="")
    #: Centre of the area (not anyone's home): where new gatherings' maps open.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    timezone: Mapped[str] = mapped_column(String(64))
    #: The language of what the group says to everyone: its feed, its events'
    #: .ics files. Defaults to the organiser's when the group is made.
    locale: Mapped[str] = mapped_column(String(10), default="en_US")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PUBLIC
    )
    #: Secret part of the invite link; None when the organisers revoked it.
    invite_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Where its cover picture is kept (`services.storage`): always one Hearth
    #: drew again from an upload (`services.covers`), never the uploaded bytes.
    cover_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_private(self) -> bool:
        return self.visibility is Visibility.PRIVATE

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed through the unique (group_id, user_id) constraint.
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: "Ask me when a date needs a host": mailed ten days out.
    is_asked_to_host: Mapped[bool] = mapped_column(default=False)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_organiser(self) -> bool:
        """Organisers and co-organisers run the group day to day."""
        return self.role in (Role.ORGANISER, Role.CO_ORGANISER)


class JoinRequest(Base):
    """A wish to join a private group, waiting for an organiser's answer."""

    __tablename__ = "join_requests"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Indexed through the unique (group_id, user_id) constraint.
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(String(500), default="")
    #: "Ask to join and come": the answer placed when an organiser says yes,
    #: {"event_id", "guests", "answer"}.
    then_rsvp: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship()


class Block(Base):
    """Kept out of a group by its organisers: no joining, invite link, request,
    answer or message, until unblocked. Removing her membership is separate."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    blocked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Report(Base):
    """A member's word to the organisers about a gathering or a person."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: What it is about: a gathering, or a person (one of the two).
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE")
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: An organiser dealt with it: off the members page.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
