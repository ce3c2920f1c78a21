"""Saying times as the reader does: Babel (CLDR) does all of it, in her locale
and clock, in the event's zone, with the zone's own abbreviation (EST, GMT).

`meetup.times` converts; this module only says. Nothing here writes a month,
a weekday or a plural by hand.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from babel import Locale
from babel.dates import format_interval, format_skeleton, format_timedelta
from flask_babel import get_locale, gettext, ngettext

from meetup import i18n, times

#: Between a day and its time: "Sat, Nov 28 · 7:30 PM EST".
DOT = " · "


def _locale() -> Locale:
    return get_locale() or Locale.parse("en_US")


def _hours() -> str:
    """The skeleton letter for hours: h (12-hour) or H (24-hour)."""
    chosen = i18n.clock()
    if chosen in ("12", "24"):
        return "h" if chosen == "12" else "H"
    habit = _locale().time_formats["short"].pattern
    return "h" if "h" in habit else "H"


def day(moment: datetime, zone: str) -> str:
    """'Sat, Nov 28' / 'Sat 28 Nov' / 'sáb, 28 nov' / 'sam. 28 nov.'"""
    return format_skeleton("MMMEd", times.local(moment, zone), locale=_locale())


def clock(moment: datetime, zone: str) -> str:
    """'7:30 PM' / '19:30'."""
    there = times.local(moment, zone)
    return format_skeleton(f"{_hours()}m", there, locale=_locale())


def when(moment: datetime, zone: str) -> str:
    """'Sat, Nov 28 · 7:30 PM EST'."""
    there = times.local(moment, zone)
    return f"{day(moment, zone)}{DOT}{clock(moment, zone)} {there.tzname()}"


def when_range(start: datetime, end: datetime, zone: str) -> str:
    """'Sat, Nov 28 · 7:30 – 10:00 PM EST', or both days when it runs overnight."""
    a, b = times.local(start, zone), times.local(end, zone)
    if a.date() != b.date():
        return f"{day(start, zone)}{DOT}{clock(start, zone)} – {when(end, zone)}"
    hours = format_interval(a, b, f"{_hours()}m", tzinfo=a.tzinfo, locale=_locale())
    return f"{day(start, zone)}{DOT}{hours} {b.tzname()}"


def date(moment: datetime) -> str:
    """'Mar 12, 2026' / '12 Mar 2026': when someone joined, asked, wrote."""
    return format_skeleton("yMMMd", moment, locale=_locale())


def day_of_month(moment: datetime, zone: str) -> str:
    """'28': the big number on a card's calendar leaf."""
    return format_skeleton("d", times.local(moment, zone), locale=_locale())


def month(moment: datetime, zone: str) -> str:
    """'Nov' / 'nov.': the calendar leaf on a card."""
    return format_skeleton("MMM", times.local(moment, zone), locale=_locale())


def relative(moment: datetime, now: datetime, zone: str) -> str:
    """'in 3 days', 'tomorrow', 'in 2 hours', 'yesterday', '5 days ago'."""
    delta = moment - now
    if timedelta(0) <= delta < timedelta(hours=12):
        return format_timedelta(
            max(delta, timedelta(minutes=1)), add_direction=True,
            threshold=2, locale=_locale(),
        )  # fmt: skip
    days = (times.local(moment, zone).date() - times.local(now, zone).date()).days
    if days == 0:
        return gettext("today") if delta >= timedelta(0) else gettext("earlier today")
    if days == 1:
        return gettext("tomorrow")
    if days == -1:
        return gettext("yesterday")
    return format_timedelta(
        timedelta(days=days), add_direction=True, threshold=2, locale=_locale()
    )


def ago(moment: datetime, now: datetime, zone: str) -> str:
    """A moment just past: '5 minutes ago', '3 hours ago', then as `relative`."""
    delta = now - moment
    if timedelta(0) <= delta < timedelta(hours=12):
        return format_timedelta(
            -max(delta, timedelta(minutes=1)), add_direction=True, locale=_locale()
        )
    return relative(moment, now, zone)


def weekday_name(weekday: int) -> str:
    """'Thursday' / 'jueves' / 'jeudi' (Monday is 0, as in Babel and Python)."""
    return _locale().days["format"]["wide"][weekday]


def rhythm(kind: str, every_weeks: int, weekday: int, week_of_month: int,
           day_of_month: int) -> str:  # fmt: skip
    """A series' rule in words: 'Every first Thursday of the month'."""
    name = weekday_name(weekday)
    if kind == "weekly":
        if every_weeks == 1:
            return gettext("Every %(weekday)s", weekday=name)
        return ngettext(
            "Every %(num)d week on %(weekday)s",
            "Every %(num)d weeks on %(weekday)s",
            every_weeks,
            weekday=name,
        )
    if kind == "monthly-day":
        return gettext("Every month on day %(day)d", day=day_of_month)
    sentences = {
        1: gettext("Every first %(weekday)s of the month", weekday=name),
        2: gettext("Every second %(weekday)s of the month", weekday=name),
        3: gettext("Every third %(weekday)s of the month", weekday=name),
        4: gettext("Every fourth %(weekday)s of the month", weekday=name),
        -1: gettext("Every last %(weekday)s of the month", weekday=name),
    }
    return sentences[week_of_month]


def wall_clock(at: time) -> str:
    """'7:30 PM' / '19:30' for a time of day with no date."""
    return format_skeleton(f"{_hours()}m", datetime.combine(datetime.min, at),
                           locale=_locale())  # fmt: skip
