"""The link to give out for a gathering: its page where anyone may see it,
else its share link (`/s/<code>`), which names only the group."""

from __future__ import annotations

from flask import url_for

from meetup import permissions
from meetup.models import Event
from meetup.urls import public_url


def path(event: Event) -> str:
    if permissions.is_for_members(event):
        return url_for("sharing.shared", code=event.share_code)
    return url_for("events.show", event_id=event.id)


def url(event: Event) -> str:
    if permissions.is_for_members(event):
        return public_url("sharing.shared", code=event.share_code)
    return public_url("events.show", event_id=event.id)
