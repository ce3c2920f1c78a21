"""News for members who want it: a new gathering in their group, and the
reminder the day before. Optional mail, so each says why it came and how to
stop it with one click."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from meetup import dates, i18n, permissions
from meetup.extensions import db
from meetup.models import Event, Membership, Rsvp, User
from meetup.services import (
    account_mail,
    answer_links,
    bring_lists,
    chat_texts,
    letter_parts,
    outbox,
    viewers,
)
from meetup.services.mail import Letter


def announced(event: Event, author: User | None, now: datetime) -> None:
    """A new gathering: members who want such news hear of it (area only);
    its author (who planned it, or hosts a series date) knows already, and
    its host has her own mail. Never of a draft or a date that needs a host
    (`permissions.is_told`)."""
    if not permissions.is_told(event):
        return
    members = db.session.scalars(
        db.select(Membership)
        .join(Membership.user)
        .options(db.contains_eager(Membership.user))
        .where(
            Membership.group_id == event.group_id,
            # The host has her own mail: she is going, and hosting.
            User.id.not_in({author and author.id, event.host_id} - {None}),
            User.wants_announcements.is_(True),
        )
    )
    for membership in members:
        user = membership.user
        with i18n.as_reader(user):
            access = permissions.event_access(event, membership, None)
            letter = Letter(
                subject=_("New gathering: %(title)s", title=event.title),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _("%(group)s has planned a new gathering.", group=event.group.name)
                ],
                facts=letter_parts.facts(event, access),
                answers=answer_links.choices(user, event),
                action=(_("Are you coming?"), letter_parts.link(event)),
                signature=letter_parts.signed(event),
                footer=letter_parts.why(user, event, "announcements"),
            )
            unsubscribe = account_mail.unsubscribe_link(user, "announcements")
            outbox.send_letter(
                user, letter, event, now, "announcement", unsubscribe=unsubscribe
            )


def reminder(rsvp: Rsvp, now: datetime) -> None:
    """About a day before, to each member going (once: see `send_reminders`)."""
    event, user = rsvp.event, rsvp.user
    if not permissions.is_told(event):
        return
    with i18n.as_reader(user):
        access = viewers.access_of(event, user, rsvp, now)
        soon = dates.relative(event.starts_at, now, event.timezone)
        letter = Letter(
            subject=_("Reminder: %(title)s, %(when)s", title=event.title, when=soon),
            greeting=letter_parts.hello(user),
            paragraphs=[
                _(
                    "A reminder: %(title)s is %(when)s. If you can't come after all, "
                    "please say so, so someone on the waitlist can have your place.",
                    title=event.title,
                    when=soon,
                ),
                *_bring_words(rsvp),
                *_for_the_chat(event, access, user, now),
            ],
            facts=letter_parts.facts(event, access),
            answers=answer_links.choices(user, event),
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
            footer=letter_parts.why(user, event, "reminders"),
        )
        outbox.send_letter(
            user,
            letter,
            event,
            now,
            "reminder",
            unsubscribe=account_mail.unsubscribe_link(user, "reminders"),
            once_key=reminder_key(rsvp),
        )


def _for_the_chat(event, access, user, now: datetime) -> list[str]:
    """The host's and organisers' copy: a reminder for the group's chat."""
    if not (access.can_manage or event.host_id == user.id):
        return []
    return [_("To remind the group chat, paste this:"),
            chat_texts.reminder(event, now)]  # fmt: skip


def _bring_words(rsvp: Rsvp) -> list[str]:
    """ "You said you'd bring: salad", and what is still needed."""
    words = []
    mine = bring_lists.brings(rsvp)
    if mine:
        words.append(_("You said you'd bring: %(things)s", things=mine))
    gaps = bring_lists.gaps(rsvp.event)
    if gaps:
        words.append(_("Still needed: %(things)s", things=bring_lists.said(gaps)))
    return words


def reminder_key(rsvp: Rsvp) -> str:
    """Once per person and start time: a gathering moved is worth a new one."""
    return f"reminder:{rsvp.event_id}:{rsvp.user_id}:{rsvp.event.starts_at:%Y%m%dT%H%M}"
