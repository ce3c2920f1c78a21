"""A time zone's clock changes as yearly rules ("last Sunday of March, 2 am").

Calendar clients all read a VTIMEZONE written the way Google writes it: one
STANDARD and one DAYLIGHT observance, each with a yearly RRULE. The long lists
of single dates that icalendar's own generator writes are misread by some
clients across daylight-saving changes. zoneinfo has no API for rules, so the
changes are found by sampling the zone, then described as a rule that must
hold in every year asked about. Where none does (a zone that changed its law,
Morocco's Ramadan pauses), the answer is None and callers write UTC instead.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Observance:
    """One kind of time in a zone (standard or daylight) and when it begins."""

    is_daylight: bool
    name: str
    offset_from: timedelta
    offset_to: timedelta
    #: The first change, as the clocks read just before it (local, naive).
    starts: datetime
    #: The yearly rule; all None for a zone whose clocks never change.
    month: int | None = None
    #: 1 to 5 from the start of the month, -1 for the last such weekday.
    week: int | None = None
    weekday: int | None = None  # Monday is 0

    @property
    def byday(self) -> str:
        return f"{self.week}{('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')[self.weekday]}"


@dataclass(frozen=True)
class _Change:
    instant: datetime  # UTC
    before: timedelta
    after: timedelta
    name: str

    @property
    def local(self) -> datetime:
        """The wall-clock time just before the change, as a rule states it."""
        return (self.instant + self.before).replace(tzinfo=None)


@lru_cache(maxsize=1024)
def yearly_rules(
    zone: str, first_year: int, last_year: int
) -> tuple[Observance, ...] | None:
    """The zone's observances, valid from `first_year` through `last_year`."""
    tz = ZoneInfo(zone)
    by_year = defaultdict(list)
    for change in _changes(tz, first_year, last_year):
        if first_year <= change.local.year <= last_year:
            by_year[change.local.year].append(change)
    if not by_year:
        start = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz)
        offset = start.utcoffset()
        return (
            Observance(False, start.tzname(), offset, offset, datetime(1970, 1, 1)),
        )
    if len(by_year) != last_year - first_year + 1:
        return None  # changes in some years only: the law changed
    return _rules(list(by_year.values()))


def _rules(years: list[list[_Change]]) -> tuple[Observance, ...] | None:
    """One observance per change of the first year, if every year repeats it."""
    observances = []
    for position, first in enumerate(years[0]):
        weeks = _weeks(first.local)
        for year in years[1:]:
            if len(year) != len(years[0]):
                return None
            change = year[position]
            if (change.before, change.after, change.name) != (
                first.before,
                first.after,
                first.name,
            ) or (change.local.month, change.local.weekday(), change.local.time()) != (
                first.local.month,
                first.local.weekday(),
                first.local.time(),
            ):
                return None
            weeks &= _weeks(change.local)
        if not weeks:
            return None  # e.g. "the Friday before the last Sunday"
        observances.append(
            Observance(
                is_daylight=first.after > first.before,
                name=first.name,
                offset_from=first.before,
                offset_to=first.after,
                starts=first.local,
                month=first.local.month,
                week=-1 if -1 in weeks else min(weeks),
                weekday=first.local.weekday(),
            )
        )
    return tuple(observances)


def _weeks(day: datetime) -> set[int]:
    """Both ways to name the day: the 2nd Sunday, and the last (or not) one."""
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    weeks = {(day.day - 1) // 7 + 1}
    if day.day + 7 > days_in_month:
        weeks.add(-1)
    return weeks


def _changes(tz: ZoneInfo, first_year: int, last_year: int) -> list[_Change]:
    """Every change of UTC offset in the years, found day by day, then to the second."""
    moment = datetime(first_year - 1, 12, 31, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 2, tzinfo=UTC)
    day = timedelta(days=1)
    changes = []
    offset = _offset(tz, moment)
    while moment < end:
        next_offset = _offset(tz, moment + day)
        if next_offset != offset:
            instant = _first_moment_with(tz, next_offset, moment, moment + day)
            name = instant.astimezone(tz).tzname()
            changes.append(_Change(instant, offset, next_offset, name))
        moment, offset = moment + day, next_offset
    return changes


def _first_moment_with(
    tz: ZoneInfo, offset: timedelta, low: datetime, high: datetime
) -> datetime:
    """Bisect (low, high] for the first second the zone is at `offset`."""
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _offset(tz, middle) == offset:
            high = middle
        else:
            low = middle
    return high


def _offset(tz: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(tz).utcoffset()
