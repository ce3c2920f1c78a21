"""Sharing into a chat: preview cards, and the share link of a gathering only
members may see.

`/s/<code>` tells whoever opens it the group's name and how to get in, never the
gathering's title, date, place or host; someone who may see it goes straight to
it. The bare `/events/<id>` still answers 404 to the rest, so ids tell nothing.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.http import is_resource_modified

from meetup import cards, i18n, permissions
from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.models import Event, Group
from meetup.models.base import utcnow
from meetup.services import (
    events,
    feed_cache,
    finding,
    memberships,
    posters,
    preview_cards,
    viewers,
)
from meetup.text import file_name
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


@bp.get("/events/<id:event_id>/card.png")
def event_card(event_id: int):
    """What a visitor may see, or the 404 a missing gathering gives."""
    event = db.get_or_404(Event, event_id)
    if not permissions.can_view_event(event, None):
        abort(404)
    return _png(preview_cards.event_card(event), f"card:event:{event.id}")


@bp.get("/groups/<slug>/card.png")
def group_card(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    return _png(preview_cards.group_card(group), f"card:group:{group.id}")


def _png(card: cards.Card, key: str) -> Response:
    """Drawn once per version of its words, kept like a feed; the same for
    everyone, so shared caches may keep it a while and then revalidate."""
    version = preview_cards.version(card, key)
    if is_resource_modified(request.environ, etag=version.etag):
        built = feed_cache.built_feed(
            version, lambda: preview_cards.drawn(card), utcnow()
        )
        db.session.commit()
        response = Response(built.body, mimetype="image/png")
    else:
        response = Response(status=304)
    response.set_etag(version.etag)
    response.cache_control.public = True
    response.cache_control.max_age = 600
    return response


@bp.get("/events/<id:event_id>/poster.pdf")
@login_required
def event_poster(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    size = posters.paper(event.group.locale, request.args.get("size"))
    return _pdf(posters.event_poster(event, size), event.title)


@bp.get("/groups/<slug>/poster.pdf")
@login_required
def group_poster(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    if not permissions.can_manage_group(
        memberships.membership_of(current_person(), group)
    ):
        abort(403)
    size = posters.paper(group.locale, request.args.get("size"))
    return _pdf(posters.group_poster(group, utcnow(), size), group.name)


def _pdf(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{file_name(name, "poster")}.pdf"'
    )
    return response


#: What a group's website may frame: its next public gatherings, no script.
EMBED_POLICY = "; ".join(
    ["default-src 'none'", "style-src 'self'", "img-src 'self'", "base-uri 'none'",
     "form-action 'none'", "frame-ancestors http: https:"]
)  # fmt: skip
EMBED_MOST = 10


@bp.get("/groups/<slug>/embed")
def embed(slug: str):
    """For a public group only: a private one's gatherings are for members."""
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    if group.is_private:
        abort(404)
    limit = request.args.get("limit", "5")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= EMBED_MOST):
        abort(400, _("“limit” is how many gatherings to show: a whole number from "
                     "1 to %(most)d.", most=EMBED_MOST))  # fmt: skip
    coming = db.session.scalars(
        finding.search(None, utcnow(), group=group)
        .where(Event.cancelled_at.is_(None))
        .limit(int(limit))
    ).all()
    with i18n.in_language(group.locale):
        page = render_template("sharing/embed.html", group=group, coming=coming)
    response = Response(page)
    response.headers["Content-Security-Policy"] = EMBED_POLICY
    response.cache_control.public = True
    response.cache_control.max_age = 300
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
