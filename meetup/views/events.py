"""Events: planning, the event page, RSVPs, and lists of gatherings."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import login_required
from sqlalchemy.orm import joinedload

from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms.events import EventSearchForm, RsvpForm
from meetup.models import Event, VenueType
from meetup.models.base import utcnow
from meetup.permissions import NO_ACCESS
from meetup.services import (
    calendar_links,
    events,
    finding,
    geocoding,
    places,
    rsvps,
)
from meetup.urls import public_url
from meetup.views.paging import ListPage, page_number, paginate

bp = Blueprint("events", __name__)


def load_event(event_id: int) -> tuple[Event, events.Viewer]:
    """The event and what this person may see of it; 404 if they may not see it."""
    # Every event page shows its group and host: one query instead of three.
    event = db.get_or_404(
        Event, event_id, options=[joinedload(Event.group), joinedload(Event.host)]
    )
    viewer = events.viewer(event, current_person())
    if not viewer.access.can_view:
        abort(404)
    return event, viewer


@bp.get("/events/")
def index():
    """Coming gatherings: by date, or nearest first when a place is given."""
    form = EventSearchForm(request.args)
    valid = form.validate()
    text = form.q.data or "" if valid else ""
    kind = VenueType(form.venue.data) if valid and form.venue.data else None
    per_page = current_app.config["EVENTS_PER_PAGE"]
    user, now, km, notice = current_person(), utcnow(), {}, ""
    centre = _search_centre(form) if valid and form.near.data else None
    if valid and form.near.data and centre is None:
        notice = f"We couldn't find “{form.near.data}”. Try a town or a postcode."
    if centre:
        number = page_number()
        found = finding.near(
            user, now, *centre, form.within_km.data, text, kind,
            limit=per_page, offset=(number - 1) * per_page,
        )  # fmt: skip
        if number > 1 and not found.event_ids:
            abort(404)
        page = ListPage(
            finding.load_in_order(found.event_ids), number, per_page, found.total
        )
        km = found.km
    else:
        page = paginate(finding.search(user, now, text, kind), per_page)
    return render_template(
        "events/index.html",
        page=page,
        form=form,
        km=km,
        notice=notice,
        pins=[_pin(event) for event in page.items if event.public_latitude is not None]
        if centre
        else [],
    )


def _pin(event: Event) -> dict:
    """A search result on the map: what a stranger may see (a home's cell)."""
    point = events.map_point(event, NO_ACCESS)
    pin = {"title": event.title, "url": url_for("events.show", event_id=event.id)}
    cell = _cell(point)
    return (
        {**pin, "cell": cell} if cell else {**pin, "lat": point.lat, "lon": point.lon}
    )


def _search_centre(form: EventSearchForm) -> tuple[float, float] | None:
    """The point to search around: typed coordinates, or the place looked up."""
    point = form.point()
    if point:
        return point
    lookup = geocoding.find(form.near.data, scope="search")
    return (
        (lookup.candidates[0].lat, lookup.candidates[0].lon)
        if lookup.candidates
        else None
    )


@bp.get("/events/<id:event_id>")
def show(event_id: int):
    event, viewer = load_event(event_id)
    now = utcnow()
    point = events.map_point(event, viewer.access)
    url = public_url("events.show", event_id=event.id)
    return render_template(
        "events/show.html",
        event=event,
        viewer=viewer,
        now=now,
        going=events.going_list(event) if viewer.access.sees_attendee_names else [],
        waitlisted=events.waitlist_count(event),
        position=events.waitlist_position(viewer.rsvp)
        if viewer.rsvp and viewer.rsvp.is_waitlisted
        else None,
        closed=rsvps.closed_reason(event, now),
        map_point=point,
        cell_bounds=_cell(point),
        google_link=calendar_links.google_link(event, viewer.access, url),
        outlook_link=calendar_links.outlook_link(event, viewer.access, url),
    )


def _cell(point) -> tuple | None:
    """The ~1 km square drawn instead of a pin for a home the viewer may not see."""
    if point is None or point.exact:
        return None
    return places.grid_cell_bounds(point.lat, point.lon)


def _rsvp_limit() -> str:
    return current_app.config["RATELIMIT_RSVP"]


def _person_key() -> str:
    """Per person, so a flood from one account can't flood its group with mail."""
    person = current_person()
    return f"person:{person.id}" if person else "address:" + get_remote_address()


@bp.post("/events/<id:event_id>/rsvp")
@limiter.limit(_rsvp_limit, key_func=_person_key)
@login_required
def rsvp(event_id: int):
    event, _ = load_event(event_id)
    form = RsvpForm()
    if not form.validate():
        flash("That answer did not make sense: " + _first_error(form), "error")
        return redirect(url_for("events.show", event_id=event.id))
    try:
        answer = rsvps.respond(
            event,
            current_person(),
            going=form.going,
            guests=form.guests.data or 0,
            answer=form.answer.data or "",
            now=utcnow(),
        )
    except MeetupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("events.show", event_id=event.id))
    message = _rsvp_message(answer)  # before the commit expires what it reads
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("events.show", event_id=event_id))


def _rsvp_message(answer) -> str:
    if answer.is_going:
        return "You're going! See you there."
    if answer.is_waitlisted:
        return (
            "It's full, so you're on the waitlist. We'll email you if a place frees up."
        )
    return "Thanks for letting the host know you can't come."


def _first_error(form) -> str:
    return next(iter(e for errors in form.errors.values() for e in errors), "")
