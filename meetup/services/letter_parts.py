"""The pieces every letter about a gathering shares: greeting, facts, link,
signature and the why-you-get-this footer, said in the reader's language
(callers compose inside `i18n.as_reader`)."""

from __future__ import annotations

from flask_babel import gettext as _

from meetup import dates, privacy
from meetup.models import Children, Event, User
from meetup.permissions import EventAccess
from meetup.services import account_mail
from meetup.urls import public_url


def hello(user: User) -> str:
    return _("Hello %(name)s,", name=user.display_name)


def facts(event: Event, access: EventAccess) -> list[tuple[str, str]]:
    facts = [(_("When"), when(event)), (_("Where"), privacy.place(event, access))]
    if access.sees_address and event.access_notes:
        facts.append((_("Getting in"), event.access_notes))
    if event.children is not Children.WELCOME:  # welcome goes without saying
        facts.append((_("Children"), event.children.label))
    return facts


def when(event: Event) -> str:
    return dates.when_range(event.starts_at, event.ends_at, event.timezone)


def link(event: Event) -> str:
    return public_url("events.show", event_id=event.id)


def signed(event: Event) -> str:
    return _("— %(group)s, on Hearth", group=event.group.name)


def why(user: User, event: Event, kind: str) -> str:
    return _(
        "You get %(kind)s because you're a member of %(group)s. Turn them off for "
        "all your groups with one click: %(link)s",
        kind=account_mail.OPTIONAL_MAIL[kind],
        group=event.group.name,
        link=account_mail.unsubscribe_link(user, kind),
    )
