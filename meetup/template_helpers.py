"""What templates may call: text and date filters, and the permission predicates."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from meetup import permissions
from meetup.text import render_markdown


def short_date(value: datetime) -> str:
    """'12 Mar 2026': how people write a date."""
    return f"{value.day} {value:%b %Y}"


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
