"""One-tap answers from mail: the answer a signed link gives, through the
normal rule (`rsvps.respond`), once."""

from __future__ import annotations

from datetime import datetime

from meetup.errors import RSVPClosed
from meetup.models import Rsvp, RsvpStatus
from meetup.services import attendees, memberships, rsvps
from meetup.services.answer_links import AnswerLink


def stands(link: AnswerLink, rsvp: Rsvp | None) -> bool:
    """The link's answer is already the owner's: a yes is going or waiting in
    line, a no is a no."""
    if rsvp is None:
        return False
    if link.going:
        return rsvp.status in (
            RsvpStatus.GOING,
            RsvpStatus.WAITLISTED,
            RsvpStatus.REQUESTED,
        )
    return rsvp.status is RsvpStatus.DECLINED


def answer(link: AnswerLink, now: datetime) -> tuple[Rsvp, bool]:
    """Give the link's answer for its owner, unless it already stands (then
    nothing changes and no mail goes). Guests and the answer to the host's
    question are kept; capacity, waitlist, deadlines and membership are the
    normal rule's. Returns the RSVP and whether it changed."""
    reason = rsvps.closed_reason(link.event, now)
    if reason:  # said first, so a standing answer to a cancelled date says so
        raise RSVPClosed(reason)
    memberships.require_not_blocked(link.user, link.event.group)
    rsvp = attendees.rsvp_of(link.user, link.event)
    if stands(link, rsvp):
        return rsvp, False
    answered = rsvps.respond(
        link.event,
        link.user,
        going=link.going,
        guests=rsvp.guests if rsvp else 0,
        diets=link.user.diets,  # what she eats, as her last yes said
        diet_note=link.user.diet_note,
        answer=rsvp.answer if rsvp else "",
        now=now,
    )
    return answered, True
