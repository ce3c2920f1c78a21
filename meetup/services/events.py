"""Events: planning, changing and cancelling gatherings, and finding them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from meetup import permissions
from meetup.errors import InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Event,
    Group,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.permissions import EventAccess
from meetup.services import groups, notices, places, rsvps

EVENT_FIELDS = (
    "title", "description", "venue_type", "venue_name", "address", "area",
    "access_notes", "starts_at", "ends_at", "timezone", "capacity", "max_guests",
    "rsvp_deadline_at", "visibility", "host_id", "question", "latitude", "longitude",
)  # fmt: skip
#: What a calendar shows: a change to any of these raises the event's SEQUENCE.
CALENDAR_FIELDS = (
    "title", "starts_at", "ends_at", "timezone", "venue_type", "venue_name",
    "address", "area", "latitude", "longitude",
)  # fmt: skip


def create_event(
    actor: Membership | None, group: Group, now: datetime, **fields
) -> Event:
    """Organisers plan a gathering; it starts in the future; the host is a member."""
    _require_manager(actor, group)
    event = Event(group=group, **_checked(group, fields, now))
    db.session.add(event)
    db.session.flush()
    notices.announced(event, actor.user, now)
    return event


def update_event(
    actor: Membership | None, event: Event, now: datetime, **fields
) -> None:
    """Change a gathering. More room promotes from the waitlist; less demotes no one."""
    _require_manager(actor, event.group)
    if event.is_cancelled:
        # Its calendar entries are cancelled; changing it would revive them.
        raise NotAllowed("A cancelled gathering stays as it was. Plan a new one.")
    values = _checked(event.group, fields, now, current=event)
    rsvps.lock_event(event)
    before = Event(**{name: getattr(event, name) for name in CALENDAR_FIELDS})
    moved = any(
        name in values and values[name] != getattr(event, name)
        for name in CALENDAR_FIELDS
    )
    if moved:
        event.sequence += 1
    for name, value in values.items():
        setattr(event, name, value)
    event.updated_at = now
    db.session.flush()
    if moved:
        notices.changed(event, before, now)
    rsvps.promote_waitlist(event, now)


def cancel_event(
    actor: Membership | None, event: Event, reason: str, now: datetime
) -> None:
    """Cancel but keep the page, marked cancelled, with the organisers' reason."""
    _require_manager(actor, event.group)
    rsvps.lock_event(event)  # one change at a time, so no SEQUENCE is lost
    if event.is_cancelled:
        return
    event.cancelled_at = event.updated_at = now
    event.cancel_reason = reason.strip()
    event.sequence += 1
    db.session.flush()
    notices.cancelled(event, now)


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


def going_list(event: Event) -> list:
    """Who is going, first answers first: rows of `display_name` and `guests`.

    Only the two columns the page shows, not whole people: loading 200 RSVP
    and User objects took 5.3 ms of a 15 ms page (docs/PERFORMANCE.md).
    """
    return list(
        db.session.execute(
            select(User.display_name, Rsvp.guests)
            .join(Rsvp.user)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING)
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


def _checked(
    group: Group, fields: dict, now: datetime, current: Event | None = None
) -> dict:
    values = {name: fields[name] for name in EVENT_FIELDS if name in fields}
    for name in ("title", "venue_name", "address", "area", "access_notes", "question"):
        if name in values:
            values[name] = (values[name] or "").strip()
    starts_at = values.get("starts_at", current and current.starts_at)
    ends_at = values.get("ends_at", current and current.ends_at)
    if ends_at - starts_at > Event.LONGEST:
        raise InvalidInput(
            "ends_at", f"A gathering lasts {Event.LONGEST.days} days at most."
        )
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
