"""Password hashing: argon2id, with older hashes upgraded when their owner signs in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash


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
