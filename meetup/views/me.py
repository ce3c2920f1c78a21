"""The signed-in person's own pages: their gatherings, profile, password and
the devices they are signed in on."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetup.auth_session import current_person, sign_out, start_over
from meetup.errors import MeetupError, WeakPassword
from meetup.extensions import db
from meetup.forms.auth import (
    MailChoicesForm,
    PasswordChangeForm,
    PasswordRemoveForm,
    ProfileForm,
)
from meetup.models import Device
from meetup.models.base import utcnow
from meetup.services import accounts, devices, finding
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
    if form.validate_on_submit():
        user = current_person()
        email_before = user.email
        try:
            accounts.update_profile(user, form.details())
        except MeetupError as error:
            form_refused(form, error, "email")
        else:
            db.session.commit()
            if user.email != email_before:
                start_over(user)
            flash(_("Your details are saved."), "success")
            return redirect(url_for("me.profile"))
    return _profile_page(form=form)


def _profile_page(**forms):
    forms.setdefault("form", _profile_form())
    forms.setdefault("password_form", PasswordChangeForm(prefix="password"))
    return render_template(
        "me/profile.html",
        remove_form=PasswordRemoveForm(prefix="remove"),
        mail_form=MailChoicesForm(obj=current_user, prefix="mail"),
        **forms,
    )


@bp.post("/password")
@login_required
def change_password():
    """Set a password, or change it; other devices are signed out."""
    password_form = PasswordChangeForm(prefix="password")
    if password_form.validate():
        user = current_person()
        try:
            accounts.change_password(
                user,
                password_form.current_password.data or "",
                password_form.new_password.data,
            )
        except MeetupError as error:
            field = (
                "new_password"
                if isinstance(error, WeakPassword)
                else "current_password"
            )
            form_refused(password_form, error, field)
        else:
            db.session.commit()
            start_over(user)
            flash(_("Your password is saved. Other devices are signed out."), "success")
            return redirect(url_for("me.profile"))
    return _profile_page(password_form=password_form)


@bp.post("/password/remove")
@login_required
def remove_password():
    """Do without a password: she signs in with a code by mail."""
    form = PasswordRemoveForm(prefix="remove")
    user = current_person()
    if form.validate():
        try:
            accounts.change_password(user, form.current_password.data, None)
        except MeetupError as error:
            form.current_password.errors.append(str(error))
            db.session.rollback()
        else:
            db.session.commit()
            start_over(user)
            flash(
                _("Your password is removed. Sign in with a code by mail."), "success"
            )
            return redirect(url_for("me.profile"))
    return _profile_page()


@bp.get("/sessions")
@login_required
def sessions():
    user, now = current_person(), utcnow()
    mine = devices.of(user, now)
    mine.sort(key=lambda device: not devices.is_current(device, user.device_token))
    return render_template(
        "me/sessions.html",
        devices=mine,
        now=now,
        current=user.device_token,
        describe=devices.describe,
        is_current=devices.is_current,
    )


@bp.post("/sessions/<id:device_id>/end")
@login_required
def end_session(device_id: int):
    """Sign one device out; only her own (another's id answers like none)."""
    user = current_person()
    device = db.session.scalar(
        db.select(Device).filter_by(id=device_id, user_id=user.id)
    )
    if device is None:
        abort(404)
    if devices.is_current(device, user.device_token):
        sign_out()
        flash(_("You are signed out."), "info")
        return redirect(url_for("main.index"))
    db.session.delete(device)
    db.session.commit()
    flash(_("That device is signed out."), "success")
    return redirect(url_for("me.sessions"))


@bp.post("/sessions/end-all")
@login_required
def end_all_sessions():
    """Sign out everywhere, this device too."""
    user = current_person()
    ended = devices.end_all(user)
    db.session.commit()
    sign_out()
    flash(
        ngettext(
            "You are signed out on %(num)d device.",
            "You are signed out on all %(num)d devices.",
            ended,
        ),  # fmt: skip
        "info",
    )
    return redirect(url_for("main.index"))


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
