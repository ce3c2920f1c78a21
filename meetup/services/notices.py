"""Messages caused by changes: who is told what, in words and as calendar
invitations, queued in the outbox with the change that caused them.

Every message asks `permissions.event_access` for its reader, so a home's
address reaches only people entitled to it, as on every other surface.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from meetup import i18n, permissions, privacy
from meetup.extensions import db
from meetup.models import (
    Event,
    HappeningKind,
    Membership,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.permissions import EventAccess
from meetup.services import (
    answer_links,
    attendees,
    calendars,
    host_news,
    letter_parts,
    outbox,
    request_notices,
    viewers,
)
from meetup.services.mail import Invitation, Letter

#: Who hears of a change or a cancellation: everyone still hoping to come.
ASKED_OR_ANSWERED = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.REQUESTED)


def answered(
    rsvp: Rsvp, before: RsvpStatus | None, now: datetime, standing: bool = False
) -> None:
    """Confirm an answer: going (with the invitation), waitlisted (the place in
    line, no invitation), or no longer going (the calendar entry cancelled).
    A `standing` answer was given for her as the date opened: it says so, with
    one tap to say she can't make this one."""
    host_news.answered(rsvp, before, now)
    event, user = rsvp.event, rsvp.user
    # From the waitlist to going is a promotion, which has its own mail.
    if rsvp.is_going and before not in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
        with i18n.as_reader(user):
            access = viewers.access_of(event, user, rsvp, now)
            hosting = event.host_id == user.id
            letter = Letter(
                subject=_("You're hosting: %(title)s", title=event.title)
                if hosting
                else _("You're going: %(title)s", title=event.title),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _(
                        "You're hosting %(title)s, and you count as one of the "
                        "people going.",
                        title=event.title,
                    )
                    if hosting
                    else _with_guests(
                        rsvp,
                        _("You're going to %(title)s.", title=event.title),
                        lambda n: ngettext(
                            "You're going to %(title)s with %(num)d guest.",
                            "You're going to %(title)s with %(num)d guests.",
                            n,
                            title=event.title,
                        ),
                    ),
                    *_put_down(standing),
                ],
                facts=letter_parts.facts(event, access),
                answers=_can_not_make_it(user, event, standing),
                action=(
                    _("See who's coming, or change your answer"),
                    letter_parts.link(event),
                ),
                signature=letter_parts.signed(event),
            )
            invitation = _invitation(event, rsvp, access, now)
            outbox.send_letter(user, letter, event, now, "rsvp-going", invitation)
    elif rsvp.is_waitlisted and before is not RsvpStatus.WAITLISTED:
        with i18n.as_reader(user):
            access = viewers.access_of(event, user, rsvp, now)
            letter = Letter(
                subject=_("You're on the waitlist: %(title)s", title=event.title),
                greeting=letter_parts.hello(user),
                paragraphs=[
                    _(
                        "%(title)s is full, so you're number %(position)s on the "
                        "waitlist. If a place frees up it goes to the first in line "
                        "who fits, and we'll email you straight away with the "
                        "details.",
                        title=event.title,
                        position=attendees.waitlist_position(rsvp),
                    ),
                    *_put_down(standing),
                ],
                facts=letter_parts.facts(event, access),
                answers=_can_not_make_it(user, event, standing),
                action=(_("See the gathering"), letter_parts.link(event)),
                signature=letter_parts.signed(event),
            )
            outbox.send_letter(user, letter, event, now, "rsvp-waitlisted")
    elif rsvp.is_requested and before is not RsvpStatus.REQUESTED:
        request_notices.asked(rsvp, now)
    elif before is RsvpStatus.GOING and not rsvp.is_going:
        taken_off(rsvp, now, _l("You said you can't come, so your place is freed."))


def passed_over(rsvp: Rsvp, now: datetime) -> None:
    """Fairness said out loud: places went to a later, smaller party, and this
    one keeps its place in line (`rsvp.passed_over` places came free)."""
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("Still in line: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[
                passed_over_words(rsvp),
                _(
                    "Places go to the first in line whose whole party fits, so a "
                    "smaller party after you took them. We'll email you as soon as "
                    "there's room for yours."
                ),
            ],  # fmt: skip
            facts=[(_("When"), letter_parts.when(event))],
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        outbox.send_letter(user, letter, event, now, "passed-over")


def passed_over_words(rsvp: Rsvp) -> str:
    """ "2 places came free; your party of 3 is first in line for the next places." """
    position, free = attendees.waitlist_position(rsvp), rsvp.passed_over
    if position == 1:
        return ngettext(
            "%(num)d place came free; your party of %(party)d is first in line "
            "for the next places.",
            "%(num)d places came free; your party of %(party)d is first in line "
            "for the next places.",
            free,
            party=rsvp.party,
        )
    return ngettext(
        "%(num)d place came free; your party of %(party)d is number "
        "%(position)d in line.",
        "%(num)d places came free; your party of %(party)d is number "
        "%(position)d in line.",
        free,
        party=rsvp.party,
        position=position,
    )


def promoted(rsvp: Rsvp, now: datetime, made_room: bool = False) -> None:
    """Tell a waitlisted member they are going, with the address and invitation."""
    host_news.heard(rsvp, HappeningKind.PROMOTED, now)
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        access = viewers.access_of(event, user, rsvp, now)
        if made_room:
            news = _("Good news: the organisers made room for you.")
        else:
            news = _("Good news: a place freed up.")
        going = _with_guests(
            rsvp,
            _("You're now going to %(title)s.", title=event.title),
            lambda n: ngettext(
                "You're now going to %(title)s with %(num)d guest.",
                "You're now going to %(title)s with %(num)d guests.",
                n,
                title=event.title,
            ),
        )
        letter = Letter(
            subject=_("You're in: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[f"{news} {going}"],
            facts=letter_parts.facts(event, access),
            answers=answer_links.choices(user, event),
            action=(
                _("Details, or a way to cancel if you can't come"),
                letter_parts.link(event),
            ),
            signature=letter_parts.signed(event),
        )
        invitation = _invitation(event, rsvp, access, now)
        outbox.send_letter(user, letter, event, now, "promoted", invitation)


def taken_off(rsvp: Rsvp, now: datetime, why: str) -> None:
    """Someone is no longer going: cancel the entry in their calendar. `why` is
    a lazy string, said in the recipient's language."""
    event, user = rsvp.event, rsvp.user
    with i18n.as_reader(user):
        access = viewers.access_of(event, user, None, now)
        letter = Letter(
            subject=_("Not going: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[str(why), _("The entry in your calendar is cancelled too.")],
            facts=[(_("When"), letter_parts.when(event))],
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        invitation = _invitation(event, rsvp, access, now, method="CANCEL")
        outbox.send_letter(user, letter, event, now, "not-going", invitation)


def changed(event: Event, before: Event, now: datetime) -> None:
    """Time, place or name changed: say what, and send going members a fresh
    invitation (its SEQUENCE is higher, so calendars move the entry)."""
    for rsvp, access in _readers(event, now, *ASKED_OR_ANSWERED):
        user = rsvp.user
        differences = _differences(before, event, access)
        if not differences and not rsvp.is_going:
            continue  # nothing this person may see has changed
        if rsvp.is_going:
            opening = _("The organisers changed a gathering you're going to.")
        elif rsvp.is_requested:
            opening = _("The organisers changed a gathering you asked to come to.")
        else:
            opening = _(
                "The organisers changed a gathering you're on the waitlist for."
            )
        letter = Letter(
            subject=_("Changed: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[
                opening,
                *(differences or [_("The details on the map changed.")]),
            ],
            facts=letter_parts.facts(event, access),
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        invitation = _invitation(event, rsvp, access, now) if rsvp.is_going else None
        outbox.send_letter(user, letter, event, now, "changed", invitation)


def reworded(event: Event, before: Event, now: datetime) -> None:
    """Only words changed: each person going whose copy says them hears what,
    with a REQUEST of the same SEQUENCE and a newer DTSTAMP, so her calendar's
    copy takes them (a door code she may not see yet sends her nothing)."""
    for rsvp, access in _readers(event, now, RsvpStatus.GOING):
        user = rsvp.user
        said = _new_words(before, event, access, user)
        if not said:
            continue
        letter = Letter(
            subject=_("Updated: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=[
                _("The organisers updated a gathering you're going to."),
                *said,
            ],
            facts=letter_parts.facts(event, access),
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        invitation = _invitation(event, rsvp, access, now)
        outbox.send_letter(user, letter, event, now, "updated", invitation)


def _new_words(
    before: Event, after: Event, access: EventAccess, reader: User
) -> list[str]:
    said = []
    if before.description != after.description:
        said.append(_("The details changed: they're on the gathering's page and in "
                      "the invitation attached."))  # fmt: skip
    if before.access_notes != after.access_notes and access.sees_address:
        said.append(
            _("Getting in, now: %(notes)s", notes=after.access_notes)
            if after.access_notes
            else _("The getting-in notes were taken off.")
        )
    host = after.host_id and db.session.get(User, after.host_id)
    if before.host_id != after.host_id and host and host.id != reader.id:
        said.append(_("New host: %(name)s.", name=host.display_name))
    return said


def cancelled(event: Event, now: datetime) -> None:
    """The gathering is off: everyone who answered yes or waits hears why; going
    members' calendars drop it (METHOD:CANCEL, same UID, higher SEQUENCE)."""
    for rsvp, access in _readers(event, now, *ASKED_OR_ANSWERED):
        user = rsvp.user
        said = [_("Sorry: %(title)s is cancelled.", title=event.title)]
        if event.cancel_reason:
            said.append(
                _("The organisers said: “%(reason)s”", reason=event.cancel_reason)
            )
        letter = Letter(
            subject=_("Cancelled: %(title)s", title=event.title),
            greeting=letter_parts.hello(user),
            paragraphs=said,
            facts=[
                (_("When"), letter_parts.when(event)),
                (_("Where"), privacy.place(event, access)),
            ],
            action=(_("See the gathering"), letter_parts.link(event)),
            signature=letter_parts.signed(event),
        )
        invitation = (
            _invitation(event, rsvp, access, now, method="CANCEL")
            if rsvp.is_going
            else None
        )
        outbox.send_letter(user, letter, event, now, "cancelled", invitation)


def _invitation(
    event: Event,
    rsvp: Rsvp,
    access: EventAccess,
    now: datetime,
    method: str = "REQUEST",
) -> Invitation:
    return calendars.invitation(event, rsvp, access, now, method)


def _differences(before: Event, after: Event, access: EventAccess) -> list[str]:
    said = []
    if before.title != after.title:
        said.append(
            _("New name: %(new)s (was %(old)s).", new=after.title, old=before.title)
        )
    if letter_parts.when(before) != letter_parts.when(after):
        said.append(
            _(
                "New time: %(new)s (was %(old)s).",
                new=letter_parts.when(after),
                old=letter_parts.when(before),
            )
        )
    old, new = privacy.place_before(before, access), privacy.place(after, access)
    if old != new:
        said.append(_("New place: %(new)s (was %(old)s).", new=new, old=old))
    return said


def _readers(
    event: Event, now: datetime, *statuses: RsvpStatus
) -> Iterator[tuple[Rsvp, EventAccess]]:
    """Each answer in these states, with what she may see of the gathering
    now, while Hearth speaks her language (one query for the memberships)."""
    answers = _answers(event, *statuses)
    memberships = _memberships(event, [rsvp.user_id for rsvp in answers])
    for rsvp in answers:
        with i18n.as_reader(rsvp.user):
            yield (
                rsvp,
                permissions.event_access(
                    event, memberships.get(rsvp.user_id), rsvp, now
                ),
            )


def _memberships(event: Event, user_ids: list[int]) -> dict[int, Membership]:
    found = db.session.scalars(
        db.select(Membership).where(
            Membership.group_id == event.group_id, Membership.user_id.in_(user_ids)
        )
    )
    return {membership.user_id: membership for membership in found}


def _answers(event: Event, *statuses: RsvpStatus) -> list[Rsvp]:
    return list(
        db.session.scalars(
            db.select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status.in_(statuses))
            .options(db.joinedload(Rsvp.user))
            .order_by(Rsvp.id)
        )
    )


def _put_down(standing: bool) -> list[str]:
    if not standing:
        return []
    return [_("You asked to be put down for each date of this series.")]


def _can_not_make_it(user, event: Event, standing: bool) -> list[tuple[str, str]]:
    """One tap to give back a place she didn't ask for this time."""
    if not standing:
        return []
    return [(_("Can't make this one"), answer_links.link(user, event, "declined"))]


def _with_guests(rsvp: Rsvp, alone: str, with_guests) -> str:
    """The sentence for a party of one, or the plural-aware one with guests."""
    return with_guests(rsvp.guests) if rsvp.guests else alone
