"""Reminders about a day before: `flask send-reminders`, and the worker's clock.

Safe to run as often as anyone likes: each reminder has a once-key in the
outbox, so a second run (or two at once) finds it there and sends nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from meetup import permissions
from meetup.extensions import db
from meetup.models import Event, OutboxMail, Rsvp, RsvpStatus, User
from meetup.services import news

AHEAD = timedelta(hours=24)


def send_reminders(now: datetime) -> int:
    """Remind each member going to a gathering that starts within a day, unless
    they answered within that day (they know) or turned reminders off. Only
    open gatherings: a draft or a date without a host reminds nobody."""
    due = db.session.scalars(
        select(Rsvp)
        .join(Rsvp.event)
        .join(Rsvp.user)
        .options(db.contains_eager(Rsvp.event), db.contains_eager(Rsvp.user))
        .where(
            Rsvp.status == RsvpStatus.GOING,
            Event.starts_at > now,
            Event.starts_at <= now + AHEAD,
            Event.cancelled_at.is_(None),
            Event.state.in_(permissions.TOLD_STATES),
            User.wants_reminders.is_(True),
        )
        .order_by(Event.starts_at, Rsvp.id)
    ).all()
    keys = {
        news.reminder_key(rsvp): rsvp
        for rsvp in due
        if rsvp.responded_at <= rsvp.event.starts_at - AHEAD
    }
    sent_before = (
        set(
            db.session.scalars(
                select(OutboxMail.once_key).where(OutboxMail.once_key.in_(keys))
            )
        )
        if keys
        else set()
    )
    count = 0
    for key, rsvp in keys.items():
        if key not in sent_before:
            news.reminder(rsvp, now)
            count += 1
    return count
