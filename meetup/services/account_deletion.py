"""Deleting an account: her answers withdrawn and her groups left by the usual
rules, a group she is alone in closed, and every row that names her gone.

What happens to each table that points at a person (docs/SECURITY.md, "Your
data", says it to members):

- rsvps: coming ones are withdrawn through `rsvps.withdraw_from_group`, so
  waitlists promote and people are told as always; then all of hers (past ones
  too, their seats given back) are deleted.
- memberships: ended through `groups.leave`; a last organiser of a group with
  other members is refused before anything changes. A group she is the only
  member of is closed: its coming gatherings cancelled through
  `events.cancel_event` (anyone still going is told), then the group, its
  gatherings, answers and requests deleted.
- join_requests, devices, mail_codes (by address): deleted.
- events.host_id: set to NULL; the gathering stays, with no host named.
- outbox (by address): every row to her address is deleted at once, whatever
  its state, the cancellations this deletion wrote to her included; and her
  messages to the people coming that let them reply to her (they hold her
  address as Reply-To), sent or not.
- host_messages: kept for their readers, the sender no longer named.
- built_feeds: her personal feed, and the feeds of groups closed here.
"""

from __future__ import annotations

from datetime import datetime

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import aliased

from meetup.errors import LastOrganiser
from meetup.extensions import db
from meetup.models import (
    BuiltFeed,
    Device,
    Event,
    Group,
    HostMessage,
    JoinRequest,
    MailCode,
    Membership,
    OutboxMail,
    Role,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.services import events, groups, invitation_copies, rsvps


def groups_to_hand_on(user: User) -> list[Group]:
    """Groups she is the last organiser of while others still belong: she must
    make someone else an organiser first."""
    return [
        group for group, others in _her_groups(user) if others and _last(user, group)
    ]


def groups_to_close(user: User) -> list[Group]:
    """Groups nobody but her belongs to: deleting her account deletes them."""
    return [group for group, others in _her_groups(user) if not others]


def hand_on_first(stuck: list[Group]) -> str:
    """Why she may not delete her account yet, naming the groups."""
    names = format_list([group.name for group in stuck], locale=get_locale() or "en_US")
    return ngettext(
        "You're the last organiser of %(groups)s. Make another member an "
        "organiser there first, then delete your account.",
        "You're the last organiser of %(groups)s. Make another member an "
        "organiser in each first, then delete your account.",
        len(stuck),
        groups=names,
    )


def delete_account(user: User, now: datetime) -> None:
    """Delete the account and everything that names her, unless she is the last
    organiser of a group others are in (then nothing changes)."""
    stuck = groups_to_hand_on(user)
    if stuck:
        raise LastOrganiser(hand_on_first(stuck))
    closing = groups_to_close(user)
    for group_id in _groups_she_answered_in(user, now):
        rsvps.withdraw_from_group(user, group_id, now)
    for membership in _memberships(user):
        if membership.group in closing:
            _close(membership, now)
        else:
            groups.leave(membership, now)
    _forget(user)


def _close(membership: Membership, now: datetime) -> None:
    """Cancel what is still to come (so anyone going hears it), then delete."""
    group = membership.group
    coming = db.session.scalars(
        select(Event)
        .where(Event.group_id == group.id, Event.ends_at > now)
        .order_by(Event.id)
    )
    for event in coming.all():
        events.cancel_event(membership, event, "", now)
    in_group = select(Event.id).where(Event.group_id == group.id)
    for statement in (
        delete(Rsvp).where(Rsvp.event_id.in_(in_group)),
        delete(Event).where(Event.group_id == group.id),
        delete(JoinRequest).where(JoinRequest.group_id == group.id),
        delete(Membership).where(Membership.group_id == group.id),
        delete(BuiltFeed).where(BuiltFeed.key.like(f"group:{group.id}:%")),
        delete(Group).where(Group.id == group.id),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))


def _forget(user: User) -> None:
    """Every row left that names her, then the account itself."""
    for rsvp in db.session.scalars(
        select(Rsvp).filter_by(user_id=user.id, status=RsvpStatus.GOING)
    ).all():
        # Past and started gatherings: give the seats back, so counts stay true.
        db.session.execute(
            update(Event)
            .where(Event.id == rsvp.event_id)
            .values(seats_taken=Event.seats_taken - rsvp.party)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Event)
        .where(Event.host_id == user.id)
        .values(host_id=None)
        .execution_options(synchronize_session=False)
    )
    email = user.email.lower()
    replying_to_her = select(HostMessage.id).filter_by(
        sender_id=user.id, reply_to_sender=True
    )
    for message_id in db.session.scalars(replying_to_her).all():
        db.session.execute(
            delete(OutboxMail)
            .where(OutboxMail.once_key.startswith(f"host-message-{message_id}-"))
            .execution_options(synchronize_session=False)
        )
    for statement in (
        delete(Rsvp).where(Rsvp.user_id == user.id),
        delete(JoinRequest).where(JoinRequest.user_id == user.id),
        delete(Membership).where(Membership.user_id == user.id),
        delete(MailCode).where(func.lower(MailCode.email) == email),
        delete(OutboxMail).where(func.lower(OutboxMail.recipient) == email),
        delete(OutboxMail).where(  # to the address she had before
            OutboxMail.once_key.startswith(f"{invitation_copies.ONCE_KEY}{user.id}-")
        ),
        delete(BuiltFeed).where(BuiltFeed.key == f"personal:{user.id}"),
    ):
        db.session.execute(statement.execution_options(synchronize_session=False))
    # Through the session, so the device this request runs on is known gone.
    for device in db.session.scalars(select(Device).filter_by(user_id=user.id)).all():
        db.session.delete(device)
    db.session.delete(user)
    db.session.flush()


def _her_groups(user: User) -> list[tuple[Group, bool]]:
    """Each group she belongs to, and whether anyone else does."""
    other = aliased(Membership)
    others = (
        select(func.count())
        .select_from(other)
        .where(other.group_id == Group.id, other.user_id != user.id)
        .correlate(Group)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Group, others)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id)
        .order_by(Group.name, Group.id)
    )
    return [(group, count > 0) for group, count in rows]


def _last(user: User, group: Group) -> bool:
    """She is an organiser, and nobody else is (co-organisers do not count,
    as in `groups.leave`)."""
    organisers = db.session.scalars(
        select(Membership.user_id).filter_by(group_id=group.id, role=Role.ORGANISER)
    ).all()
    return organisers == [user.id]


def _groups_she_answered_in(user: User, now: datetime) -> list[int]:
    """Groups with a coming gathering she is going to or waiting for, members
    or not (an answer can outlive a membership)."""
    return list(
        db.session.scalars(
            select(Event.group_id)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Rsvp.user_id == user.id,
                Event.starts_at > now,
                Rsvp.status != RsvpStatus.DECLINED,
            )
            .distinct()
            .order_by(Event.group_id)
        )
    )


def _memberships(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership).filter_by(user_id=user.id).order_by(Membership.id)
        )
    )
