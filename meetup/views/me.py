"""The signed-in person's own pages: their gatherings, profile and password."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetup.auth_session import current_person, sign_in
from meetup.errors import MeetupError
from meetup.extensions import db
from meetup.forms.auth import MailChoicesForm, PasswordChangeForm, ProfileForm
from meetup.models.base import utcnow
from meetup.services import accounts, finding
from meetup.views.answers import form_refused

bp = Blueprint("me", __name__)


@bp.get("/events")
@login_required
def my_events():
    now, user = utcnow(), current_person()
    return render_template(
        "me/events.html",
        organising=finding.organising(user, now),
        upcoming=finding.my_rsvps(user, now, past=False),
        past=finding.my_rsvps(user, now, past=True),
        now=now,
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = _profile_form()
    password_form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        user = current_person()
        try:
            accounts.update_profile(user, form.details())
        except MeetupError as error:
            form_refused(form, error, "email")
        else:
            db.session.commit()
            sign_in(user, remember=False)  # a new email starts a new session
            flash(_("Your details are saved."), "success")
            return redirect(url_for("me.profile"))
    return render_template(
        "me/profile.html",
        form=form,
        password_form=password_form,
        mail_form=MailChoicesForm(obj=current_user, prefix="mail"),
    )


@bp.post("/password")
@login_required
def change_password():
    form = _profile_form()
    password_form = PasswordChangeForm(prefix="password")
    if password_form.validate():
        try:
            accounts.change_password(
                current_person(),
                password_form.current_password.data,
                password_form.new_password.data,
            )
        except MeetupError as error:
            form_refused(password_form, error, "current_password")
        else:
            db.session.commit()
            sign_in(current_person(), remember=False)
            flash(
                _("Your password is changed. Other devices are signed out."), "success"
            )
            return redirect(url_for("me.profile"))
    return render_template(
        "me/profile.html",
        form=form,
        password_form=password_form,
        mail_form=MailChoicesForm(obj=current_user, prefix="mail"),
    )


def _profile_form() -> ProfileForm:
    form = ProfileForm(obj=current_user, prefix="profile")
    if not form.is_submitted():
        form.locale.data = current_user.locale or str(get_locale())
        form.clock.data = current_user.clock or ""
    return form


@bp.post("/mail")
@login_required
def mail_choices():
    form = MailChoicesForm(prefix="mail")
    if form.validate():
        user = current_person()
        accounts.set_mail_choice(user, "reminders", form.wants_reminders.data)
        accounts.set_mail_choice(user, "announcements", form.wants_announcements.data)
        db.session.commit()
        flash(_("Your mail choices are saved."), "success")
    return redirect(url_for("me.profile"))
