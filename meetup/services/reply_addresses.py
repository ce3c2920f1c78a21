"""Reply addresses: where a calendar app sends her Yes or No, and where a
reply she types to a mail about a gathering goes.

An invitation's ORGANIZER, and the Reply-To of each mail about a gathering, is
`reply+<event>-<person>-<mac>@REPLY_DOMAIN`: one address per person and
gathering, so what comes back is signed for who it is from and what it is
about. It fits where mail addresses must (RFC 5321: 64 octets before the @),
and survives a relay that lowercases it: ids in decimal, 80 bits of HMAC in
base 32. Like an answer link, it grants only her answer to that gathering, or
a word to its host, never a look at anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

from meetup.extensions import db
from meetup.models import Event, User

PREFIX = "reply+"


def address(user: User, event: Event) -> str | None:
    """Her reply address for the gathering, or None where it takes no replies.
    The first address issued for a gathering fixes its domain for good
    (`Event.reply_domain`): one that was handed out keeps working."""
    if event.reply_domain is None:
        event.reply_domain = current_app.config.get("REPLY_DOMAIN") or ""
    if not event.reply_domain:
        return None
    return f"{PREFIX}{event.id}-{user.id}-{_mac(user, event)}@{event.reply_domain}"


def read(address: str) -> tuple[User, Event] | None:
    """Who and which gathering the address is for; None if it is not one of
    ours, is forged, or names a person or gathering that no longer exists."""
    local, _, at = address.strip().strip("<>").lower().rpartition("@")
    if not local.startswith(PREFIX):
        return None
    parts = local.removeprefix(PREFIX).split("-")
    if len(parts) != 3 or not all(part.isascii() for part in parts):
        return None
    if not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    event_id, user_id, mac = int(parts[0]), int(parts[1]), parts[2]
    if max(event_id, user_id) > 2**31:  # no row has one; the database would refuse
        return None
    event, user = db.session.get(Event, event_id), db.session.get(User, user_id)
    if event is None or user is None:
        return None
    # Mail sent before reply domains were kept with gatherings used the setting.
    fixed = event.reply_domain
    if at != (fixed if fixed is not None else current_app.config.get("REPLY_DOMAIN")):
        return None
    if not hmac.compare_digest(mac.encode(), _mac(user, event).encode()):
        return None
    return user, event


def is_hers(user: User, address: str) -> bool:
    """Her address as she typed it, or as mail and calendars carried it (IDNA)."""
    return address.strip().strip("<>").lower() in _addresses_of(user)


def _addresses_of(user: User) -> set[str]:
    local, _, domain = user.email.lower().rpartition("@")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = domain
    return {f"{local}@{domain}", f"{local}@{ascii_domain}"}


def _mac(user: User, event: Event) -> str:
    # The event's UID and the account's creation time, not only the ids: an id a
    # deleted row freed must not inherit someone else's address.
    said = f"reply:{user.id}:{int(user.created_at.timestamp())}:{event.uid}"
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, said.encode(), hashlib.sha256).digest()[:10]
    return base64.b32encode(digest).decode("ascii").lower()
