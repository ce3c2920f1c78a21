"""Keeping someone out, and telling the organisers: block and unblock a person
(full organisers, as removing one), report a gathering or a person (members),
mark a report dealt with (organisers)."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetup import permissions
from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.forms.groups import ReportForm
from meetup.models import Block, Membership, Report
from meetup.models.base import utcnow
from meetup.services import blocking, reports
from meetup.views.answers import done, form_refused, refused
from meetup.views.events import load_event
from meetup.views.groups import _load, _load_to_manage, _member

bp = Blueprint("safety", __name__)


def _members_page(slug: str) -> str:
    return url_for("groups.members", slug=slug)


@bp.post("/groups/<slug>/members/<id:member_id>/block")
@login_required
def block(slug: str, member_id: int):
    group, membership = _load_to_manage(slug)
    target = _member(group, member_id)
    name = target.user.display_name
    try:
        blocking.block(membership, target.user, group, utcnow())
    except MeetupError as error:
        return refused(error, _members_page(slug))
    return done(
        _(
            "%(name)s is removed and blocked from %(group)s.",
            name=name,
            group=group.name,
        ),  # fmt: skip
        _members_page(slug),
    )


@bp.post("/groups/<slug>/members/<id:block_id>/unblock")
@login_required
def unblock(slug: str, block_id: int):
    group, membership = _load_to_manage(slug)
    found = db.first_or_404(db.select(Block).filter_by(id=block_id, group_id=group.id))
    name = found.user.display_name
    try:
        blocking.unblock(membership, found, group)
    except MeetupError as error:
        return refused(error, _members_page(slug))
    return done(
        _("%(name)s is unblocked and may join again.", name=name), _members_page(slug)
    )


@bp.post("/groups/<slug>/reports/<id:report_id>/close")
@login_required
def close_report(slug: str, report_id: int):
    group, membership = _load_to_manage(slug)
    found = db.first_or_404(
        db.select(Report).filter_by(id=report_id, group_id=group.id)
    )
    try:
        reports.close(membership, found, utcnow())
    except MeetupError as error:
        return refused(error, _members_page(slug))
    return done(_("Marked as dealt with."), _members_page(slug))


@bp.route("/groups/<slug>/members/<id:member_id>/report", methods=["GET", "POST"])
@login_required
def report_person(slug: str, member_id: int):
    group, membership = _load(slug)
    if not permissions.can_see_members(membership):
        abort(404)  # as the members page: names are for members
    target = _member(group, member_id)
    if not permissions.can_report(membership, target.user):
        abort(403)
    back = _members_page(slug)
    return _report(membership, back, person=target.user, about=target.user.display_name)


@bp.route("/events/<id:event_id>/report", methods=["GET", "POST"])
@login_required
def report_event(event_id: int):
    event, viewer = load_event(event_id)
    if not permissions.can_report(viewer.membership, None):
        abort(403)
    back = url_for("events.show", event_id=event.id)
    return _report(viewer.membership, back, event=event, about=event.title)


def _report(membership: Membership, back: str, about: str, **subject):
    form = ReportForm()
    if form.validate_on_submit():
        try:
            reports.report(current_person(), membership.group, form.text.data,
                           now=utcnow(), **subject)  # fmt: skip
        except MeetupError as error:
            form_refused(form, error, "text")
        else:
            return done(_("Thank you. The organisers will read it."), back)
    return render_template("safety/report.html", form=form, about=about, back=back)
