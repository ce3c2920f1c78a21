"""Calendars: which events each .ics holds, told as each person may see them.

Three surfaces: one event (for whoever may see it), a group's feed (shared, so
never a home's address, whoever asks) and a person's own feed (what they are
going to or waitlisted for, with the addresses they are entitled to). Each feed
has a cheap `Version` (one narrow query) so an unchanged feed answers 304
without being built; the .ics itself is built by `meetup.ical`.

SEQUENCE is decided here and nowhere else: which changes raise it
(`CALENDAR_FIELDS`), raising it (`new_edition`), and the offset each person's
mailed invitations add (`invitation`); mail only carries what this returns.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select, union

from meetup import i18n, ical, permissions, privacy
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
from meetup.services import bring_lists, memberships, reply_addresses
from meetup.services.feed_cache import Version
from meetup.services.finding import told
from meetup.services.mail import Invitation
from meetup.urls import public_url, site_url

#: Feeds keep the last three months, so past gatherings stay in people's history.
FEED_PAST = timedelta(days=90)
#: Part of every ETag: raise it when the .ics layout changes, so clients refetch.
FORMAT = 2
FEED_STATUSES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.REQUESTED)


#: What a calendar shows: a change to any of these raises the event's SEQUENCE.
CALENDAR_FIELDS = (
    "title", "starts_at", "ends_at", "timezone", "venue_type", "venue_name",
    "address", "area", "latitude", "longitude",
)  # fmt: skip


#: Words a calendar's copy holds: a change to these goes to the invitation
#: copies as a REQUEST with the same SEQUENCE and a newer DTSTAMP (RFC 5546
#: 2.1.5), so a new door code reaches them without moving anything.
WORDS_FIELDS = ("description", "access_notes", "host_id")


def as_calendars_see_it(event: Event) -> Event:
    """A detached copy of what calendars show, to compare with after a change."""
    names = CALENDAR_FIELDS + WORDS_FIELDS
    return Event(**{name: getattr(event, name) for name in names})


def reworded(event: Event, before: Event) -> bool:
    """Only words changed since `before`: the invitation copies want them."""
    return any(getattr(before, name) != getattr(event, name) for name in WORDS_FIELDS)


def new_edition_if_moved(event: Event, before: Event) -> bool:
    """Raise the SEQUENCE if anything a calendar shows changed since `before`."""
    moved = any(
        getattr(before, name) != getattr(event, name) for name in CALENDAR_FIELDS
    )
    if moved:
        new_edition(event)
    return moved


def new_edition(event: Event) -> None:
    """Every calendar's copy is out of date: one more SEQUENCE, so they take ours."""
    event.sequence += 1


def invitation(
    event: Event,
    rsvp: Rsvp,
    access: EventAccess,
    now: datetime,
    method: str,
    address: str | None = None,
) -> Invitation:
    """An iTIP REQUEST or CANCEL for one person (RFC 5546), newer in their
    calendar's eyes than anything they were sent before. `address`: the one her
    copy was sent to, when it is no longer hers (a CANCEL after she changed it)."""
    _fix_organizer(event)
    # Odd offset: the last thing this person got was a cancel (see the model).
    uninvites = method == "CANCEL" and not event.is_cancelled
    if (rsvp.sequence_offset % 2 == 1) != uninvites:
        rsvp.sequence_offset += 1
    user = rsvp.user
    # Her own reply address as ORGANIZER, where there is one: her calendar app's
    # Yes or No then comes back to Hearth (`calendar_replies`).
    replies = reply_addresses.address(user, event)
    told = entry(event, access, rsvp)
    if method == "REQUEST":
        partstat = "ACCEPTED"
    else:  # a whole gathering cancelled has no answer to carry (RFC 5546 3.2.5)
        partstat = "DECLINED" if uninvites else ""
    mailed = dataclasses.replace(
        told,
        attendee=ical.Attendee(
            user.display_name,
            address or user.email,
            partstat,
            rsvp=replies is not None and method == "REQUEST",
        ),
        organizer_email=replies or told.organizer_email,
        stamp=now,
    )
    if uninvites:
        # Uninviting one person: the event itself goes on (RFC 5546 3.2.5).
        mailed = dataclasses.replace(mailed, status="")
    return Invitation(
        ical.calendar([mailed], method=method), method, takes_answers=bool(replies)
    )


def _fix_organizer(event: Event) -> None:
    """The first invitation fixes who they all come from (see the model; its
    reply domain is fixed by the first reply address)."""
    if event.organizer_email is None:
        event.organizer_email = _sender()


def _sender() -> str:
    return parseaddr(current_app.config["MAIL_FROM"])[1]


def sequence(event: Event, rsvp: Rsvp | None) -> int:
    """Her SEQUENCE for the event, the same in mail, download and personal feed:
    the event's, plus what her cancels and re-invitations added. The group feed,
    which has no one person, says the event's own."""
    return event.sequence + (rsvp.sequence_offset if rsvp is not None else 0)


def event_calendar(event: Event, access: EventAccess, rsvp: Rsvp | None) -> bytes:
    """One event, as this person may see it (a download from the event page),
    in the group's language, as the group's feed is."""
    with i18n.in_language(event.group.locale):
        return ical.calendar([entry(event, access, rsvp)])


def event_version(event: Event, rsvp: Rsvp | None, body: bytes) -> Version:
    """The download's ETag comes from its bytes: it is one event, cheap to
    build, and whatever changes them (her claim, a promotion, the group's name)
    changes it."""
    changed = [event.updated_at] + ([rsvp.updated_at] if rsvp else [])
    return Version(_etag(hashlib.sha256(body).hexdigest()), last_modified=max(changed))


def group_calendar(group: Group, user: User | None, now: datetime) -> bytes:
    """The group's gatherings this person may see, for a calendar app to subscribe.

    A feed's address gets passed around, and calendar apps cannot sign in, so it
    tells everyone only what a visitor may know: a home's area, never its street.
    """
    found = db.session.scalars(
        select(Event)
        .join(Event.group)
        .options(db.contains_eager(Event.group))
        .where(told(user), Event.group_id == group.id, Event.ends_at >= now - FEED_PAST)
        .order_by(Event.starts_at, Event.id)
    )
    feed = ical.Feed(f"{group.name} (Hearth)", group.timezone)
    with i18n.in_language(group.locale):  # it speaks for the group
        return ical.calendar(
            [entry(event, permissions.shared_access(event), None) for event in found],
            feed=feed,
        )


def group_version(group: Group, user: User | None, now: datetime) -> Version:
    """One narrow query: which events, in which edition. Members and visitors
    see different events, so their feeds are kept apart."""
    rows = db.session.execute(
        select(Event.id, Event.sequence, Event.updated_at)
        .join(Event.group)
        .where(told(user), Event.group_id == group.id, Event.ends_at >= now - FEED_PAST)
        .order_by(Event.id)
    ).all()
    readers = "members" if memberships.membership_of(user, group) else "public"
    return Version(
        _etag((group.name, group.timezone, group.locale, rows)),
        key=f"group:{group.id}:{readers}",
    )


def personal_calendar(owner: User, now: datetime) -> bytes:
    """What this person is going to, waitlisted for or hosting, in every group."""
    found = db.session.execute(
        _mine(owner, now, select(Event, Rsvp))
        .join(Event.group)
        .options(db.contains_eager(Event.group))
        .where(told(owner))
        .order_by(Event.starts_at, Event.id)
    )
    by_group = {
        membership.group_id: membership
        for membership in db.session.scalars(
            select(Membership).where(Membership.user_id == owner.id)
        )
    }
    found = found.all()
    # What she brings to each, read at once (not a query per gathering).
    brings = bring_lists.brings_of([rsvp.id for _, rsvp in found if rsvp])
    entries = []
    with i18n.as_reader(owner):
        for event, rsvp in found:
            if not _in_feed(owner, event.host_id, rsvp and rsvp.status):
                continue
            access = permissions.event_access(event, by_group.get(event.group_id), rsvp)
            if access.can_view:
                said = brings.get(rsvp.id, "") if rsvp and rsvp.is_going else ""
                entries.append(entry(event, access, rsvp, said))
        name = _("My gatherings (Hearth)")
    # Only a display hint (every time carries its zone): where most of them are.
    zones = Counter(entry.timezone for entry in entries)
    zone = zones.most_common(1)[0][0] if zones else "UTC"
    return ical.calendar(entries, feed=ical.Feed(name, zone))


def personal_version(owner: User, now: datetime) -> Version:
    """One query: each event's edition, with this person's answer and role."""
    columns = select(
        Event.id,
        Event.sequence,
        Event.updated_at,
        Event.host_id,
        Rsvp.status,
        Rsvp.updated_at.label("answered_at"),
        Rsvp.sequence_offset,
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
    return Version(_etag((owner.id, owner.locale, shown)), key=f"personal:{owner.id}")


def _mine(owner: User, now: datetime, query: Select) -> Select:
    """Events in the window this person answered or hosts, with their answer;
    only those calendars are told of (no draft, no date that needs a host)."""
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
            Event.state.in_(permissions.TOLD_STATES),
        )
    )


def _in_feed(owner: User, host_id: int | None, status: RsvpStatus | None) -> bool:
    """Going, waitlisted or asked; or hosting, unless the host said they can't come."""
    if status is None:
        return host_id == owner.id
    return status in FEED_STATUSES


def entry(
    event: Event, access: EventAccess, rsvp: Rsvp | None, brings: str | None = None
) -> ical.Entry:
    """The event as `ical` writes it, holding only what `access` allows.
    `brings`: what she brings, when the caller read it already."""
    status = _status(rsvp) if not event.is_cancelled else "CANCELLED"
    asked = rsvp is not None and rsvp.is_requested
    point = privacy.map_point(event, access)
    url = public_url("events.show", event_id=event.id)
    return ical.Entry(
        uid=event.uid,
        sequence=sequence(event, rsvp),
        summary=_summary(event, status, asked),
        description=_description(
            event,
            access,
            status,
            asked,
            url,
            _brings(rsvp) if brings is None else brings,
        ),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        location=privacy.place(event, access),
        geo=(point.lat, point.lon) if point else None,
        url=url,
        status=status,
        organizer_name=event.group.name,
        organizer_email=event.organizer_email or _sender(),
        created_at=event.created_at,
        # A promotion changes this person's copy (status, address) as an edit would.
        updated_at=max(event.updated_at, rsvp.updated_at) if rsvp else event.updated_at,
    )


def _brings(rsvp: Rsvp | None) -> str:
    """Her own copy says what she said she'd bring (a group feed has no rsvp).
    A claim touches her answer's `updated_at`, so her feed's version moves;
    it raises no SEQUENCE: the gathering itself did not change."""
    if rsvp is None or not rsvp.is_going:
        return ""
    return bring_lists.brings(rsvp)


def _status(rsvp: Rsvp | None) -> str:
    """Tentative while she waits: for a place, or for the host's yes."""
    waits = rsvp is not None and (rsvp.is_waitlisted or rsvp.is_requested)
    return "TENTATIVE" if waits else "CONFIRMED"


def _summary(event: Event, status: str, asked: bool) -> str:
    if status == "CANCELLED":
        return _("Cancelled: %(title)s", title=event.title)
    if asked:
        return _("Asked: %(title)s", title=event.title)
    if status == "TENTATIVE":
        return _("Waitlisted: %(title)s", title=event.title)
    return event.title


def _description(
    event: Event,
    access: EventAccess,
    status: str,
    asked: bool,
    url: str,
    brings: str = "",
) -> str:
    """Plain text: the organisers' Markdown reads well as it is."""
    parts = []
    if status == "CANCELLED":
        parts.append(
            _("This gathering is cancelled.")
            + (f" {event.cancel_reason}" if event.cancel_reason else "")
        )
    elif asked:
        parts.append(
            _(
                "You asked to come. We'll email you when the host answers; the "
                "address comes with her yes."
            )
        )
    elif status == "TENTATIVE":
        parts.append(
            _(
                "You're on the waitlist. We'll email you if a place frees up; "
                "the address comes with your place."
            )
            if event.is_home
            else _("You're on the waitlist. We'll email you if a place frees up.")
        )
    if brings and status != "CANCELLED":
        parts.append(_("You said you'd bring: %(things)s", things=brings))
    if event.description:
        parts.append(event.description)
    if event.access_notes and access.sees_address:
        parts.append(_("Getting in: %(notes)s", notes=event.access_notes))
    parts.append(_("%(group)s on Hearth: %(url)s", group=event.group.name, url=url))
    return "\n\n".join(parts)


def _etag(state: object) -> str:
    config = current_app.config
    seed = repr((FORMAT, site_url(), config["MAIL_FROM"], state))
    return hashlib.sha256(seed.encode()).hexdigest()[:32]
