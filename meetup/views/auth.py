"""Signing in and up by a code sent by mail, with a password, and signing out.

Every way in that starts from an address (sign in, sign up, forgot the
password, answer without an account) sends the same mail with a code and a
link, and answers the same page whether or not the address has an account.
"""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from meetup.auth_session import safe_next, sign_in, sign_out
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms.auth import CodeForm, CodeRequestForm, LoginForm, SignUpForm
from meetup.models.base import utcnow
from meetup.services import accounts, mail_codes, password_tries
from meetup.views import code_sign_in
from meetup.views.answers import refused

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def _next_url() -> str:
    return safe_next(request.args.get("next"), url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """A password, for those who have one; the page offers a code first."""
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        if password_tries.used_up(email):
            # Said for any address, so it tells nothing about accounts.
            form.password.errors.append(
                _(
                    "Too many wrong passwords for this address. For the next hour, "
                    "sign in with a code by mail instead."
                )  # fmt: skip
            )
            return _login_page(form)
        user = accounts.authenticate(email, form.password.data)
        if user is not None:
            sign_in(user, remember=form.remember.data)
            db.session.commit()  # with an upgraded password hash, if any
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            if not user.is_verified:  # an account from before codes: no mail yet
                flash(_("Confirm your email to get reminders and invitations: "
                        "your profile mails you a code."), "info")  # fmt: skip
            return redirect(_next_url())
        password_tries.failed(email)
        # One answer whether or not the email has an account.
        form.password.errors.append(_("That email and password do not match."))
    return _login_page(form)


def _login_page(form: LoginForm):
    """A code first; the password on its own page (one form each, so Enter
    does what the person was doing)."""
    with_password = request.method == "POST" or request.args.get("with") == "password"
    return render_template("auth/login.html", form=form, with_password=with_password)


@bp.route("/code", methods=["GET", "POST"])
@code_sign_in.limited
def code_request():
    form = CodeRequestForm()
    if form.validate_on_submit():
        return code_sign_in.send(form.email.data, form.remember.data, _next_url())
    return render_template("auth/code_request.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@code_sign_in.limited
def register():
    """Sign-up is signing in with a name: the code proves the address."""
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = SignUpForm()
    if form.validate_on_submit():
        return code_sign_in.send(
            form.email.data,
            form.remember.data,
            _next_url(),
            display_name=form.display_name.data,
        )
    return render_template("auth/register.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@code_sign_in.limited
def reset_request():
    """Forgot the password: a code signs her in, and her profile sets a new one."""
    form = CodeRequestForm()
    if form.validate_on_submit():
        return code_sign_in.send(
            form.email.data, form.remember.data, url_for("me.profile") + "#password"
        )
    return render_template("auth/code_request.html", form=form, forgotten=True)


@bp.route("/code/check", methods=["GET", "POST"])
def code_check():
    """Type the code, in the browser that asked for it."""
    now = utcnow()
    pending = mail_codes.pending(
        session.get(code_sign_in.PENDING), mail_codes.SIGN_IN, now
    )
    if pending is None:
        flash(
            _("This code has expired or was already used. Ask for a new one."), "error"
        )
        return redirect(url_for("auth.code_request"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            code = mail_codes.use_code(
                pending.id, mail_codes.SIGN_IN, form.code.data, now
            )
        except MeetupError as error:
            db.session.commit()  # the wrong try counts
            form.code.errors.append(str(error))
        else:
            return code_sign_in.complete(code, now)
    return render_template(
        "auth/code_check.html",
        form=form,
        email=pending.email,
        minutes=code_sign_in.MINUTES,
        also=code_sign_in.answer_it_gives(pending),
    )


@bp.route("/code/<token>", methods=["GET", "POST"])
def code_link(token: str):
    """The link in the mail: GET only shows a button (a mail scanner opening
    it changes nothing); the POST signs in, in whichever browser opened it."""
    now = utcnow()
    try:
        code = mail_codes.link_row(token, now)
        if request.method == "POST":
            code = mail_codes.use_link(token, now)
    except MeetupError as error:
        return refused(error, url_for("auth.code_request"))
    if request.method == "POST":
        return code_sign_in.complete(code, now)
    return render_template(
        "auth/code_link.html", email=code.email, also=code_sign_in.answer_it_gives(code)
    )


@bp.post("/logout")
def logout():
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))
