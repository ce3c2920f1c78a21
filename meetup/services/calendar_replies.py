"""Answers from calendar apps: an iTIP REPLY (RFC 5546 3.2.3) that Gmail,
Outlook or Apple Calendar sends when she taps Yes or No, to the reply address
her invitation named as ORGANIZER (`reply_addresses`); or words she typed in
reply to a mail about the gathering, which go to its host (`written_replies`).

A REPLY gives the answer a one-tap link gives, through the same rule
(`one_tap.answer`): a No frees her seat and the waitlist moves up; a Yes seats
her or puts her in line; Maybe changes nothing. What is not exactly her reply
to her latest invitation changes nothing, and is counted in the log by why.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import icalendar

from meetup.errors import MeetupError
from meetup.models import Event, User
from meetup.services import (
    answer_links,
    attendees,
    calendars,
    one_tap,
    reply_addresses,
    written_replies,
)
from meetup.services.written_replies import Passed

log = logging.getLogger(__name__)

#: Headers that may carry the address a REPLY was sent to, when no envelope
#: says (a webhook hands over the message alone).
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


class Outcome(enum.StrEnum):
    DECLINED = "declined"  # her seat is free
    ACCEPTED = "accepted"  # seated, or in line
    UNCHANGED = "unchanged"  # already her answer, or a Maybe
    WRITTEN = "written"  # words, not a calendar's answer: passed to the host
    NOT_A_REPLY = "not-a-reply"  # no calendar REPLY in it, nor words to pass on
    FORGED = "forged"  # to no reply address of ours, or a tampered one
    MISMATCHED = "mismatched"  # another person's or gathering's reply
    STALE = "stale"  # older than her latest invitation or answer: a replay
    CLOSED = "closed"  # cancelled, over, past its deadline, or she is blocked

    @property
    def changed(self) -> bool:
        return self in (Outcome.DECLINED, Outcome.ACCEPTED)


@dataclass(frozen=True)
class Reply:
    """The one VEVENT of a REPLY, as far as an answer needs it."""

    uid: str
    sequence: int
    stamp: datetime | None
    attendee: str  # the address, lowercased, without mailto:
    partstat: str


def receive(raw: bytes, recipients: list[str], now: datetime) -> Outcome:
    """Act on one inbound message. `recipients`: the envelope's, where known
    (else the message's own headers say whom it was for)."""
    message = message_from_bytes(raw, policy=policy.default)
    outcome = _act(message, recipients or _addressed_to(message), now)
    log.info("inbound reply: %s", outcome.value)
    return outcome


def _act(message: EmailMessage, recipients: list[str], now: datetime) -> Outcome:
    found = [reply_addresses.read(address) for address in recipients]
    found = [pair for pair in found if pair is not None]
    if not found:
        return Outcome.FORGED
    user, event = found[0]
    reply = _reply_in(message)
    if reply is None:
        passed = written_replies.pass_on(message, user, event, now)
        log.info("inbound written reply: %s", passed.value)
        return Outcome.WRITTEN if passed is Passed.ON else Outcome.NOT_A_REPLY
    if reply.uid != event.uid or not reply_addresses.is_hers(user, reply.attendee):
        return Outcome.MISMATCHED
    rsvp = attendees.rsvp_of(user, event)
    if rsvp is None:
        return Outcome.MISMATCHED  # no invitation was ever sent to her
    if reply.sequence < calendars.sequence(event, rsvp) or (
        reply.stamp is not None and reply.stamp <= rsvp.responded_at
    ):
        return Outcome.STALE
    if reply.partstat not in ("ACCEPTED", "DECLINED"):
        return Outcome.UNCHANGED  # TENTATIVE, or what no app sends
    return _answer(user, event, reply.partstat == "ACCEPTED", now)


def _answer(user: User, event: Event, going: bool, now: datetime) -> Outcome:
    link = answer_links.AnswerLink(user, event, going)
    if link.is_expired(now):
        return Outcome.CLOSED
    try:
        _, changed = one_tap.answer(link, now)
    except MeetupError:
        return Outcome.CLOSED
    if not changed:
        return Outcome.UNCHANGED
    return Outcome.ACCEPTED if going else Outcome.DECLINED


def _reply_in(message: EmailMessage) -> Reply | None:
    """The first calendar part whose METHOD is REPLY (Gmail sends it twice:
    inline and as invite.ics; Outlook once, in base64)."""
    for part in message.walk():
        if part.get_content_type() not in ("text/calendar", "application/ics"):
            continue
        try:
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True) or b"")
        except ValueError:
            continue
        if cal.name != "VCALENDAR" or str(cal.get("METHOD", "")).upper() != "REPLY":
            continue
        events = cal.walk("VEVENT")
        if len(events) != 1 or len(_listed(events[0].get("ATTENDEE"))) != 1:
            continue  # a REPLY answers for one person, about one event
        try:  # icalendar reads a value only when asked: a spoiled one raises then
            return _read(events[0])
        except (ValueError, TypeError):
            continue
    return None


def _read(event: icalendar.Event) -> Reply | None:
    attendee = _listed(event.get("ATTENDEE"))[0]
    stamp = event.get("DTSTAMP")
    try:
        sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return None
    return Reply(
        uid=str(event.get("UID", "")),
        sequence=sequence,
        stamp=_instant(stamp.dt if stamp is not None else None),
        attendee=_address(str(attendee)),
        partstat=str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
    )


def _instant(value) -> datetime | None:
    """DTSTAMP is UTC by RFC 5545; a floating or all-day one says no moment."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _address(uri: str) -> str:
    address = uri.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    return address.strip().lower()


def _addressed_to(message: EmailMessage) -> list[str]:
    found = []
    for name in RECIPIENT_HEADERS:
        for value in message.get_all(name) or []:
            addresses = getattr(value, "addresses", None)
            if addresses is None:
                found.append(str(value))
            else:
                found.extend(address.addr_spec for address in addresses)
    return found
