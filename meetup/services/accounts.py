"""Accounts: registering, signing in, changing details and resetting a password."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from meetup.errors import Conflict, InvalidToken, NotAllowed
from meetup.extensions import db
from meetup.models import User
from meetup.services import passwords

EMAIL_TAKEN = _l("An account with this email already exists. Try signing in.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def register(
    display_name: str, email: str, password: str, locale: str | None = None
) -> User:
    """Create an account; an email is taken whatever its letter case. `locale`
    is the language she signed up in: her mail goes out in it."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict(EMAIL_TAKEN)
    user = User(
        display_name=display_name.strip(),
        email=email,
        password_hash=passwords.hash_password(password),
        locale=locale,
    )
    _flush_or_conflict(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose password matches, upgrading an outdated hash."""
    user = find_by_email(email)
    if user is None:
        passwords.spend_equal_time(password)
        return None
    matches, needs_rehash = passwords.verify_password(user.password_hash, password)
    if not matches:
        return None
    if needs_rehash:
        user.password_hash = passwords.hash_password(password)
        db.session.flush()
    return user


@dataclass(frozen=True)
class ProfileDetails:
    """What a member says about herself (ProfileForm.details() builds it)."""

    display_name: str
    email: str
    #: Needed only to change the email.
    current_password: str = ""
    #: None keeps her language as it is.
    locale: str | None = None
    #: "12", "24", or None for her language's habit.
    clock: str | None = None


def update_profile(user: User, details: ProfileDetails) -> None:
    """Change name, email, language and clock. A new email needs the password (a
    borrowed session must not take over the account) and ends other sessions
    and reset links."""
    email = normalise_email(details.email)
    password = details.current_password
    user.display_name = details.display_name.strip()
    if details.locale is not None:
        user.locale = details.locale
    user.clock = details.clock or None
    if email != user.email:
        if not passwords.verify_password(user.password_hash, password)[0]:
            raise NotAllowed(_("Enter your current password to change your email."))
        if find_by_email(email) is not None:
            raise Conflict(EMAIL_TAKEN)
        user.email = email
        user.session_version += 1
    _flush_or_conflict(user)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; signs out other sessions."""
    matches, _rehash = passwords.verify_password(user.password_hash, current)
    if not matches:
        raise NotAllowed(_("Your current password is not right."))
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    user.password_hash = passwords.hash_password(new)
    user.session_version += 1
    db.session.flush()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def make_reset_token(user: User) -> str:
    # The session version inside makes the link single-use: using it (or any
    # password change) bumps the version and the old link stops matching.
    return _reset_serializer().dumps([user.id, user.session_version])


def user_for_reset_token(token: str) -> User:
    """The user a reset link belongs to, if it is genuine, unused and not expired."""
    try:
        user_id, version = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, ValueError, TypeError):
        raise InvalidToken(
            _("This reset link has expired or was already used. Ask for a new one.")
        ) from None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        raise InvalidToken(
            _("This reset link has expired or was already used. Ask for a new one.")
        )
    return user


def _flush_or_conflict(user: User) -> None:
    """The unique index is the authority when two sign-ups race for one email."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise Conflict(EMAIL_TAKEN) from None


def set_locale(user: User, locale: str) -> None:
    """Her language for pages, mail and her calendar link."""
    user.locale = locale
    db.session.flush()


def set_mail_choice(user: User, kind: str, wanted: bool) -> None:
    """Reminders and announcements can be turned off; confirmations cannot."""
    if kind == "reminders":
        user.wants_reminders = wanted
    elif kind == "announcements":
        user.wants_announcements = wanted
    else:
        raise ValueError(f"not optional mail: {kind}")
    db.session.flush()
