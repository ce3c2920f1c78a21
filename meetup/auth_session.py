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
    app.before_request(_load_before_any_write)
    app.after_request(_slide_last_seen)


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


def _load_before_any_write() -> None:
    # Loaded first thing, so the last-seen write below never waits on a
    # transaction of the request's own (SQLite has one writer at a time).
    if request.endpoint not in _NO_ONE_NEEDED:
        current_user._get_current_object()


def _slide_last_seen(response):
    device = g.get("device")
    if device is not None and devices.needs_touch(device, utcnow()):
        devices.touch(device.id, utcnow())
    return response


def sign_in(user: User, remember: bool = True) -> None:
    """A new device session: its token replaces anything the browser held, so
    nothing set before sign-in (by anyone) survives."""
    session.clear()
    g.pop("device", None)  # the old one, if any, is gone or not hers
    user.device_token = devices.start(
        user, remember, request.headers.get("User-Agent", ""), utcnow()
    )
    if user.locale is None:  # an account from before languages: mail follows her
        user.locale = str(get_locale())
    db.session.commit()
    login_user(
        user,
        remember=remember,
        duration=devices.REMEMBER_FOR if remember else None,
    )
    session.permanent = False


def sign_out() -> None:
    """End this device's session: its cookies, wherever copied, stop working."""
    if current_user.is_authenticated and current_user.device_token:
        devices.end(current_user.device_token)
        db.session.commit()
    g.pop("device", None)
    session.clear()
    logout_user()  # after the clear: it marks the remember-me cookie for deletion


def start_over(user: User) -> None:
    """After a new password or email: every session ends, copies of this
    browser's cookies included, and this browser gets a new one."""
    device = g.get("device")
    remember = device.remember if device is not None else True
    devices.end_all(user)
    sign_in(user, remember=remember)


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
