"""Codes sent by mail: six digits for the browser that asked, and a link for any.

Asking for one never looks up whether the address has an account, so the
answer and its cost are the same either way; that is decided when the code is
used. Codes and links are single-use, last CODE_LIFETIME, and a code dies after
MAX_WRONG wrong tries. Codes are kept as HMACs under SECRET_KEY (a million
possible codes would be quick to try against a plain hash), links as SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from meetup.errors import InvalidToken
from meetup.extensions import db
from meetup.models import MailCode

CODE_LIFETIME = timedelta(minutes=15)
MAX_WRONG = 5
SIGN_IN = "sign-in"
CHANGE_EMAIL = "change-email"
DELETE_ACCOUNT = "delete-account"


@dataclass(frozen=True)
class Issued:
    row: MailCode
    code: str
    link_token: str


def _code_hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"mail-code:" + code.encode(), hashlib.sha256).hexdigest()


def _link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    email: str,
    purpose: str,
    now: datetime,
    *,
    user_id: int | None = None,
    display_name: str | None = None,
    remember: bool = True,
    next_path: str | None = None,
    then_rsvp: dict | None = None,
) -> Issued:
    code = f"{secrets.randbelow(10**6):06d}"
    link_token = secrets.token_urlsafe(32)
    row = MailCode(
        email=email.strip().lower(),
        purpose=purpose,
        user_id=user_id,
        code_hash=_code_hash(code),
        link_hash=_link_hash(link_token),
        display_name=display_name or None,
        remember=remember,
        next_path=next_path,
        then_rsvp=then_rsvp,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    db.session.add(row)
    db.session.flush()
    return Issued(row, code, link_token)


def _expired() -> InvalidToken:
    return InvalidToken(
        _("This code has expired or was already used. Ask for a new one.")
    )


def pending(row_id: int | None, purpose: str, now: datetime) -> MailCode | None:
    """The code this browser asked for, if it can still be used."""
    row = db.session.get(MailCode, row_id) if isinstance(row_id, int) else None
    if row is None or row.purpose != purpose or not _usable(row, now):
        return None
    return row


def _usable(row: MailCode, now: datetime) -> bool:
    return row.used_at is None and row.expires_at > now and row.tries < MAX_WRONG


def use_code(row_id: int | None, purpose: str, code: str, now: datetime) -> MailCode:
    """Spend the code typed in the browser that asked for it. Every try counts
    (the caller commits even after a wrong one); after the fifth wrong one the
    code is dead."""
    row = pending(row_id, purpose, now)
    if row is None:
        raise _expired()
    # The try is counted before the code is compared, in one conditional
    # UPDATE: guesses sent side by side each take one of the five, and none is
    # compared once they are gone.
    counted = db.session.execute(
        db.update(MailCode)
        .where(
            MailCode.id == row.id,
            MailCode.used_at.is_(None),
            MailCode.tries < MAX_WRONG,
        )
        .values(tries=MailCode.tries + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:
        raise InvalidToken(_("That code was wrong too many times. Ask for a new one."))
    db.session.refresh(row)
    typed = "".join(char for char in code if char.isdigit())
    if not hmac.compare_digest(_code_hash(typed), row.code_hash):
        left = MAX_WRONG - row.tries
        if left == 0:
            raise InvalidToken(
                _("That code was wrong too many times. Ask for a new one.")
            )
        raise InvalidToken(
            ngettext(
                "That code is not right. You can try %(num)d more time.",
                "That code is not right. You can try %(num)d more times.",
                left,
            )
        )
    return _spend(row, now)


def link_row(token: str, now: datetime) -> MailCode:
    """The sign-in code a mailed link stands for, if it can still be used (not
    spent: a mail scanner's GET must change nothing). Only sign-in codes have
    links: deleting an account takes the code, in the browser that asked."""
    row = db.session.scalar(
        db.select(MailCode).filter_by(link_hash=_link_hash(token), purpose=SIGN_IN)
    )
    if row is None or not _usable(row, now):
        raise _expired()
    return row


def use_link(token: str, now: datetime) -> MailCode:
    return _spend(link_row(token, now), now)


def _spend(row: MailCode, now: datetime) -> MailCode:
    """One conditional UPDATE: of two tabs pressing at once, one signs in."""
    spent = db.session.execute(
        db.update(MailCode)
        .where(MailCode.id == row.id, MailCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise _expired()
    db.session.refresh(row)
    return row


def purge(now: datetime) -> int:
    """Old codes go a day after they expire; nothing of them is needed."""
    old = db.session.execute(
        db.delete(MailCode).where(MailCode.expires_at < now - timedelta(days=1))
    )
    return old.rowcount
