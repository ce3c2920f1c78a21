"""Her email changed: the invitation copies follow her address.

The calendar at her old address holds an entry for each coming gathering she
is going to: it gets a CANCEL, so it stops showing what she no longer hears
about. The new address gets a REQUEST for each, so the entry is where her mail
now is, and every later change reaches it. (A copy she imported by hand from a
download or her feed is hers to keep; those follow the feed.)
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from meetup import i18n, permissions
from meetup.extensions import db
from meetup.models import Event, Membership, Rsvp, RsvpStatus, User
from meetup.services import calendars, letter_parts, outbox
from meetup.services.mail import Invitation, Letter

#: The old address names no account, so its mail carries her id here:
#: deleting her account deletes it too (`account_deletion`).
ONCE_KEY = "address-moved-"


def moved(user: User, old_email: str, now: datetime) -> None:
    """Call after `user.email` changed from `old_email`."""
    groups = {
        membership.group_id: membership
        for membership in db.session.scalars(
            db.select(Membership).filter_by(user_id=user.id)
        )
    }
    for rsvp in _coming(user, now):
        event = rsvp.event
        with i18n.as_reader(user):
            access = permissions.event_access(
                event, groups.get(event.group_id), rsvp, now
            )
            # The old mailbox may be someone else's by now: the area, never the street.
            shared = permissions.shared_access(event)
            old = calendars.invitation(event, rsvp, shared, now, "CANCEL", old_email)
            outbox.send_to_address(
                old_email, _letter(user, event, shared, to_old=True), now,
                "address-moved", user.display_name,
                invitation=Invitation(old, "CANCEL"), group_id=event.group_id,
                once_key=f"{ONCE_KEY}{user.id}-{event.id}-{now.isoformat()}",
            )  # fmt: skip
            new = calendars.invitation(event, rsvp, access, now, "REQUEST")
            letter = _letter(user, event, access, to_old=False)
            outbox.send_letter(user, letter, event, now, "address-moved",
                               Invitation(new, "REQUEST"))  # fmt: skip


def _coming(user: User, now: datetime) -> list[Rsvp]:
    """Her yeses to gatherings still to end, that calendars were told of."""
    return list(
        db.session.scalars(
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
    )


def _letter(user: User, event: Event, access, to_old: bool) -> Letter:
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
    return Letter(
        subject=_("Your calendar, at your new address: %(title)s", title=event.title),
        greeting=letter_parts.hello(user),
        paragraphs=[said],
        facts=letter_parts.facts(event, access),
        action=(_("See the gathering"), letter_parts.link(event)),
        signature=letter_parts.signed(event),
    )
