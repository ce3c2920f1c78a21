"""What templates may call: text and date filters, the permission predicates,
and the reader's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, gettext

from meetup import dates, i18n, permissions, qr
from meetup.permissions import NO_ACCESS
from meetup.privacy import place
from meetup.services import share_links
from meetup.services.calendar_links import webcal
from meetup.text import render_markdown
from meetup.urls import site_url


def event_when(event) -> str:
    return dates.when_range(event.starts_at, event.ends_at, event.timezone)


def list_place(event) -> str:
    """Lists never show an address: the area, or the venue's name and area."""
    return place(event, NO_ACCESS)


def current_locale_code() -> str:
    return str(get_locale() or "en_US")


def current_locale_tag() -> str:
    """For <html lang>: "en-US", "es"."""
    return current_locale_code().replace("_", "-")


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["short_date"] = dates.date
    app.jinja_env.filters["event_when"] = event_when
    app.jinja_env.filters["list_place"] = list_place
    app.jinja_env.filters["webcal"] = webcal
    app.jinja_env.globals["permissions"] = permissions
    app.jinja_env.globals["dates"] = dates
    app.jinja_env.globals["place"] = place
    app.jinja_env.globals["site_url"] = site_url
    app.jinja_env.globals["share_path"] = share_links.path
    app.jinja_env.globals["share_url"] = share_links.url
    app.jinja_env.globals["embed_snippet"] = share_links.embed_snippet
    app.jinja_env.globals["qr_code"] = qr.data_uri
    app.jinja_env.globals["rhythm_words"] = rhythm_words
    app.jinja_env.globals["current_locale_code"] = current_locale_code
    app.jinja_env.globals["current_locale_tag"] = current_locale_tag
    app.jinja_env.globals["language_names"] = i18n.NAMES
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def rhythm_words(series) -> str:
    """'Every first Thursday of the month, 7:30 PM'."""
    rule = dates.rhythm(series.rule.value, series.every_weeks, series.weekday,
                        series.week_of_month, series.day_of_month)  # fmt: skip
    return gettext("%(rule)s, %(time)s", rule=rule,
                   time=dates.wall_clock(series.start_time))  # fmt: skip
