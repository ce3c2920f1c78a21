"""A word from the host, mailed: one letter per reader, in her language, with
when and where as she may be told them. Never a calendar part: a message moves
nobody's calendar."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from meetup import i18n, permissions
from meetup.models import HostMessage, Membership, Rsvp, User
from meetup.services import letter_parts, outbox
from meetup.services.host_message_reads import first_name
from meetup.services.mail import Letter


def message_sent(
    message: HostMessage,
    readers: list[tuple[User, Rsvp, Membership]],
    now: datetime,
) -> None:
    """Each reader gets the message once, through the outbox; the footer's
    place is hers to see (the street only if she is entitled to it now)."""
    event, sender = message.event, message.sender
    reply_to = (sender.display_name, sender.email) if message.reply_to_sender else None
    for user, rsvp, membership in readers:
        with i18n.as_reader(user):
            access = permissions.event_access(event, membership, rsvp, now)
            name = first_name(sender)
            letter = Letter(
                subject=_("%(name)s about %(title)s", name=name, title=event.title),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _(
                        "%(name)s wrote to the people coming to %(title)s:",
                        name=name,
                        title=event.title,
                    ),  # fmt: skip
                    message.body,
                ],
                facts=letter_parts.facts(event, access),
                action=(_("See the gathering"), letter_parts.link(event)),
                signature=letter_parts.signed(event),
                footer=_why(rsvp, event.title)
                + " "
                + (
                    _("Reply to this mail to write to %(name)s.", name=name)
                    if reply_to
                    else _("Replies to this mail reach no one.")
                ),
            )
            outbox.send_letter(
                user, letter, event, now, "host-message",
                once_key=f"host-message-{message.id}-{user.id}", reply_to=reply_to,
            )  # fmt: skip


def _why(rsvp: Rsvp, title: str) -> str:
    if rsvp.is_going:
        return _("You got this because you're going to %(title)s.", title=title)
    if rsvp.is_waitlisted:
        return _(
            "You got this because you're on the waitlist for %(title)s.", title=title
        )
    return _(
        "You got this because you asked to come to %(title)s and wait for the "
        "host's yes.",
        title=title,
    )
