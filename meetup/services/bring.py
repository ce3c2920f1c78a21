"""Bring-list claims: a going member says she'll bring one unit of a thing on
the list, takes it back, or adds something else of her own.

Decided under the event lock (`rsvps.lock_event`, the one seats take), on
claims counted after it: two people tapping the last dessert at once queue up,
and the second finds it taken. Releasing her claims when she stops going is
`rsvps._withdraw`'s (so every way out of "going" lets them go).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from meetup.errors import Conflict, InvalidInput, NoRoom, NotAllowed, NotFound
from meetup.extensions import db
from meetup.models import BringClaim, Event, Rsvp, User
from meetup.services import attendees, bring_lists, memberships, rsvps


def why_not(event: Event, user: User | None, rsvp: Rsvp | None, now: datetime) -> str:
    """Why this person may not claim now, in one short line; "" if she may."""
    if event.is_cancelled:
        return _("This gathering was cancelled.")
    if event.is_draft or not event.is_open:
        return _("The list opens when the gathering does.")
    if now >= event.ends_at:
        return _("This gathering is over.")
    if user is None or memberships.membership_of(user, event.group) is None:
        return _("Members who are going pick what they bring.")
    if rsvp is not None and rsvp.is_waitlisted:
        return _("You're on the waitlist: once you have a place, pick something.")
    if rsvp is not None and rsvp.is_requested:
        return _("Once the host says yes, pick something to bring.")
    if rsvp is None or not rsvp.is_going:
        return _("Say you're coming, then pick something to bring.")
    return ""


def claim(user: User, event: Event, thing: str, note: str, now: datetime) -> BringClaim:
    """She brings one unit of a thing on the list: only while going, one unit
    per person per thing (a second tap is a no-op), never more than asked."""
    rsvp = _going_rsvp(user, event, now)
    line = bring_lists.line_for(event, thing)
    if line is None:
        raise NotFound(_("That is no longer on the list."))
    mine = _claim_of(rsvp, line.thing)
    if mine is not None:
        return mine
    if bring_lists.claimed_count(event, line.thing) >= line.quantity:
        raise NoRoom(_("Someone else brings the last %(thing)s.", thing=line.thing))
    return _insert(rsvp, line.thing, note, False, now)


def add_own(
    user: User, event: Event, thing: str, note: str, now: datetime
) -> BringClaim:
    """ "Something else": a thing of her own, not on the list (a thing that is
    on it is claimed as any other). A few per person."""
    name = " ".join(thing.split())
    if not name or len(name) > bring_lists.LONGEST_THING:
        raise InvalidInput(
            "thing",
            _("Name it in %(num)d characters at most.", num=bring_lists.LONGEST_THING),
        )
    if bring_lists.line_for(event, name) is not None:
        return claim(user, event, name, note, now)
    rsvp = _going_rsvp(user, event, now)
    mine = _claim_of(rsvp, name)
    if mine is not None:
        return mine
    if sum(c.is_own for c in bring_lists.claims_of(rsvp)) >= bring_lists.MOST_OWN:
        raise NotAllowed(
            _("You can add %(num)d things of your own.", num=bring_lists.MOST_OWN)
        )
    return _insert(rsvp, name, note, True, now)


def unclaim(user: User, event: Event, thing: str, now: datetime) -> None:
    """ "I can't bring it after all": her unit is free again (her own thing
    goes). Nothing to do if she had none."""
    rsvps.lock_event(event)
    rsvp = attendees.rsvp_of(user, event)
    mine = _claim_of(rsvp, thing) if rsvp is not None else None
    if mine is None:
        return
    db.session.delete(mine)
    bring_lists.updated(rsvp, now)
    db.session.flush()


def _going_rsvp(user: User, event: Event, now: datetime) -> Rsvp:
    memberships.require_not_blocked(user, event.group)
    rsvps.lock_event(event)  # then decide on what the lock re-read
    rsvp = attendees.rsvp_of(user, event)
    reason = why_not(event, user, rsvp, now)
    if reason:
        raise NotAllowed(reason)
    return rsvp


def _claim_of(rsvp: Rsvp, thing: str) -> BringClaim | None:
    k = bring_lists.key(thing)
    return next(
        (c for c in bring_lists.claims_of(rsvp) if bring_lists.key(c.thing) == k), None
    )


def _insert(rsvp: Rsvp, thing: str, note: str, own: bool, now: datetime) -> BringClaim:
    made = BringClaim(
        event_id=rsvp.event_id,
        rsvp_id=rsvp.id,
        thing=thing,
        note=" ".join(note.split())[: bring_lists.LONGEST_NOTE],
        is_own=own,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:  # her other tap got here first
        raise Conflict(_("You tapped twice; you bring it once.")) from None
    bring_lists.updated(rsvp, now)
    db.session.flush()
    return made
