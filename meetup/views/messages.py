"""A word from the host: the form that writes to the people coming."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import ngettext
from flask_login import login_required

from meetup import permissions
from meetup.auth_session import current_person
from meetup.errors import LooksLikeAMove, MeetupError
from meetup.extensions import db
from meetup.forms.messages import MessageForm
from meetup.models.base import utcnow
from meetup.services import host_message_reads, host_messages
from meetup.views import limits
from meetup.views.answers import done, form_refused
from meetup.views.events import load_event

bp = Blueprint("messages", __name__)


@bp.route("/events/<id:event_id>/message", methods=["GET", "POST"])
@login_required
@limits.messages
def write(event_id: int):
    event, viewer = load_event(event_id)
    if not permissions.can_write_to_attendees(event, viewer.membership):
        abort(403)
    form, now, move = MessageForm(), utcnow(), ""
    if form.validate_on_submit():
        try:
            sent = host_messages.send(
                viewer.membership, event, current_person(), form.body.data,
                form.to_going.data, form.to_waitlisted.data, form.to_requested.data,
                form.reply_to_sender.data, now, confirmed=form.confirmed.data,
            )  # fmt: skip
        except LooksLikeAMove as error:
            db.session.rollback()
            move = str(error)  # asked by the form: edit instead, or send anyway
        except MeetupError as error:
            form_refused(form, error, "body")
        else:
            people = host_message_reads.reader_count(sent)
            return done(
                ngettext("Sent to %(num)d person.", "Sent to %(num)d people.", people),
                url_for("events.show", event_id=event.id, _anchor="from-host"),
            )
    return render_template(
        "events/message.html", event=event, viewer=viewer, form=form, move=move,
        counts=list(host_message_reads.audience_counts(event, viewer.user.id).values()),
        closed=host_messages.closed_reason(event, now),
    )  # fmt: skip
