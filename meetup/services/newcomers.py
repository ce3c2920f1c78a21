"""Who is a newcomer to a group, and so waits for the host's yes where she asked
to approve newcomers: nobody who was checked in, or was going without a
"didn't come", at an earlier gathering of the group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from meetup import permissions
from meetup.extensions import db
from meetup.models import Admission, Event, Group, Membership, Rsvp, RsvpStatus, User


@dataclass(frozen=True)
class Record:
    """What the host is shown of someone asking: her past with the group."""

    came: int  # earlier gatherings she was at (checked in, or going and not missed)
    missed: int  # "didn't come"


def record(user: User, group: Group, now: datetime) -> Record:
    return records([user.id], group, now)[user.id]


def records(user_ids: list[int], group: Group, now: datetime) -> dict[int, Record]:
    """Each person's record, in one query (a host's list of requests)."""
    came = (Rsvp.checked_in_at.is_not(None)) | (
        (Rsvp.status == RsvpStatus.GOING) & Rsvp.did_not_come.is_(False)
    )
    rows = db.session.execute(
        select(
            Rsvp.user_id,
            func.sum(case((came, 1), else_=0)),
            func.sum(case((Rsvp.did_not_come.is_(True), 1), else_=0)),
        )
        .join(Rsvp.event)
        .where(
            Rsvp.user_id.in_(user_ids),
            Event.group_id == group.id,
            Event.ends_at <= now,
            Event.cancelled_at.is_(None),
        )
        .group_by(Rsvp.user_id)
    )
    found = {user_id: Record(int(came), int(missed)) for user_id, came, missed in rows}
    return {user_id: found.get(user_id, Record(0, 0)) for user_id in user_ids}


def is_newcomer(user: User, group: Group, now: datetime) -> bool:
    return record(user, group, now).came == 0


def must_ask(
    event: Event, user: User, membership: Membership | None, now: datetime
) -> bool:
    """Whether her yes waits for the host's: never for the host or organisers."""
    if event.admission is Admission.ANYONE or event.host_id == user.id:
        return False
    if permissions.can_manage_group(membership):
        return False
    if event.admission is Admission.EACH:
        return True
    return is_newcomer(user, event.group, now)
