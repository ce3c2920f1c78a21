"""Pure predicates: who may see and do what. No queries; callers pass what they loaded.

`membership` is the viewer's Membership in the group, or None for visitors and
non-members; `rsvp` is the viewer's own answer to the event, or None.
Templates ask these instead of comparing roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from meetup.models import (
    Event,
    EventState,
    EventVisibility,
    Group,
    GuestList,
    Membership,
    Role,
    Rsvp,
    User,
)
from meetup.models.base import utcnow

#: Where a gathering appears besides its own page, by its state (to those who
#: may see it at all: `can_view_event`). A draft is in no list, feed or mail; a
#: date that needs a host is listed for members but in no feed or reminder.
#: `finding` writes the same sets as SQL.
LISTED_STATES = frozenset({EventState.HOST_NEEDED, EventState.OPEN})
TOLD_STATES = frozenset({EventState.OPEN})  # feeds, announcements, reminders


def is_member(membership: Membership | None) -> bool:
    return membership is not None


def can_manage_group(membership: Membership | None) -> bool:
    """Organisers and co-organisers run the group: events, requests, invites."""
    return membership is not None and membership.is_organiser


def can_change_roles(membership: Membership | None) -> bool:
    """Only full organisers promote, demote and remove people."""
    return membership is not None and membership.role is Role.ORGANISER


def can_see_members(membership: Membership | None) -> bool:
    """Names of members are for members: the group's word that it is private-first."""
    return membership is not None


def can_report(membership: Membership | None, person: User | None) -> bool:
    """Members tell the organisers about a gathering or someone else; the
    organisers, who would read it, act instead."""
    if membership is None or membership.is_organiser:
        return False
    return person is None or person.id != membership.user_id


def can_join_directly(group: Group) -> bool:
    return not group.is_private


def is_for_members(event: Event) -> bool:
    """Strangers may not see it: its link, shared, goes by its share code."""
    return event.group.is_private or event.visibility is EventVisibility.MEMBERS


def can_view_event(event: Event, membership: Membership | None) -> bool:
    """A draft is for the group's organisers; a date that needs a host, private
    groups' events and members-only events are for members."""
    if event.is_draft:
        return can_manage_group(membership)
    if event.needs_host:
        return membership is not None
    if is_for_members(event):
        return membership is not None
    return True


@dataclass(frozen=True)
class EventAccess:
    """What one person may see of and do with one event: the single privacy decision.

    Every surface (page, list, calendar, CSV, mail, link preview) asks this, and
    `meetup.privacy` applies it.
    """

    can_view: bool
    #: The street address (and, at a home, the exact spot) rather than the area.
    sees_address: bool
    #: Names of who is going.
    sees_attendee_names: bool
    #: The host's tools: attendee list with answers, CSV, check-in.
    sees_attendee_list: bool
    #: Edit, cancel, promote and remove by hand.
    can_manage: bool
    #: Going, hosting or organising: would see a home's street, were it a home.
    #: (What a change of venue may tell them about the old place.)
    is_entitled: bool = False
    #: How many children and which dietary needs, counted ("3 children · 2
    #: vegetarian"); names go with `sees_attendee_list`.
    sees_table_counts: bool = False


NO_ACCESS = EventAccess(False, False, False, False, False)

#: "Share the street the day before": how long before the start going members
#: are told it. The reminder goes out in the same hour and carries it.
STREET_AHEAD = timedelta(hours=24)


def event_access(
    event: Event,
    membership: Membership | None,
    rsvp: Rsvp | None,
    now: datetime | None = None,
) -> EventAccess:
    """The decision: `membership` and `rsvp` are the reader's own (or None);
    `now` is the moment asked about (the clock's, unless given)."""
    if not can_view_event(event, membership):
        return NO_ACCESS
    manages = can_manage_group(membership)
    # A host who has left the group is no longer its host.
    hosts = membership is not None and event.host_id == membership.user_id
    # Going counts only for members: someone who left keeps an old RSVP row.
    # (A request is not going: no seat, no street, no getting-in notes.)
    going = membership is not None and rsvp is not None and rsvp.is_going
    told_street = going and street_is_shared(event, now or utcnow())
    return EventAccess(
        can_view=True,
        sees_address=shared_access(event).sees_address
        or manages
        or hosts
        or told_street,
        sees_attendee_names=manages or hosts or _sees_names(event, membership, going),
        sees_attendee_list=manages or hosts,
        can_manage=manages,
        is_entitled=manages or hosts or told_street,
        sees_table_counts=_sees_table_counts(manages or hosts, going),
    )


def street_is_shared(event: Event, now: datetime) -> bool:
    """Whether going members are told the street by now: always, unless the
    host chose "the day before" (then from `STREET_AHEAD` before the start)."""
    return not event.street_day_before or now >= event.starts_at - STREET_AHEAD


def _sees_names(event: Event, membership: Membership | None, going: bool) -> bool:
    """Who is going, by name, as the host chose: to members, to those going,
    or to nobody but her and the organisers (the count only)."""
    if membership is None or event.guest_list is GuestList.COUNT:
        return False
    return event.guest_list is GuestList.MEMBERS or going


def _sees_table_counts(runs_it: bool, going: bool) -> bool:
    """Children and dietary needs are counted for the host, the organisers and
    those going (who share the table); never for those waiting or asking."""
    return runs_it or going


def is_listed(event: Event) -> bool:
    """In lists and searches (group page, home page, Gatherings, near me, mine)."""
    return event.state in LISTED_STATES


def is_told(event: Event) -> bool:
    """In calendar feeds and news by mail (announcements, reminders)."""
    return event.state in TOLD_STATES


def shared_access(event: Event) -> EventAccess:
    """What a surface meant to be passed around (a group's calendar feed) tells
    anyone it reaches who may see the event: a home's area, never its address."""
    return EventAccess(
        can_view=True,
        sees_address=not event.is_home,
        sees_attendee_names=False,
        sees_attendee_list=False,
        can_manage=False,
    )


def can_write_to_attendees(event: Event, membership: Membership | None) -> bool:
    """The group's organisers and co-organisers, and the gathering's host (while
    she is a member), write to the people coming."""
    if membership is None or not can_view_event(event, membership):
        return False
    return membership.is_organiser or event.host_id == membership.user_id
