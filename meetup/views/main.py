"""The home page and the health checks."""

from flask import Blueprint, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from meetup.auth_session import current_person
from meetup.extensions import db
from meetup.models.base import utcnow
from meetup.services import finding, groups

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Upcoming gatherings (the viewer's groups first), then groups to discover."""
    user = current_person()
    mine = groups.groups_of(user) if user else []
    return render_template(
        "main/index.html",
        upcoming=db.session.scalars(finding.search(user, utcnow()).limit(12)).all(),
        my_groups=mine,
        public_groups=groups.public_groups(mine),
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
