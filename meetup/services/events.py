"""Events: planning, changing and cancelling gatherings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from meetup import permissions, privacy
from meetup.errors import AlreadyPlanned, InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Admission,
    Children,
    Event,
    EventState,
    EventVisibility,
    Group,
    GuestList,
    Membership,
    User,
    VenueType,
)
from meetup.models.event import new_share_code
from meetup.services import (
    approvals,
    at_table,
    bring_lists,
    calendars,
    memberships,
    news,
    notices,
    rsvps,
)


@dataclass(frozen=True)
class EventDetails:
    """What an organiser says about a gathering (EventForm.details() builds it).

    Times are aware UTC; `timezone` is the zone they were entered in.
    """

    title: str
    venue_type: VenueType
    starts_at: datetime
    ends_at: datetime
    timezone: str
    description: str = ""
    venue_name: str = ""
    address: str = ""
    area: str = ""
    access_notes: str = ""
    capacity: int | None = None
    max_guests: int = 0
    rsvp_deadline_at: datetime | None = None
    visibility: EventVisibility = EventVisibility.PUBLIC
    admission: Admission = Admission.ANYONE
    street_day_before: bool = False
    guest_list: GuestList = GuestList.MEMBERS
    host_id: int | None = None
    question: str = ""
    #: One thing per line, "×2" for two (services.bring reads it).
    bring_list: str = ""
    children: Children = Children.WELCOME
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def of(cls, event: Event) -> EventDetails:
        """The gathering as it stands, to change a few things of."""
        return cls(**{field.name: getattr(event, field.name) for field in FIELDS})


FIELDS = dataclasses.fields(EventDetails)
#: How many wait for the host's yes, from none to all.
ASKS = {Admission.ANYONE: 0, Admission.NEWCOMERS: 1, Admission.EACH: 2}


def create_event(
    actor: Membership | None,
    group: Group,
    details: EventDetails,
    now: datetime,
    once: str | None = None,
    *,
    draft: bool = False,
    tell_members: bool = True,
) -> Event:
    """Organisers plan a gathering; it starts in the future; the host is a member.
    Open at once (the host takes her place; members hear of it if
    `tell_members`), or a draft that only organisers see until `publish`.
    Planned once: the same form sent twice at once (`once`, its one-time token,
    unique) or again after Back (the browser asks for a fresh form, so: the
    same title and start in the group within the hour) makes one gathering and
    one announcement."""
    _require_manager(actor, group)
    values = _checked(group, details, now)
    _not_planned_already(group, values, once, now)
    state = EventState.DRAFT if draft else EventState.OPEN
    event = Event(group=group, planned_with=once, state=state, **values)
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:  # the other submit of the same form got there first
        _not_planned_already(group, values, once, now)
        raise
    if not draft:
        _opened(actor, event, tell_members, now)
    return event


def publish(
    actor: Membership | None, event: Event, tell_members: bool, now: datetime
) -> None:
    """Open a draft: answerable, listed, in feeds; the host takes her place;
    members hear of it only if `tell_members`. Published once: a second tap
    changes nothing and tells no one again."""
    _require_manager(actor, event.group)
    rsvps.lock_event(event)
    if not event.is_draft:
        return
    if event.is_cancelled:
        raise NotAllowed(_("A cancelled gathering stays as it was. Plan a new one."))
    if event.starts_at <= now:
        raise NotAllowed(_("Its start has passed: pick a new time, then publish it."))
    event.state = EventState.OPEN
    event.updated_at = now
    db.session.flush()
    _opened(actor, event, tell_members, now)


def _opened(actor: Membership, event: Event, tell_members: bool, now: datetime) -> None:
    """Now open: the host is going, and the members are told if they should be."""
    rsvps.seat_host(event, now)
    if tell_members:
        news.announced(event, actor.user, now)


#: How long the same title at the same start counts as the same gathering.
SAME_PLAN = timedelta(hours=1)


def _not_planned_already(
    group: Group, values: dict, once: str | None, now: datetime
) -> None:
    same_plan = and_(
        Event.group_id == group.id,
        Event.title == values["title"],
        Event.starts_at == values["starts_at"],
        Event.created_at > now - SAME_PLAN,
        Event.cancelled_at.is_(None),
    )
    same = or_(Event.planned_with == once, same_plan) if once else same_plan
    planned = db.session.scalar(db.select(Event).where(same).limit(1))
    if planned is not None:
        raise AlreadyPlanned(
            planned, _("You already planned this. Here it is: edit it if need be.")
        )


def update_event(
    actor: Membership | None,
    event: Event,
    details: EventDetails,
    now: datetime,
    alone: bool = True,
    minor: bool = False,
) -> None:
    """Change a gathering. More room promotes from the waitlist; less demotes no
    one. A new host of an open gathering takes her place (the old one keeps
    hers, as a guest, until she says she can't come). A draft tells no one.
    A series date changed `alone` ("this date only") keeps its changes when the
    series changes later. New words (details, getting in, the host) are mailed
    to those going, with their calendar's copy, unless `minor` (a typo fixed)."""
    _require_manager(actor, event.group)
    if event.is_cancelled:
        # Its calendar entries are cancelled; changing it would revive them.
        raise NotAllowed(_("A cancelled gathering stays as it was. Plan a new one."))
    values = _checked(event.group, details, now, current=event)
    rsvps.lock_event(event)
    # Claims counted after the lock: alone, refused; from the series, kept.
    values["bring_list"] = bring_lists.kept_claims(event, details.bring_list, alone)
    at_table.require_room_for_children(event, details.children)
    before = calendars.as_calendars_see_it(event)
    new_host = values["host_id"] != event.host_id
    was_asking = event.admission
    for name, value in values.items():
        setattr(event, name, value)
    event.updated_at = now
    if alone and event.series_id is not None:
        event.is_changed_alone = True
    moved = calendars.new_edition_if_moved(event, before)
    db.session.flush()
    if moved:
        notices.changed(event, before, now)
    elif not minor and calendars.reworded(event, before):
        notices.reworded(event, before, now)
    if new_host:
        rsvps.seat_host(event, now)  # first: the host's place is never in doubt
    rsvps.promote_waitlist(event, now)
    if ASKS[event.admission] < ASKS[was_asking]:
        approvals.admit_waiting(event, now)  # whoever no longer needs a yes


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
    calendars.new_edition(event)
    db.session.flush()
    notices.cancelled(event, now)


def _checked(
    group: Group, details: EventDetails, now: datetime, current: Event | None = None
) -> dict:
    values = dataclasses.asdict(details)
    for name in ("title", "venue_name", "address", "area", "access_notes", "question"):
        values[name] = values[name].strip()
    if details.ends_at - details.starts_at > Event.LONGEST:
        raise InvalidInput(
            "ends_at",
            _("A gathering lasts %(days)d days at most.", days=Event.LONGEST.days),
        )
    moved = current is None or details.starts_at != current.starts_at
    if moved and details.starts_at <= now:
        raise InvalidInput("starts_at", _("Pick a start time in the future."))
    # The public point follows the exact spot and the kind of place, always.
    values["public_latitude"], values["public_longitude"] = privacy.public_point(
        details.venue_type, details.latitude, details.longitude
    )
    if details.host_id is not None:
        host = db.session.get(User, details.host_id)
        if memberships.membership_of(host, group) is None:
            raise InvalidInput("host_id", _("The host must be a member of the group."))
    return values


def renew_share_code(actor: Membership | None, event: Event) -> None:
    """A new share link; the old one stops working at once."""
    _require_manager(actor, event.group)
    event.share_code = new_share_code()
    db.session.flush()


def _require_manager(actor: Membership | None, group: Group) -> None:
    if not (permissions.can_manage_group(actor) and actor.group_id == group.id):
        raise NotAllowed(
            _("Only the group's organisers can plan and change gatherings.")
        )
