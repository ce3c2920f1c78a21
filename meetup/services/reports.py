"""Reports: a member's word to the organisers about a gathering or a person,
open on the members page until an organiser marks it dealt with."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from meetup import permissions
from meetup.errors import InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import Event, Group, Membership, Report, User
from meetup.services import account_mail, memberships

#: As long as the column holds.
MAX_TEXT = 1000


def report(
    reporter: User,
    group: Group,
    text: str,
    *,
    event: Event | None = None,
    person: User | None = None,
    now: datetime,
) -> Report:
    """A member tells the organisers, once, in her own words, about one of the
    group's gatherings or one of its people (never herself)."""
    if (event is None) == (person is None):
        raise InvalidInput("text", _("Say what the report is about."))
    if memberships.membership_of(reporter, group) is None:
        raise NotAllowed(_("Only the group's members can report to its organisers."))
    if event is not None and event.group_id != group.id:
        raise NotAllowed(_("Only the group's members can report to its organisers."))
    if person is not None and person.id == reporter.id:
        raise NotAllowed(_("You can't report yourself."))
    words = text.strip()
    if not words:
        raise InvalidInput("text", _("Say what happened, in a few words."))
    if len(words) > MAX_TEXT:
        raise InvalidInput("text", _("Keep it under %(num)d characters.", num=MAX_TEXT))
    made = Report(
        group_id=group.id,
        reporter=reporter,
        event_id=event.id if event else None,
        person=person,
        text=words,
        created_at=now,
    )
    db.session.add(made)
    db.session.flush()
    account_mail.reported(made, group, event, now)
    return made


def open_reports(actor: Membership | None, group: Group) -> list[Report]:
    """Reports nobody has dealt with yet, oldest first: for the organisers only
    (an organiser reported is not shown the report about her)."""
    if not (permissions.can_manage_group(actor) and actor.group_id == group.id):
        return []
    return list(
        db.session.scalars(
            select(Report)
            .filter_by(group_id=group.id, closed_at=None)
            .where(or_(Report.person_id.is_(None), Report.person_id != actor.user_id))
            .options(db.joinedload(Report.reporter), db.joinedload(Report.person))
            .order_by(Report.created_at, Report.id)
        )
    )


def close(actor: Membership | None, report: Report, now: datetime) -> None:
    """An organiser has dealt with it: off the members page (kept, with when)."""
    if not (permissions.can_manage_group(actor) and actor.group_id == report.group_id):
        raise NotAllowed(_("Only the group's organisers can do that."))
    if report.closed_at is None:
        report.closed_at = now
        db.session.flush()
