"""A word from the host, read: who a message would reach, how many were sent
lately, and what each person sees under "From the host"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from meetup import permissions, text
from meetup.extensions import db
from meetup.models import (
    Block,
    Event,
    HostMessage,
    HostMessageReader,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.services.viewers import Viewer

#: The answers a message may go to, in the form's order.
AUDIENCES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.REQUESTED)


def first_name(user: User | None) -> str:
    """How a message names its sender ("" once her account is gone)."""
    return "" if user is None else text.first_name(user.display_name)


def recipients(
    event: Event, statuses: Iterable[RsvpStatus], sender_id: int | None
) -> list[tuple[User, Rsvp, Membership]]:
    """Who a message to these answers reaches: members of the group (an old
    answer of someone who left counts for nothing), never anyone blocked in it,
    never the sender; by answer time."""
    blocked = select(Block.id).where(
        Block.group_id == event.group_id, Block.user_id == Rsvp.user_id
    )
    query = (
        select(User, Rsvp, Membership)
        .join(Rsvp, Rsvp.user_id == User.id)
        .join(
            Membership,
            (Membership.user_id == User.id) & (Membership.group_id == event.group_id),
        )
        .where(
            Rsvp.event_id == event.id,
            Rsvp.status.in_(tuple(statuses)),
            ~blocked.exists(),
        )
        .order_by(Rsvp.responded_at, Rsvp.id)
    )
    if sender_id is not None:
        query = query.where(User.id != sender_id)
    return [tuple(row) for row in db.session.execute(query)]


def audience_counts(event: Event, sender_id: int | None) -> dict[RsvpStatus, int]:
    """How many each box would reach ("Going (12)"): people, not seats."""
    blocked = select(Block.id).where(
        Block.group_id == event.group_id, Block.user_id == Rsvp.user_id
    )
    query = (
        select(Rsvp.status, func.count())
        .join(
            Membership,
            (Membership.user_id == Rsvp.user_id)
            & (Membership.group_id == event.group_id),
        )
        .where(Rsvp.event_id == event.id, Rsvp.status.in_(AUDIENCES), ~blocked.exists())
        .group_by(Rsvp.status)
    )
    if sender_id is not None:
        query = query.where(Rsvp.user_id != sender_id)
    counts = dict(db.session.execute(query).all())
    return {status: counts.get(status, 0) for status in AUDIENCES}


def sent_since(event: Event, since: datetime) -> list[datetime]:
    """When the gathering's messages after `since` went, oldest first."""
    return list(
        db.session.scalars(
            select(HostMessage.sent_at)
            .where(HostMessage.event_id == event.id, HostMessage.sent_at > since)
            .order_by(HostMessage.sent_at)
        )
    )


@dataclass(frozen=True)
class Shown:
    """One message as the page shows it."""

    message: HostMessage
    sender: str
    #: For the sender and organisers: how many it reached (None for readers).
    reached: int | None = None


@dataclass(frozen=True)
class FromHost:
    messages: list[Shown]
    #: She may write to the people coming ("Write to the people coming").
    may_write: bool


def from_host(event: Event, viewer: Viewer) -> FromHost:
    """What this viewer sees under "From the host": the messages she was sent,
    newest first; the organisers and the host see all of them, with how many
    each reached."""
    membership = viewer.membership
    if membership is None:
        return FromHost([], False)  # left or blocked: nothing, whatever she got
    writes = permissions.can_write_to_attendees(event, membership)
    query = (
        select(HostMessage)
        .where(HostMessage.event_id == event.id)
        .options(db.joinedload(HostMessage.sender))
        .order_by(HostMessage.sent_at.desc(), HostMessage.id.desc())
    )
    if writes:
        reached = dict(
            db.session.execute(
                select(HostMessageReader.message_id, func.count())
                .join(HostMessage)
                .where(HostMessage.event_id == event.id)
                .group_by(HostMessageReader.message_id)
            ).all()
        )
        return FromHost(
            [
                Shown(m, first_name(m.sender), reached.get(m.id, 0))
                for m in db.session.scalars(query)
            ],
            True,
        )
    query = query.join(HostMessageReader).where(
        HostMessageReader.user_id == membership.user_id
    )
    return FromHost(
        [Shown(m, first_name(m.sender)) for m in db.session.scalars(query)], False
    )


def reader_count(message: HostMessage) -> int:
    """How many people a message was sent to."""
    return db.session.scalar(
        select(func.count())
        .select_from(HostMessageReader)
        .where(HostMessageReader.message_id == message.id)
    )
