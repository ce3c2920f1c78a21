"""One person looking at one event: what they loaded once, and what they may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from meetup import permissions
from meetup.models import Event, Membership, Rsvp, User
from meetup.permissions import EventAccess
from meetup.services import attendees, memberships


@dataclass(frozen=True)
class Viewer:
    """Loaded once per request, so the page, its partials and the .ics agree."""

    user: User | None
    membership: Membership | None
    rsvp: Rsvp | None
    access: EventAccess


def viewer(event: Event, user: User | None) -> Viewer:
    """Two queries at most: the membership, then (for members) the answer."""
    membership = memberships.membership_of(user, event.group)
    rsvp = attendees.rsvp_of(user, event) if membership is not None else None
    return Viewer(
        user, membership, rsvp, permissions.event_access(event, membership, rsvp)
    )


def access_of(
    event: Event, user: User, rsvp: Rsvp | None, now: datetime | None = None
) -> EventAccess:
    """What this reader may be told, given the answer the caller already holds,
    at `now` (the clock's, unless given)."""
    membership = memberships.membership_of(user, event.group)
    return permissions.event_access(event, membership, rsvp, now)
