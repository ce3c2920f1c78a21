"""Events: gatherings a group plans, where and when, and who may come."""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext_l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetup.models.base import Base, UTCDateTime, enum_column, utcnow
from meetup.models.group import Group
from meetup.models.user import User


class VenueType(enum.Enum):
    HOME = "home"
    CHURCH = "church"
    WINE_BAR = "wine-bar"
    RESTAURANT = "restaurant"
    PARK = "park"
    COMMUNITY = "community"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(VENUE_LABELS[self])


VENUE_LABELS = {
    VenueType.HOME: _l("Home"),
    VenueType.CHURCH: _l("Church"),
    VenueType.WINE_BAR: _l("Wine bar"),
    VenueType.RESTAURANT: _l("Restaurant / café"),
    VenueType.PARK: _l("Park / outdoors"),
    VenueType.COMMUNITY: _l("Community space"),
    VenueType.OTHER: pgettext_l("kind of place", "Other"),
}


def new_uid() -> str:
    return str(uuid.uuid4())


def new_share_code() -> str:
    """128 random bits: a share link cannot be guessed from another."""
    return secrets.token_urlsafe(16)


class EventState(enum.Enum):
    #: Seen by organisers only: in no list, feed or mail.
    DRAFT = "draft"
    #: A series date nobody hosts yet: listed for members, not answerable,
    #: in no feed. (A host who has said yes is placing her home.)
    HOST_NEEDED = "host-needed"
    #: Answerable, listed, in feeds.
    OPEN = "open"


class EventVisibility(enum.Enum):
    PUBLIC = "public"
    MEMBERS = "members"


class Admission(enum.Enum):
    """Who is let in on their word, and who waits for the host's yes."""

    ANYONE = "anyone"
    #: A newcomer: never checked in, nor going without a "didn't come", at an
    #: earlier gathering of the group.
    NEWCOMERS = "newcomers"
    EACH = "each"


class GuestList(enum.Enum):
    """Who may read the names of those going (the host and organisers always)."""

    MEMBERS = "members"
    GOING = "going"
    COUNT = "count"


class Children(enum.Enum):
    """What a gathering says to parents. Children never take a place."""

    WELCOME = "welcome"
    ADULTS_ONLY = "adults-only"
    CHILDCARE = "childcare"

    @property
    def label(self) -> str:
        return str(CHILDREN_LABELS[self])


CHILDREN_LABELS = {
    Children.WELCOME: _l("Children welcome"),
    Children.ADULTS_ONLY: _l("Adults only"),
    Children.CHILDCARE: _l("Childcare in the next room"),
}


class Event(Base):
    __tablename__ = "events"
    #: Nothing lasts longer, so "still on" means "started within this": lists of
    #: coming gatherings read the start index from there, not from the dawn of time.
    LONGEST = timedelta(days=7)
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("max_guests >= 0", name="max_guests_not_negative"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        Index("ix_events_group_id_starts_at", "group_id", "starts_at"),
        # Lists read "starting from a week ago, not yet over, by start": with
        # ends_at in the index the finished ones are skipped without the table.
        Index("ix_events_starts_at_ends_at", "starts_at", "ends_at"),
        UniqueConstraint("series_id", "slot_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The iCalendar UID: the same in every download, feed and mail, forever,
    #: so calendars update the entry instead of adding a second one.
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    #: The one-time token of the form that planned it: the same form sent again
    #: (Back, then "Plan it") finds this gathering instead of making a second.
    planned_with: Mapped[str | None] = mapped_column(String(32), unique=True)
    #: The code in its share link (`/s/<code>`), for a gathering only members
    #: may see: the link names its group, never what or where. Organisers
    #: replace it to take back links that went too far.
    share_code: Mapped[str] = mapped_column(
        String(24), unique=True, default=new_share_code
    )
    #: The iCalendar SEQUENCE: one more with each change a calendar cares about
    #: (time, place, title, cancellation), so clients take the newer copy.
    sequence: Mapped[int] = mapped_column(default=0)
    #: Who its invitations come from, fixed when the first one goes (None
    #: until then): Google and Outlook ignore an update whose ORGANIZER moved,
    #: so a later MAIL_FROM or REPLY_DOMAIN is for later gatherings. An empty
    #: `reply_domain`: its invitations take no answers (RSVP=FALSE).
    organizer_email: Mapped[str | None] = mapped_column(String(254))
    reply_domain: Mapped[str | None] = mapped_column(String(253))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    state: Mapped[EventState] = mapped_column(
        enum_column(EventState), default=EventState.OPEN
    )
    #: The series this is a date of, and which date: one gathering per date.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE")
    )
    slot_on: Mapped[date | None] = mapped_column(Date)
    #: Changed as "this date only": changes to the series pass it by.
    is_changed_alone: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(120))
    #: Markdown as typed; sanitised when rendered.
    description: Mapped[str] = mapped_column(Text, default="")
    venue_type: Mapped[VenueType] = mapped_column(enum_column(VenueType))
    venue_name: Mapped[str] = mapped_column(String(120), default="")
    #: The street address as typed. At a home, only the entitled may see it.
    address: Mapped[str] = mapped_column(String(300), default="")
    #: Neighbourhood and city: what everyone who may see the event is told.
    area: Mapped[str] = mapped_column(String(120), default="")
    access_notes: Mapped[str] = mapped_column(Text, default="")
    #: The exact spot (from the lookup or the organiser's pin). At a home, only
    #: the entitled see it: everyone else gets the public point below.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    #: What everyone may know: the exact spot for public venues; for a home, the
    #: centre of its ~1 km grid cell, fixed when the spot is set. Maps for the
    #: unentitled, near-me search and distances all use this point.
    public_latitude: Mapped[float | None] = mapped_column(index=True)
    public_longitude: Mapped[float | None]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: IANA zone the times are entered and shown in.
    timezone: Mapped[str] = mapped_column(String(64))
    #: Places for members and their guests together; None means no limit.
    capacity: Mapped[int | None]
    max_guests: Mapped[int] = mapped_column(default=0)
    #: RSVPs close here; None means at the start.
    rsvp_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visibility: Mapped[EventVisibility] = mapped_column(
        enum_column(EventVisibility), default=EventVisibility.PUBLIC
    )
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    admission: Mapped[Admission] = mapped_column(
        enum_column(Admission), default=Admission.ANYONE
    )
    #: At a home: going members see the area until a day before the start.
    street_day_before: Mapped[bool] = mapped_column(default=False)
    guest_list: Mapped[GuestList] = mapped_column(
        enum_column(GuestList), default=GuestList.MEMBERS
    )
    #: Asked of everyone who RSVPs ("What will you bring?").
    question: Mapped[str] = mapped_column(String(200), default="")
    #: What to bring, as the organisers typed it: one thing per line, "×2" for
    #: two ("Dessert ×2"). Claims (models.bring) name a line's thing.
    bring_list: Mapped[str] = mapped_column(Text, default="")
    #: The last mail telling the host that claims were let go: one an hour.
    bring_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    children: Mapped[Children] = mapped_column(
        enum_column(Children), default=Children.WELCOME
    )
    #: Going members plus their guests. Changed only by conditional UPDATEs in
    #: services.rsvps, which is what keeps capacity from being exceeded.
    seats_taken: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the organisers last changed it (not when someone answered).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    group: Mapped[Group] = relationship()
    host: Mapped[User | None] = relationship()
    # By name: models.series imports this module (its defaults are a gathering's).
    series: Mapped[Series | None] = relationship("Series")  # noqa: F821

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open(self) -> bool:
        return self.state is EventState.OPEN

    @property
    def needs_host(self) -> bool:
        return self.state is EventState.HOST_NEEDED

    @property
    def is_draft(self) -> bool:
        return self.state is EventState.DRAFT

    @property
    def is_home(self) -> bool:
        return self.venue_type is VenueType.HOME

    @property
    def rsvp_closes_at(self) -> datetime:
        return self.rsvp_deadline_at or self.starts_at

    @property
    def seats_left(self) -> int | None:
        return (
            None if self.capacity is None else max(self.capacity - self.seats_taken, 0)
        )

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"
