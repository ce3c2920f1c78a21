"""Mails about asking the host: the request, her yes or no, a request that
lapsed, and the host's reminder of people waiting. A request carries no
address and no calendar invitation: those come with the yes."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from meetup import i18n
from meetup.models import Event, Rsvp
from meetup.services import (
    attendees,
    calendars,
    letter_parts,
    memberships,
    outbox,
    viewers,
)
from meetup.services.mail import Letter
from meetup.urls import public_url


def who_decides(event: Event) -> str:
    """Whose yes she waits for, by name: the host's, else the organisers'."""
    host = event.host
    if host is not None and memberships.membership_of(host, event.group):
        return _("Waiting for %(host)s to say yes", host=host.display_name)
    return _("Waiting for the organisers to say yes")


def asked(rsvp: Rsvp, now: datetime) -> None:
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        access = viewers.access_of(event, user, rsvp, now)
        letter = Letter(
            subject=_("You asked to come: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[
                _(
                    "Your request to come to %(title)s is in. %(waiting)s: you'll "
                    "hear from us as soon as there is an answer.",
                    title=event.title,
                    waiting=who_decides(event),
                ),
                _(
                    "Until then no place is kept for you, and the address is "
                    "shared once you're in."
                ),
            ],
            facts=letter_parts.facts(event, access),
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        outbox.send_letter(user, letter, event, now, "rsvp-requested")


def approved(rsvp: Rsvp, now: datetime) -> None:
    """Going (the invitation and the address) or, if full, the waitlist."""
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        access = viewers.access_of(event, user, rsvp, now)
        invitation = None
        if rsvp.is_going:
            said = _(
                "Good news: you're in. You're going to %(title)s.",
                title=event.title,
            )
            subject = _("You're in: %(title)s", title=event.title)
            invitation = calendars.invitation(event, rsvp, access, now, "REQUEST")
        else:
            said = _(
                "Good news: you're welcome at %(title)s. It's full just now, so "
                "you're number %(position)s on the waitlist; if a place frees up "
                "we'll email you straight away with the details.",
                title=event.title,
                position=attendees.waitlist_position(rsvp),
            )
            subject = _("You're on the waitlist: %(title)s", title=event.title)
        letter = Letter(
            subject=subject,
            greeting=letter_parts.hello(user),
            paragraphs=[said],
            facts=letter_parts.facts(event, access),
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        outbox.send_letter(user, letter, event, now, "rsvp-approved", invitation)


def declined(rsvp: Rsvp, message: str, now: datetime) -> None:
    """A kind no, with the host's own words if she wrote some."""
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        said = [
            _(
                "Thank you for asking to come to %(title)s. This time there isn't "
                "room for you, and your request is closed.",
                title=event.title,
            )
        ]
        if message:
            said.append(_("A word from the host: “%(message)s”", message=message))
        said.append(
            _("%(group)s has other gatherings: we hope to see you at one.",
              group=event.group.name)
        )  # fmt: skip
        letter = Letter(
            subject=_("About your request: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=said,
            facts=[(_("When"), letter_parts.when(event))],
            action=_more_in(event),
            signature=letter_parts.signed(event),
        )
        outbox.send_letter(user, letter, event, now, "rsvp-declined-by-host")


def expired(rsvp: Rsvp, now: datetime) -> None:
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("Your request lapsed: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[
                _(
                    "Answers to %(title)s are closed, and your request wasn't "
                    "answered in time, so it has lapsed. We hope to see you at "
                    "the next gathering of %(group)s.",
                    title=event.title,
                    group=event.group.name,
                )
            ],
            facts=[(_("When"), letter_parts.when(event))],
            action=_more_in(event),
            signature=letter_parts.signed(event),
        )
        outbox.send_letter(user, letter, event, now, "rsvp-request-lapsed")


def waiting_for_you(event: Event, count: int, day: str, now: datetime) -> None:
    """A nudge, once a `day` per gathering, to whoever says yes or no."""
    for user in memberships.deciders(event):
        with i18n.as_reader(user):
            letter = Letter(
                subject=ngettext(
                    "%(num)d person is waiting for your answer: %(title)s",
                    "%(num)d people are waiting for your answer: %(title)s",
                    count,
                    title=event.title,
                ),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _(
                        "Some people asked to come to %(title)s a day or more "
                        "ago. Say yes or no, so they can plan their evening.",
                        title=event.title,
                    )
                ],
                facts=[(_("When"), letter_parts.when(event))],
                action=(
                    _("Answer the requests"),
                    public_url("attendees.index", event_id=event.id),
                ),
                signature=letter_parts.signed(event),
            )
            outbox.send_letter(
                user,
                letter,
                event,
                now,
                "requests-waiting",
                once_key=f"requests-waiting:{event.id}:{user.id}:{day}",
            )


def _more_in(event: Event) -> tuple[str, str]:
    """After a no or a lapse: the way to the group's other gatherings."""
    return (
        _("See what's coming in %(group)s", group=event.group.name),
        public_url("groups.show", slug=event.group.slug),
    )
