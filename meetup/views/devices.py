"""The browsers someone is signed in on: see them, sign one out, or all."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from meetup.auth_session import current_person, sign_out
from meetup.extensions import db
from meetup.models import Device
from meetup.models.base import utcnow
from meetup.services import devices

bp = Blueprint("devices", __name__)


@bp.get("/sessions")
@login_required
def index():
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
def end(device_id: int):
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
    return redirect(url_for("devices.index"))


@bp.post("/sessions/end-all")
@login_required
def end_all():
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
