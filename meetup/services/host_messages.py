"""A word from the host to the people coming: who may write, how often, until
when, to whom; and the hint that a new time or place is an edit, not a message."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from flask_babel import gettext as _

from meetup import dates, permissions
from meetup.errors import InvalidInput, LooksLikeAMove, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Event,
    HostMessage,
    HostMessageReader,
    Membership,
    RsvpStatus,
    User,
)
from meetup.services import host_letters, host_message_reads
from meetup.services.rsvps import lock_event

#: Five messages per gathering in any 24 hours: enough for "bring your book",
#: "park on the next street" and a "sorry"; more is a chat, and it mails everyone.
PER_DAY = 5
DAY = timedelta(hours=24)
#: Writing closes a week after the end (the photos, the forgotten scarf).
OPEN_AFTER_END = timedelta(days=7)

#: A clock time: 19:30, 7pm, 7.30 p.m., 19h, 19h30.
_CLOCK = re.compile(
    r"\b\d{1,2}\s?(?::\d{2}|h\d{0,2}\b|(?:[.:]\d{2})?\s?[ap]\.?\s?m\b\.?)", re.I
)
#: Words that announce a move, in the languages we ship (accents dropped:
#: "direccion" matches "dirección"). A small, honest heuristic: it only asks.
_MOVE_WORDS = re.compile(
    r"\b(?:"
    r"moved?|moving|new (?:address|place|venue|time|date|location)|instead|"
    r"changed?|postponed|rescheduled|now (?:at|starts)|different (?:place|time)|"
    r"cambiad[oa]|cambio de|nueva (?:direccion|hora|fecha)|nuevo (?:lugar|sitio)|"
    r"en (?:lugar|vez) de|trasladad[oa]|aplazad[oa]|"
    r"deplace(?:e|s)?|nouvelle (?:adresse|heure|date)|nouveau lieu|au lieu de|"
    r"change(?:e|s|ment)?|reporte(?:e|s)?|a la place"
    r")\b",
    re.I,
)


def looks_like_a_move(body: str) -> bool:
    """Whether the text seems to give a new time or place."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", body) if not unicodedata.combining(c)
    )
    return bool(_CLOCK.search(plain) or _MOVE_WORDS.search(plain))


def closes_at(event: Event) -> datetime:
    """Writing closes a week after the (planned) end, cancelled or not."""
    return event.ends_at + OPEN_AFTER_END


def closed_reason(event: Event, now: datetime) -> str:
    """Why nobody may write about this gathering now ("" while they may).
    A cancelled one stays open: hosts want to say sorry, or where to meet
    instead, until a week after it would have ended."""
    if event.is_draft:
        return _("A draft has nobody to write to yet. Publish it first.")
    if now >= closes_at(event):
        return _("Writing to the people coming closes a week after the end.")
    return ""


def send(
    actor: Membership | None,
    event: Event,
    sender: User,
    body: str,
    to_going: bool,
    to_waitlisted: bool,
    to_requested: bool,
    reply_to_sender: bool,
    now: datetime,
    confirmed: bool = False,
) -> HostMessage:
    """Mail a plain-text message, once each, to the members whose answer was
    ticked (never the sender, never anyone blocked); at most PER_DAY a day per
    gathering, until a week after the end. A text that seems to move the
    gathering goes only when `confirmed`: edit the gathering so calendars move."""
    writes = actor is not None and actor.user_id == sender.id
    if not (writes and permissions.can_write_to_attendees(event, actor)):
        raise NotAllowed(
            _("Only the host and the organisers write to the people coming.")
        )
    reason = closed_reason(event, now)
    if reason:
        raise NotAllowed(reason)
    body = (body or "").strip()
    if not body:
        raise InvalidInput("body", _("Write a few words first."))
    if len(body) > HostMessage.LONGEST:
        raise InvalidInput(
            "body",
            _("Up to %(num)s characters fit in a message.", num=HostMessage.LONGEST),
        )
    statuses = [
        status
        for status, ticked in zip(
            host_message_reads.AUDIENCES,
            (to_going, to_waitlisted, to_requested),
            strict=True,
        )
        if ticked
    ]
    if not statuses:
        raise InvalidInput("to_going", _("Choose who the message is for."))
    if not confirmed and looks_like_a_move(body):
        raise LooksLikeAMove(
            _(
                "Messages don't move calendars. If the time or place changed, edit "
                "the gathering so everyone's calendar moves."
            )
        )
    lock_event(event)  # two sends at once count each other
    _within_a_days_share(event, now)
    readers = host_message_reads.recipients(event, statuses, sender.id)
    if not readers:
        raise InvalidInput("to_going", _("Nobody has that answer yet."))
    message = HostMessage(
        event=event,
        sender=sender,
        body=body,
        to_going=RsvpStatus.GOING in statuses,
        to_waitlisted=RsvpStatus.WAITLISTED in statuses,
        to_requested=RsvpStatus.REQUESTED in statuses,
        reply_to_sender=reply_to_sender,
        sent_at=now,
    )
    db.session.add(message)
    db.session.flush()
    db.session.add_all(
        HostMessageReader(message_id=message.id, user_id=user.id)
        for user, _rsvp, _membership in readers
    )
    db.session.flush()
    host_letters.message_sent(message, readers, now)
    return message


def _within_a_days_share(event: Event, now: datetime) -> None:
    """Refuse the sixth message in 24 hours, saying when the next may go."""
    recent = host_message_reads.sent_since(event, now - DAY)
    if len(recent) < PER_DAY:
        return
    again = recent[len(recent) - PER_DAY] + DAY
    raise NotAllowed(
        _(
            "%(num)s messages about this gathering went out in the last 24 hours. "
            "You can write again %(when)s.",
            num=PER_DAY,
            when=dates.when(again, event.timezone),
        )
    )
