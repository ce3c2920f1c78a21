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
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from meetup import privacy
from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms.bring import BringForm
from meetup.forms.events import (
    EventSearchForm,
    PublishForm,
    RsvpForm,
    StrangerRsvpForm,
)
from meetup.models import Event, VenueType
from meetup.models.base import utcnow
from meetup.permissions import NO_ACCESS
from meetup.services import (
    approvals,
    attendees,
    bring,
    bring_lists,
    calendar_links,
    chat_texts,
    finding,
    geocoding,
    host_message_reads,
    notices,
    rsvps,
    viewers,
)
from meetup.urls import public_url
from meetup.views import code_sign_in
from meetup.views.answers import done, refused, rsvp_said
from meetup.views.limits import person_key
from meetup.views.paging import ListPage, page_number, paginate

bp = Blueprint("events", __name__)


def load_event(event_id: int) -> tuple[Event, viewers.Viewer]:
    """The event and what this person may see of it; 404 if they may not see it."""
    # Every event page shows its group and host: one query instead of three.
    event = db.get_or_404(
        Event, event_id, options=[joinedload(Event.group), joinedload(Event.host)]
    )
    viewer = viewers.viewer(event, current_person())
    if not viewer.access.can_view:
        abort(404)
    return event, viewer


@bp.get("/events/")
def index():
    """Coming gatherings: by date, or nearest first when a place is given."""
    form = EventSearchForm(request.args)
    valid = form.validate()
    centre = _search_centre(form) if valid and form.near.data else None
    notice = ""
    if valid and form.near.data and centre is None:
        notice = _("We couldn't find “%(place)s”. Try a town or a postcode.",
                   place=form.near.data)  # fmt: skip
    page, km = _found(form if valid else None, centre)
    return render_template(
        "events/index.html",
        page=page,
        form=form,
        km=km,
        notice=notice,
        pins=[_pin(e) for e in page.items if e.public_latitude is not None]
        if centre
        else [],
    )


def _found(form: EventSearchForm | None, centre) -> tuple[ListPage, dict[int, int]]:
    """One page of what this person may see: nearest first around `centre`, else
    by date; with the kilometres shown for each (near-me only)."""
    text = (form.q.data or "") if form else ""
    kind = VenueType(form.venue.data) if form and form.venue.data else None
    per_page = current_app.config["EVENTS_PER_PAGE"]
    user, now = current_person(), utcnow()
    if centre is None:
        return paginate(finding.search(user, now, text, kind), per_page), {}
    number = page_number()
    found = finding.near(
        user, now, *centre, form.within_km.data, text, kind,
        limit=per_page, offset=(number - 1) * per_page,
    )  # fmt: skip
    if number > 1 and not found.event_ids:
        abort(404)
    items = finding.load_in_order(found.event_ids)
    return ListPage(items, number, per_page, found.total), found.km


def _pin(event: Event) -> dict:
    """A search result on the map: what a stranger may see (a home's cell)."""
    point = privacy.map_point(event, NO_ACCESS)
    pin = {"title": event.title, "url": url_for("events.show", event_id=event.id)}
    cell = privacy.cell_shown(point)
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
def show(event_id: int, stranger_form: StrangerRsvpForm | None = None):
    event, viewer = load_event(event_id)
    now, rsvp, access = utcnow(), viewer.rsvp, viewer.access
    point = privacy.map_point(event, access)
    url = public_url("events.show", event_id=event.id)
    return render_template(
        "events/show.html",
        event=event,
        viewer=viewer,
        now=now,
        going=attendees.going_list(event) if access.sees_attendee_names else [],
        waitlisted=attendees.waitlist_count(event),
        table=attendees.table_counts(event) if access.sees_table_counts else None,
        position=attendees.waitlist_position(rsvp)
        if rsvp and rsvp.is_waitlisted
        else None,
        closed=rsvps.closed_reason(event, now),
        asking=approvals.asking(
            event, viewer.user, viewer.membership, access.sees_attendee_list, now
        ),
        passed_over=notices.passed_over_words(rsvp)
        if rsvp and rsvp.is_waitlisted and rsvp.passed_over
        else "",
        map_point=point,
        cell_bounds=privacy.cell_shown(point),
        google_link=calendar_links.google_link(event, access, url),
        outlook_link=calendar_links.outlook_link(event, access, url),
        stranger_form=stranger_form or StrangerRsvpForm(formdata=None),
        publish_form=PublishForm(formdata=None) if event.is_draft else None,
        from_host=host_message_reads.from_host(event, viewer),
        bring_board=bring_lists.board(
            event,
            viewer.user,
            rsvp,
            access.sees_attendee_names,
            bring.why_not(event, viewer.user, rsvp, now),
        ),
        # Members pass it on in the group's chat; visitors get the link alone.
        chat_text=chat_texts.invitation(event)
        if viewer.membership is not None and event.is_open and not event.is_cancelled
        else "",
    )


def _rsvp_limit() -> str:
    return current_app.config["RATELIMIT_RSVP"]


@bp.post("/events/<id:event_id>/rsvp")
@limiter.limit(_rsvp_limit, key_func=person_key)
@code_sign_in.limited
def rsvp(event_id: int):
    event, _viewer = load_event(event_id)
    back = url_for("events.show", event_id=event.id)
    if not current_user.is_authenticated:
        return _rsvp_by_mail(event, back)
    form = RsvpForm()
    if not form.validate():
        flash(
            _("That answer did not make sense: %(why)s", why=_first_error(form)),
            "error",
        )
        return redirect(back)
    try:
        answer = rsvps.respond(
            event,
            current_person(),
            going=form.going,
            guests=form.guests.data or 0,
            children=form.children.data or 0,
            diets=form.diet_set(),
            diet_note=form.diet_note.data or "",
            answer=form.answer.data or "",
            now=utcnow(),
        )
    except MeetupError as error:
        return refused(error, back)
    return done(rsvp_said(answer), back)  # read before the commit expires it


@bp.post("/events/<id:event_id>/bring")
@login_required
@limiter.limit(_rsvp_limit, key_func=person_key)
def bring_list(event_id: int):
    """Claim a thing on the list, take it back, or add something of one's own."""
    event, _viewer = load_event(event_id)
    back = url_for("events.show", event_id=event.id, _anchor="bring")
    form = BringForm()
    if not form.validate():
        flash(_("That did not make sense: %(why)s", why=_first_error(form)), "error")
        return redirect(back)
    person, thing, note, now = (
        current_person(),
        form.thing.data,
        form.note.data,
        utcnow(),
    )
    try:
        if form.action.data == "claim":
            made = bring.claim(person, event, thing, note or "", now)
            said = _("You bring %(thing)s. Thank you!", thing=made.thing)
        elif form.action.data == "own":
            made = bring.add_own(person, event, thing, note or "", now)
            said = _("You bring %(thing)s. Thank you!", thing=made.thing)
        else:
            bring.unclaim(person, event, thing, now)
            said = _("Noted: you don't bring %(thing)s.", thing=thing)
    except MeetupError as error:
        return refused(error, back)
    return done(said, back)


def _rsvp_by_mail(event: Event, back: str):
    """No account yet: a code by mail proves the address, then the answer is
    placed (so a bot cannot hold the living room by typing any address)."""
    form = StrangerRsvpForm()
    if not form.validate() or not form.going:  # "can't go" needs no account
        return show(event.id, stranger_form=form), 400
    closed = rsvps.closed_reason(event, utcnow())
    if closed:
        flash(closed, "error")
        return redirect(back)
    return code_sign_in.send(
        form.email.data,
        remember=form.remember.data,
        next_path=back,
        display_name=form.display_name.data,
        then_rsvp=form.then(event.id),
    )


def _first_error(form) -> str:
    return next(iter(e for errors in form.errors.values() for e in errors), "")
