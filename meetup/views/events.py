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
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from meetup import permissions, times
from meetup.auth_session import current_person
from meetup.errors import InvalidInput, MeetupError
from meetup.extensions import db
from meetup.forms.events import CancelForm, EventForm, EventSearchForm, RsvpForm
from meetup.models import Event, Group, VenueType
from meetup.models.base import utcnow
from meetup.services import events, geocoding, groups, rsvps
from meetup.views.paging import ListPage, page_of, paginate

bp = Blueprint("events", __name__)


def load_event(event_id: int) -> tuple[Event, events.Viewer]:
    """The event and what this person may see of it; 404 if they may not see it."""
    event = db.get_or_404(Event, event_id)
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
        found = events.near(user, now, *centre, form.within_km.data, text, kind)
        ids, number = page_of(found.event_ids, per_page)
        page = ListPage(
            events.load_in_order(ids), number, per_page, len(found.event_ids)
        )
        km = found.km
    else:
        page = paginate(events.search(user, now, text, kind), per_page)
    return render_template(
        "events/index.html", page=page, form=form, km=km, notice=notice
    )


def _search_centre(form: EventSearchForm) -> tuple[float, float] | None:
    """The point to search around: typed coordinates, or the place looked up."""
    point = form.point()
    if point:
        return point
    lookup = geocoding.find(form.near.data)
    return (
        (lookup.candidates[0].lat, lookup.candidates[0].lon)
        if lookup.candidates
        else None
    )


@bp.route("/groups/<slug>/events/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    membership = groups.membership_of(current_person(), group)
    if not permissions.can_manage_group(membership):
        abort(403)
    form = _event_form(group, timezone=group.timezone, area=group.area)
    if form.host_id.data is None:
        form.host_id.data = current_user.id
    if form.validate_on_submit():
        try:
            event = events.create_event(membership, group, utcnow(), **form.values())
        except InvalidInput as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(
                "Your gathering is planned. Share the link with the group!", "success"
            )
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, group=group, event=None)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    form = _event_form(event.group, **_as_typed(event))
    if form.validate_on_submit():
        try:
            events.update_event(viewer.membership, event, utcnow(), **form.values())
        except InvalidInput as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash("Changes saved.", "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template(
        "events/form.html",
        form=form,
        group=event.group,
        event=event,
        cancel_form=CancelForm(),
    )


@bp.post("/events/<id:event_id>/cancel")
@login_required
def cancel(event_id: int):
    event, viewer = load_event(event_id)
    form = CancelForm()
    if not form.validate():
        abort(400, " ".join(form.reason.errors) or "Please try again.")
    try:
        events.cancel_event(viewer.membership, event, form.reason.data or "", utcnow())
    except MeetupError as error:
        abort(403, str(error))
    db.session.commit()
    flash("The gathering is cancelled. Its page stays up with your reason.", "info")
    return redirect(url_for("events.show", event_id=event.id))


@bp.get("/events/<id:event_id>")
def show(event_id: int):
    event, viewer = load_event(event_id)
    now = utcnow()
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
    )


@bp.post("/events/<id:event_id>/rsvp")
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
    db.session.commit()
    flash(_rsvp_message(answer), "success")
    return redirect(url_for("events.show", event_id=event.id))


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


def _event_form(group: Group, **kwargs) -> EventForm:
    form = EventForm(**kwargs)
    form.host_id.choices = [
        SelectChoice(m.user_id, m.user.display_name) for m in groups.members(group)
    ]
    return form


def _as_typed(event: Event) -> dict:
    """The event as the organiser typed it: local wall-clock times, plain values.

    (Not obj=event: WTForms would take the stored UTC times and enum members.)
    """

    def wall_clock(moment):
        if moment is None:
            return None
        return times.local(moment, event.timezone).replace(tzinfo=None)

    return {
        **{name: getattr(event, name) for name in events.EVENT_FIELDS},
        "starts_at": wall_clock(event.starts_at),
        "ends_at": wall_clock(event.ends_at),
        "rsvp_deadline": wall_clock(event.rsvp_deadline_at),
        "venue_type": event.venue_type.value,
        "visibility": event.visibility.value,
    }
