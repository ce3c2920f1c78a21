"""The daily digest for hosts and organisers who chose "once a day": what
happened since the last one at the gatherings they host or organise, one
mail, grouped by gathering. Names and counts only, as in `host_news`.

Safe to run as often as anyone likes: a person is due 24 hours after her last
digest, and each digest has a once-key in the outbox (her last digest's time),
so two runs at once send it once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from meetup import i18n, permissions
from meetup.extensions import db
from meetup.models import Event, Happening, HostNews, Membership, Role, User
from meetup.services import letter_parts, outbox
from meetup.services.host_news import (
    guest_list,
    room,
    unsubscribe,
    what_happened,
)
from meetup.services.mail import Letter
from meetup.urls import public_url

EVERY = timedelta(hours=24)
#: Happenings are kept this long: a digest never reaches further back.
KEEP = timedelta(days=14)


def send_digests(now: datetime) -> int:
    """Each person who chose a daily digest and had none for 24 hours gets one
    if anything happened; either way her next is due 24 hours on. Happenings
    older than KEEP are forgotten. Returns how many digests were queued."""
    db.session.execute(delete(Happening).where(Happening.created_at < now - KEEP))
    due = db.session.scalars(
        select(User)
        .where(
            User.host_news == HostNews.DAILY,
            or_(User.host_digest_at.is_(None), User.host_digest_at <= now - EVERY),
        )
        .order_by(User.id)
    ).all()
    count = 0
    for user in due:
        since = max(user.host_digest_at or now - EVERY, now - KEEP)
        key = f"host-digest:{user.id}:{user.host_digest_at or 'first'}"
        happenings = _happenings_for(user, since, now)
        if happenings and _send(user, happenings, now, key):
            count += 1
        user.host_digest_at = now
    db.session.flush()
    return count


def _happenings_for(user: User, since: datetime, now: datetime) -> list[Happening]:
    """At coming, told gatherings she hosts (as a member) or organises; not her
    own answers."""
    organises = (
        select(Membership.group_id)
        .where(
            Membership.user_id == user.id,
            Membership.role.in_((Role.ORGANISER, Role.CO_ORGANISER)),
        )
        .scalar_subquery()
    )
    member_of = (
        select(Membership.group_id)
        .where(Membership.user_id == user.id)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Happening)
            .join(Happening.event)
            .options(db.contains_eager(Happening.event), db.joinedload(Happening.user))
            .where(
                Happening.created_at > since,
                Happening.created_at <= now,
                Happening.user_id != user.id,
                Event.starts_at > now,
                Event.cancelled_at.is_(None),
                Event.state.in_(permissions.TOLD_STATES),
                or_(
                    Event.group_id.in_(organises),
                    (Event.host_id == user.id) & Event.group_id.in_(member_of),
                ),
            )
            .order_by(Event.starts_at, Event.id, Happening.created_at, Happening.id)
        )
    )


def _send(user: User, happenings: list[Happening], now: datetime, key: str) -> bool:
    by_event: dict[int, list[Happening]] = defaultdict(list)
    for happening in happenings:
        by_event[happening.event_id].append(happening)
    with i18n.as_reader(user):
        paragraphs = [_gathering(rows[0].event, rows) for rows in by_event.values()]
        letter = Letter(
            subject=_("What happened at your gatherings"),
            greeting=letter_parts.hello(user),
            paragraphs=[
                _("Since your last digest, at the gatherings you host or organise:"),
                *paragraphs,
            ],
            action=(_("See your gatherings"), public_url("me.my_events")),
            signature=_("— Hearth"),
            footer=_(
                "You get this once a day because you host or organise gatherings "
                "on Hearth. Choose each time, once a day or not at all on your "
                "profile (%(profile)s), or turn it off with one click: %(link)s",
                profile=public_url("me.profile"),
                link=unsubscribe(user),
            ),
        )
        return outbox.send_letter(
            user, letter, None, now, "host-digest",
            unsubscribe=unsubscribe(user), once_key=key,
        ) is not None  # fmt: skip


def _gathering(event: Event, rows: list[Happening]) -> str:
    lines = [f"{event.title} · {letter_parts.when(event)}"]
    lines += [
        "• " + what_happened(row.kind, row.user.display_name, row.guests, row.thing)
        for row in rows
    ]
    lines.append(room(event))
    lines.append(_("Who's coming: %(link)s", link=guest_list(event)))
    return "\n".join(lines)
