"""Logs never hold the secret in a personal calendar feed's address.

The address is the only key to the feed, so a request line written to a log
would hand it to whoever reads the log. The dev server (werkzeug), gunicorn's
access log and Flask's error log all get the same filter.
"""

from __future__ import annotations

import logging
import re

_FEED = re.compile(r"/calendar/[^\s/?\"']+")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


class HideFeedSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/calendar/" in message:
            record.msg, record.args = _FEED.sub("/calendar/[secret].ics", message), ()
        return True


def install(app_logger: logging.Logger) -> None:
    secrets_filter = HideFeedSecrets()
    for logger in (app_logger, *map(logging.getLogger, LOGGERS)):
        if not any(isinstance(f, HideFeedSecrets) for f in logger.filters):
            logger.addFilter(secrets_filter)
