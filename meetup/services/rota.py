"""The host rota: each series date has a host slot that members claim.

A claim is one conditional UPDATE (`host_id IS NULL`), so two taps at once give
one host. A host who gives a date up takes her place with her: the street is
wiped from the date, and nothing said afterwards repeats it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from meetup import permissions, privacy
from meetup.errors import Conflict, NotAllowed
from meetup.extensions import db
from meetup.models import Event, EventState, Membership, RsvpStatus, User, VenueType
from meetup.services import (
    calendars,
    memberships,
    notices,
    rota_news,
    rsvps,
    series,
)

#: When organisers, then members who asked, hear that a date has no host.
ORGANISERS_TOLD, MEMBERS_ASKED = timedelta(days=14), timedelta(days=10)


@dataclass(frozen=True)
class Place:
    """Where the host has us (HostPlaceForm.place() builds it)."""

    venue_type: VenueType = VenueType.HOME
    venue_name: str = ""
    address: str = ""
    area: str = ""
    access_notes: str = ""
    latitude: float | None = None
    longitude: float | None = None


NOWHERE = Place(venue_type=VenueType.HOME)


def claim(member: Membership | None, event: Event, now: datetime) -> None:
    """ "I'll host this one": the first tap wins; the other is told who did."""
    _require_date(event, now)
    if not (permissions.is_member(member) and member.group_id == event.group_id):
        raise NotAllowed(_("Only members of the group can host its dates."))
    taken = db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.host_id.is_(None))
        .values(host_id=member.user_id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event)
    if taken.rowcount != 1:
        if event.host_id == member.user_id:
            return  # her own second tap
        raise Conflict(_("%(name)s is hosting this one.", name=event.host.display_name))


def assign(actor: Membership | None, event: Event, user: User, now: datetime) -> None:
    """Organisers give a date to a member who said yes outside the app."""
    _require_manager(actor, event)
    claim(memberships.membership_of(user, event.group), event, now)


def place(actor: Membership | None, event: Event, where: Place, now: datetime) -> None:
    """The host (or an organiser) says where: a date waiting for its host
    opens for answers; an open one moves, with the usual change mail."""
    _require_host_or_manager(actor, event)
    _require_date(event, now)
    if event.host_id is None:
        raise NotAllowed(_("Say who hosts this date first."))
    rsvps.lock_event(event)
    before = calendars.as_calendars_see_it(event)
    _set_place(event, where)
    event.updated_at = now
    if event.needs_host:
        event.state = EventState.OPEN
        db.session.flush()
        series.opened(event, now)
        return
    if calendars.new_edition_if_moved(event, before):
        db.session.flush()
        notices.changed(event, before, now)
    rsvps.seat_host(event, now)  # a new host of a date people had answered


def give_up(actor: Membership | None, event: Event, now: datetime) -> None:
    """The host can't (or an organiser takes the date off her). Nobody else
    answered: back to "host needed". Others did: the place becomes "to be
    confirmed", they get the change mail, and the organisers are told."""
    _require_host_or_manager(actor, event)
    _require_date(event, now)
    rsvps.lock_event(event)
    host = event.host
    if host is None:
        return
    others_answered = series.answered(event)  # anyone but her
    # What the change mail may say was the place: the area, never the street.
    before = calendars.as_calendars_see_it(event)
    before.address = before.venue_name = ""
    # Wiped before anyone is written to: her own "not going", the promotion
    # her seat gives someone, every mail from here on says no street.
    _set_place(event, NOWHERE)
    event.host_id = None
    event.updated_at = now
    db.session.flush()
    own = series.rsvps_of(host, event)
    if own is not None and own.status is not RsvpStatus.DECLINED and event.is_open:
        rsvps.respond(event, host, going=False, now=now)  # her calendar drops it
    if not others_answered:
        event.state = EventState.HOST_NEEDED
        db.session.flush()
        return
    calendars.new_edition(event)
    db.session.flush()
    notices.changed(event, before, now)
    rota_news.gave_up(event, host, now)


def ask_me_to_host(member: Membership | None, asked: bool) -> None:
    """ "Ask me when a date needs a host": mailed ten days out, until she stops it."""
    if not permissions.is_member(member):
        raise NotAllowed(_("Join the group to host its dates."))
    member.is_asked_to_host = asked
    db.session.flush()


def last_place(user: User, group_id: int) -> Place:
    """Where she last hosted this group: her "Where?" starts from it."""
    hosted = db.session.scalar(
        select(Event)
        .where(
            Event.host_id == user.id,
            Event.group_id == group_id,
            Event.address != "",
        )
        .order_by(Event.starts_at.desc())
        .limit(1)
    )
    if hosted is None:
        return NOWHERE
    return Place(**{f.name: getattr(hosted, f.name) for f in dataclasses.fields(Place)})


def nudge(now: datetime) -> int:
    """Dates with no host: organisers hear two weeks out, members who asked ten
    days out; once each (the outbox drops a repeat), so the worker may ask often."""
    waiting = db.session.scalars(
        select(Event)
        .where(
            Event.state == EventState.HOST_NEEDED,
            Event.host_id.is_(None),
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
            Event.starts_at <= now + ORGANISERS_TOLD,
        )
        .order_by(Event.starts_at)
    ).all()
    for event in waiting:
        rota_news.host_needed(event, now)
        if event.starts_at <= now + MEMBERS_ASKED:
            rota_news.asked_to_host(event, now)
    return len(waiting)


def hosted_in_past_year(group_id: int, series_id: int, now: datetime) -> list[Event]:
    """Who hosted which date of the series in the last year, latest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(
                Event.series_id == series_id,
                Event.group_id == group_id,
                Event.host_id.is_not(None),
                Event.cancelled_at.is_(None),
                Event.starts_at <= now,
                Event.starts_at > now - timedelta(days=365),
            )
            .options(db.joinedload(Event.host))
            .order_by(Event.starts_at.desc())
        )
    )


def _set_place(event: Event, where: Place) -> None:
    for name, value in dataclasses.asdict(where).items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    event.public_latitude, event.public_longitude = privacy.public_point(
        event.venue_type, event.latitude, event.longitude
    )


def _require_date(event: Event, now: datetime) -> None:
    if event.series_id is None:
        raise NotAllowed(_("Only dates of a series have a host rota."))
    if event.is_cancelled or event.starts_at <= now:
        raise NotAllowed(_("This date is past or cancelled."))


def _require_host_or_manager(actor: Membership | None, event: Event) -> None:
    in_group = actor is not None and actor.group_id == event.group_id
    if not in_group or not (
        permissions.can_manage_group(actor) or event.host_id == actor.user_id
    ):
        raise NotAllowed(_("Only the host and the organisers can do that."))


def _require_manager(actor: Membership | None, event: Event) -> None:
    if not (permissions.can_manage_group(actor) and actor.group_id == event.group_id):
        raise NotAllowed(_("Only the group's organisers can do that."))
