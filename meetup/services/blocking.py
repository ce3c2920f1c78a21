"""Keeping someone out of a group: a block holds against joining, invite
links, requests to join, answers and messages, until an organiser lifts it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import Block, Group, User


def is_blocked(user: User | None, group: Group) -> bool:
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
