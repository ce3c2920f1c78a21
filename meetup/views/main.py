"""The home page, one-click unsubscribe links, and the health checks."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from meetup import i18n
from meetup.auth_session import current_person, safe_next
from meetup.extensions import csrf, db
from meetup.models.base import utcnow
from meetup.services import account_mail, accounts, finding, groups, memberships

bp = Blueprint("main", __name__)
#: A visitor's language choice is remembered for a year.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365


@bp.get("/")
def index():
    """Upcoming gatherings (the viewer's groups first; none that are cancelled),
    then groups to discover."""
    user = current_person()
    mine = memberships.groups_of(user) if user else []
    coming = finding.search(user, utcnow(), cancelled=False).limit(12)
    return render_template(
        "main/index.html",
        upcoming=db.session.scalars(coming).all(),
        my_groups=mine,
        public_groups=groups.public_groups(mine),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail apps POST here with no form; the signed token is the key
def unsubscribe(token: str):
    """GET asks (link scanners must not unsubscribe anyone); POST turns it off."""
    found = account_mail.unsubscriber(token)
    if found is None:
        abort(404)
    user, kind = found
    if request.method == "POST":
        accounts.set_mail_choice(user, kind, wanted=False)
        db.session.commit()
    return render_template(
        "main/unsubscribe.html",
        kind=account_mail.OPTIONAL_MAIL[kind],
        done=request.method == "POST",
    )


@bp.post("/language")
def language():
    """The footer's switcher: a cookie for visitors, the profile for members."""
    chosen = request.form.get("locale", "")
    back = safe_next(request.form.get("next"), url_for("main.index"))
    if chosen not in i18n.NAMES:
        abort(400, _("Choose a language from the list."))
    person = current_person()
    if person is not None:
        accounts.set_locale(person, chosen)
        db.session.commit()
    response = redirect(back)
    response.set_cookie(
        i18n.COOKIE, chosen, max_age=LANGUAGE_COOKIE_AGE, samesite="Lax",
        secure=request.is_secure, httponly=True,
    )  # fmt: skip
    return response


@bp.get("/healthz")
def healthz():
    """The process answers; says nothing about the database."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Ready for traffic only when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}
