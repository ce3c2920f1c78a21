"""Calendars: which events each .ics holds, told as each person may see them.

Three surfaces: one event (for whoever may see it), a group's feed (shared, so
never a home's address, whoever asks) and a person's own feed (what they are
going to or waitlisted for, with the addresses they are entitled to). Each feed
has a cheap `Version` (one narrow query) so an unchanged feed answers 304
without being built; the .ics itself is built by `meetup.ical`.
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import Select, select, union
from sqlalchemy.exc import IntegrityError

from meetup import ical, permissions
from meetup.extensions import db
from meetup.models import (
    BuiltFeed,
    Event,
    Group,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.permissions import EventAccess
from meetup.services import events, groups
from meetup.services.finding import may_see, visible_to
from meetup.urls import public_url

#: Feeds keep the last three months, so past gatherings stay in people's history.
FEED_PAST = timedelta(days=90)
#: Part of every ETag: raise it when the .ics layout changes, so clients refetch.
FORMAT = 1
FEED_STATUSES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)


@dataclass(frozen=True)
class Version:
    """What a conditional request is answered with, known before building.

    Feeds have a `key` under which they are kept once built (their Last-Modified
    is when that was); a single event is cheap to build and knows its own time.
    """

    etag: str
    key: str | None = None
    last_modified: datetime | None = None


def event_calendar(event: Event, viewer: events.Viewer) -> bytes:
    """One event, as this person may see it (a download from the event page)."""
    return ical.calendar([entry(event, viewer.access, viewer.rsvp)])


def event_version(event: Event, viewer: events.Viewer) -> Version:
    """Changes with anything the download holds: the event, the group's name,
    and what this person may see of it."""
    rsvp = viewer.rsvp
    changed = [event.updated_at] + ([rsvp.updated_at] if rsvp else [])
    state = (event.id, event.sequence, event.updated_at, event.group.name)
    return Version(
        _etag(state + (viewer.access, _status(rsvp))), last_modified=max(changed)
    )


def group_calendar(group: Group, user: User | None, now: datetime) -> bytes:
    """The group's gatherings this person may see, for a calendar app to subscribe.

    A feed's address gets passed around, and calendar apps cannot sign in, so it
    tells everyone only what a visitor may know: a home's area, never its street.
    """
    found = db.session.scalars(
        visible_to(user)
        .where(Event.group_id == group.id, Event.ends_at >= now - FEED_PAST)
        .order_by(Event.starts_at, Event.id)
    )
    feed = ical.Feed(f"{group.name} (Hearth)", group.timezone)
    return ical.calendar(
        (entry(event, permissions.shared_access(event), None) for event in found),
        feed=feed,
    )


def group_version(group: Group, user: User | None, now: datetime) -> Version:
    """One narrow query: which events, in which edition. Members and visitors
    see different events, so their feeds are kept apart."""
    rows = db.session.execute(
        select(Event.id, Event.sequence, Event.updated_at)
        .join(Event.group)
        .where(
            may_see(user), Event.group_id == group.id, Event.ends_at >= now - FEED_PAST
        )
        .order_by(Event.id)
    ).all()
    readers = "members" if groups.membership_of(user, group) else "public"
    return Version(
        _etag((group.name, group.timezone, rows)), key=f"group:{group.id}:{readers}"
    )


def personal_calendar(owner: User, now: datetime) -> bytes:
    """What this person is going to, waitlisted for or hosting, in every group."""
    found = db.session.execute(
        _mine(owner, now, select(Event, Rsvp))
        .join(Event.group)
        .options(db.contains_eager(Event.group))
        .where(may_see(owner))
        .order_by(Event.starts_at, Event.id)
    )
    memberships = {
        membership.group_id: membership
        for membership in db.session.scalars(
            select(Membership).where(Membership.user_id == owner.id)
        )
    }
    entries = []
    for event, rsvp in found:
        if not _in_feed(owner, event.host_id, rsvp and rsvp.status):
            continue
        membership = memberships.get(event.group_id)
        access = permissions.event_access(event, owner, membership, rsvp)
        if access.can_view:
            entries.append(entry(event, access, rsvp))
    # Only a display hint (every time carries its zone): where most of them are.
    zones = Counter(entry.timezone for entry in entries)
    zone = zones.most_common(1)[0][0] if zones else "UTC"
    return ical.calendar(entries, feed=ical.Feed("My gatherings (Hearth)", zone))


def personal_version(owner: User, now: datetime) -> Version:
    """One query: each event's edition, with this person's answer and role."""
    columns = select(
        Event.id,
        Event.sequence,
        Event.updated_at,
        Event.host_id,
        Rsvp.status,
        Rsvp.updated_at.label("answered_at"),
        Membership.role,
        Group.name,
        Group.visibility,
    )
    rows = db.session.execute(
        _mine(owner, now, columns)
        .join(Event.group)
        .join(
            Membership,
            (Membership.group_id == Event.group_id) & (Membership.user_id == owner.id),
            isouter=True,
        )
        .order_by(Event.id)
    ).all()
    shown = [row for row in rows if _in_feed(owner, row.host_id, row.status)]
    return Version(_etag((owner.id, shown)), key=f"personal:{owner.id}")


@dataclass(frozen=True)
class Built:
    """A feed's bytes for one version, and when that version was first built."""

    etag: str
    body: bytes
    built_at: datetime


#: How many feeds each app process keeps in memory (see `built_feed`).
RECENT_FEEDS = 64


def built_feed(version: Version, build: Callable[[], bytes], now: datetime) -> Built:
    """The feed for this version: as built before, or built and kept now.

    Each new version is stamped at least a second after the one it replaces, so
    Last-Modified always moves forward at HTTP's one-second resolution.
    """
    # The last feeds this process served: a hit skips reading the body back
    # from the database. Checked against the version first, so an edit is never
    # served stale; small, so a worker's memory stays flat.
    recent = current_app.extensions.setdefault("hearth.recent_feeds", OrderedDict())
    built = recent.get(version.key)
    if built is None or built.etag != version.etag:
        built = _stored(version, build, now)
    recent[version.key] = built
    recent.move_to_end(version.key)
    while len(recent) > RECENT_FEEDS:
        recent.popitem(last=False)
    return built


def _stored(version: Version, build: Callable[[], bytes], now: datetime) -> Built:
    feed = db.session.get(BuiltFeed, version.key)
    if feed is None or feed.etag != version.etag:
        feed = _store(version, build(), now, feed)
    return Built(feed.etag, feed.body, feed.built_at)


def _store(
    version: Version, body: bytes, now: datetime, feed: BuiltFeed | None
) -> BuiltFeed:
    if feed is None:
        feed = BuiltFeed(key=version.key, etag=version.etag, body=body)
        feed.built_at = now.replace(microsecond=0)
        try:
            with db.session.begin_nested():
                db.session.add(feed)
            return feed
        except IntegrityError:  # another request built it a moment ago
            feed = db.session.get(BuiltFeed, version.key, populate_existing=True)
    feed.built_at = max(
        now.replace(microsecond=0), feed.built_at + timedelta(seconds=1)
    )
    feed.etag, feed.body = version.etag, body
    db.session.flush()
    return feed


def _mine(owner: User, now: datetime, query: Select) -> Select:
    """Events in the window this person answered or hosts, with their answer."""
    answered = select(Rsvp.event_id).where(Rsvp.user_id == owner.id)
    hosted = select(Event.id).where(Event.host_id == owner.id)
    return (
        query.select_from(Event)
        .join(
            Rsvp,
            (Rsvp.event_id == Event.id) & (Rsvp.user_id == owner.id),
            isouter=True,
        )
        .where(
            Event.id.in_(union(answered, hosted)),
            Event.ends_at >= now - FEED_PAST,
        )
    )


def _in_feed(owner: User, host_id: int | None, status: RsvpStatus | None) -> bool:
    """Going or waitlisted; or hosting, unless the host said they can't come."""
    if status is None:
        return host_id == owner.id
    return status in FEED_STATUSES


def entry(event: Event, access: EventAccess, rsvp: Rsvp | None) -> ical.Entry:
    """The event as `ical` writes it, holding only what `access` allows."""
    status = _status(rsvp) if not event.is_cancelled else "CANCELLED"
    point = events.map_point(event, access)
    url = public_url("events.show", event_id=event.id)
    name, email = parseaddr(current_app.config["MAIL_FROM"])
    return ical.Entry(
        uid=event.uid,
        sequence=event.sequence,
        summary=_summary(event, status),
        description=_description(event, access, status, url),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        location=events.place(event, access),
        geo=(point.lat, point.lon) if point else None,
        url=url,
        status=status,
        organizer_name=event.group.name,
        organizer_email=email,
        created_at=event.created_at,
        # A promotion changes this person's copy (status, address) as an edit would.
        updated_at=max(event.updated_at, rsvp.updated_at) if rsvp else event.updated_at,
    )


def _status(rsvp: Rsvp | None) -> str:
    return "TENTATIVE" if rsvp is not None and rsvp.is_waitlisted else "CONFIRMED"


def _summary(event: Event, status: str) -> str:
    if status == "CANCELLED":
        return f"Cancelled: {event.title}"
    if status == "TENTATIVE":
        return f"Waitlisted: {event.title}"
    return event.title


def _description(event: Event, access: EventAccess, status: str, url: str) -> str:
    """Plain text: the organisers' Markdown reads well as it is."""
    parts = []
    if status == "CANCELLED":
        parts.append(
            "This gathering is cancelled."
            + (f" {event.cancel_reason}" if event.cancel_reason else "")
        )
    elif status == "TENTATIVE":
        parts.append(
            "You're on the waitlist. We'll email you if a place frees up; "
            "the address comes with your place."
            if event.is_home
            else "You're on the waitlist. We'll email you if a place frees up."
        )
    if event.description:
        parts.append(event.description)
    if event.access_notes and access.sees_address:
        parts.append(f"Getting in: {event.access_notes}")
    parts.append(f"{event.group.name} on Hearth: {url}")
    return "\n\n".join(parts)


def _etag(state: object) -> str:
    config = current_app.config
    seed = repr((FORMAT, config["PUBLIC_URL"], config["MAIL_FROM"], state))
    return hashlib.sha256(seed.encode()).hexdigest()[:32]
