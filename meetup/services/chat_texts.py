"""Words to paste into the group's chat: no app may post there for her
(Facebook and WhatsApp allow none), so Hearth makes what she pastes right.

In the group's language, as the group's feed is; with what anyone in the chat
may be told: the area of a home, never its street; places left or the
waitlist; what the bring list still needs; and the link to give out.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from meetup import dates, i18n, permissions, privacy
from meetup.models import Event
from meetup.services import bring_lists, letter_parts, share_links


def invitation(event: Event) -> str:
    """ "Who's coming?": the gathering, for the day it is planned."""
    with i18n.in_language(event.group.locale):
        return "\n".join(
            [
                f"{event.title} · {letter_parts.when(event)}",
                privacy.place(event, permissions.shared_access(event)),
                *_room(event),
                *_needed(event),
                _("Say if you're coming: %(link)s", link=share_links.url(event)),
            ]
        )


def reminder(event: Event, now: datetime) -> str:
    """The day before: when again, and what is still needed."""
    with i18n.in_language(event.group.locale):
        soon = dates.relative(event.starts_at, now, event.timezone)
        return "\n".join(
            [
                _("Reminder: %(title)s is %(when)s.", title=event.title, when=soon),
                privacy.place(event, permissions.shared_access(event)),
                *_room(event),
                *_needed(event),
                share_links.url(event),
            ]
        )


def _room(event: Event) -> list[str]:
    left = event.seats_left
    if left is None:
        return []
    if left == 0:
        return [_("Full · waitlist open")]
    return [ngettext("%(num)d place left", "%(num)d places left", left)]


def _needed(event: Event) -> list[str]:
    gaps = bring_lists.gaps(event)
    if not gaps:
        return []
    return [_("Still needed: %(things)s", things=bring_lists.said(gaps))]
