"""The host's yes or no to people who asked to come (RSVP status `requested`).

A yes puts the request in line at the moment she asked, then lets in whoever
fits, first in line first: so approvals keep request order, and capacity and
the waitlist stay exactly as `rsvps` keeps them, under the event's lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from meetup import permissions
from meetup.errors import NotAllowed, RSVPClosed
from meetup.extensions import db
from meetup.models import (
    Admission,
    Event,
    EventState,
    HappeningKind,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.services import (
    at_table,
    host_news,
    memberships,
    newcomers,
    request_notices,
    rsvps,
)

#: The host is reminded of requests waiting this long (once a day at most).
WAITING_TOO_LONG = timedelta(hours=24)


@dataclass(frozen=True)
class Waiting:
    """A request as the host weighs it."""

    rsvp: Rsvp
    member_since: datetime | None
    record: newcomers.Record


@dataclass(frozen=True)
class Asking:
    """What a gathering's page says about asking, to one reader."""

    must_ask: bool  # her yes would be a request
    decider: str  # "Waiting for Aisha to say yes"
    waiting: int  # requests to answer: for the host and organisers, else 0


def asking(
    event: Event,
    user: User | None,
    membership: Membership | None,
    decides: bool,
    now: datetime,
) -> Asking:
    """`decides`: she is the host or an organiser (she sees the attendee list)."""
    if user is None:
        must_ask = event.admission is not Admission.ANYONE
    else:
        must_ask = newcomers.must_ask(event, user, membership, now)
    waiting = _request_count(event) if decides and event.is_open else 0
    return Asking(must_ask, request_notices.who_decides(event), waiting)


def waiting(event: Event, now: datetime) -> list[Waiting]:
    """Requests in the order they came, with each person's past in the group."""
    requests = _requests(event)
    user_ids = [rsvp.user_id for rsvp in requests]
    joined = memberships.joined_at_of(user_ids, event.group)
    records = newcomers.records(user_ids, event.group, now)
    return [
        Waiting(rsvp, joined.get(rsvp.user_id), records[rsvp.user_id])
        for rsvp in requests
    ]


def approve(actor: Membership | None, rsvp: Rsvp, now: datetime) -> None:
    """Yes: going if she fits, else waitlisted in request order. Told by mail,
    with the invitation and the address when she is going."""
    event = rsvp.event
    _require_host(actor, event)
    rsvps.lock_event(event)
    db.session.refresh(rsvp)
    if not rsvp.is_requested:
        return  # the other organiser answered first, or she withdrew
    if event.is_cancelled or now >= event.starts_at:
        raise RSVPClosed(rsvps.closed_reason(event, now))
    _admit(rsvp, now, decided_by=actor.user_id)


def decline(actor: Membership | None, rsvp: Rsvp, message: str, now: datetime) -> None:
    """No, kindly: she is told, with the host's words if any, and may not ask
    again for this gathering."""
    _require_host(actor, rsvp.event)
    rsvps.lock_event(rsvp.event)
    db.session.refresh(rsvp)
    if not rsvp.is_requested:
        return
    _close(rsvp)
    rsvp.refused_at = now
    db.session.flush()
    request_notices.declined(rsvp, message.strip(), now)


def admit_waiting(event: Event, now: datetime) -> None:
    """After the host turned approval off (or to newcomers only): whoever no
    longer needs her yes is let in, in request order, as capacity allows."""
    rsvps.lock_event(event)
    if event.is_cancelled or now >= event.starts_at:
        return
    for rsvp in _requests(event):
        membership = memberships.membership_of(rsvp.user, event.group)
        if not newcomers.must_ask(event, rsvp.user, membership, now):
            _admit(rsvp, now)


def expire_requests(now: datetime) -> int:
    """Requests still open when answers close lapse, each told by mail."""
    found = db.session.scalars(
        select(Rsvp)
        .join(Rsvp.event)
        .where(
            Rsvp.status == RsvpStatus.REQUESTED,
            Event.cancelled_at.is_(None),
            Event.state == EventState.OPEN,
            Event.ends_at > now - timedelta(days=1),
        )
        .order_by(Event.id, Rsvp.id)  # one lock order for everyone
    ).all()
    expired = 0
    for rsvp in found:
        if now < rsvp.event.rsvp_closes_at:
            continue
        rsvps.lock_event(rsvp.event)
        db.session.refresh(rsvp)
        if rsvp.is_requested:
            _close(rsvp)
            db.session.flush()
            request_notices.expired(rsvp, now)
            expired += 1
    return expired


def remind_hosts(now: datetime) -> int:
    """Requests waiting a day or more: their host (or, without one, the
    organisers) hears once a day for each gathering, a day apart: the days are
    counted from the oldest request, not by the calendar (a run either side of
    midnight is one day)."""
    rows = db.session.execute(
        select(Event, func.min(Rsvp.requested_at), func.count())
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(
            Rsvp.status == RsvpStatus.REQUESTED,
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
        )
        .group_by(Event.id)
        .having(func.min(Rsvp.requested_at) <= now - WAITING_TOO_LONG)
        .order_by(Event.id)
    ).all()
    for event, oldest, count in rows:
        days = (now - oldest) // WAITING_TOO_LONG
        request_notices.waiting_for_you(
            event, count, f"{oldest:%Y%m%d%H%M%S}+{days}", now
        )
    return len(rows)


def _admit(rsvp: Rsvp, now: datetime, decided_by: int | None = None) -> None:
    rsvp.status = RsvpStatus.WAITLISTED
    rsvp.waitlisted_at = rsvp.requested_at  # her place in line: when she asked
    rsvp.requested_at = None
    db.session.flush()
    rsvps.promote_waitlist(rsvp.event, now, told_apart=rsvp)
    request_notices.approved(rsvp, now)
    kind = HappeningKind.GOING if rsvp.is_going else HappeningKind.WAITLISTED
    host_news.heard(rsvp, kind, now, decided_by=decided_by)


def _close(rsvp: Rsvp) -> None:
    rsvp.status = RsvpStatus.DECLINED
    rsvp.requested_at = None
    rsvp.guests = 0
    at_table.clear(rsvp)


def _request_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .filter_by(event_id=event.id, status=RsvpStatus.REQUESTED)
    )


def _requests(event: Event) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .filter_by(event_id=event.id, status=RsvpStatus.REQUESTED)
            .options(db.joinedload(Rsvp.user))
            .order_by(Rsvp.requested_at, Rsvp.id)
        )
    )


def _require_host(actor: Membership | None, event: Event) -> None:
    access = permissions.event_access(event, actor, None)
    if not access.sees_attendee_list:
        raise NotAllowed(_("Only the host and organisers say yes or no."))
