"""The link to give out for a gathering: its page where anyone may see it,
else its share link (`/s/<code>`), which names only the group; and the code a
public group pastes on its website to show its next gatherings."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import escape

from meetup import permissions
from meetup.models import Event, Group
from meetup.urls import public_url


def path(event: Event) -> str:
    if permissions.is_for_members(event):
        return url_for("sharing.shared", code=event.share_code)
    return url_for("events.show", event_id=event.id)


def url(event: Event) -> str:
    if permissions.is_for_members(event):
        return public_url("sharing.shared", code=event.share_code)
    return public_url("events.show", event_id=event.id)


def embed_snippet(group: Group) -> str:
    """An iframe of `/groups/<slug>/embed`, its title in the group's language."""
    src = public_url("sharing.embed", slug=group.slug)
    title = _("Next gatherings of %(group)s", group=group.name)
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
            'height="420" style="border:0" loading="lazy"></iframe>')  # fmt: skip
