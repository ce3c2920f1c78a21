"""Groups: creating them, who belongs, joining, leaving and the organisers' powers."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import Select, func, or_, update
from sqlalchemy.exc import IntegrityError

from meetup import permissions
from meetup.errors import InvalidToken, LastOrganiser, MeetupError, NotAllowed
from meetup.extensions import db
from meetup.models import Group, JoinRequest, Membership, Role, Rsvp, User, Visibility
from meetup.services import account_mail, memberships, rsvps
from meetup.services.text_search import all_words_in, escape_like

#: Slugs that would shadow a URL under /groups/.
RESERVED_SLUGS = {"new"}


@dataclass(frozen=True)
class GroupDetails:
    """What an organiser says about a group (GroupForm.details() builds it)."""

    name: str
    timezone: str
    description: str = ""
    online_url: str | None = None
    area: str = ""
    visibility: Visibility = Visibility.PUBLIC
    latitude: float | None = None
    longitude: float | None = None
    #: What its feed and its gatherings' .ics files are written in.
    locale: str = "en_US"


def create_group(creator: User, details: GroupDetails) -> Group:
    """Create a group with a unique, readable slug; its creator is its organiser."""
    values = _cleaned(details)
    group = Group(slug=_unique_slug(values["name"]), **values)
    group.invite_token = _new_invite_token()
    db.session.add(group)
    db.session.add(Membership(group=group, user=creator, role=Role.ORGANISER))
    db.session.flush()
    return group


def update_group(actor: Membership | None, group: Group, details: GroupDetails) -> None:
    """Organisers edit a group; the slug stays, so shared links keep working.

    A group that opens up lets in everyone who was waiting to be approved.
    """
    _require(permissions.can_manage_group(actor))
    for name, value in _cleaned(details).items():
        setattr(group, name, value)
    if not group.is_private:
        for request in memberships.join_requests(group):
            if not memberships.is_blocked(request.user, group):
                memberships.add_member(request.user, group)
    db.session.flush()


def join(user: User, group: Group, message: str = "") -> Membership | JoinRequest:
    """Join a public group at once; ask to join a private one. Never if blocked."""
    memberships.require_not_blocked(user, group)
    existing = memberships.membership_of(user, group)
    if existing is not None:
        return existing
    if permissions.can_join_directly(group):
        return memberships.add_member(user, group)
    request = memberships.pending_request(user, group)
    if request is None:
        request = JoinRequest(group=group, user=user, message=message.strip())
        try:
            with db.session.begin_nested():
                db.session.add(request)
        except IntegrityError:  # the same person's other click got here first
            return memberships.pending_request(user, group)
        account_mail.join_requested(request)
    return request


def arrive(
    user: User, group: Group, then: dict, now: datetime
) -> Rsvp | JoinRequest | None:
    """ "I'm going" from a gathering's page by someone not yet in its group: a
    public group takes her at once and the answer is placed; a private one gets
    a request that carries the answer, placed when an organiser says yes."""
    joined = join(user, group)
    if isinstance(joined, JoinRequest):
        joined.then_rsvp = then  # the gathering she asked about last
        db.session.flush()
        return joined
    return rsvps.respond_as_asked(user, then, now)


def join_with_invite(user: User, group: Group, token: str) -> Membership:
    """Whoever holds the current invite link joins without waiting for approval."""
    check_invite(group, token)
    memberships.require_not_blocked(user, group)
    existing = memberships.membership_of(user, group)
    return existing if existing is not None else memberships.add_member(user, group)


def check_invite(group: Group, token: str) -> None:
    """Refuse a revoked, renewed or made-up invite link."""
    expected = (group.invite_token or "").encode()
    if not expected or not secrets.compare_digest(expected, token.encode()):
        raise InvalidToken(
            _("This invite link no longer works. Ask the organisers for a new one.")
        )


def leave(membership: Membership, now: datetime) -> None:
    """Leave a group, unless you are the last organiser; your places are freed."""
    _keep_an_organiser(membership)
    rsvps.withdraw_from_group(membership.user, membership.group_id, now)
    db.session.delete(membership)
    db.session.flush()


def approve(
    actor: Membership | None, request: JoinRequest, now: datetime
) -> Membership:
    """An organiser lets someone into a private group; an answer she gave
    with her request ("ask to join and come") is placed now."""
    _require(permissions.can_manage_group(actor) and actor.group_id == request.group_id)
    existing = memberships.membership_of(request.user, request.group)
    if existing is not None:
        return existing
    user, then = request.user, request.then_rsvp
    if memberships.is_blocked(user, request.group):  # blocked since she asked
        raise NotAllowed(
            _(
                "%(name)s is blocked from this group. Unblock them first.",
                name=user.display_name,
            )  # fmt: skip
        )
    membership = memberships.add_member(user, request.group)
    account_mail.join_approved(membership)
    if then:
        try:
            with db.session.begin_nested():
                rsvps.respond_as_asked(user, then, now)
        except MeetupError:
            pass  # closed since she asked: she is a member, and may answer herself
    return membership


def decline(actor: Membership | None, request: JoinRequest) -> None:
    """An organiser says no; the person may ask again later."""
    _require(permissions.can_manage_group(actor) and actor.group_id == request.group_id)
    db.session.delete(request)
    db.session.flush()


def set_role(actor: Membership | None, target: Membership, role: Role) -> None:
    """Organisers promote and demote; the group always keeps an organiser."""
    _require(permissions.can_change_roles(actor) and actor.group_id == target.group_id)
    if role is not Role.ORGANISER:
        _keep_an_organiser(target)
    target.role = role
    db.session.flush()


def remove_member(actor: Membership | None, target: Membership, now: datetime) -> None:
    """Organisers remove someone; their places go to the waitlist."""
    _require(permissions.can_change_roles(actor) and actor.group_id == target.group_id)
    _keep_an_organiser(target)
    rsvps.withdraw_from_group(target.user, target.group_id, now)
    db.session.delete(target)
    db.session.flush()


def renew_invite(actor: Membership | None, group: Group) -> None:
    """A fresh invite link; the old one stops working."""
    _require(permissions.can_manage_group(actor))
    group.invite_token = _new_invite_token()
    db.session.flush()


def revoke_invite(actor: Membership | None, group: Group) -> None:
    _require(permissions.can_manage_group(actor))
    group.invite_token = None
    db.session.flush()


def search(text: str = "") -> Select:
    """Groups whose name, area or description mention the text, newest first."""
    return (
        db.select(Group)
        .where(*all_words_in(text, Group.name, Group.area, Group.description))
        .order_by(Group.created_at.desc(), Group.id.desc())
    )


def public_groups(exclude: list[Group], limit: int = 12) -> list[Group]:
    query = db.select(Group).where(Group.visibility == Visibility.PUBLIC)
    if exclude:
        query = query.where(Group.id.not_in([group.id for group in exclude]))
    return list(
        db.session.scalars(query.order_by(Group.created_at.desc()).limit(limit))
    )


def _keep_an_organiser(membership: Membership) -> None:
    if membership.role is not Role.ORGANISER:
        return
    # A no-op write locks the group (a row lock on PostgreSQL, the write lock on
    # SQLite) so two organisers stepping down at once cannot both pass the count.
    db.session.execute(
        update(Group).where(Group.id == membership.group_id).values(id=Group.id)
    )
    organisers = db.session.scalar(
        db.select(func.count())
        .select_from(Membership)
        .filter_by(group_id=membership.group_id, role=Role.ORGANISER)
    )
    if organisers <= 1:
        raise LastOrganiser(
            _("A group needs an organiser. Make someone else an organiser first.")
        )


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("Only the group's organisers can do that."))


def _cleaned(details: GroupDetails) -> dict:
    values = dataclasses.asdict(details)
    for name in ("name", "area", "description"):
        values[name] = values[name].strip()
    values["online_url"] = (details.online_url or "").strip() or None
    return values


def _unique_slug(name: str) -> str:
    base = slugify(name, max_length=60, word_boundary=True) or "group"
    if base in RESERVED_SLUGS:
        base = f"{base}-group"
    taken = set(
        db.session.scalars(
            db.select(Group.slug).where(
                or_(
                    Group.slug == base,
                    Group.slug.like(f"{escape_like(base)}-%", escape="\\"),
                )
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _new_invite_token() -> str:
    return secrets.token_urlsafe(16)
