"""Which language and clock each reader gets, and reading as someone else.

Pages follow the signed-in member's choice, else the visitor's cookie (the
footer's switcher), else the browser's Accept-Language, else DEFAULT_LOCALE.
Mail, reminders and personal feeds are written `as_reader(recipient)`: in her
language and clock, never the sender's. Imports nothing of the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_login import current_user

from config import LOCALES

#: The name each shipped locale is offered under, in its own language.
NAMES = {
    "en_US": "English (US)",
    "en_GB": "English (UK)",
    "es": "Español",
    "fr": "Français",
}
assert tuple(NAMES) == LOCALES, "config.LOCALES and NAMES list the same locales"
COOKIE = "locale"
#: "12", "24" or None (the locale's own habit, from CLDR).
_clock: ContextVar[str | None] = ContextVar("clock", default=None)


def chosen_locale() -> str:
    """Flask-Babel's locale selector."""
    if has_request_context():
        user = current_user
        if user and user.is_authenticated and user.locale in LOCALES:
            return user.locale
    return browser_locale()


def browser_locale() -> str:
    """The visitor's cookie, else her browser's languages: no database needed."""
    if has_request_context():
        if request.cookies.get(COOKIE) in LOCALES:
            return request.cookies[COOKIE]
        # en-US and a bare "en" both come out en_US, the default for English.
        offered = ["en_US", "en", "en_GB", "es", "fr"]
        best = request.accept_languages.best_match(offered)
        if best:
            return "en_US" if best == "en" else best
    return current_app.config["DEFAULT_LOCALE"]


def clock() -> str | None:
    """The reader's clock: "12", "24", or None for her locale's habit."""
    written_for = _clock.get()
    if written_for is not None:  # inside as_reader: hers ("" for her locale's)
        return written_for or None
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.clock
    return None


def vary_by_language(response):
    """Pages differ by the browser's language and the switcher's cookie: caches
    must keep them apart."""
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@contextmanager
def as_reader(user) -> Iterator[None]:
    """Write for this person: her language (or the default) and her clock."""
    locale = user.locale if user.locale in LOCALES else None
    token = _clock.set(user.clock or "")
    try:
        with force_locale(locale or current_app.config["DEFAULT_LOCALE"]):
            yield
    finally:
        _clock.reset(token)


@contextmanager
def in_language(locale: str | None) -> Iterator[None]:
    """Write for a group (its feed, its event files): the group's language."""
    if locale not in LOCALES:
        locale = current_app.config["DEFAULT_LOCALE"]
    with force_locale(locale):
        yield
