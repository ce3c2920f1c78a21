"""What templates may call: text and date filters, and the permission predicates."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from meetup import permissions, times
from meetup.permissions import NO_ACCESS
from meetup.privacy import place
from meetup.services.calendar_links import webcal
from meetup.text import render_markdown
from meetup.urls import site_url


def short_date(value: datetime) -> str:
    """'12 Mar 2026': how people write a date."""
    return f"{value.day} {value:%b %Y}"


def event_when(event) -> str:
    return times.when_range(event.starts_at, event.ends_at, event.timezone)


def list_place(event) -> str:
    """Lists never show an address: the area, or the venue's name and area."""
    return place(event, NO_ACCESS)


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.filters["event_when"] = event_when
    app.jinja_env.filters["list_place"] = list_place
    app.jinja_env.filters["webcal"] = webcal
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.globals["times"] = times
    app.jinja_env.globals["place"] = place
    app.jinja_env.globals["site_url"] = site_url
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
