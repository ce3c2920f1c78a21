"""RSVPs: answering, the first-come-first-served waitlist, and the capacity guard.

The host is going and counted in capacity (`seat_host`): she is always seated,
capacity rising by one if need be; she may step back (a "no") and count
herself in again, alone as surely as at first (guests must fit, as anyone's).

Where the host approves who comes (`newcomers.must_ask`), a yes is a request:
no seat, no street, until she says yes (`approvals`).

Capacity is enforced by the database, never by a count read in Python: seats are
taken with one conditional UPDATE (`seats_taken + n <= capacity`), checked by its
row count. Every change first locks the event (`lock_event`), so changes to one
event queue up, and decides on rows re-read after the lock, never on copies
loaded before it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from meetup import permissions
from meetup.errors import Conflict, NoRoom, NotAllowed, NotFound, RSVPClosed
from meetup.extensions import db
from meetup.models import Diet, Event, Membership, Rsvp, RsvpStatus, User
from meetup.services import (
    at_table,
    attendees,
    bring_lists,
    bring_news,
    memberships,
    newcomers,
    notices,
)


def closed_reason(event: Event, now: datetime) -> str | None:
    """Why answers are not taken now, in words; None while they are."""
    if event.is_cancelled:
        return _("This gathering was cancelled.")
    if event.is_draft:
        return _("This gathering is a draft: answers open when it is published.")
    if event.needs_host:
        return _("This date needs a host first.")
    if now >= event.ends_at:
        return _("This gathering is over.")
    if now >= event.starts_at:
        return _("This gathering has already started.")
    if now >= event.rsvp_closes_at:
        return _("RSVPs closed at the organisers' deadline.")
    return None


def respond(
    event: Event,
    user: User,
    *,
    going: bool,
    guests: int = 0,
    children: int = 0,
    diets: frozenset[Diet] = frozenset(),
    diet_note: str = "",
    answer: str = "",
    now: datetime,
    standing: bool = False,
) -> Rsvp:
    """Say yes or no. A yes that does not fit is waitlisted, in arrival order.
    Children never take a place (`at_table`); a no clears them and the diets.
    `standing`: given for her as a series date opened ("put me down for each")."""
    membership = memberships.membership_of(user, event.group)
    if not permissions.can_view_event(event, membership):
        raise NotFound(_("No such gathering."))
    # Any answer: a "no" would make her a member of a public group too.
    memberships.require_not_blocked(user, event.group)
    if going and not 0 <= guests <= event.max_guests:
        raise NoRoom(_guest_limit(event))
    lock_event(event)
    if going:  # after the lock: "adults only" as it stands now
        diet_note = at_table.checked(event, children, diets, diet_note)
    _require_open(event, now)  # checked after the lock: a cancellation just now counts
    rsvp = attendees.rsvp_of(user, event)
    is_new = rsvp is None
    before = None if is_new else rsvp.status
    if is_new:
        rsvp = Rsvp(event=event, user=user, status=RsvpStatus.DECLINED, guests=0)
    if going and rsvp.is_refused and not (rsvp.is_going or rsvp.is_waitlisted):
        raise NotAllowed(_("The host said no for this gathering. Maybe next time."))
    if not going:
        _withdraw(rsvp, now)
    elif rsvp.is_requested:
        rsvp.guests = guests  # keeps its place in the host's queue
    elif rsvp.is_going:
        _change_guests(rsvp, guests, now)
    elif event.host_id == user.id and guests == 0:
        # The host counting herself in again, alone: always seated. (With
        # guests she asks like anyone: they must fit, or she waits.)
        rsvp.guests = 0
        _make_room(event, 1)
        _take_seats(event, 1)
        _seat(rsvp)
    elif rsvp.is_waitlisted:
        rsvp.guests = guests  # keeps its place in the queue
        rsvp.passed_over = 0
        db.session.flush()
        promote_waitlist(event, now)
    elif newcomers.must_ask(event, user, membership, now):
        rsvp.guests = guests
        rsvp.status = RsvpStatus.REQUESTED
        rsvp.requested_at = now
    else:
        rsvp.guests = guests
        _seat_or_waitlist(rsvp, now)
    if going:
        at_table.keep(rsvp, user, children, diets, diet_note)
    rsvp.answer = answer.strip()
    rsvp.responded_at = now
    if membership is None:
        # Only a public group's gathering is open to non-members: answering joins.
        memberships.add_member(user, event.group)
    if is_new:
        _insert(rsvp)
    db.session.flush()
    notices.answered(rsvp, before, now, standing=standing)
    return rsvp


def respond_as_asked(user: User, then: dict, now: datetime) -> Rsvp | None:
    """Place an answer given before she could answer ("I'm going" from the
    gathering's page, before her code or an organiser's yes): by today's rules,
    so it is waitlisted if full, refused if closed. None if the gathering is gone."""
    event = db.session.get(Event, then.get("event_id"))
    if event is None:
        return None
    diets, note = at_table.from_words(then.get("diets"), then.get("diet_note"))
    if not (diets or note):  # none said: what she eats, as her profile knows
        diets, note = user.diets, user.diet_note
    return respond(
        event,
        user,
        going=True,
        guests=int(then.get("guests") or 0),
        children=int(then.get("children") or 0),
        diets=diets,
        diet_note=note,
        answer=str(then.get("answer") or ""),
        now=now,
    )


def promote_waitlist(
    event: Event, now: datetime, told_apart: Rsvp | None = None
) -> list[Rsvp]:
    """Give free places to the earliest waitlisted parties that fit, repeatedly.
    A party passed over by a later, smaller one is told so, with how many places
    came free. `told_apart`: one whose mail the caller sends (an approval)."""
    if event.is_cancelled or now >= event.starts_at:
        return []  # after the deadline, until the start, people still hope for a place
    promoted, skipped = [], []
    for rsvp in _waitlist(event):
        if event.seats_left is not None and rsvp.party > event.seats_left:
            skipped.append((rsvp, event.seats_left))
            continue  # a later, smaller party may fit; never a partial party
        if _take_seats(event, rsvp.party):
            _seat(rsvp)
            promoted.append(rsvp)
            if rsvp is not told_apart:
                notices.promoted(rsvp, now)
            for passed, free in skipped:
                if not passed.passed_over:
                    passed.passed_over = free
                    notices.passed_over(passed, now)
            skipped = []  # told once per passing
    db.session.flush()
    return promoted


def remove_attendee(actor: Membership | None, rsvp: Rsvp, now: datetime) -> None:
    """An organiser takes someone off the list; their places go to the waitlist."""
    _require_manager(actor, rsvp.event)
    lock_event(rsvp.event)
    db.session.refresh(rsvp)
    was_going = rsvp.is_going
    _withdraw(rsvp, now)
    if was_going:
        notices.taken_off(rsvp, now, _l("The organisers took you off the list."))


def promote_by_hand(actor: Membership | None, rsvp: Rsvp, now: datetime) -> None:
    """An organiser lets a waitlisted party in, raising capacity just enough."""
    _require_manager(actor, rsvp.event)
    event = rsvp.event
    lock_event(event)
    if event.is_cancelled or now >= event.starts_at:
        raise RSVPClosed(closed_reason(event, now))
    db.session.refresh(rsvp)
    if not rsvp.is_waitlisted:
        return
    _make_room(event, rsvp.party)
    if not _take_seats(event, rsvp.party):
        raise NoRoom(_("Someone took the last places a moment ago. Try again."))
    _seat(rsvp)
    notices.promoted(rsvp, now, made_room=True)
    db.session.flush()


def seat_host(event: Event, now: datetime) -> Rsvp | None:
    """The host is going and takes one of the places, always: when it is full,
    capacity rises by what her party needs (as with `promote_by_hand`); she is
    never waitlisted at her own gathering. Call it when a gathering opens with a
    host, or gets a new one (a series date claimed, a draft published, the host
    changed). None when there is no one to seat: no host, or the gathering is
    not open, cancelled or started. Her confirmation says she is hosting."""
    if event.host_id is None:
        return None
    lock_event(event)  # then decide on what the lock re-read
    if not event.is_open or event.is_cancelled or now >= event.starts_at:
        return None
    host = db.session.get(User, event.host_id)
    if memberships.membership_of(host, event.group) is None:
        return None  # a host who left the group is no longer its host
    rsvp = attendees.rsvp_of(host, event)
    if rsvp is not None and rsvp.is_going:
        return rsvp
    is_new = rsvp is None
    before = None if is_new else rsvp.status
    if is_new:
        rsvp = Rsvp(event=event, user=host, status=RsvpStatus.DECLINED, guests=0)
    _make_room(event, rsvp.party)
    if not _take_seats(event, rsvp.party):  # cannot happen under the lock
        raise NoRoom(_("Someone took the last places a moment ago. Try again."))
    _seat(rsvp)
    rsvp.responded_at = now
    if is_new:
        _insert(rsvp)
    db.session.flush()
    if before is RsvpStatus.WAITLISTED:
        notices.promoted(rsvp, now, made_room=True)
    else:
        notices.answered(rsvp, before, now)
    return rsvp


def set_checked_in(
    actor: Membership | None, rsvp: Rsvp, mark: str, now: datetime
) -> None:
    """At the door: "arrived", or (after the start) "absent" for "didn't come",
    or "undo" either. What she did counts towards being a newcomer next time."""
    access = permissions.event_access(rsvp.event, actor, None, now)
    if not access.sees_attendee_list:
        raise NotAllowed(_("Only the host and organisers check people in."))
    if not rsvp.is_going:
        raise NotAllowed(_("Only people who are going can be checked in."))
    if mark == "absent" and now < rsvp.event.starts_at:
        raise NotAllowed(_("“Didn't come” can be marked once it has started."))
    rsvp.checked_in_at = now if mark == "arrived" else None
    rsvp.did_not_come = mark == "absent"
    db.session.flush()


def withdraw_from_group(user: User, group_id: int, now: datetime) -> None:
    """Someone left or was removed: free their places at the group's coming events."""
    rows = db.session.scalars(
        select(Rsvp)
        .join(Rsvp.event)
        .where(
            Rsvp.user_id == user.id,
            Event.group_id == group_id,
            Event.starts_at > now,
            Rsvp.status != RsvpStatus.DECLINED,
        )
        .order_by(Event.id)  # one lock order for everyone: no deadlocks
    )
    for rsvp in rows.all():
        lock_event(rsvp.event)
        db.session.refresh(rsvp)
        was_going = rsvp.is_going
        _withdraw(rsvp, now)
        if was_going:
            why = _l(
                "You're no longer a member of %(group)s. Your place is freed.",
                group=rsvp.event.group.name,
            )
            notices.taken_off(rsvp, now, why)


def lock_event(event: Event) -> None:
    """Queue changes to one event's RSVPs, then re-read what others changed.

    A no-op UPDATE takes the event's row lock on PostgreSQL and the database's
    write lock on SQLite (where SELECT ... FOR UPDATE does nothing).
    """
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(seats_taken=Event.seats_taken)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event)


def _insert(rsvp: Rsvp) -> None:
    try:
        with db.session.begin_nested():
            db.session.add(rsvp)
    except IntegrityError:  # the same person's other request got here first
        raise Conflict(
            _("You answered twice at the same moment; your first answer counts.")
        ) from None


def _require_open(event: Event, now: datetime) -> None:
    reason = closed_reason(event, now)
    if reason:
        raise RSVPClosed(reason)


def _seat(rsvp: Rsvp) -> None:
    rsvp.status = RsvpStatus.GOING
    rsvp.waitlisted_at = None
    rsvp.passed_over = 0


def _seat_or_waitlist(rsvp: Rsvp, now: datetime) -> None:
    if _take_seats(rsvp.event, rsvp.party):
        _seat(rsvp)
    else:
        rsvp.status = RsvpStatus.WAITLISTED
        rsvp.waitlisted_at = now


def _change_guests(rsvp: Rsvp, guests: int, now: datetime) -> None:
    extra = guests - rsvp.guests
    if extra > 0 and not _take_seats(rsvp.event, extra):
        left = rsvp.event.seats_left or 0
        free = ngettext(
            "Only %(num)d more place is free.",
            "Only %(num)d more places are free.",
            left,
        )
        most = ngettext(
            "You can bring %(num)d guest at most. Your place is kept.",
            "You can bring %(num)d guests at most. Your place is kept.",
            rsvp.guests + left,
        )
        raise NoRoom(f"{free} {most}")
    rsvp.guests = guests
    if extra < 0:
        _release_seats(rsvp.event, -extra)
        db.session.flush()
        promote_waitlist(rsvp.event, now)


def _withdraw(rsvp: Rsvp, now: datetime) -> None:
    was_going = rsvp.is_going
    party = rsvp.party
    rsvp.status = RsvpStatus.DECLINED
    rsvp.guests = 0
    at_table.clear(rsvp)
    rsvp.waitlisted_at = None
    rsvp.requested_at = None
    rsvp.passed_over = 0
    rsvp.checked_in_at = None
    _let_go_claims(rsvp, now)
    db.session.flush()
    if was_going:
        _release_seats(rsvp.event, party)
        promote_waitlist(rsvp.event, now)


def _let_go_claims(rsvp: Rsvp, now: datetime) -> None:
    """Only going members hold bring-list claims: whoever stops going lets hers
    go (her own things vanish with them), and the host hears of it."""
    if rsvp.id is None:
        return
    claims = bring_lists.claims_of(rsvp)
    for claim in claims:
        db.session.delete(claim)
    if claims:
        bring_news.let_go(rsvp, [claim.thing for claim in claims], now)


def _waitlist(event: Event) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .filter_by(event_id=event.id, status=RsvpStatus.WAITLISTED)
            .order_by(Rsvp.waitlisted_at, Rsvp.id)
        )
    )


def _make_room(event: Event, places: int) -> None:
    """Raise capacity just enough for `places` more (none if they fit)."""
    db.session.execute(
        update(Event)
        .where(Event.id == event.id, Event.capacity < Event.seats_taken + places)
        .values(capacity=Event.seats_taken + places)
    )
    db.session.refresh(event, ["capacity", "seats_taken"])


def _take_seats(event: Event, places: int) -> bool:
    """The guard: take places only if they fit, decided by the database."""
    result = db.session.execute(
        update(Event)
        .where(
            Event.id == event.id,
            or_(Event.capacity.is_(None), Event.seats_taken + places <= Event.capacity),
        )
        .values(seats_taken=Event.seats_taken + places)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event, ["capacity", "seats_taken"])
    return result.rowcount == 1


def _release_seats(event: Event, places: int) -> None:
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(seats_taken=Event.seats_taken - places)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(event, ["capacity", "seats_taken"])


def _guest_limit(event: Event) -> str:
    if event.max_guests == 0:
        return _("This gathering is for members only, without guests.")
    return ngettext(
        "You can bring %(num)d guest at most.",
        "You can bring %(num)d guests at most.",
        event.max_guests,
    )


def _require_manager(actor: Membership | None, event: Event) -> None:
    if not (permissions.can_manage_group(actor) and actor.group_id == event.group_id):
        raise NotAllowed(_("Only the group's organisers can do that."))
