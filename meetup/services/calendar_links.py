"""Links into calendars: the personal feed's secret address, subscribe links, and
"add to Google Calendar / Outlook.com" links for one event."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC
from urllib.parse import urlencode, urlsplit, urlunsplit

from meetup.extensions import db
from meetup.models import Event, User
from meetup.permissions import EventAccess
from meetup.privacy import place
from meetup.urls import row_id

#: Room left for the place in prefilled links: browsers and Google cut long URLs.
_MAX_DETAILS = 1000


def feed_token(user: User) -> str | None:
    """`<id>.<secret>`: the id finds the row; the 256-bit secret is what proves it."""
    if user.calendar_secret is None:
        return None
    return f"{user.id}.{user.calendar_secret}"


def new_feed_token(user: User) -> str:
    """Make a new secret address; the old one stops working at once."""
    user.calendar_secret = secrets.token_urlsafe(32)
    db.session.flush()
    return feed_token(user)


def feed_owner(token: str) -> User | None:
    """Whose feed this is, or None. The secret is compared in constant time."""
    number, _, secret = token.partition(".")
    user_id = row_id(number)
    if user_id is None or not secret:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.calendar_secret is None:
        return None
    if not hmac.compare_digest(secret.encode(), user.calendar_secret.encode()):
        return None
    return user


def webcal(url: str) -> str:
    """The same feed as a webcal:// link, which phones open in their calendar app."""
    parts = urlsplit(url)
    return urlunsplit(("webcal",) + tuple(parts[1:]))


def google_link(event: Event, access: EventAccess, url: str) -> str:
    """Google Calendar's "add event" page, filled in with what this person may see."""
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{_utc(event.starts_at)}/{_utc(event.ends_at)}",
            "ctz": event.timezone,
            "details": _details(event, url),
            "location": place(event, access),
        }
    )


def outlook_link(event: Event, access: EventAccess, url: str) -> str:
    """Outlook.com's "new event" page, filled in with what this person may see."""
    return "https://outlook.live.com/calendar/0/action/compose?" + urlencode(
        {
            "rru": "addevent",
            "subject": event.title,
            "startdt": event.starts_at.astimezone(UTC).isoformat(),
            "enddt": event.ends_at.astimezone(UTC).isoformat(),
            "body": _details(event, url),
            "location": place(event, access),
        }
    )


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _details(event: Event, url: str) -> str:
    text = event.description
    if len(text) > _MAX_DETAILS:
        text = text[:_MAX_DETAILS].rsplit(" ", 1)[0] + "…"
    return f"{text}\n\n{url}" if text else url
