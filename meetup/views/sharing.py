"""Sharing a gathering into a chat: the share link of one only members may see.

`/s/<code>` tells whoever opens it the group's name and how to get in, never the
gathering's title, date, place or host; someone who may see it goes straight to
it. The bare `/events/<id>` still answers 404 to the rest, so ids tell nothing.
"""

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.models import Event
from meetup.services import events, memberships, viewers
from meetup.views.answers import done, refused
from meetup.views.events import load_event

bp = Blueprint("sharing", __name__)


@bp.get("/s/<code>")
def shared(code: str):
    event = db.first_or_404(db.select(Event).filter_by(share_code=code))
    user = current_person()
    if viewers.viewer(event, user).access.can_view:
        return redirect(url_for("events.show", event_id=event.id))
    if event.is_draft:
        abort(404)  # its link never left the organisers
    group = event.group
    response = Response(
        render_template(
            "sharing/shared.html",
            group=group,
            code=code,
            blocked=memberships.is_blocked(user, group),
        )
    )
    # The code is the link's secret: no Referer carries it on, no cache keeps it.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


@bp.post("/events/<id:event_id>/share-code")
@login_required
def new_code(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    back = url_for("events.show", event_id=event.id)
    try:
        events.renew_share_code(viewer.membership, event)
    except MeetupError as error:
        return refused(error, back)
    return done(_("Here is a new share link: the old one no longer works."), back)
