"""URLs: ids in paths, and absolute links for mail and calendars (on PUBLIC_URL)."""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from werkzeug.routing import IntegerConverter

#: Where `flask run` serves by default: development links outside a request.
DEVELOPMENT_URL = "http://127.0.0.1:5000"


#: The largest id an INTEGER column holds (PostgreSQL's; SQLite's is larger).
MAX_ROW_ID = 2**31 - 1


class RowId(IntegerConverter):
    """`<id:event_id>`: a positive id that fits the database's integer column, so
    /events/99999999999999999999 is a 404, not an overflow inside the driver."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ROW_ID)


def row_id(text: str) -> int | None:
    """An id read from a token or a link: a positive integer the database's
    column can hold, else None (an overflow inside the driver would be a 500)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ROW_ID else None


def site_url() -> str:
    """PUBLIC_URL; in development without it, the host and port being served.

    Production refuses to start without PUBLIC_URL. A development server only
    follows a Host on this machine or its own network (a phone on the Wi-Fi),
    so a development config served to the world cannot be made to mail
    someone a reset link on a stranger's host.
    """
    configured = current_app.config["PUBLIC_URL"]
    if configured:
        return configured
    if current_app.config["PRODUCTION"]:
        raise RuntimeError("PUBLIC_URL is not set")  # config.py refuses this
    if has_request_context() and _is_local(request.host):
        return request.url_root.rstrip("/")
    return DEVELOPMENT_URL


def _is_local(host: str) -> bool:
    name = urlsplit(f"//{host}").hostname or ""
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def public_url(endpoint: str, **values) -> str:
    """Works inside a request and outside one (CLI, after-commit mail)."""
    base = urlsplit(site_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
