"""The host hears that someone who stopped going let her bring-list claims go:
at most one mail an hour per gathering (`Event.bring_told_at`). The first
mails at once; later ones in that hour wait for the worker (`send_due`), which
gathers them into one when the hour is up. Each is kept as a LET_GO happening,
so those who chose a daily digest read it there. Names and things only."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from meetup import i18n
from meetup.extensions import db
from meetup.models import Event, Happening, HappeningKind, HostNews, Rsvp
from meetup.services import bring_lists, host_news, letter_parts, outbox
from meetup.services.mail import Letter

#: No more than one mail to a gathering's host per this long.
EVERY = timedelta(hours=1)


def let_go(rsvp: Rsvp, things: list[str], now: datetime) -> None:
    """She stopped going and `things` are unclaimed again: keep it as news, and
    tell the host (or the organisers) now, unless they heard within the hour."""
    event = rsvp.event
    if not things or not host_news.worth_telling(event, now):
        return
    for thing in things:
        db.session.add(
            Happening(
                event=event,
                user_id=rsvp.user_id,
                kind=HappeningKind.LET_GO,
                thing=thing,
                created_at=now,
            )
        )
    db.session.flush()
    if event.bring_told_at is None or event.bring_told_at <= now - EVERY:
        _tell(event, now)


def send_due(now: datetime) -> int:
    """Gathered news whose hour is up: one mail per gathering. Returns how many
    gatherings' hosts were told."""
    untold = exists().where(
        Happening.event_id == Event.id,
        Happening.kind == HappeningKind.LET_GO,
        or_(Event.bring_told_at.is_(None), Happening.created_at > Event.bring_told_at),
    )
    due = db.session.scalars(
        select(Event)
        .where(
            untold,
            Event.bring_told_at <= now - EVERY,
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
        )
        .order_by(Event.id)
    ).all()
    for event in due:
        _tell(event, now)
    return len(due)


def _tell(event: Event, now: datetime) -> None:
    since = event.bring_told_at
    rows = list(
        db.session.scalars(
            select(Happening)
            .where(
                Happening.event_id == event.id,
                Happening.kind == HappeningKind.LET_GO,
                Happening.created_at <= now,
                *([Happening.created_at > since] if since else []),
            )
            .options(db.joinedload(Happening.user))
            .order_by(Happening.created_at, Happening.id)
        )
    )
    event.bring_told_at = now
    for user in host_news.listeners(event, None):
        told = [row for row in rows if row.user_id != user.id]
        if user.host_news is HostNews.EACH and told:
            _letter(user, event, told, now)
    db.session.flush()


def _letter(user, event: Event, rows: list[Happening], now: datetime) -> None:
    with i18n.as_reader(user):
        lines = [
            host_news.what_happened(row.kind, row.user.display_name, 0, row.thing)
            for row in rows
        ]
        gaps = bring_lists.gaps(event)
        if gaps:
            lines.append(_("Still needed: %(things)s", things=bring_lists.said(gaps)))
        letter = Letter(
            subject=_("The bring list for %(title)s has gaps again", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=["\n".join(lines)],
            facts=[
                (_("Gathering"), event.title),
                (_("When"), letter_parts.when(event)),
            ],
            action=(_("See the bring list"), letter_parts.link(event) + "#bring"),
            signature=letter_parts.signed(event),
            footer=host_news.why(user, event.group.name),
        )
        outbox.send_letter(
            user,
            letter,
            event,
            now,
            "host-news",
            unsubscribe=host_news.unsubscribe(user),
            once_key=f"bring-let-go:{event.id}:{now.isoformat()}:{user.id}",
        )
