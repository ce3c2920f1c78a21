"""One-tap answers in mail: the signed "I'm going" / "Can't make it" links, and
reading them back.

A link is signed (its own salt, keyed by SECRET_KEY) for one person, one event
and one answer, and works until the gathering ends. It grants only *that
answer*, for its owner: never a sign-in, never a look at what the owner may see
(a forwarded mail forwards the answer, not the address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from meetup.extensions import db
from meetup.models import Event, User
from meetup.urls import public_url

#: What a link may say; "declined" is the RSVP status of "Can't make it".
ANSWERS = ("going", "declined")


@dataclass(frozen=True)
class AnswerLink:
    """What a valid token says: who answers, which gathering, which answer."""

    user: User
    event: Event
    going: bool

    def is_expired(self, now: datetime) -> bool:
        """Valid until the gathering ends (its end as it is now, if it moved)."""
        return now >= self.event.ends_at


def link(user: User, event: Event, answer: str) -> str:
    """The absolute URL that gives `answer` for `user` to `event`."""
    if answer not in ANSWERS:
        raise ValueError(answer)
    # The event's UID and the account's creation time, not only row ids: an id
    # a deleted row freed (SQLite reuses the highest) must not inherit its links.
    token = _signer().dumps([user.id, _born(user), event.uid, answer])
    return public_url("one_tap.answer", token=token)


def choices(user: User, event: Event) -> list[tuple[str, str]]:
    """The two buttons a letter carries, labelled in the reader's language
    (callers compose inside `i18n.as_reader`)."""
    return [
        (_("I'm going"), link(user, event, "going")),
        (_("Can't make it"), link(user, event, "declined")),
    ]


def read(token: str) -> AnswerLink | None:
    """What the token says; None if it is forged or tampered with, or its person
    or gathering no longer exists. Expiry is the caller's to check (`is_expired`),
    so an ended gathering can say so rather than look forged."""
    try:
        user_id, born, uid, answer = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(uid, str):
        return None
    if answer not in ANSWERS:
        return None
    user = db.session.get(User, user_id)
    if user is None or _born(user) != born:
        return None
    event = db.session.scalar(db.select(Event).filter_by(uid=uid))
    if event is None:
        return None
    return AnswerLink(user, event, going=answer == "going")


def _born(user: User) -> int:
    return int(user.created_at.timestamp())


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="answer-link")
