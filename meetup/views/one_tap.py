"""One-tap answers from mail: `/a/<token>` shows one button (GET) and answers (POST)."""

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _

from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import csrf, limiter
from meetup.models import Rsvp
from meetup.models.base import utcnow
from meetup.services import answer_links, attendees, one_tap, rsvps, viewers
from meetup.views.answers import done, refused

bp = Blueprint("one_tap", __name__)


def _rsvp_limit() -> str:
    return current_app.config["RATELIMIT_RSVP"]


def _owner_key() -> str:
    """Per owner, as on the event page: toggling links can't flood anyone with mail."""
    link = answer_links.read(request.view_args.get("token", ""))
    return f"answer-link:{link.user.id}" if link else "answer-link:forged"


@bp.route("/a/<token>", methods=["GET", "POST"])
# Exempt on purpose: the mail may open in a browser that has never seen Hearth,
# so there is no session to hold a CSRF token. The signed token is the proof,
# and it can only give its own owner's answer to its own gathering — what a
# forged cross-site POST could do is what the link's holder can do anyway.
@csrf.exempt
@limiter.limit(_rsvp_limit, methods=["POST"], key_func=_owner_key)
def answer(token: str):
    """GET changes nothing (mail scanners open links); POST answers."""
    link, now = answer_links.read(token), utcnow()
    if link is None:
        abort(404, _("This answer link is not valid. Answer on the gathering's page."))
    if link.is_expired(now):
        return _ended(), 410
    here = url_for("one_tap.answer", token=token)
    if request.method == "POST":
        try:
            rsvp, changed = one_tap.answer(link, now)
        except MeetupError as error:
            return refused(error, here)
        return done(_said(link, rsvp, changed), here)  # read before the commit
    # What the person looking may see: the owner's access never comes with the link.
    viewer = viewers.viewer(link.event, current_person())
    rsvp = attendees.rsvp_of(link.user, link.event)
    return render_template(
        "one_tap/answer.html", link=link, event=link.event, viewer=viewer, rsvp=rsvp,
        stands=one_tap.stands(link, rsvp), closed=rsvps.closed_reason(link.event, now),
        now=now,
    )  # fmt: skip


def _ended() -> str:
    return render_template(
        "errors/error.html", code=410, title=_("This gathering is over"),
        hint=_("Answer links work until the gathering ends."),
    )  # fmt: skip


def _said(link, rsvp: Rsvp, changed: bool) -> str:
    name = link.user.display_name
    if not changed:
        return _("Nothing to change: that was already the answer.")
    if rsvp.is_going:
        return _("Done: %(name)s is going. A confirmation is on its way by mail.",
                 name=name)  # fmt: skip
    if rsvp.is_waitlisted:
        return _("It's full, so %(name)s is on the waitlist. We'll email if a place "
                 "frees up.", name=name)  # fmt: skip
    if rsvp.is_requested:
        return _("Done: %(name)s asked to come. We'll email as soon as the host "
                 "answers.", name=name)  # fmt: skip
    return _("Done: the host knows %(name)s can't make it.", name=name)
