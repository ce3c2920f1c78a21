"""Sending a sign-in code and finishing with it: shared by every way in
(sign in, sign up, forgotten password, "I'm going" without an account)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from meetup import dates
from meetup.auth_session import safe_next, sign_in
from meetup.errors import MeetupError
from meetup.extensions import db, limiter
from meetup.forms import posted
from meetup.models import Event, JoinRequest, MailCode
from meetup.models.base import utcnow
from meetup.services import account_mail, accounts, groups, mail_codes
from meetup.urls import public_url
from meetup.views.answers import rsvp_said

#: The session key naming the code this browser asked for.
PENDING = "mail_code"
MINUTES = int(mail_codes.CODE_LIFETIME.total_seconds() // 60)


def _address_key() -> str:
    """Per address, whichever clients ask: one inbox is not flooded."""
    return "code-to:" + accounts.normalise_email(_posted_email())


def _client_limit() -> str:
    return current_app.config["RATELIMIT_CODE_CLIENT"]


def _address_limit() -> str:
    return current_app.config["RATELIMIT_CODE_ADDRESS"]


def _sends_no_code() -> bool:
    """Only a POST that names an address can mail a code (a signed-in
    member's RSVP through the same route names none)."""
    return request.method != "POST" or not _posted_email()


def _posted_email() -> str:
    """The address as the form reads it (form fields, never a JSON body)."""
    return (posted() or {}).get("email", "")


#: One budget across every route that mails a code.
limited_by_client = limiter.shared_limit(
    _client_limit, scope="mail-code-client", key_func=get_remote_address,
    exempt_when=_sends_no_code,
)  # fmt: skip
limited_by_address = limiter.shared_limit(
    _address_limit, scope="mail-code-address", key_func=_address_key,
    exempt_when=_sends_no_code,
)  # fmt: skip


def limited(view):
    return limited_by_client(limited_by_address(view))


def send(
    email: str,
    remember: bool,
    next_path: str,
    *,
    display_name: str | None = None,
    then_rsvp: dict | None = None,
):
    """Mail a code and a link, and go to the page that takes the code. The
    same work and the same page whoever the address belongs to."""
    now = utcnow()
    issued = mail_codes.issue(
        email,
        mail_codes.SIGN_IN,
        now,
        display_name=display_name,
        remember=remember,
        next_path=next_path,
        then_rsvp=then_rsvp,
    )
    link = public_url("auth.code_link", token=issued.link_token)
    account_mail.mail_code(
        issued.row.email,
        issued.code,
        link,
        MINUTES,
        now,
        also=answer_it_gives(issued.row),
    )
    db.session.commit()
    session[PENDING] = issued.row.id
    return redirect(url_for("auth.code_check"))


def answer_it_gives(code: MailCode) -> str | None:
    """What using this code also says, in words, so that no one can slip an
    answer into someone else's sign-in: "…and you're going to “Book night”"."""
    then = code.then_rsvp or {}
    event = db.session.get(Event, then.get("event_id")) if then else None
    if event is None:
        return None
    return _(
        "Using it also says you're coming to “%(title)s”, %(when)s.",
        title=event.title,
        when=dates.when_range(event.starts_at, event.ends_at, event.timezone),
    )


def complete(code: MailCode, now: datetime):
    """The code proved the address: in she comes, with her answer if she gave one."""
    user, is_new = accounts.account_for_code(code, now, str(get_locale()))
    placed = _place_answer(user, code.then_rsvp, now) if code.then_rsvp else None
    sign_in(user, remember=code.remember)
    db.session.commit()  # the code spent, the account, the answer, the device: one
    flash(
        _("Welcome to Hearth, %(name)s!", name=user.display_name)
        if is_new
        else _("Welcome back, %(name)s.", name=user.display_name),
        "success",
    )
    if placed:
        flash(placed, "success")
    return redirect(safe_next(code.next_path, url_for("main.index")))


def _place_answer(user, then: dict, now: datetime) -> str | None:
    event = db.session.get(Event, then.get("event_id"))
    if event is None:
        return None
    try:
        with db.session.begin_nested():
            placed = groups.arrive(user, event.group, then, now)
    except MeetupError as error:
        flash(str(error), "error")
        return None
    if isinstance(placed, JoinRequest):
        return _(
            "You asked to join %(group)s. When an organiser says yes, "
            "you're on the list for this gathering.",
            group=event.group.name,
        )
    return rsvp_said(placed) if placed is not None else None
