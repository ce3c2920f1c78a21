"""What the host rota tells people: a date needs a host (organisers two weeks
out, members who asked ten days out) and a host gave a date up. Mail to a
person about a date nobody hosts says no place: there is none yet, and the
one a host gave up is never repeated."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from meetup import i18n
from meetup.extensions import db
from meetup.models import Event, Membership, Role, User
from meetup.services import letter_parts, outbox
from meetup.services.mail import Letter
from meetup.urls import public_url


def host_needed(event: Event, now: datetime) -> None:
    """Two weeks out and nobody hosts: each organiser hears once."""
    for membership in _members(event, organisers=True):
        _ask(membership, event, now, "host-needed-organiser")


def asked_to_host(event: Event, now: datetime) -> None:
    """Ten days out and nobody hosts: members who asked to hear, once each."""
    for membership in _members(event, organisers=False):
        _ask(membership, event, now, "host-needed-member")


def gave_up(event: Event, host: User, now: datetime) -> None:
    """A host gave back a date others had answered: the organisers find a place."""
    for membership in _members(event, organisers=True):
        user = membership.user
        with i18n.as_reader(user):
            letter = Letter(
                subject=_("%(name)s can't host %(title)s", name=host.display_name,
                          title=event.title),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _("%(name)s can no longer host %(title)s on %(when)s. People "
                      "are going, and they've been told the place is to be "
                      "confirmed.", name=host.display_name, title=event.title,
                      when=letter_parts.when(event)),
                ],
                action=(_("Find a host"), letter_parts.link(event)),
                signature=letter_parts.signed(event),
            )  # fmt: skip
            outbox.send_letter(user, letter, event, now, "host-gave-up")


def _ask(membership: Membership, event: Event, now: datetime, kind: str) -> None:
    """Once per date and person (the worker asks every few minutes)."""
    user = membership.user
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("A host is needed: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[_paragraph(kind, event)],
            action=(_("I'll host this one"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
            footer=_(
                "You get this because you're an organiser of %(group)s.",
                group=event.group.name,
            )
            if kind == "host-needed-organiser"
            else _(
                "You get this because you asked to hear when %(group)s needs a "
                "host. Change it on the group's page: %(link)s",
                group=event.group.name,
                link=public_url("groups.show", slug=event.group.slug),
            ),
        )
        outbox.send_letter(
            user, letter, event, now, kind, once_key=f"{kind}:{event.id}:{user.id}"
        )


def _paragraph(kind: str, event: Event) -> str:
    if kind == "host-needed-organiser":
        return _(
            "Nobody is hosting %(title)s on %(when)s yet. You can host it, give it "
            "to a member, or skip it.",
            title=event.title,
            when=letter_parts.when(event),
        )
    return _(
        "%(title)s on %(when)s needs a host. Could it be at yours?",
        title=event.title,
        when=letter_parts.when(event),
    )


def _members(event: Event, organisers: bool) -> list[Membership]:
    query = (
        db.select(Membership)
        .join(Membership.user)
        .options(db.contains_eager(Membership.user))
        .where(Membership.group_id == event.group_id)
        .order_by(Membership.id)
    )
    if organisers:
        query = query.where(Membership.role.in_((Role.ORGANISER, Role.CO_ORGANISER)))
    else:
        query = query.where(Membership.is_asked_to_host.is_(True))
    return list(db.session.scalars(query))
