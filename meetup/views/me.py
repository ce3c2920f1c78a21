"""The signed-in person's own pages: their gatherings, profile, email and
password. Devices: views/devices.py; her data: views/my_data.py."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetup.auth_session import current_person, start_over
from meetup.errors import MeetupError, WeakPassword
from meetup.extensions import db, limiter
from meetup.forms.auth import (
    CodeForm,
    MailChoicesForm,
    PasswordChangeForm,
    PasswordRemoveForm,
    ProfileForm,
)
from meetup.models import HostNews
from meetup.models.base import utcnow
from meetup.services import account_mail, accounts, finding, mail_codes, memberships
from meetup.views.answers import done, form_refused
from meetup.views.limits import configured, person_key

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


#: The session key naming the code sent to a new address.
EMAIL_CODE = "email_code"


def _asked_for_a_code(response) -> bool:
    return response.headers.get("Location", "").endswith("/me/email")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@limiter.limit(
    configured("RATELIMIT_CODE_ADDRESS"), key_func=person_key, methods=["POST"],
    deduct_when=_asked_for_a_code,
)  # fmt: skip
def profile():
    form = _profile_form()
    if form.validate_on_submit():
        user, now = current_person(), utcnow()
        try:
            new_email = accounts.update_profile(user, form.details())
        except MeetupError as error:
            form_refused(form, error, "email")
        else:
            if new_email is None:
                return done(_("Your details are saved."), url_for("me.profile"))
            issued = mail_codes.issue(
                new_email, mail_codes.CHANGE_EMAIL, now, user_id=user.id
            )
            minutes = int(mail_codes.CODE_LIFETIME.total_seconds() // 60)
            account_mail.email_change_code(user, new_email, issued.code, minutes, now)
            db.session.commit()
            session[EMAIL_CODE] = issued.row.id
            return redirect(url_for("me.confirm_email"))
    return _profile_page(form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
def confirm_email():
    """Type the code sent to the new address; then it is hers, and every
    session starts over."""
    user, now = current_person(), utcnow()
    pending = mail_codes.pending(session.get(EMAIL_CODE), mail_codes.CHANGE_EMAIL, now)
    if pending is None or pending.user_id != user.id:
        flash(
            _("This code has expired or was already used. Ask for a new one."), "error"
        )
        return redirect(url_for("me.profile"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            code = mail_codes.use_code(
                pending.id, mail_codes.CHANGE_EMAIL, form.code.data, now
            )
            accounts.change_email(user, code, now)
        except MeetupError as error:
            db.session.commit()  # a wrong try counts; nothing else was changed
            form.code.errors.append(str(error))
        else:
            start_over(user)
            return done(
                _("Your email is now %(email)s. Other devices are signed out.",
                  email=user.email),
                url_for("me.profile"),
            )  # fmt: skip
    return render_template("me/confirm_email.html", form=form, email=pending.email)


def _profile_page(**forms):
    forms.setdefault("form", _profile_form())
    forms.setdefault("password_form", PasswordChangeForm(prefix="password"))
    forms.setdefault("mail_form", MailChoicesForm(obj=current_user, prefix="mail"))
    user = current_person()
    return render_template(
        "me/profile.html",
        remove_form=PasswordRemoveForm(prefix="remove"),
        # Most members never host: ask those it concerns, and anyone who chose.
        asks_host_news=user.host_news is not HostNews.EACH
        or memberships.hosts_or_organises(user),
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
            start_over(user)
            db.session.commit()
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
            start_over(user)
            db.session.commit()
            flash(
                _("Your password is removed. Sign in with a code by mail."), "success"
            )
            return redirect(url_for("me.profile"))
    return _profile_page()


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
    if not form.validate():
        return _profile_page(mail_form=form), 400
    user = current_person()
    accounts.set_mail_choice(user, "reminders", form.wants_reminders.data)
    accounts.set_mail_choice(user, "announcements", form.wants_announcements.data)
    if (host_news := form.host_news_choice()) is not None:
        accounts.set_host_news(user, host_news, utcnow())
    db.session.commit()
    flash(_("Your mail choices are saved."), "success")
    return redirect(url_for("me.profile"))
