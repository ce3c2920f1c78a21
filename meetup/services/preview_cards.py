"""What a link's preview card says: only what a stranger may see, in the
group's language and time zone (the card is the same for everyone who gets
the link). Drawn by `meetup.cards`; kept per version like the feeds."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _
from flask_babel import ngettext

from meetup import cards, i18n, permissions, privacy
from meetup.models import Event, Group
from meetup.services import letter_parts, memberships, storage
from meetup.services.feed_cache import Version

#: Raised whenever the drawing changes, so every card is drawn again.
FORMAT = 1


def event_card(event: Event) -> cards.Card:
    """A gathering strangers may see: a home shows its area, never its street."""
    with i18n.in_language(event.group.locale):
        return cards.Card(
            title=event.title,
            eyebrow=event.group.name,
            lines=(
                letter_parts.when(event),
                privacy.place(event, permissions.shared_access(event)),
            ),
            badge=_badge(event),
            picture=event.group.cover_key or "",
        )


def group_card(group: Group) -> cards.Card:
    """Anyone may see a group's name (a private group's too), area and size."""
    with i18n.in_language(group.locale):
        count = memberships.member_count(group)
        return cards.Card(
            title=group.name,
            eyebrow=_("A group on Hearth"),
            lines=tuple(filter(None, (group.area,))),
            badge=ngettext("%(num)d member", "%(num)d members", count),
            picture=group.cover_key or "",
        )


def drawn(card: cards.Card) -> bytes:
    picture = storage.store().get(card.picture) if card.picture else None
    return cards.draw(card, picture).png


def version(card: cards.Card, key: str) -> Version:
    """Known before drawing: the words decide the picture."""
    said = f"{FORMAT}:{card!r}".encode()
    return Version(hashlib.sha256(said).hexdigest()[:32], key=key)


def _badge(event: Event) -> str:
    if event.is_cancelled:
        return _("Cancelled")
    left = event.seats_left
    if left is None:
        return ""
    if left == 0:
        return _("Full · waitlist open")
    return ngettext("%(num)d place left", "%(num)d places left", left)
