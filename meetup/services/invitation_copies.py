"""Where her invitation copies are: one per calendar, wherever she says.

The calendar at her address holds an entry for each coming gathering she is
going to. When her email changes, the old address gets a CANCEL for each, so it
stops showing what she no longer hears about, and the new one a REQUEST, so
every later change reaches the entry. When she chooses her personal feed over
invitations, her mail's calendar gets a CANCEL for each (the feed has them);
choosing invitations again sends a REQUEST for each. (A copy she imported by
hand from a download is hers to keep.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _

from meetup import i18n, permissions
from meetup.extensions import db
from meetup.models import Event, Membership, Rsvp, RsvpStatus, User
from meetup.permissions import EventAccess
from meetup.services import calendars, letter_parts, outbox
from meetup.services.mail import Letter

#: The old address names no account, so its mail carries her id here:
#: deleting her account deletes it too (`account_deletion`).
ONCE_KEY = "address-moved-"


def chosen(user: User, by_mail: bool, now: datetime) -> None:
    """She chose invitations by mail (`by_mail`: a REQUEST for each), or her
    personal feed (a CANCEL for each). Call while invitations still reach her."""
    for rsvp, access in _coming(user, now):
        event = rsvp.event
        method = "REQUEST" if by_mail else "CANCEL"
        invitation = calendars.invitation(event, rsvp, access, now, method)
        letter = _choice_letter(user, event, access, by_mail)
        outbox.send_letter(user, letter, event, now, "calendar-choice", invitation)


def moved(user: User, old_email: str, now: datetime) -> None:
    """Call after `user.email` changed from `old_email`."""
    if not user.wants_invitations:
        return  # her feed has them, at no address
    for rsvp, access in _coming(user, now):
        event = rsvp.event
        # The old mailbox may be someone else's by now: the area, never the street.
        shared = permissions.shared_access(event)
        old = calendars.invitation(event, rsvp, shared, now, "CANCEL", old_email)
        outbox.send_to_address(
            old_email, _moved_letter(user, event, shared, to_old=True), now,
            "address-moved", user.display_name,
            invitation=old, group_id=event.group_id,
            once_key=f"{ONCE_KEY}{user.id}-{event.id}-{now.isoformat()}",
        )  # fmt: skip
        new = calendars.invitation(event, rsvp, access, now, "REQUEST")
        letter = _moved_letter(user, event, access, to_old=False)
        outbox.send_letter(user, letter, event, now, "address-moved", new)


def _coming(user: User, now: datetime) -> Iterator[tuple[Rsvp, EventAccess]]:
    """Her yeses to gatherings still to end, that calendars were told of, with
    what she may see of each, while Hearth speaks her language."""
    groups = {
        membership.group_id: membership
        for membership in db.session.scalars(
            db.select(Membership).filter_by(user_id=user.id)
        )
    }
    answers = db.session.scalars(
        db.select(Rsvp)
        .join(Rsvp.event)
        .where(
            Rsvp.user_id == user.id,
            Rsvp.status == RsvpStatus.GOING,
            Event.ends_at > now,
            Event.cancelled_at.is_(None),
            Event.state.in_(permissions.TOLD_STATES),
        )
        .order_by(Event.starts_at)
    )
    for rsvp in list(answers):
        with i18n.as_reader(user):
            event = rsvp.event
            yield (
                rsvp,
                permissions.event_access(event, groups.get(event.group_id), rsvp, now),
            )


def _choice_letter(user: User, event: Event, access, by_mail: bool) -> Letter:
    if by_mail:
        said = _(
            "You chose invitations by mail: here is %(title)s for your calendar. "
            "Later changes come by mail too.",
            title=event.title,
        )
    else:
        said = _(
            "You chose your Hearth calendar feed, so %(title)s leaves the calendar "
            "that took this invitation: your feed has it, and keeps it up to date.",
            title=event.title,
        )
    return _letter(user, event, access, said,
                   _("Your calendar: %(title)s", title=event.title))  # fmt: skip


def _moved_letter(user: User, event: Event, access, to_old: bool) -> Letter:
    if to_old:
        said = _(
            "You changed the address Hearth writes to, so %(title)s leaves the "
            "calendar at this one. Your new address has it now.",
            title=event.title,
        )
    else:
        said = _(
            "Hearth writes to this address now: here is %(title)s for your "
            "calendar. Later changes come here too.",
            title=event.title,
        )
    subject = _("Your calendar, at your new address: %(title)s", title=event.title)
    return _letter(user, event, access, said, subject)


def _letter(user: User, event: Event, access, said: str, subject: str) -> Letter:
    return Letter(
        subject=subject,
        greeting=letter_parts.hello(user),
        paragraphs=[said],
        facts=letter_parts.facts(event, access),
        action=(_("See the gathering"), letter_parts.link(event)),
        signature=letter_parts.signed(event),
    )
