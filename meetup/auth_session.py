"""Who is signed in: loading the user for Flask-Login, signing in, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import session
from flask_babel import get_locale, gettext
from flask_login import LoginManager, current_user, login_user

from meetup.extensions import db
from meetup.models import User


def N_(message: str) -> str:
    """Marks a string for the catalogs; it is translated where it is said."""
    return message


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please sign in to continue.")
    login_manager.localize_callback = gettext  # said when flashed, in her language
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)


def load_user(login_id: str) -> User | None:
    """Load by "id.version"; a new password bumps the version, ending old sessions."""
    user_id, _, version = login_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def sign_in(user: User, remember: bool) -> None:
    # A fresh session on sign-in: nothing set before it (by anyone) survives.
    session.clear()
    login_user(user, remember=remember)
    if user.locale is None:  # an account from before languages: mail follows her
        user.locale = str(get_locale())
        db.session.commit()


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target:
        return fallback
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return fallback
    if any(ord(char) < 32 for char in target):
        return fallback
    return target


def current_person() -> User | None:
    """The signed-in User (the real object, not Flask-Login's proxy), or None."""
    return current_user._get_current_object() if current_user.is_authenticated else None
