"""Planning gatherings: the event form and its address lookup, drafts and
publishing them, editing, cancelling."""

import secrets
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from meetup import permissions, times
from meetup.auth_session import current_person
from meetup.errors import AlreadyPlanned, MeetupError
from meetup.extensions import db
from meetup.forms.events import CancelForm, EventForm, PublishForm
from meetup.models import Event, Group
from meetup.models.base import utcnow
from meetup.services import bring_lists, events, memberships, placing, series
from meetup.services.events import EventDetails
from meetup.views import limits
from meetup.views.answers import done, form_refused, refused
from meetup.views.events import load_event
from meetup.views.lookup import Found, ask_area, lookup_step

bp = Blueprint("planning", __name__)


@bp.route("/groups/<slug>/events/new", methods=["GET", "POST"])
@login_required
@limits.new_gathering
def new(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    membership = memberships.membership_of(current_person(), group)
    if not permissions.can_manage_group(membership):
        abort(403)
    copied = _planned_again(group, request.args.get("from"))
    form = _event_form(group, **copied)
    if not form.is_submitted():
        form.once.data = secrets.token_hex(16)
        form.bring_list.data = form.bring_list.data or bring_lists.suggested(group)
        if "admission" not in copied:
            form.suggest_for(group)
        if form.host_id.data not in {choice.value for choice in form.host_id.choices}:
            form.host_id.data = None  # a copied host who has left the group
    if form.host_id.data is None:
        form.host_id.data = current_person().id
    located, lookup = _placed(form, None)
    if located:
        draft, told = bool(form.save_draft.data), bool(form.tell_members.data)
        try:
            event = events.create_event(
                membership, group, located.details, utcnow(),
                once=form.once.data or None, draft=draft, tell_members=told,
            )  # fmt: skip
        except AlreadyPlanned as already:
            db.session.rollback()
            flash(str(already), "info")
            return redirect(url_for("events.show", event_id=already.event.id))
        except MeetupError as error:
            form_refused(form, error, "title")
        else:
            return _saved(event, _planned(event, told), located.notice)
    return _render(form, group, None, lookup)


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    if event.is_cancelled:
        flash(_("This gathering is cancelled, so it stays as it was."), "info")
        return redirect(url_for("events.show", event_id=event.id))
    form = _event_form(event.group, **_as_typed(event))
    located, lookup = _placed(form, event)
    if located:
        try:
            if event.series_id is not None and form.scope.data == "following":
                series.change_following(
                    viewer.membership, event, located.details, utcnow()
                )
            else:
                events.update_event(viewer.membership, event, located.details,
                                    utcnow(), minor=form.minor.data)  # fmt: skip
        except MeetupError as error:
            form_refused(form, error, "title")
        else:
            return _saved(event, _("Changes saved."), located.notice)
    return _render(form, event.group, event, lookup)


@bp.post("/events/<id:event_id>/cancel")
@login_required
def cancel(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    form = CancelForm()
    if not form.validate():
        abort(400, " ".join(form.reason.errors) or _("Please try again."))
    back = url_for("events.show", event_id=event.id)
    try:
        events.cancel_event(viewer.membership, event, form.reason.data or "", utcnow())
    except MeetupError as error:
        return refused(error, back)
    return done(_("The gathering is cancelled. Its page stays up with your reason."),
                back, "info")  # fmt: skip


@bp.post("/events/<id:event_id>/publish")
@login_required
def publish(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage:
        abort(403)
    form = PublishForm()
    if not form.validate():
        abort(400, _("Please try again."))
    back = url_for("events.show", event_id=event.id)
    told = bool(form.tell_members.data)
    try:
        events.publish(viewer.membership, event, told, utcnow())
    except MeetupError as error:
        return refused(error, back)
    return done(_planned(event, told), back)


def _planned(event: Event, told: bool) -> str:
    """What the organiser is told once it is saved: a draft, or open (and who knows)."""
    if event.is_draft:
        return _("Saved as a draft.")
    if told:
        return _("Your gathering is planned. Share the link with the group!")
    return _("Your gathering is planned, and nobody was mailed. "
             "Share the link when you're ready.")  # fmt: skip


def _saved(event: Event, message: str, notice: str):
    """Saved: the event's page, with what the lookup found to say, if anything."""
    if notice:
        flash(str(notice), "info")
    return done(message, url_for("events.show", event_id=event.id))


def _placed(
    form: EventForm, previous: Event | None
) -> tuple[placing.Located | None, Found | None]:
    """What to save, once the form is valid and placed; else (None, what to show
    by the map: a Find, or a save that must first ask which area people see)."""
    lookup = lookup_step(form, form.address.data or form.area.data or "", True)
    if lookup is not None or not form.validate_on_submit():
        return None, lookup
    located = placing.locate(form.details(), previous, form.asked_area())
    return (None, ask_area(form, located)) if located.offer else (located, None)


def _render(form: EventForm, group: Group, event: Event | None, lookup):
    return render_template(
        "events/form.html",
        form=form,
        group=group,
        event=event,
        lookup=lookup,
        cancel_form=CancelForm(),
    )


def _event_form(group: Group, **kwargs) -> EventForm:
    form = EventForm(**kwargs)
    form.host_id.choices = [
        SelectChoice(m.user_id, m.user.display_name) for m in memberships.members(group)
    ]
    return form


def _planned_again(group: Group, wanted: str | None) -> dict:
    """The new form's values: "Plan a new date" (?from=<id>) copies a gathering
    of this group, all but its times; anything else starts from the group."""
    wanted = wanted or ""
    known = wanted.isascii() and wanted.isdigit() and len(wanted) <= 9  # an id
    source = db.session.get(Event, int(wanted)) if known else None
    if source is None or source.group_id != group.id:
        return {"timezone": group.timezone, "area": group.area}
    copied = _as_typed(source)
    for moment in ("starts_at", "ends_at", "rsvp_deadline", "rsvp_deadline_at"):
        copied.pop(moment, None)
    return copied


def _as_typed(event: Event) -> dict:
    """The event as the organiser typed it: local wall-clock times, plain values.

    (Not obj=event: WTForms would take the stored UTC times and enum members.)
    """

    def wall_clock(moment):
        if moment is None:
            return None
        return times.local(moment, event.timezone).replace(tzinfo=None)

    return {
        **asdict(EventDetails.of(event)),
        "starts_at": wall_clock(event.starts_at),
        "ends_at": wall_clock(event.ends_at),
        "rsvp_deadline": wall_clock(event.rsvp_deadline_at),
        "venue_type": event.venue_type.value,
        "visibility": event.visibility.value,
    }
