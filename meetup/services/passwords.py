"""Password hashing: argon2id, with older hashes upgraded when their owner signs in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash
from zxcvbn import zxcvbn


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config["ARGON2"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, bool]:
    """Return (matches, needs_rehash) for any hash we have ever stored."""
    hasher = _hasher()
    if stored_hash.startswith(("scrypt:", "pbkdf2:")):
        # Werkzeug's format, from before argon2id: always worth upgrading.
        return check_password_hash(stored_hash, password), True
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, False
    return True, hasher.check_needs_rehash(stored_hash)


def spend_equal_time(password: str) -> None:
    """Hash for nothing, so an unknown email costs as long as a wrong password."""
    _hasher().hash(password)


#: zxcvbn's scale: 3 is "safely unguessable: moderate protection from an
#: offline attack" (about 10^8 guesses and more).
STRONG_ENOUGH = 3


def weakness(password: str, email: str, name: str = "") -> str | None:
    """Why a new password will not do, in plain words; None if it will."""
    local = email.partition("@")[0].lower()
    if email.lower() in password.lower() or (
        len(local) >= 3 and local in password.lower()
    ):
        return _("Leave your email address out of your password.")
    if len(password) < 10:
        return _("Use 10 characters or more.")
    if (
        zxcvbn(password[:100], user_inputs=[email, local, name])["score"]
        < STRONG_ENOUGH
    ):
        return _(
            "That password would be easy to guess. Try three or four words "
            "you'll remember that don't go together, like “lamp river biscuit”."
        )
    return None
