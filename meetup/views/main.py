"""The home page, one-click unsubscribe links, and the health checks."""

from flask import Blueprint, abort, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from meetup.auth_session import current_person
from meetup.extensions import csrf, db
from meetup.models.base import utcnow
from meetup.services import account_mail, accounts, finding, groups, memberships

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Upcoming gatherings (the viewer's groups first), then groups to discover."""
    user = current_person()
    mine = memberships.groups_of(user) if user else []
    return render_template(
        "main/index.html",
        upcoming=db.session.scalars(finding.search(user, utcnow()).limit(12)).all(),
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
