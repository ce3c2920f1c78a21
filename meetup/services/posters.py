"""Noticeboard posters: an A4 or Letter PDF (WeasyPrint) with a large QR code,
for the church hall or the wine bar. They hang where anyone passes, so they
say only what a stranger may be told: a home's area, never its street.

The group's poster points at its page (join, or ask to join) and lists its
next public gatherings; a gathering's points at the link to give out for it,
and one only members may see names only its group, as that link does.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _

from meetup import i18n, permissions, privacy, qr
from meetup.extensions import db
from meetup.models import Event, Group
from meetup.services import finding, letter_parts, share_links
from meetup.urls import public_url

#: US and Canadian noticeboards take Letter; everyone else A4.
LETTER_LOCALES = ("en_US", "en_CA", "fr_CA", "es_US")
NEXT_DATES = 4
STYLE = Path(__file__).resolve().parents[1] / "static" / "poster.css"


def paper(locale: str | None, asked: str | None) -> str:
    if asked in ("a4", "letter"):
        return asked
    return "letter" if locale in LETTER_LOCALES else "a4"


def event_poster(event: Event, size: str) -> bytes:
    with i18n.in_language(event.group.locale):
        if permissions.is_for_members(event):
            # As its share link says: the group's name, and how to get in.
            return _pdf(
                size=size,
                eyebrow=_("For members"),
                title=_("A gathering of %(group)s", group=event.group.name),
                lines=[_("Scan to see it, or to ask to join.")],
                dates=[],
                link=share_links.url(event),
            )
        return _pdf(
            size=size,
            eyebrow=event.group.name,
            title=event.title,
            lines=[
                letter_parts.when(event),
                privacy.place(event, permissions.shared_access(event)),
            ],
            dates=[],
            link=share_links.url(event),
        )


def group_poster(group: Group, now: datetime, size: str) -> bytes:
    coming = db.session.scalars(
        finding.search(None, now, group=group)
        .where(Event.cancelled_at.is_(None))
        .limit(NEXT_DATES)
    ).all()
    with i18n.in_language(group.locale):
        return _pdf(
            size=size,
            eyebrow="",
            title=group.name,
            lines=[group.area] if group.area else [],
            dates=[(e.title, letter_parts.when(e)) for e in coming],
            link=public_url("groups.show", slug=group.slug),
        )


def _pdf(*, size: str, link: str, **said) -> bytes:
    # Pango is loaded only when a poster is made.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_template(
        "sharing/poster.html", size=size, link=link, qr=qr.data_uri(link), **said
    )
    fonts = FontConfiguration()  # without it, the @font-face rules are ignored
    style = CSS(filename=str(STYLE), font_config=fonts)
    return HTML(string=html).write_pdf(stylesheets=[style], font_config=fonts)
