"""Who is signed in: a device session per browser (services/devices), loaded
for Flask-Login; signing in and out; safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, request, session
from flask_babel import get_locale, gettext
from flask_login import LoginManager, current_user, login_user, logout_user

from meetup.extensions import db
from meetup.models import User
from meetup.models.base import utcnow
from meetup.services import devices


def N_(message: str) -> str:
    """Marks a string for the catalogs; it is translated where it is said."""
    return message


def configure(app: Flask, login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please sign in to continue.")
    login_manager.localize_callback = gettext  # said when flashed, in her language
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.before_request(_load_and_slide)


def load_user(token: str) -> User | None:
    """The person whose live device session this is (from the session cookie
    or the remember-me cookie, which both carry the device token)."""
    device = devices.find(token, utcnow())
    if device is None:
        return None
    user = device.user
    user.device_token = token
    g.device = device
    return user


#: Answer without the database, or without knowing who asks.
_NO_ONE_NEEDED = {"main.healthz", "main.readyz", "static"}


def _load_and_slide() -> None:
    """Who is asking, first thing; and, every few minutes, slide her 30 days
    on: last seen is written now, before the request has written anything (on
    its own connection, SQLite's one writer would wait for the request), and a
    remembered browser's cookie is sent again with the new expiry."""
    if request.endpoint in _NO_ONE_NEEDED:
        return
    current_user._get_current_object()
    device, now = g.get("device"), utcnow()
    if device is not None and devices.needs_touch(device, now):
        devices.touch(device.id, now)
        if device.remember:
            session["_remember"] = "set"
            session["_remember_seconds"] = devices.REMEMBER_FOR.total_seconds()


def sign_in(user: User, remember: bool = True) -> None:
    """A new device session: its token replaces anything the browser held, so
    nothing set before sign-in (by anyone) survives, and a session this browser
    had before (hers or another's) ends. The caller commits."""
    old = g.pop("device", None)
    if old is not None:
        devices.end(current_user.device_token)
    session.clear()
    user.device_token = devices.start(
        user, remember, request.headers.get("User-Agent", ""), utcnow()
    )
    if user.locale is None:  # an account from before languages: mail follows her
        user.locale = str(get_locale())
    login_user(
        user,
        remember=remember,
        duration=devices.REMEMBER_FOR if remember else None,
    )
    session.permanent = False


def sign_out() -> None:
    """End this device's session: its cookies, wherever copied, stop working.
    Committed here: the browser is told at once."""
    if current_user.is_authenticated and current_user.device_token:
        devices.end(current_user.device_token)
        db.session.commit()
    g.pop("device", None)
    session.clear()
    logout_user()  # after the clear: it marks the remember-me cookie for deletion


def start_over(user: User) -> None:
    """After a new password or email: every session ends, copies of this
    browser's cookies included, and this browser gets a new one. The caller
    commits."""
    device = g.pop("device", None)
    remember = device.remember if device is not None else True
    devices.end_all(user)
    sign_in(user, remember=remember)


#: Longer is no page of ours (and would not fit MailCode.next_path).
MAX_NEXT = 500


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target or len(target) > MAX_NEXT:
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
