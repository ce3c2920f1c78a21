"""Who belongs to which group, and who is kept out of it: the reads every rule
and message needs, and the one write both joining a group and answering a public
group's gathering make."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import Block, Event, Group, JoinRequest, Membership, Role, User


def membership_of(user: User | None, group: Group) -> Membership | None:
    """The person's membership of the group; None for visitors and non-members."""
    if user is None:
        return None
    return db.session.scalar(
        db.select(Membership).filter_by(group_id=group.id, user_id=user.id)
    )


def deciders(event: Event) -> list[User]:
    """Who answers for a gathering (requests to come, a member's written
    reply): the host if she is still a member, else the group's organisers."""
    host = event.host
    if host is not None and membership_of(host, event.group):
        return [host]
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.group_id == event.group_id,
                Membership.role.in_((Role.ORGANISER, Role.CO_ORGANISER)),
            )
            .order_by(User.id)
        )
    )


def pending_request(user: User | None, group: Group) -> JoinRequest | None:
    """The person's unanswered request to join, if any."""
    if user is None:
        return None
    return db.session.scalar(
        db.select(JoinRequest).filter_by(group_id=group.id, user_id=user.id)
    )


def members(group: Group) -> list[Membership]:
    """Organisers first, then co-organisers, then members by name."""
    order = {Role.ORGANISER: 0, Role.CO_ORGANISER: 1, Role.MEMBER: 2}
    rows = db.session.scalars(
        db.select(Membership)
        .filter_by(group_id=group.id)
        .join(Membership.user)
        .options(db.contains_eager(Membership.user))
    )
    return sorted(rows, key=lambda m: (order[m.role], m.user.display_name.lower()))


def member_count(group: Group) -> int:
    """How many belong, organisers included."""
    return db.session.scalar(
        db.select(func.count()).select_from(Membership).filter_by(group_id=group.id)
    )


def joined_at_of(user_ids: list[int], group: Group) -> dict[int, datetime]:
    """When each of these people joined (members only), in one query."""
    rows = db.session.execute(
        select(Membership.user_id, Membership.joined_at).where(
            Membership.group_id == group.id, Membership.user_id.in_(user_ids)
        )
    )
    return {user_id: joined_at for user_id, joined_at in rows}


def groups_of(user: User) -> list[Group]:
    """The person's groups, by name."""
    return list(
        db.session.scalars(
            db.select(Group)
            .join(Membership)
            .where(Membership.user_id == user.id)
            .order_by(Group.name)
        )
    )


def hosts_or_organises(user: User) -> bool:
    """Whether she organises a group, or hosts (or hosted) a gathering of one
    she belongs to: who news of answers is for."""
    organises = db.select(Membership.id).where(
        Membership.user_id == user.id,
        Membership.role.in_((Role.ORGANISER, Role.CO_ORGANISER)),
    )
    hosts = (
        db.select(Event.id)
        .join(Membership, Membership.group_id == Event.group_id)
        .where(Event.host_id == user.id, Membership.user_id == user.id)
    )
    return bool(db.session.scalar(db.select(organises.exists() | hosts.exists())))


def join_requests(group: Group) -> list[JoinRequest]:
    """Unanswered requests to join, oldest first, with who asked."""
    return list(
        db.session.scalars(
            db.select(JoinRequest)
            .filter_by(group_id=group.id)
            .options(db.joinedload(JoinRequest.user))
            .order_by(JoinRequest.created_at)
        )
    )


def is_blocked(user: User | None, group: Group) -> bool:
    """Kept out of the group by its organisers."""
    if user is None or user.id is None:
        return False
    return (
        db.session.scalar(
            select(Block.id).filter_by(group_id=group.id, user_id=user.id)
        )
        is not None
    )


def require_not_blocked(user: User | None, group: Group) -> None:
    """Refuse, in the same words for every door, without saying more."""
    if is_blocked(user, group):
        raise NotAllowed(
            _("The organisers of %(group)s have closed it to you.", group=group.name)
        )


def blocks(group: Group) -> list[Block]:
    """Who is kept out of the group, most recently blocked first, with who."""
    return list(
        db.session.scalars(
            select(Block)
            .filter_by(group_id=group.id)
            .options(db.joinedload(Block.user))
            .order_by(Block.created_at.desc(), Block.id.desc())
        )
    )


def add_member(user: User, group: Group) -> Membership:
    """Make someone a member, settling any request they had; safe against races.
    The last guard of every door in: nobody blocked gets through it."""
    require_not_blocked(user, group)
    db.session.execute(
        delete(JoinRequest).filter_by(group_id=group.id, user_id=user.id)
    )
    membership = Membership(group=group, user=user, role=Role.MEMBER)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:  # joined a moment ago through another request
        membership = membership_of(user, group)
    return membership
