"""A group's rhythm: planning and changing a series, its rota page, and the
buttons of a series date (host it, give it up, place it, skip it)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from meetup import dates, permissions
from meetup.auth_session import current_person
from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.forms import Form
from meetup.forms.series import HostPlaceForm, HostSlotForm, SeriesForm
from meetup.models import EventVisibility, Group, Series, User
from meetup.models.base import utcnow
from meetup.services import bring_lists, geocoding, memberships, rota, series
from meetup.template_helpers import rhythm_words
from meetup.views import limits
from meetup.views.answers import done, form_refused, refused
from meetup.views.events import load_event

bp = Blueprint("series", __name__)


@bp.route("/groups/<slug>/series/new", methods=["GET", "POST"])
@login_required
@limits.new_gathering
def new(slug: str):
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    membership = memberships.membership_of(current_person(), group)
    if not permissions.can_manage_group(membership):
        abort(403)
    form = _series_form(group, host_id=current_person().id)
    form.suggest_for(group)
    if not form.is_submitted():
        form.bring_list.data = bring_lists.suggested_for_series(group)
    if form.validate_on_submit():
        try:
            made = series.create_series(membership, group, form.details(), utcnow())
        except MeetupError as error:
            form_refused(form, error, "title")
        else:
            return done(_("Your series is set. Its first dates are open."),
                        url_for("series.show", series_id=made.id))  # fmt: skip
    return render_template("series/form.html", form=form, group=group, series=None)


@bp.get("/series/<id:series_id>")
def show(series_id: int):
    """The series: its rhythm, its coming dates, "put me down for each one"."""
    made, membership = _load(series_id)
    return render_template(
        "series/show.html",
        series=made,
        group=made.group,
        membership=membership,
        rule=rhythm_words(made),
        coming=series.coming_dates(made, utcnow()),
        standing=series.standing_of(current_person(), made),
    )


@bp.get("/series/<id:series_id>/rota")
def rota_page(series_id: int):
    """Who hosts: coming dates with their hosts, who hosted in the past year."""
    made, membership = _load(series_id)
    now = utcnow()
    manages = permissions.can_manage_group(membership)
    return render_template(
        "series/rota.html",
        series=made,
        group=made.group,
        membership=membership,
        rule=rhythm_words(made),
        coming=series.coming_dates(made, now),
        past=rota.hosted_in_past_year(made.group_id, made.id, now),
        members=memberships.members(made.group) if manages else [],
    )


@bp.route("/series/<id:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit(series_id: int):
    made, membership = _load(series_id, manage=True)
    form = _series_form(
        made.group, obj=made, is_rota="rota" if made.is_rota else "fixed"
    )
    if form.validate_on_submit():
        try:
            series.update_series(membership, made, form.details(), utcnow())
        except MeetupError as error:
            form_refused(form, error, "title")
        else:
            return done(_("Saved. Coming dates you didn't change on their own follow."),
                        url_for("series.show", series_id=made.id))  # fmt: skip
    return render_template("series/form.html", form=form, group=made.group, series=made)


@bp.post("/series/<id:series_id>/<any(pause,resume,end,delete):action>")
@login_required
def change(series_id: int, action: str):
    made, membership = _load(series_id, manage=True)
    _checked_button()
    back = url_for("series.show", series_id=made.id)
    said = {
        "pause": _("Paused: no new dates until you resume it."),
        "resume": _("Resumed: the coming dates are open."),
        "end": _("The series has ended. Dates people had answered are cancelled."),
        "delete": _("The series is deleted."),
    }[action]
    try:
        if action == "delete":
            series.delete(membership, made)
            back = url_for("groups.show", slug=made.group.slug)
        else:
            getattr(series, action)(membership, made, utcnow())
    except MeetupError as error:
        return refused(error, url_for("series.show", series_id=series_id))
    return done(said, back, "info")


@bp.post("/series/<id:series_id>/put-me-down")
@login_required
def put_me_down(series_id: int):
    made, _membership = _load(series_id, member=True)
    _checked_button()
    try:
        series.stand(current_person(), made, utcnow())
    except MeetupError as error:
        return refused(error, url_for("series.show", series_id=made.id))
    return done(_("You're down for each date as it opens. You can say no to any one."),
                url_for("series.show", series_id=made.id))  # fmt: skip


@bp.post("/series/<id:series_id>/stop-putting-me-down")
@login_required
def stop_putting_me_down(series_id: int):
    made, _membership = _load(series_id, member=True)
    _checked_button()
    series.sit_down(current_person(), made)
    return done(_("Done: you'll answer each date yourself."),
                url_for("series.show", series_id=made.id), "info")  # fmt: skip


@bp.post('/series/<id:series_id>/<any("ask-me-to-host","stop-asking-me"):choice>')
@login_required
def hosting_requests(series_id: int, choice: str):
    """Whether she hears when a date of her group needs a host."""
    made, membership = _load(series_id, member=True)
    _checked_button()
    asked = choice == "ask-me-to-host"
    rota.ask_me_to_host(membership, asked)
    if asked:
        said = _("We'll ask you when a date needs a host, ten days before.")
    else:
        said = _("We won't ask you to host.")
    return done(said, url_for("series.rota_page", series_id=made.id))


@bp.post("/events/<id:event_id>/host")
@login_required
def host(event_id: int):
    """A date's host slot: "I'll host this one" (then "Where?"), "I can't host
    after all", or an organiser giving it to a member."""
    event, viewer = load_event(event_id)
    form = HostSlotForm()
    if not form.validate():
        abort(400, _("Please try again."))
    if form.do.data == "assign" and not viewer.access.can_manage:
        abort(403)
    back, now = url_for("events.show", event_id=event.id), utcnow()
    try:
        if form.do.data == "claim":
            rota.claim(viewer.membership, event, now)
            db.session.commit()
            return redirect(url_for("series.where", event_id=event.id))
        if form.do.data == "give-up":
            rota.give_up(viewer.membership, event, now)
            return done(_("This date has no host now. Thank you for saying so."),
                        back, "info")  # fmt: skip
        chosen = db.session.get(User, form.user_id.data or 0)
        if chosen is None:
            abort(400, _("Choose a member."))
        rota.assign(viewer.membership, event, chosen, now)
    except MeetupError as error:
        return refused(error, back)
    return done(_("%(name)s hosts this date.", name=chosen.display_name), back)


@bp.route("/events/<id:event_id>/where", methods=["GET", "POST"])
@login_required
def where(event_id: int):
    """The host says where; the date opens for answers."""
    event, viewer = load_event(event_id)
    hosts = event.host_id == current_person().id
    if not (hosts or viewer.access.can_manage) or event.series_id is None:
        abort(403)
    start = rota.last_place(event.host or current_person(), event.group_id)
    form = HostPlaceForm(obj=event if event.address else start)
    if form.venue_type.data and not isinstance(form.venue_type.data, str):
        form.venue_type.data = form.venue_type.data.value
    if form.validate_on_submit():
        place = form.place()
        found = geocoding.find(place.address) if place.address else None
        if found and found.candidates:
            best = found.candidates[0]
            place = rota.Place(**{**place.__dict__, "latitude": best.lat,
                                  "longitude": best.lon,
                                  "area": place.area or best.area})  # fmt: skip
        try:
            rota.place(viewer.membership, event, place, utcnow())
        except MeetupError as error:
            form_refused(form, error, "address")
        else:
            return done(_("Thank you! The date is open for answers."),
                        url_for("events.show", event_id=event.id))  # fmt: skip
    return render_template("series/where.html", form=form, event=event)


@bp.post("/events/<id:event_id>/skip")
@login_required
def skip(event_id: int):
    event, viewer = load_event(event_id)
    if not viewer.access.can_manage or event.series_id is None:
        abort(403)
    _checked_button()
    to = url_for("series.show", series_id=event.series_id)
    try:
        series.skip(viewer.membership, event, utcnow())
    except MeetupError as error:
        return refused(error, to)
    return done(_("Skipped. It won't come back; the next date is open instead."), to,
                "info")  # fmt: skip


def _load(series_id: int, manage: bool = False, member: bool = False):
    made = db.get_or_404(Series, series_id)
    membership = memberships.membership_of(current_person(), made.group)
    seen = membership is not None or (
        not made.group.is_private and made.visibility is EventVisibility.PUBLIC
    )
    if not seen:
        abort(404)
    if manage and not permissions.can_manage_group(membership):
        abort(403)
    if member and membership is None:
        abort(403)
    return made, membership


def _checked_button() -> None:
    if not Form().validate():
        abort(400, _("Please try again."))


def _series_form(group: Group, **kwargs) -> SeriesForm:
    form = SeriesForm(**kwargs)
    form.weekday.choices = [SelectChoice(n, dates.weekday_name(n)) for n in range(7)]
    form.host_id.choices = _member_choices(group)
    return form


def _member_choices(group: Group) -> list[SelectChoice]:
    return [
        SelectChoice(m.user_id, m.user.display_name) for m in memberships.members(group)
    ]
