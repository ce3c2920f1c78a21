"""URLs: ids in paths, and absolute links for mail and calendars (on PUBLIC_URL)."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from werkzeug.routing import IntegerConverter

#: Where `flask run` serves by default: development links outside a request.
DEVELOPMENT_URL = "http://127.0.0.1:5000"


class RowId(IntegerConverter):
    """`<id:event_id>`: a positive id that fits the database's integer column, so
    /events/99999999999999999999 is a 404, not an overflow inside the driver."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def site_url() -> str:
    """PUBLIC_URL; in development without it, the host and port being served
    (production refuses to start without it, so a Host header never decides)."""
    configured = current_app.config["PUBLIC_URL"]
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_URL


def public_url(endpoint: str, **values) -> str:
    """Works inside a request and outside one (CLI, after-commit mail)."""
    base = urlsplit(site_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
