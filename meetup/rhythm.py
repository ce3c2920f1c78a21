"""A series' dates from its rule: pure calendar arithmetic, no app, no zones.

Three rules: every N weeks on a weekday (counted from the first date); the
1st–4th or last weekday of each month; a day of the month from 1 to 28.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, MONTHLY_WEEKDAY, MONTHLY_DAY = "weekly", "monthly-weekday", "monthly-day"
#: `week_of_month` for "the last Thursday".
LAST = -1


@dataclass(frozen=True)
class Rule:
    kind: str
    starts_on: date
    every_weeks: int = 1
    weekday: int = 0  # Monday is 0
    week_of_month: int = 1
    day_of_month: int = 1


def dates_from(rule: Rule, first: date) -> Iterator[date]:
    """The rule's dates on or after both `first` and the rule's own start, in order."""
    first = max(first, rule.starts_on)
    if rule.kind == WEEKLY:
        yield from _weekly(rule, first)
    else:
        yield from _monthly(rule, first)


def _weekly(rule: Rule, first: date) -> Iterator[date]:
    # The first matching weekday on or after the series' start anchors the count.
    anchor = rule.starts_on + timedelta(
        days=(rule.weekday - rule.starts_on.weekday()) % 7
    )
    step = timedelta(weeks=rule.every_weeks)
    periods = max(0, -(-(first - anchor).days // step.days))  # ceiling division
    day = anchor + periods * step
    while True:
        yield day
        day += step


def _monthly(rule: Rule, first: date) -> Iterator[date]:
    year, month = first.year, first.month
    while True:
        day = _in_month(rule, year, month)
        if day is not None and day >= first:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _in_month(rule: Rule, year: int, month: int) -> date | None:
    if rule.kind == MONTHLY_DAY:
        return date(year, month, rule.day_of_month)
    weeks = calendar.monthcalendar(year, month)
    days = [week[rule.weekday] for week in weeks if week[rule.weekday]]
    if rule.week_of_month == LAST:
        return date(year, month, days[-1])
    # Only the 1st to 4th are offered: every month has them.
    return date(year, month, days[rule.week_of_month - 1])
