"""Keeping someone out of a group: a block holds against joining, invite
links, requests to join, answers and messages, until an organiser lifts it.

Whether someone is blocked is a read (`memberships.is_blocked`), so the rules
that guard the doors (rsvps, groups, series) ask it without importing this
module, which calls them.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from meetup import permissions
from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import (
    Block,
    Group,
    JoinRequest,
    Membership,
    Series,
    StandingRsvp,
    User,
)
from meetup.services import groups, memberships, rsvps
from meetup.services.memberships import is_blocked, require_not_blocked

__all__ = ["block", "blocked", "is_blocked", "require_not_blocked", "unblock"]


def block(actor: Membership | None, user: User, group: Group, now: datetime) -> Block:
    """Remove and keep out: her membership goes by the normal rules (her places
    freed, the waitlist promoted), and with it a request to join and any "put
    me down for each" of the group's series. Blocking twice changes nothing."""
    _require(actor, group)
    if actor.user_id == user.id:
        raise NotAllowed(_("You can't block yourself."))
    existing = _block_of(user, group)
    if existing is not None:
        return existing
    membership = memberships.membership_of(user, group)
    if membership is not None:
        groups.remove_member(actor, membership, now)  # the last organiser stays
    else:
        rsvps.withdraw_from_group(user, group.id, now)
    db.session.execute(
        delete(JoinRequest).filter_by(group_id=group.id, user_id=user.id)
    )
    db.session.execute(
        delete(StandingRsvp).where(
            StandingRsvp.user_id == user.id,
            StandingRsvp.series_id.in_(select(Series.id).filter_by(group_id=group.id)),
        )
    )
    made = Block(group_id=group.id, user=user, blocked_by_id=actor.user_id)
    made.created_at = now
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:  # the other organiser's tap got there first
        return _block_of(user, group)
    return made


def unblock(
    actor: Membership | None, block_or_user: Block | User, group: Group
) -> None:
    """Lift a block: she may join, ask to join and answer again (nothing
    she had comes back by itself)."""
    _require(actor, group)
    found = (
        block_or_user
        if isinstance(block_or_user, Block)
        else _block_of(block_or_user, group)
    )
    if found is None or found.group_id != group.id:
        return
    db.session.delete(found)
    db.session.flush()


def blocked(group: Group) -> list[Block]:
    """Who is kept out, most recently blocked first."""
    return memberships.blocks(group)


def _block_of(user: User, group: Group) -> Block | None:
    return db.session.scalar(
        select(Block).filter_by(group_id=group.id, user_id=user.id)
    )


def _require(actor: Membership | None, group: Group) -> None:
    # The same power as removing a member: full organisers.
    if not (permissions.can_change_roles(actor) and actor.group_id == group.id):
        raise NotAllowed(_("Only the group's organisers can do that."))
