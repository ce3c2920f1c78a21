"""Messages caused by changes: who is told what, in words and as calendar
invitations, queued in the outbox with the change that caused them.

Every message asks `permissions.event_access` for its reader, so a home's
address reaches only people entitled to it, as on every other surface.
"""

from __future__ import annotations

from datetime import datetime

from meetup import permissions, privacy, times
from meetup.extensions import db
from meetup.models import (
    Event,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.permissions import EventAccess
from meetup.services import account_mail, attendees, calendars, outbox, viewers
from meetup.services.mail import Invitation, Letter
from meetup.urls import public_url


def answered(rsvp: Rsvp, before: RsvpStatus | None, now: datetime) -> None:
    """Confirm an answer: going (with the invitation), waitlisted (the place in
    line, no invitation), or no longer going (the calendar entry cancelled)."""
    event, user = rsvp.event, rsvp.user
    # From the waitlist to going is a promotion, which has its own mail.
    if rsvp.is_going and before not in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
        access = viewers.access_of(event, user, rsvp)
        letter = Letter(
            subject=f"You're going: {event.title}",
            greeting=f"Hello {user.display_name},",
            paragraphs=[
                f"You're going to {event.title}{_guests(rsvp)}. "
                "It's in the invitation attached, ready for your calendar."
            ],
            facts=_facts(event, access),
            action=("See who's coming, or change your answer", _link(event)),
            signature=_signed(event),
        )
        invitation = _invitation(event, rsvp, access, now)
        outbox.send_letter(user, letter, event, now, "rsvp-going", invitation)
    elif rsvp.is_waitlisted and before is not RsvpStatus.WAITLISTED:
        access = viewers.access_of(event, user, rsvp)
        position = attendees.waitlist_position(rsvp)
        letter = Letter(
            subject=f"You're on the waitlist: {event.title}",
            greeting=f"Hello {user.display_name},",
            paragraphs=[
                f"{event.title} is full, so you're number {position} on the "
                "waitlist. If a place frees up it goes to the first in line who "
                "fits, and we'll email you straight away with the details."
            ],
            facts=_facts(event, access),
            action=("See the gathering", _link(event)),
            signature=_signed(event),
        )
        outbox.send_letter(user, letter, event, now, "rsvp-waitlisted")
    elif before is RsvpStatus.GOING and not rsvp.is_going:
        taken_off(rsvp, now, "You said you can't come, so your place is freed.")


def promoted(rsvp: Rsvp, now: datetime, made_room: bool = False) -> None:
    """Tell a waitlisted member they are going, with the address and invitation."""
    event, user = rsvp.event, rsvp.user
    access = viewers.access_of(event, user, rsvp)
    why = "the organisers made room for you" if made_room else "a place freed up"
    letter = Letter(
        subject=f"You're in: {event.title}",
        greeting=f"Hello {user.display_name},",
        paragraphs=[
            f"Good news: {why}, and you're now going to {event.title}"
            f"{_guests(rsvp)}. The invitation is attached for your calendar."
        ],
        facts=_facts(event, access),
        action=("Details, or a way to cancel if you can't come", _link(event)),
        signature=_signed(event),
    )
    outbox.send_letter(
        user, letter, event, now, "promoted", _invitation(event, rsvp, access, now)
    )


def taken_off(rsvp: Rsvp, now: datetime, why: str) -> None:
    """Someone is no longer going: cancel the entry in their calendar."""
    event, user = rsvp.event, rsvp.user
    access = viewers.access_of(event, user, None)
    letter = Letter(
        subject=f"Not going: {event.title}",
        greeting=f"Hello {user.display_name},",
        paragraphs=[why, "The entry in your calendar is cancelled too."],
        facts=[("When", _when(event))],
        action=("See the gathering", _link(event)),
        signature=_signed(event),
    )
    invitation = _invitation(event, rsvp, access, now, method="CANCEL")
    outbox.send_letter(user, letter, event, now, "not-going", invitation)


def changed(event: Event, before: Event, now: datetime) -> None:
    """Time, place or name changed: say what, and send going members a fresh
    invitation (its SEQUENCE is higher, so calendars move the entry)."""
    answers = _answers(event, RsvpStatus.GOING, RsvpStatus.WAITLISTED)
    memberships = _memberships(event, [rsvp.user_id for rsvp in answers])
    for rsvp in answers:
        user = rsvp.user
        access = permissions.event_access(event, memberships.get(user.id), rsvp)
        differences = _differences(before, event, access)
        if not differences and not rsvp.is_going:
            continue  # nothing this person may see has changed
        letter = Letter(
            subject=f"Changed: {event.title}",
            greeting=f"Hello {user.display_name},",
            paragraphs=[
                "The organisers changed a gathering you're "
                + ("going to." if rsvp.is_going else "on the waitlist for."),
                *(differences or ["The details on the map changed."]),
            ],
            facts=_facts(event, access),
            action=("See the gathering", _link(event)),
            signature=_signed(event),
        )
        invitation = _invitation(event, rsvp, access, now) if rsvp.is_going else None
        outbox.send_letter(user, letter, event, now, "changed", invitation)


def cancelled(event: Event, now: datetime) -> None:
    """The gathering is off: everyone who answered yes or waits hears why; going
    members' calendars drop it (METHOD:CANCEL, same UID, higher SEQUENCE)."""
    reason = (
        f"The organisers said: “{event.cancel_reason}”" if event.cancel_reason else ""
    )
    answers = _answers(event, RsvpStatus.GOING, RsvpStatus.WAITLISTED)
    memberships = _memberships(event, [rsvp.user_id for rsvp in answers])
    for rsvp in answers:
        user = rsvp.user
        access = permissions.event_access(event, memberships.get(user.id), rsvp)
        letter = Letter(
            subject=f"Cancelled: {event.title}",
            greeting=f"Hello {user.display_name},",
            paragraphs=[f"Sorry: {event.title} is cancelled.", *filter(None, [reason])],
            facts=[("When", _when(event)), ("Where", privacy.place(event, access))],
            action=("See the gathering", _link(event)),
            signature=_signed(event),
        )
        invitation = (
            _invitation(event, rsvp, access, now, method="CANCEL")
            if rsvp.is_going
            else None
        )
        outbox.send_letter(user, letter, event, now, "cancelled", invitation)


def announced(event: Event, author: User, now: datetime) -> None:
    """A new gathering: members who want such news hear of it (area only)."""
    members = db.session.scalars(
        db.select(Membership)
        .join(Membership.user)
        .options(db.contains_eager(Membership.user))
        .where(
            Membership.group_id == event.group_id,
            User.id != author.id,
            User.wants_announcements.is_(True),
        )
    )
    for membership in members:
        user = membership.user
        access = permissions.event_access(event, membership, None)
        letter = Letter(
            subject=f"New gathering: {event.title}",
            greeting=f"Hello {user.display_name},",
            paragraphs=[f"{event.group.name} has planned a new gathering."],
            facts=_facts(event, access),
            action=("Are you coming?", _link(event)),
            signature=_signed(event),
            footer=_why(user, event, "announcements"),
        )
        unsubscribe = account_mail.unsubscribe_link(user, "announcements")
        outbox.send_letter(
            user, letter, event, now, "announcement", unsubscribe=unsubscribe
        )


def reminder(rsvp: Rsvp, now: datetime) -> None:
    """About a day before, to each member going (once: see `send_reminders`)."""
    event, user = rsvp.event, rsvp.user
    access = viewers.access_of(event, user, rsvp)
    soon = times.relative(event.starts_at, now, event.timezone)
    letter = Letter(
        subject=f"Reminder: {event.title}, {soon}",
        greeting=f"Hello {user.display_name},",
        paragraphs=[
            f"A reminder: {event.title} is {soon}. "
            "If you can't come after all, please say so, so someone on the "
            "waitlist can have your place."
        ],
        facts=_facts(event, access),
        action=("See the gathering", _link(event)),
        signature=_signed(event),
        footer=_why(user, event, "reminders"),
    )
    outbox.send_letter(
        user,
        letter,
        event,
        now,
        "reminder",
        unsubscribe=account_mail.unsubscribe_link(user, "reminders"),
        once_key=reminder_key(rsvp),
    )


def reminder_key(rsvp: Rsvp) -> str:
    """Once per person and start time: a gathering moved is worth a new one."""
    return f"reminder:{rsvp.event_id}:{rsvp.user_id}:{rsvp.event.starts_at:%Y%m%dT%H%M}"


def _invitation(
    event: Event,
    rsvp: Rsvp,
    access: EventAccess,
    now: datetime,
    method: str = "REQUEST",
) -> Invitation:
    return Invitation(calendars.invitation(event, rsvp, access, now, method), method)


def _facts(event: Event, access: EventAccess) -> list[tuple[str, str]]:
    facts = [("When", _when(event)), ("Where", privacy.place(event, access))]
    if access.sees_address and event.access_notes:
        facts.append(("Getting in", event.access_notes))
    return facts


def _differences(before: Event, after: Event, access: EventAccess) -> list[str]:
    said = []
    if before.title != after.title:
        said.append(f"New name: {after.title} (was {before.title}).")
    if _when(before) != _when(after):
        said.append(f"New time: {_when(after)} (was {_when(before)}).")
    old, new = privacy.place_before(before, access), privacy.place(after, access)
    if old != new:
        said.append(f"New place: {new} (was {old}).")
    return said


def _memberships(event: Event, user_ids: list[int]) -> dict[int, Membership]:
    found = db.session.scalars(
        db.select(Membership).where(
            Membership.group_id == event.group_id, Membership.user_id.in_(user_ids)
        )
    )
    return {membership.user_id: membership for membership in found}


def _answers(event: Event, *statuses: RsvpStatus) -> list[Rsvp]:
    return list(
        db.session.scalars(
            db.select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status.in_(statuses))
            .options(db.joinedload(Rsvp.user))
            .order_by(Rsvp.id)
        )
    )


def _when(event: Event) -> str:
    return times.when_range(event.starts_at, event.ends_at, event.timezone)


def _guests(rsvp: Rsvp) -> str:
    if not rsvp.guests:
        return ""
    return f" with {rsvp.guests} guest{'s' if rsvp.guests != 1 else ''}"


def _link(event: Event) -> str:
    return public_url("events.show", event_id=event.id)


def _signed(event: Event) -> str:
    return f"— {event.group.name}, on Hearth"


def _why(user: User, event: Event, kind: str) -> str:
    return (
        f"You get {account_mail.OPTIONAL_MAIL[kind]} because you're a member of "
        f"{event.group.name}. Turn them off for all your groups with one click: "
        f"{account_mail.unsubscribe_link(user, kind)}"
    )
