"""Registering, signing in and out, and resetting a forgotten password."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from meetup.auth_session import safe_next, sign_in
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms.auth import (
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from meetup.models.base import utcnow
from meetup.services import account_mail, accounts
from meetup.urls import public_url
from meetup.views.answers import form_refused, refused

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def _email_key() -> str:
    """Limit guesses at one account, whichever addresses they come from."""
    return "email:" + accounts.normalise_email(request.form.get("email", ""))


def _next_url() -> str:
    return safe_next(request.args.get("next"), url_for("main.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(
                form.display_name.data,
                form.email.data,
                form.password.data,
                locale=str(get_locale()),
            )
        except MeetupError as error:
            form_refused(form, error, "email")
        else:
            db.session.commit()
            sign_in(user, remember=False)
            flash(_("Welcome to Hearth, %(name)s!", name=user.display_name), "success")
            return redirect(_next_url())
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        db.session.commit()  # keeps an upgraded password hash
        if user is not None:
            sign_in(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(_next_url())
        # One answer whether or not the email has an account.
        form.password.errors.append(_("That email and password do not match."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data)
        minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
        if user is not None:
            link = public_url(
                "auth.reset_password", token=accounts.make_reset_token(user)
            )
            account_mail.password_reset(user, link, minutes, utcnow())
            db.session.commit()
        flash(
            ngettext(
                "If an account uses that email, a link to reset its password is on "
                "its way. It works for %(num)d minute.",
                "If an account uses that email, a link to reset its password is on "
                "its way. It works for %(num)d minutes.",
                minutes,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = accounts.user_for_reset_token(token)
    except MeetupError as error:
        return refused(error, url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        db.session.commit()
        sign_in(user, remember=False)
        flash(_("Your password is changed and you are signed in."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/reset_password.html", form=form)
