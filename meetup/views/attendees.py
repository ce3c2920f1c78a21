"""The host's pages: who is coming, the CSV export, check-in and hand promotion."""

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required

from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.models import Rsvp
from meetup.models.base import utcnow
from meetup.services import approvals, attendees, rsvps
from meetup.text import file_name
from meetup.views.answers import refused
from meetup.views.events import load_event

bp = Blueprint("attendees", __name__)


def _load_for_host(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.sees_attendee_list:
        abort(404)  # the list's existence is the host's business
    return event, viewer


@bp.get("/events/<id:event_id>/attendees")
@login_required
def index(event_id: int):
    event, viewer = _load_for_host(event_id)
    rows, now = attendees.attendee_list(event), utcnow()
    return render_template(
        "events/attendees.html",
        event=event,
        viewer=viewer,
        rows=rows,
        requests=approvals.waiting(event, now),
        table=attendees.table_counts(event),
        now=now,
    )


@bp.get("/events/<id:event_id>/attendees.csv")
@login_required
def export(event_id: int):
    event, _ = _load_for_host(event_id)
    body = attendees.to_csv(event, attendees.attendee_list(event))
    filename = f"{file_name(event.title, 'event')}-attendees.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


ACTIONS = "<any(arrived, absent, undo, promote, remove, approve, decline):action>"


@bp.post(f"/events/<id:event_id>/attendees/<id:rsvp_id>/{ACTIONS}")
@login_required
def act(event_id: int, rsvp_id: int, action: str):
    event, viewer = _load_for_host(event_id)
    rsvp = db.first_or_404(db.select(Rsvp).filter_by(id=rsvp_id, event_id=event.id))
    now, actor = utcnow(), viewer.membership
    back = url_for("attendees.index", event_id=event.id, _anchor=f"rsvp-{rsvp.id}")
    try:
        if action in ("arrived", "absent", "undo"):
            rsvps.set_checked_in(actor, rsvp, action, now)
        elif action == "approve":
            approvals.approve(actor, rsvp, now)
        elif action == "decline":
            approvals.decline(actor, rsvp, _kind_word(), now)
        elif action == "promote":
            rsvps.promote_by_hand(actor, rsvp, now)
        else:
            rsvps.remove_attendee(actor, rsvp, now)
    except MeetupError as error:
        return refused(error, back)
    db.session.commit()
    return redirect(back)


def _kind_word() -> str:
    """The host's optional message with a no: plain text, kept short."""
    return (request.form.get("message") or "").strip()[:500]
