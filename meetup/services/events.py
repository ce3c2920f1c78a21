"""Events: planning, changing and cancelling gatherings, and finding them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, or_, select

from meetup import permissions
from meetup.errors import InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Event,
    EventVisibility,
    Group,
    Membership,
    Role,
    Rsvp,
    RsvpStatus,
    User,
    VenueType,
    Visibility,
)
from meetup.permissions import EventAccess
from meetup.services import groups, places, rsvps
from meetup.services.text_search import all_words_in

EVENT_FIELDS = (
    "title", "description", "venue_type", "venue_name", "address", "area",
    "access_notes", "starts_at", "ends_at", "timezone", "capacity", "max_guests",
    "rsvp_deadline_at", "visibility", "host_id", "question", "latitude", "longitude",
)  # fmt: skip


def create_event(
    actor: Membership | None, group: Group, now: datetime, **fields
) -> Event:
    """Organisers plan a gathering; it starts in the future; the host is a member."""
    _require_manager(actor, group)
    event = Event(group=group, **_checked(group, fields, now))
    db.session.add(event)
    db.session.flush()
    return event


def update_event(
    actor: Membership | None, event: Event, now: datetime, **fields
) -> None:
    """Change a gathering. More room promotes from the waitlist; less demotes no one."""
    _require_manager(actor, event.group)
    values = _checked(event.group, fields, now, current=event)
    rsvps.lock_event(event)
    for name, value in values.items():
        setattr(event, name, value)
    event.updated_at = now
    db.session.flush()
    rsvps.promote_waitlist(event, now)


def cancel_event(
    actor: Membership | None, event: Event, reason: str, now: datetime
) -> None:
    """Cancel but keep the page, marked cancelled, with the organisers' reason."""
    _require_manager(actor, event.group)
    if event.is_cancelled:
        return
    event.cancelled_at = event.updated_at = now
    event.cancel_reason = reason.strip()
    db.session.flush()


@dataclass(frozen=True)
class Viewer:
    """One person looking at one event: what they loaded once, and what they may see."""

    user: User | None
    membership: Membership | None
    rsvp: Rsvp | None
    access: EventAccess


def viewer(event: Event, user: User | None) -> Viewer:
    membership = groups.membership_of(user, event.group)
    rsvp = rsvps.rsvp_of(user, event) if membership is not None else None
    access = permissions.event_access(event, user, membership, rsvp)
    return Viewer(user, membership, rsvp, access)


def place(event: Event, access: EventAccess) -> str:
    """Where, as this person may be told it: the address, or only the area."""
    name = event.venue_name or event.venue_type.label
    if access.sees_address and event.address:
        return f"{name}, {event.address}"
    if event.is_home:
        return f"A member's home in {event.area}" if event.area else "A member's home"
    return f"{name}, {event.area}" if event.area else name


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    exact: bool  # False: the centre of the home's grid cell, shown as the cell


def map_point(event: Event, access: EventAccess) -> MapPoint | None:
    """What this person may see on a map: the spot, the cell, or nothing."""
    if access.sees_address and event.latitude is not None:
        return MapPoint(event.latitude, event.longitude, True)
    if event.public_latitude is None:
        return None
    return MapPoint(event.public_latitude, event.public_longitude, not event.is_home)


def going_list(event: Event) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .filter_by(event_id=event.id, status=RsvpStatus.GOING)
            .join(Rsvp.user)
            .options(db.contains_eager(Rsvp.user))
            .order_by(Rsvp.responded_at, Rsvp.id)
        )
    )


def waitlist_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .filter_by(event_id=event.id, status=RsvpStatus.WAITLISTED)
    )


def waitlist_position(rsvp: Rsvp) -> int:
    """1 for the first in line."""
    return 1 + db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            or_(
                Rsvp.waitlisted_at < rsvp.waitlisted_at,
                (Rsvp.waitlisted_at == rsvp.waitlisted_at) & (Rsvp.id < rsvp.id),
            ),
        )
    )


def visible_to(user: User | None) -> Select:
    """Events this person may see, with their group loaded."""
    return (
        select(Event)
        .join(Event.group)
        .options(db.contains_eager(Event.group))
        .where(may_see(user))
    )


def may_see(user: User | None) -> ColumnElement[bool]:
    """permissions.can_view_event as SQL: public events of public groups, and any
    event of the person's own groups."""
    public = (Group.visibility == Visibility.PUBLIC) & (
        Event.visibility == EventVisibility.PUBLIC
    )
    if user is None:
        return public
    mine = select(Membership.group_id).where(Membership.user_id == user.id)
    return or_(public, Event.group_id.in_(mine))


def search(
    user: User | None,
    now: datetime,
    text: str = "",
    venue: VenueType | None = None,
    group: Group | None = None,
    past: bool = False,
) -> Select:
    """Upcoming (or past) events this person may see, the viewer's groups first."""
    query = visible_to(user).where(*_matching(now, text, venue, past))
    if group is not None:
        query = query.where(Event.group_id == group.id)
    order = Event.starts_at.desc() if past else Event.starts_at
    if user is not None and group is None:
        mine = select(Membership.group_id).where(Membership.user_id == user.id)
        return query.order_by(Event.group_id.in_(mine).desc(), order, Event.id)
    return query.order_by(order, Event.id)


@dataclass(frozen=True)
class Nearby:
    event_ids: list[int]  # nearest first
    km: dict[int, int]  # rounded distance by event id


def near(
    user: User | None,
    now: datetime,
    lat: float,
    lon: float,
    within_km: float | None = None,
    text: str = "",
    venue: VenueType | None = None,
) -> Nearby:
    """Coming events this person may see within the radius, nearest first.

    Uses every event's public point (a home's grid cell, never the home), a
    radius of at least MIN_RADIUS_KM and distances rounded to whole kilometres,
    so searching from three places cannot pin a home down.
    """
    radius = places.clamp_radius(within_km)
    south, west, north, east = places.bounding_box(lat, lon, radius)
    rows = db.session.execute(
        select(Event.id, Event.public_latitude, Event.public_longitude)
        .join(Event.group)
        .where(
            may_see(user),
            *_matching(now, text, venue, past=False),
            Event.public_latitude.between(south, north),
            Event.public_longitude.between(west, east),
        )
    )
    found = []
    for event_id, event_lat, event_lon in rows:
        km = places.distance_km(lat, lon, event_lat, event_lon)
        if km <= radius:
            found.append((km, event_id))
    found.sort()
    return Nearby([i for _, i in found], {i: max(1, round(km)) for km, i in found})


def load_in_order(event_ids: list[int]) -> list[Event]:
    events = db.session.scalars(
        select(Event).where(Event.id.in_(event_ids)).options(db.joinedload(Event.group))
    )
    by_id = {event.id: event for event in events}
    return [by_id[i] for i in event_ids if i in by_id]


def _matching(
    now: datetime, text: str, venue: VenueType | None, past: bool
) -> list[ColumnElement[bool]]:
    conditions = [Event.ends_at < now if past else Event.ends_at >= now]
    # Never the address: a search must not answer "is there a home at ...?"
    conditions += all_words_in(
        text, Event.title, Event.area, Event.description, Group.name
    )
    if venue is not None:
        conditions.append(Event.venue_type == venue)
    return conditions


def organising(user: User, now: datetime) -> list[Event]:
    """Coming gatherings this person hosts, or runs as an organiser of the group."""
    runs = select(Membership.group_id).where(
        Membership.user_id == user.id,
        Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]),
    )
    return list(
        db.session.scalars(
            visible_to(user)
            .where(
                Event.ends_at >= now,
                or_(Event.host_id == user.id, Event.group_id.in_(runs)),
            )
            .order_by(Event.starts_at)
            .limit(50)
        )
    )


def my_rsvps(user: User, now: datetime, past: bool) -> list[Rsvp]:
    when = Event.ends_at < now if past else Event.ends_at >= now
    return list(
        db.session.scalars(
            select(Rsvp)
            .join(Rsvp.event)
            .join(Event.group)
            .options(db.contains_eager(Rsvp.event).contains_eager(Event.group))
            .where(Rsvp.user_id == user.id, when, may_see(user))
            .order_by(Event.starts_at.desc() if past else Event.starts_at)
        )
    )


def _checked(
    group: Group, fields: dict, now: datetime, current: Event | None = None
) -> dict:
    values = {name: fields[name] for name in EVENT_FIELDS if name in fields}
    for name in ("title", "venue_name", "address", "area", "access_notes", "question"):
        if name in values:
            values[name] = (values[name] or "").strip()
    starts_at = values.get("starts_at", current and current.starts_at)
    moved = current is None or starts_at != current.starts_at
    if moved and starts_at <= now:
        raise InvalidInput("starts_at", "Pick a start time in the future.")
    # The public point follows the exact spot and the kind of place, always.
    venue_type = values.get("venue_type", current and current.venue_type)
    lat = values.get("latitude", current and current.latitude)
    lon = values.get("longitude", current and current.longitude)
    values["public_latitude"], values["public_longitude"] = places.public_point(
        venue_type, lat, lon
    )
    if values.get("host_id") is not None:
        host = db.session.get(User, values["host_id"])
        if groups.membership_of(host, group) is None:
            raise InvalidInput("host_id", "The host must be a member of the group.")
    return values


def _require_manager(actor: Membership | None, group: Group) -> None:
    if not (permissions.can_manage_group(actor) and actor.group_id == group.id):
        raise NotAllowed("Only the group's organisers can plan and change gatherings.")
