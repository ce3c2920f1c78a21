"""Local time and UTC: converting what organisers type, and the skipped hour.

Saying a time to a person is `meetup.dates`'s job (Babel, in her language).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


class NonexistentTime(ValueError):
    """The wall-clock time is skipped by a daylight-saving change in that zone
    (`local` and `zone` say which), or is outside the calendar (`local` None)."""

    def __init__(self, local: datetime | None, zone: str):
        super().__init__(f"{local} does not exist in {zone}")
        self.local, self.zone = local, zone


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
        raise NonexistentTime(None, zone) from None
    if round_trip != local:
        raise NonexistentTime(local, zone)
    return utc


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def at(day: date, wall_clock: time, zone: str) -> datetime:
    """A series date's start as aware UTC: the same wall-clock time every date,
    across daylight saving. In the skipped hour it is the time after the gap
    (02:30 becomes 03:30); in the repeated hour, the first."""
    return datetime.combine(day, wall_clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)
