"""Local time and UTC: converting what organisers type, saying times as people do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


class NonexistentTime(ValueError):
    """The wall-clock time is skipped by a daylight-saving change in that zone."""


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall-clock time in `zone` as aware UTC.

    In the hour skipped when clocks go forward there is no such time: refuse it
    rather than guess. In the hour repeated when they go back, take the first.
    """
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    try:
        utc = aware.astimezone(UTC)
        round_trip = utc.astimezone(tz).replace(tzinfo=None)
    except OverflowError:
        raise NonexistentTime("Pick a date between the years 2 and 9998.") from None
    if round_trip != local:
        raise NonexistentTime(
            f"{local:%H:%M} does not exist on {local:%-d %b} in {zone}: "
            "the clocks change then. Pick a time an hour later."
        )
    return utc


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def clock(moment: datetime) -> str:
    """'7:30 pm', '7 pm', 'noon'."""
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment:%M} {suffix}" if moment.minute else f"{hour} {suffix}"


def when(moment: datetime, zone: str) -> str:
    """'Thu 12 Mar, 7:30 pm CET' in the event's zone, with the zone's abbreviation."""
    there = local(moment, zone)
    return f"{there:%a} {there.day} {there:%b}, {clock(there)} {there.tzname()}"


def when_range(start: datetime, end: datetime, zone: str) -> str:
    """'Thu 12 Mar, 7:30 pm – 10 pm CET', or both dates when it runs overnight."""
    a, b = local(start, zone), local(end, zone)
    if a.date() == b.date():
        return f"{a:%a} {a.day} {a:%b}, {clock(a)} – {clock(b)} {b.tzname()}"
    return f"{when(start, zone)} – {when(end, zone)}"


def relative(moment: datetime, now: datetime, zone: str) -> str:
    """'in 3 days', 'tomorrow', 'in 2 hours', 'yesterday', '5 days ago'."""
    delta = moment - now
    if timedelta(0) <= delta < timedelta(hours=1):
        return f"in {max(int(delta.total_seconds() // 60), 1)} min"
    if timedelta(0) <= delta < timedelta(hours=12):
        hours = int(delta.total_seconds() // 3600)
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = (local(moment, zone).date() - local(now, zone).date()).days
    if days == 0:
        return "today" if delta >= timedelta(0) else "earlier today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    ahead = days > 0
    days = abs(days)
    if days < 14:
        amount = f"{days} days"
    elif days < 60:
        amount = f"{days // 7} weeks"
    elif days < 730:
        amount = f"{days // 30} months"
    else:
        amount = f"{days // 365} years"
    return f"in {amount}" if ahead else f"{amount} ago"
