"""`POST /inbound/mail`: the raw MIME of one message, from a mail provider's
inbound webhook, authenticated by the shared INBOUND_MAIL_SECRET. What it does
with a calendar's reply is `calendar_replies`' (the same as `flask inbound`)."""

import hmac

from flask import Blueprint, abort, current_app, jsonify, request

from meetup.extensions import csrf, db
from meetup.models.base import utcnow
from meetup.services import calendar_replies

bp = Blueprint("inbound", __name__)


@bp.post("/inbound/mail")
@csrf.exempt  # a server posts here, with the secret; there is no session
def mail():
    secret = current_app.config.get("INBOUND_MAIL_SECRET")
    if not secret or not current_app.config.get("REPLY_DOMAIN"):
        abort(404)  # not set up: the address is not there at all
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        abort(401)
    raw = request.get_data(cache=False)
    if not raw:
        return jsonify(error="The body must be the message, as raw MIME."), 400
    # Every outcome is a 202: a forged or stale reply is counted, not retried.
    outcome = calendar_replies.receive(raw, request.args.getlist("to"), utcnow())
    db.session.commit()
    return jsonify(outcome=outcome.value), 202
