"""Logs never hold the secret in a link: calendar feeds, reset, invite, sign-in,
one-tap answer, share and unsubscribe links.

Each such address is the only key to what it opens, so a request line written
to a log would hand it to whoever reads the log. The dev server (werkzeug),
gunicorn's access log and Flask's error log all get the same filter. It goes
by the shape of the path, not by the app's routes, so a link is covered from
the moment its route exists (and the tests cover routes still being written).
"""

from __future__ import annotations

import logging
import re

#: The paths whose last part is a secret (`/a/` is the one-tap answer link).
SECRET_PREFIXES = (
    r"/calendar/",
    r"/auth/reset/",  # reset links mailed before sign-in by code, still clicked
    r"/auth/code/",
    r"/a/",
    r"/s/",  # a members-only gathering's share link
    r"/unsubscribe/",
    r"/groups/[^\s/?#\"']+/invite/",
)
_SEGMENT = r"[^\s/?#\"']+?"
_END = r"(?=[\s/?#\"'\]]|$)"
#: In a log line the path follows a space, a quote or a bracket, maybe as a whole
#: URL (a Referer): "/about/a/b" does not hold a secret.
_IN_LOG = re.compile(
    r"(?:^|(?<=[\s\"'=(<\[]))(?P<start>(?:[a-z][a-z0-9+.-]*://[^/\s\"']+)?"
    rf"(?:{'|'.join(SECRET_PREFIXES)})){_SEGMENT}(?P<ext>\.ics)?{_END}"
)
_PATH = re.compile(rf"(?:{'|'.join(SECRET_PREFIXES)}){_SEGMENT}(?:\.ics)?/?$")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """The text with the secret part of every secret link replaced."""
    return _IN_LOG.sub(lambda m: f"{m['start']}[secret]{m['ext'] or ''}", text)


def holds_secret(path: str) -> bool:
    """Whether a request path is a secret link (its answer is for its holder)."""
    return _PATH.match(path) is not None


class HideSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def install(app_logger: logging.Logger) -> None:
    secrets_filter = HideSecrets()
    for logger in (app_logger, *map(logging.getLogger, LOGGERS)):
        if not any(isinstance(f, HideSecrets) for f in logger.filters):
            logger.addFilter(secrets_filter)
