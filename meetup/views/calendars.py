"""Calendars: .ics downloads and feeds, and the page with the personal feed link."""

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.http import is_resource_modified

from meetup.auth_session import current_person
from meetup.extensions import db
from meetup.forms.auth import CalendarCopyForm
from meetup.models import Group
from meetup.models.base import utcnow
from meetup.services import accounts, calendar_links, calendars, feed_cache
from meetup.text import file_name
from meetup.urls import public_url
from meetup.views.events import load_event

bp = Blueprint("calendars", __name__)


@bp.get("/events/<id:event_id>.ics")
def event_file(event_id: int):
    event, viewer = load_event(event_id)
    body = calendars.event_calendar(event, viewer.access, viewer.rsvp)
    return _ics(
        calendars.event_version(event, viewer.rsvp, body),
        lambda: body,
        f'attachment; filename="{file_name(event.title, "gathering")}.ics"',
    )


@bp.get("/groups/<slug>/calendar.ics")
def group_feed(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    user, now = current_person(), utcnow()
    return _ics(
        calendars.group_version(group, user, now),
        lambda: calendars.group_calendar(group, user, now),
        f'inline; filename="{group.slug}.ics"',
    )


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    owner, now = calendar_links.feed_owner(token), utcnow()
    if owner is None:
        abort(404)
    return _ics(
        calendars.personal_version(owner, now),
        lambda: calendars.personal_calendar(owner, now),
        'inline; filename="my-gatherings.ics"',
    )


@bp.get("/me/calendar")
@login_required
def mine():
    return _mine(CalendarCopyForm())


def _mine(form: CalendarCopyForm, status: int = 200) -> Response:
    user = current_person()
    token = calendar_links.feed_token(user)
    url = public_url("calendars.personal_feed", token=token) if token else None
    if not form.is_submitted():
        form.copy.data = "mail" if user.wants_invitations else "feed"
    response = Response(
        render_template(
            "calendars/mine.html",
            form=form,
            feed_url=url,
            webcal_url=calendar_links.webcal(url) if url else None,
        ),
        status,
    )
    # The page holds the secret link: no Referer from it, no copy in any cache.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.no_store = True
    return response


@bp.post("/me/calendar/copy")
@login_required
def choose_copy():
    form = CalendarCopyForm()
    if not form.validate():
        return _mine(form, 400)
    user, by_mail = current_person(), form.copy.data == "mail"
    if by_mail == user.wants_invitations:
        return redirect(url_for("calendars.mine"))
    accounts.set_calendar_copy(user, by_mail, utcnow())
    db.session.commit()
    flash(
        _(
            "Invitations come by mail again, with the gatherings you're going to. "
            "If your calendar app subscribes to your Hearth feed, remove it there."
        )
        if by_mail
        else _(
            "Your feed it is. Invitations stop, and the ones already in your "
            "calendar are cancelled there. Add your feed below, if it isn't yet."
        ),
        "success",
    )
    return redirect(url_for("calendars.mine"))


@bp.post("/me/calendar")
@login_required
def new_link():
    had_one = calendar_links.feed_token(current_person()) is not None
    calendar_links.new_feed_token(current_person())
    db.session.commit()
    flash(
        _(
            "Here is your new link. The old one has stopped working: "
            "subscribe again with this one."
        )
        if had_one
        else _("Your calendar link is ready. Add it to your calendar app below."),
        "success",
    )
    return redirect(url_for("calendars.mine"))


def _ics(version: feed_cache.Version, build: Callable[[], bytes], disposition: str):
    """200 with the calendar, or 304 when the client's copy is current, decided
    before building anything where the ETag says so."""
    if not is_resource_modified(request.environ, etag=version.etag):
        return _validated(Response(status=304), version.etag)
    if version.key is None:
        body, changed = build, version.last_modified
    else:
        feed = feed_cache.built_feed(version, build, utcnow())
        db.session.commit()
        body, changed = (lambda: feed.body), feed.built_at
    if not is_resource_modified(
        request.environ, etag=version.etag, last_modified=changed
    ):
        response = Response(status=304)
    else:
        response = Response(body(), mimetype="text/calendar")
        response.headers["Content-Disposition"] = disposition
    response.last_modified = changed
    return _validated(response, version.etag)


def _validated(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    # Who asks decides what is in it: never from a shared cache; always revalidated.
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response
