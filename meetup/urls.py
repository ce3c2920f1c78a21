"""Absolute links for mail and calendars: built on PUBLIC_URL, not the request host."""

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_URL"] + url_for(endpoint, **values)
