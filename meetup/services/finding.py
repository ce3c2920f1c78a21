"""Finding events: lists, text search and near-me, each limited to what the
person may see (permissions.can_view_event, written as SQL) and to what lists
hold (permissions.LISTED_STATES: never a draft)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, or_, select

from meetup import permissions, privacy
from meetup.extensions import db
from meetup.models import (
    Event,
    EventState,
    EventVisibility,
    Group,
    Membership,
    Role,
    Rsvp,
    User,
    VenueType,
    Visibility,
)
from meetup.services import places
from meetup.services.text_search import all_words_in


def visible_to(user: User | None) -> Select:
    """Events this person may see and lists hold, with their group loaded."""
    return (
        select(Event)
        .join(Event.group)
        .options(db.contains_eager(Event.group))
        .where(listed(user))
    )


def may_see(user: User | None) -> ColumnElement[bool]:
    """permissions.can_view_event as SQL: open public events of public groups;
    any event but a draft of the person's own groups; and the drafts of the
    groups she organises."""
    public = (
        (Group.visibility == Visibility.PUBLIC)
        & (Event.visibility == EventVisibility.PUBLIC)
        & (Event.state == EventState.OPEN)
    )
    if user is None:
        return public
    mine = select(Membership.group_id).where(Membership.user_id == user.id)
    runs = mine.where(Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]))
    return or_(
        public,
        Event.group_id.in_(mine) & (Event.state != EventState.DRAFT),
        Event.group_id.in_(runs),
    )


def listed(user: User | None) -> ColumnElement[bool]:
    """What lists and searches hold: what she may see, in a listed state."""
    return may_see(user) & Event.state.in_(permissions.LISTED_STATES)


def told(user: User | None) -> ColumnElement[bool]:
    """What feeds hold: what she may see, in a state calendars are told of."""
    return may_see(user) & Event.state.in_(permissions.TOLD_STATES)


def search(
    user: User | None,
    now: datetime,
    text: str = "",
    venue: VenueType | None = None,
    group: Group | None = None,
    past: bool = False,
    cancelled: bool = True,
) -> Select:
    """Upcoming (or past) events this person may see, the viewer's groups first;
    without the cancelled ones where only what is on belongs (the home page)."""
    query = visible_to(user).where(*_matching(now, text, venue, past))
    if not cancelled:
        query = query.where(Event.cancelled_at.is_(None))
    if group is not None:
        query = query.where(Event.group_id == group.id)
    order = Event.starts_at.desc() if past else Event.starts_at
    if user is not None and group is None:
        mine = select(Membership.group_id).where(Membership.user_id == user.id)
        return query.order_by(Event.group_id.in_(mine).desc(), order, Event.id)
    return query.order_by(order, Event.id)


@dataclass(frozen=True)
class Nearby:
    event_ids: list[int]  # nearest first (the page asked for)
    km: dict[int, int]  # rounded distance by event id
    total: int  # all within the radius


def near(
    user: User | None,
    now: datetime,
    lat: float,
    lon: float,
    within_km: float | None = None,
    text: str = "",
    venue: VenueType | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Nearby:
    """Coming events this person may see within the radius, nearest first.

    Uses every event's public point (a home's grid cell, never the home), a
    radius of at least MIN_RADIUS_KM and distances rounded to whole kilometres,
    so searching from three places cannot pin a home down. The database orders
    by a flat-earth distance (exact enough within 200 km) and returns one page;
    the kilometres shown are then worked out properly for that page.
    """
    radius = places.clamp_radius(within_km)
    south, west, north, east = places.bounding_box(lat, lon, radius)
    squeeze = math.cos(math.radians(lat))  # a degree of longitude, shortened
    north_south = Event.public_latitude - lat
    east_west = (Event.public_longitude - lon) * squeeze
    closeness = north_south * north_south + east_west * east_west
    reach = math.degrees(radius / places.EARTH_RADIUS_KM)
    within = (
        listed(user),
        *_matching(now, text, venue, past=False),
        Event.public_latitude.between(south, north),
        Event.public_longitude.between(west, east),
        closeness <= reach * reach,
    )
    query = (
        select(
            Event.id,
            Event.public_latitude,
            Event.public_longitude,
            func.count().over().label("total"),  # one pass: the page and the count
        )
        .join(Event.group)
        .where(*within)
        .order_by(closeness, Event.id)
        .offset(offset)
        .limit(limit)
    )
    rows = db.session.execute(query).all()
    total = rows[0].total if rows else 0
    km = {
        row.id: privacy.shown_km(
            places.distance_km(lat, lon, row.public_latitude, row.public_longitude)
        )
        for row in rows
    }
    return Nearby([row.id for row in rows], km, total)  # past the end: none, 0


def load_in_order(event_ids: list[int]) -> list[Event]:
    events = db.session.scalars(
        select(Event).where(Event.id.in_(event_ids)).options(db.joinedload(Event.group))
    )
    by_id = {event.id: event for event in events}
    return [by_id[i] for i in event_ids if i in by_id]


def _matching(
    now: datetime, text: str, venue: VenueType | None, past: bool
) -> list[ColumnElement[bool]]:
    # The start bound is implied by the end one (Event.LONGEST) and lets the
    # database read the starts_at index from there instead of filtering the past.
    if past:
        conditions = [Event.ends_at < now]
    else:
        conditions = [Event.ends_at >= now, Event.starts_at >= now - Event.LONGEST]
    conditions += all_words_in(text, *privacy.searchable_text())
    if venue is not None:
        conditions.append(Event.venue_type == venue)
    return conditions


def organising(user: User, now: datetime) -> list[Event]:
    """Coming gatherings this person hosts, or runs as an organiser of the group:
    her drafts too (the one list that holds them: the organisers' own work)."""
    runs = select(Membership.group_id).where(
        Membership.user_id == user.id,
        Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]),
    )
    return list(
        db.session.scalars(
            select(Event)
            .join(Event.group)
            .options(db.contains_eager(Event.group))
            .where(
                may_see(user),
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
            .where(Rsvp.user_id == user.id, when, listed(user))
            .order_by(Event.starts_at.desc() if past else Event.starts_at)
        )
    )
