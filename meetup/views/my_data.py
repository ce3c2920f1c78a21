"""Her data: download it all (/me/export), or delete the account after a code
sent to her address (/me/delete)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_required

from meetup.auth_session import current_person, sign_out
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms import Form
from meetup.forms.auth import CodeForm
from meetup.models.base import utcnow
from meetup.services import account_deletion, account_mail, mail_codes, personal_data
from meetup.views.answers import refused

bp = Blueprint("my_data", __name__)

#: The session key naming the delete code this browser asked for.
PENDING = "delete_code"


@bp.get("/export")
@login_required
def export():
    """A ZIP of everything about her: JSON, and the same as a readable page."""
    user, now = current_person(), utcnow()
    data = personal_data.collect(user, now)
    page = render_template("me/data_export.html", data=data)
    response = make_response(personal_data.archive(data, page))
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="hearth-{now:%Y-%m-%d}.zip"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _code_limit() -> str:
    # As many as codes to one address: one inbox is not flooded from here either.
    return current_app.config["RATELIMIT_CODE_ADDRESS"]


def _person_key() -> str:
    person = current_person()
    return f"person:{person.id}" if person else "address:" + get_remote_address()


@bp.route("/delete", methods=["GET", "POST"])
@limiter.limit(_code_limit, key_func=_person_key, methods=["POST"])
@login_required
def delete():
    """What deleting means, and "Email me a code" (unless a group needs her)."""
    user, form = current_person(), Form()
    stuck = account_deletion.groups_to_hand_on(user)
    if form.validate_on_submit() and not stuck:
        now = utcnow()
        issued = mail_codes.issue(user.email, mail_codes.DELETE_ACCOUNT, now)
        minutes = int(mail_codes.CODE_LIFETIME.total_seconds() // 60)
        account_mail.deletion_code(user, issued.code, minutes, now)
        db.session.commit()
        session[PENDING] = issued.row.id
        return redirect(url_for("my_data.confirm_delete"))
    return render_template(
        "me/delete.html",
        form=form,
        stuck=stuck,
        hand_on_first=account_deletion.hand_on_first,
        closing=account_deletion.groups_to_close(user),
    )


@bp.route("/delete/code", methods=["GET", "POST"])
@login_required
def confirm_delete():
    """The right code deletes the account and signs her out; a wrong one counts."""
    user, now = current_person(), utcnow()
    pending = mail_codes.pending(session.get(PENDING), mail_codes.DELETE_ACCOUNT, now)
    if pending is None or pending.email != user.email.lower():
        flash(
            _("This code has expired or was already used. Ask for a new one."), "error"
        )
        return redirect(url_for("my_data.delete"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            mail_codes.use_code(
                pending.id, mail_codes.DELETE_ACCOUNT, form.code.data, now
            )
        except MeetupError as error:
            db.session.commit()  # the wrong try counts
            form.code.errors.append(str(error))
        else:
            try:
                account_deletion.delete_account(user, now)
            except MeetupError as error:  # a group lost its other organiser meanwhile
                return refused(error, url_for("my_data.delete"))
            db.session.commit()
            sign_out()
            return render_template("me/goodbye.html")
    return render_template("me/delete_code.html", form=form, email=pending.email)
