"""Wrong passwords, counted per address: too many and that address signs in by
code for a while. The owner is never locked out (her mail still works), and a
guesser gets no more tries. Counted for any address, with or without an
account, so the answer tells nothing.

Kept where rate limits are (RATELIMIT_STORAGE_URI, shared by all workers), but
on its own: it is a rule of the account, on even where rate limits are off.
"""

from __future__ import annotations

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from meetup.services.accounts import normalise_email

#: Ten wrong passwords in an hour: a person mistyping stops well before.
ALLOWED = parse("10 per hour")


def _counter() -> MovingWindowRateLimiter:
    counter = current_app.extensions.get("password_tries")
    if counter is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        counter = current_app.extensions["password_tries"] = MovingWindowRateLimiter(
            storage
        )
    return counter


def _key(email: str) -> str:
    return "wrong-password:" + normalise_email(email)


def used_up(email: str) -> bool:
    return not _counter().test(ALLOWED, _key(email))


def failed(email: str) -> None:
    _counter().hit(ALLOWED, _key(email))
