"""Settings: read from the environment once, checked, and turned into Flask config.

Every setting DESIGN.md lists is read here and nowhere else. A bad value raises
ConfigError with one line naming the setting; wsgi.py and the CLI print that line
and exit instead of showing a traceback.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from limits.storage import SCHEMES as RATELIMIT_SCHEMES
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

VERSION = "0.1.0"
ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"
GEOCODERS = ("nominatim", "offline", "none")
#: Shipped languages (meetup/translations); the others are English.
LOCALES = ("en_US", "en_GB", "es", "fr")


class ConfigError(Exception):
    """A setting has a value Hearth cannot use; the message names it."""


def database_url(value: str | None) -> str:
    if not value:
        return f"sqlite:///{INSTANCE / 'hearth.db'}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL (expected e.g. "
            "postgresql://user@host/dbname or sqlite:///path)"
        ) from None
    # We ship psycopg 3; plain postgres:// URLs (Heroku style) mean the same.
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise ConfigError("DATABASE_URL must point at PostgreSQL or SQLite")
    return url.render_as_string(hide_password=False)


def engine_options(url: str) -> dict:
    """Check pooled connections before use (a restarted server drops them), and
    give up on an unreachable PostgreSQL after 5 s, so requests get the 503 page
    rather than hanging until the worker is killed."""
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
    return options


def http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
    return value.rstrip("/")


def mail_url(value: str) -> str:
    if value == "console":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            "MAIL_URL must be 'console' or smtp://user:pass@host:port "
            "(smtps:// for TLS, ?starttls=1 for STARTTLS)"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError("MAIL_URL has a port that is not a number") from None
    options = parse_qs(parts.query)
    unknown = set(options) - {"starttls", "timeout"}
    if unknown:
        raise ConfigError(f"MAIL_URL has unknown options: {', '.join(sorted(unknown))}")
    if options.get("starttls", ["1"])[0] not in ("0", "1"):
        raise ConfigError("MAIL_URL option starttls must be 0 or 1")
    try:
        if float(options.get("timeout", ["10"])[0]) <= 0:
            raise ValueError
    except ValueError:
        raise ConfigError(
            "MAIL_URL option timeout must be a number of seconds"
        ) from None
    return value


def ratelimit_storage(value: str) -> str:
    scheme = urlsplit(value).scheme
    if scheme not in RATELIMIT_SCHEMES:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI scheme {scheme!r} is not supported "
            "(use memory:// or redis://host:port)"
        )
    return value


def trusted_proxies(value: str) -> int:
    """How many proxies in front of us set X-Forwarded-For: who the client is."""
    if not value.isdigit() or int(value) > 5:
        raise ConfigError("TRUSTED_PROXIES must be a whole number from 0 to 5")
    return int(value)


#: Shortest SECRET_KEY production takes: 256 bits, as the key of an HMAC-SHA256.
MIN_SECRET_BYTES = 32


def secret_key(value: str | None, *, production: bool) -> str:
    """Use SECRET_KEY; in development, generate one once into instance/."""
    if value and production and len(value.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes in production "
            "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if value:
        return value
    if production:
        raise ConfigError("SECRET_KEY must be set in production")
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def public_url(value: str | None, *, production: bool) -> str | None:
    """Where people reach Hearth: every link in mail and calendars starts here.
    None in development, where it follows the host and port being served."""
    if value:
        return http_url("PUBLIC_URL", value)
    if production:
        raise ConfigError(
            "PUBLIC_URL must be set in production: the address people open Hearth "
            "at, e.g. https://hearth.example.org"
        )
    return None


def reply_domain(value: str | None) -> str | None:
    """The domain whose mail reaches `flask inbound` or /inbound/mail: calendar
    apps send their Yes and No to reply+<token>@ it. Unset: none are asked for."""
    if not value:
        return None
    domain = value.strip().lower()
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    if "." not in ascii_domain or "@" in domain or "/" in domain:
        raise ConfigError(
            f"REPLY_DOMAIN must be a domain like replies.example.org, got {value!r}"
        )
    return ascii_domain


def inbound_secret(value: str | None) -> str | None:
    """The webhook's shared secret; unset, /inbound/mail is not there."""
    if value and len(value.encode()) < 16:
        raise ConfigError("INBOUND_MAIL_SECRET must be at least 16 characters")
    return value or None


def uploads_url(value: str | None) -> str:
    """Where uploaded pictures are kept: a folder (default: instance/uploads),
    or S3-compatible object storage, `s3://bucket/prefix?endpoint=https://…&region=…`
    (credentials from the usual AWS_* variables)."""
    if not value:
        return f"file://{INSTANCE / 'uploads'}"
    parts = urlsplit(value)
    if parts.scheme == "file" and parts.path and not parts.netloc:
        return value
    if parts.scheme == "s3" and parts.netloc:
        endpoint = parse_qs(parts.query).get("endpoint", [""])[0]
        if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
            raise ConfigError("UPLOADS_URL endpoint must be an http(s) URL")
        return value
    raise ConfigError(
        "UPLOADS_URL must be file:///path/to/folder or s3://bucket?endpoint=…"
    )


def default_locale(value: str) -> str:
    """For visitors whose browser asks for no language we ship."""
    if value not in LOCALES:
        raise ConfigError(f"DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
    return value


def from_environment(env: Mapping[str, str], *, production: bool) -> dict:
    """Read and check every setting; raise ConfigError on the first bad one."""
    secret = secret_key(env.get("SECRET_KEY"), production=production)
    site = public_url(env.get("PUBLIC_URL"), production=production)
    geocoder = env.get("GEOCODER", "nominatim")
    if geocoder not in GEOCODERS:
        raise ConfigError(f"GEOCODER must be one of {', '.join(GEOCODERS)}")
    mail_from = env.get("MAIL_FROM", "Hearth <noreply@localhost>")
    if "@" not in mail_from:
        raise ConfigError("MAIL_FROM must be an address like 'Hearth <hi@example.org>'")
    url = database_url(env.get("DATABASE_URL"))
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
        "SECRET_KEY": secret,
        "PUBLIC_URL": site,
        "GEOCODER": geocoder,
        "NOMINATIM_URL": http_url(
            "NOMINATIM_URL",
            env.get("NOMINATIM_URL", "https://nominatim.openstreetmap.org"),
        ),
        "GEOCODER_USER_AGENT": env.get(
            "GEOCODER_USER_AGENT",
            f"hearth/{VERSION}" + (f" (+{site})" if site else " (development)"),
        ),
        "MAIL_URL": mail_url(env.get("MAIL_URL", "console")),
        "MAIL_FROM": mail_from,
        "REPLY_DOMAIN": reply_domain(env.get("REPLY_DOMAIN")),
        "INBOUND_MAIL_SECRET": inbound_secret(env.get("INBOUND_MAIL_SECRET")),
        "RATELIMIT_STORAGE_URI": ratelimit_storage(
            env.get("RATELIMIT_STORAGE_URI", "memory://")
        ),
        "TRUSTED_PROXIES": trusted_proxies(env.get("TRUSTED_PROXIES", "0")),
        "DEFAULT_LOCALE": default_locale(env.get("DEFAULT_LOCALE", "en_US")),
        "UPLOADS_URL": uploads_url(env.get("UPLOADS_URL")),
    }


class Config:
    """Defaults shared by every environment; settings from the environment win."""

    PRODUCTION = False
    MAX_CONTENT_LENGTH = 1024 * 1024  # forms
    # A cover picture (services/covers.py refuses over 5 MB with a reason).
    MAX_UPLOAD_LENGTH = 6 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # The device's server-side record decides (services/devices.py): 30 days
    # after it was last seen; auth_session slides a remembered cookie on with it
    # (Flask-Login's own refresh would give one to browsers that said no).
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which ends on sign-out
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute; 50 per hour"
    RATELIMIT_RESET = "5 per minute; 20 per hour"
    # A code by mail (sign in, sign up, forgotten password, answering without an
    # account), counted across all of them. Per client: a church hall's shared
    # wifi signing in twenty people before the talk. Per address: a person
    # asking again because the mail is slow, never a flood into one inbox.
    RATELIMIT_CODE_CLIENT = "20 per 10 minutes; 100 per day"
    RATELIMIT_CODE_ADDRESS = "3 per 10 minutes; 10 per day"
    # Each answer may mail the person and promote others: generous for people
    # changing their mind, tight for a script.
    RATELIMIT_RSVP = "20 per minute; 200 per hour"
    # Per person. Joining, by request or invite link: a join request mails the
    # organisers words its sender wrote. Someone new to town may join a handful
    # of groups in an evening; 30 a day is already a campaign.
    RATELIMIT_JOIN = "10 per hour; 30 per day"
    # New groups, counted when saved: people start one group, rarely two; a
    # third in an hour is a script or a spammer (each group has public pages).
    RATELIMIT_NEW_GROUP = "3 per hour; 10 per day"
    # New gatherings, counted when saved (not the "Find" presses): a season of
    # weekly dates planned in one sitting fits; each one may be announced by
    # mail to every member, so a flood is capped at 60 a day.
    RATELIMIT_NEW_GATHERING = "20 per hour; 60 per day"
    # A host's word to the people coming, counted when sent: the rule allows
    # five a day per gathering; an organiser of several gatherings writes a
    # handful an evening. Per client: a script behind many accounts.
    RATELIMIT_MESSAGE = "10 per hour; 30 per day"
    RATELIMIT_MESSAGE_CLIENT = "30 per hour; 100 per day"
    # argon2id at RFC 9106's second recommended profile (64 MiB, t=3, p=4); OWASP's
    # minimum is 19 MiB, t=2, p=1.
    ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}
    GROUPS_PER_PAGE = 20
    EVENTS_PER_PAGE = 20


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestingConfig(Config):
    TESTING = True
    # Cheap hashes keep the suite fast; a test checks the production parameters.
    ARGON2 = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}
    RATELIMIT_ENABLED = False


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}
