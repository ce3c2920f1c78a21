"""Scene-setting shared by the tests: answering, the organiser at hand, and an
edit of a few details of a gathering or a group."""

from __future__ import annotations

import dataclasses
import re

from meetup.extensions import db
from meetup.models import Event, Group, Membership, Role, Rsvp, User
from meetup.services import rsvps
from meetup.services.events import EventDetails
from meetup.services.groups import GroupDetails
from tests.conftest import NOW


def answer(event: Event, user: User, going: bool = True, guests: int = 0,
           now=NOW, **kwargs) -> Rsvp:  # fmt: skip
    """Say yes (or no) and commit, as a request would."""
    rsvp = rsvps.respond(event, user, going=going, guests=guests, now=now, **kwargs)
    db.session.commit()
    return rsvp


def organiser_of(group: Group) -> Membership:
    """The membership of the group's (first) full organiser."""
    return db.session.scalar(
        db.select(Membership)
        .filter_by(group_id=group.id, role=Role.ORGANISER)
        .order_by(Membership.id)
    )


def edited(event: Event, **changes) -> EventDetails:
    """The gathering's details as they stand, with a few changed."""
    return dataclasses.replace(EventDetails.of(event), **changes)


def edited_group(group: Group, **changes) -> GroupDetails:
    """The group's details as they stand, with a few changed."""
    now = {f.name: getattr(group, f.name) for f in dataclasses.fields(GroupDetails)}
    return GroupDetails(**{**now, **changes})


def mail_code(address: str) -> tuple[str, str]:
    """The code and the link path of the last code mailed to `address`."""
    from tests import mailbox

    message = mailbox.queued(address, kind="mail-code")[-1]
    code = re.search(r"\b(\d{6})\b", str(message["Subject"])).group(1)
    link = re.search(r"https?://[^/\s]+(/auth/code/[\w-]+)", mailbox.text(message))
    return code, link.group(1) if link else ""
