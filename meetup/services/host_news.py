"""What hosts and organisers hear when people answer their gatherings: each
answer as it happens, or once a day (`host_digest`), or nothing
(`User.host_news`).

Names and counts only: these letters never say where a gathering is, so a
forwarded one gives no street away.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from meetup import i18n, permissions
from meetup.extensions import db
from meetup.models import (
    Event,
    Happening,
    HappeningKind,
    HostNews,
    Membership,
    Role,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.services import account_mail, attendees, letter_parts, outbox
from meetup.services.mail import Letter
from meetup.urls import public_url

#: Answers that were a yes of some kind: saying no after one is dropping out.
_SAID_YES = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.REQUESTED)


def kind_of(before: RsvpStatus | None, now: RsvpStatus) -> HappeningKind | None:
    """What an answer that went from `before` to `now` is news of, if anything
    (a change of guests is not; from the waitlist to going is a promotion,
    told by `notices.promoted`)."""
    if now is before:
        return None
    if now is RsvpStatus.GOING:
        return None if before is RsvpStatus.WAITLISTED else HappeningKind.GOING
    if now is RsvpStatus.WAITLISTED:
        return HappeningKind.WAITLISTED
    if now is RsvpStatus.REQUESTED:
        return HappeningKind.REQUESTED
    if now is RsvpStatus.DECLINED and before in _SAID_YES:
        return HappeningKind.DROPPED_OUT
    return None


def answered(rsvp: Rsvp, before: RsvpStatus | None, now: datetime) -> None:
    """An answer changed: its host and organisers hear what it means."""
    kind = kind_of(before, rsvp.status)
    if kind is not None:
        heard(rsvp, kind, now)


def heard(
    rsvp: Rsvp, kind: HappeningKind, now: datetime, decided_by: int | None = None
) -> None:
    """Tell the gathering's host (while she is a member) and the group's
    organisers what someone's answer did, each as she chose: a mail now, a
    line in tomorrow's digest, or nothing. Never the person who answered, and
    nothing of the host's own seat, of a gathering not told (a draft, a date
    without a host), cancelled or already begun. `decided_by`: who said yes
    to a request (she knows; the others hear)."""
    event = rsvp.event
    if rsvp.user_id == event.host_id or not worth_telling(event, now):
        return
    told = listeners(event, rsvp.user_id)
    if any(user.host_news is HostNews.DAILY for user in told):
        db.session.add(
            Happening(
                event=event,
                user_id=rsvp.user_id,
                kind=kind,
                guests=rsvp.guests,
                created_at=now,
            )
        )
        db.session.flush()
    for user in told:
        if user.host_news is HostNews.EACH and user.id != decided_by:
            _tell(user, rsvp, kind, now)


def worth_telling(event: Event, now: datetime) -> bool:
    """A gathering told to its members, not cancelled, not begun."""
    return (
        permissions.is_told(event)
        and not event.is_cancelled
        and (now < event.starts_at)
    )


def listeners(event: Event, answerer_id: int | None) -> list[User]:
    """The organisers and the host, if she is still a member, who want news
    (never the one whose answer it is)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.group_id == event.group_id,
                or_(
                    Membership.role.in_((Role.ORGANISER, Role.CO_ORGANISER)),
                    Membership.user_id == event.host_id,
                ),
                User.id != (answerer_id or 0),
                User.host_news != HostNews.NONE,
            )
            .order_by(Membership.id)
        )
    )


def _tell(user: User, rsvp: Rsvp, kind: HappeningKind, now: datetime) -> None:
    event, name = rsvp.event, rsvp.user.display_name
    with i18n.as_reader(user):
        said = what_happened(kind, name, rsvp.guests)
        if rsvp.children and kind is not HappeningKind.DROPPED_OUT:
            said += " " + bringing(rsvp.children)
        paragraphs = [f"{said} {room(event)}"]
        if rsvp.answer and kind in (HappeningKind.GOING, HappeningKind.REQUESTED):
            paragraphs.append(_("They wrote: “%(answer)s”", answer=rsvp.answer))
        if kind is HappeningKind.REQUESTED:
            action = _("Say yes or no")
        else:
            action = _("See who's coming")
        letter = Letter(
            subject=subject(kind, name, event.title),
            greeting=letter_parts.hello(user),
            paragraphs=paragraphs,
            facts=[
                (_("Gathering"), event.title),
                (_("When"), letter_parts.when(event)),
            ],
            action=(action, guest_list(event)),
            signature=letter_parts.signed(event),
            footer=why(user, event.group.name),
        )
        outbox.send_letter(
            user, letter, event, now, "host-news", unsubscribe=unsubscribe(user)
        )


def subject(kind: HappeningKind, name: str, title: str) -> str:
    if kind is HappeningKind.GOING:
        return _("%(name)s is going to %(title)s", name=name, title=title)
    if kind is HappeningKind.WAITLISTED:
        return _("%(name)s is on the waitlist for %(title)s", name=name, title=title)
    if kind is HappeningKind.REQUESTED:
        return _("%(name)s asks to come to %(title)s", name=name, title=title)
    if kind is HappeningKind.PROMOTED:
        return _("%(name)s got a place at %(title)s", name=name, title=title)
    return _("%(name)s can't come to %(title)s", name=name, title=title)


def what_happened(kind: HappeningKind, name: str, guests: int, thing: str = "") -> str:
    """One sentence: who, what, and with how many guests (or which thing)."""
    if kind is HappeningKind.LET_GO:
        return _("%(name)s can't bring %(thing)s any more.", name=name, thing=thing)
    if kind is HappeningKind.DROPPED_OUT:
        return _("%(name)s can't come any more.", name=name)
    if kind is HappeningKind.GOING:
        alone = _("%(name)s is going.", name=name)
        party = ngettext(
            "%(name)s is going, with %(num)d guest.",
            "%(name)s is going, with %(num)d guests.",
            guests,
            name=name,
        )
    elif kind is HappeningKind.WAITLISTED:
        alone = _("%(name)s is on the waitlist.", name=name)
        party = ngettext(
            "%(name)s is on the waitlist, with %(num)d guest.",
            "%(name)s is on the waitlist, with %(num)d guests.",
            guests,
            name=name,
        )
    elif kind is HappeningKind.REQUESTED:
        alone = _("%(name)s asks to come.", name=name)
        party = ngettext(
            "%(name)s asks to come, with %(num)d guest.",
            "%(name)s asks to come, with %(num)d guests.",
            guests,
            name=name,
        )
    else:
        alone = _("%(name)s got a place from the waitlist.", name=name)
        party = ngettext(
            "%(name)s got a place from the waitlist, with %(num)d guest.",
            "%(name)s got a place from the waitlist, with %(num)d guests.",
            guests,
            name=name,
        )
    return party if guests else alone


def bringing(children: int) -> str:
    """Children come on top of the places: said apart from the guests."""
    return ngettext(
        "Bringing %(num)d child (not counted in the places).",
        "Bringing %(num)d children (not counted in the places).",
        children,
    )


def room(event: Event) -> str:
    """How full it is now: places left (or people going) and the waitlist."""
    if event.seats_left is None:
        said = ngettext(
            "%(num)d person is going.", "%(num)d people are going.", event.seats_taken
        )
    elif event.seats_left:
        said = ngettext("%(num)d place left.", "%(num)d places left.", event.seats_left)
    else:
        said = _("It's full.")
    waiting = attendees.waitlist_count(event)
    if waiting:
        said += " " + ngettext(
            "%(num)d on the waitlist.", "%(num)d on the waitlist.", waiting
        )
    return said


def guest_list(event: Event) -> str:
    return public_url("attendees.index", event_id=event.id)


def why(user: User, group: str) -> str:
    return _(
        "You get this because you host or organise gatherings of %(group)s. "
        "Choose each time, once a day or not at all on your profile (%(profile)s), "
        "or turn it off with one click: %(link)s",
        group=group,
        profile=public_url("me.profile"),
        link=unsubscribe(user),
    )


def unsubscribe(user: User) -> str:
    return account_mail.unsubscribe_link(user, "host_news")
