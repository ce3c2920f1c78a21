"""iCalendar files (RFC 5545), built with the icalendar package: objects in, bytes out.

Every .ics Hearth writes is built here: event downloads, the group and personal
feeds (METHOD:PUBLISH) and the invitations in mail (METHOD:REQUEST or CANCEL,
RFC 5546). Nothing here queries or decides privacy: callers pass an `Entry`
holding exactly what that person may be told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from meetup import zone_rules

PRODID = "-//Hearth//Gatherings 1.0//EN"
MAX_RULE_YEAR = 2200
MAX_RULE_SPAN = 30  # years
#: Other line breaks that some parsers split on, and control characters that
#: RFC 5545 forbids in text. icalendar escapes CR, LF, ";" and "," itself.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One event as one person may be told it."""

    uid: str
    sequence: int
    summary: str
    #: Plain text, already ending with the link back to the event.
    description: str
    starts_at: datetime  # aware
    ends_at: datetime
    timezone: str  # IANA
    #: The address, or only the area: whatever the privacy rule allows.
    location: str
    geo: tuple[float, float] | None
    url: str
    status: str  # CONFIRMED, TENTATIVE or CANCELLED
    organizer_name: str
    organizer_email: str
    created_at: datetime
    updated_at: datetime
    #: The one person an invitation is for; feeds and downloads have none.
    attendee: Attendee | None = None
    #: DTSTAMP: when this copy was made. Invitations use the sending time, so a
    #: client orders two copies with the same SEQUENCE; otherwise the last change.
    stamp: datetime | None = None


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    #: ACCEPTED (going), TENTATIVE (waitlisted) or DECLINED; "" for none (a
    #: whole gathering cancelled).
    partstat: str
    #: Whether her calendar app should offer Yes / No: only where a reply to
    #: the ORGANIZER reaches Hearth (REPLY_DOMAIN).
    rsvp: bool = False


@dataclass(frozen=True)
class Feed:
    """What a subscribed calendar shows about itself, and how often to poll."""

    name: str
    timezone: str  # a display hint only: every time carries its own zone
    refresh: timedelta = timedelta(hours=1)


def calendar(
    entries: Iterable[Entry], feed: Feed | None = None, method: str = "PUBLISH"
) -> bytes:
    """A VCALENDAR with a rule-form VTIMEZONE for every TZID it uses."""
    entries = list(entries)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if feed is not None:
        # An X- property's value is not escaped unless it is given as TEXT: a
        # comma would cut the name short in vobject.
        cal.add("x-wr-calname", icalendar.vText(_plain(feed.name, one_line=True)))
        cal.add("x-wr-timezone", feed.timezone)
        cal.add("refresh-interval", feed.refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(feed.refresh))
    zones = _zones(entries)
    for zone, observances in sorted(zones.items()):
        if observances:
            cal.add_component(_vtimezone(zone, observances))
    for entry in entries:
        in_zone = bool(zones[entry.timezone]) and _unambiguous(entry)
        cal.add_component(_vevent(entry, in_zone))
    if not cal.subcomponents:
        # RFC 5545 wants at least one component, and some importers refuse a
        # calendar without: a new member's feed before her first yes is empty.
        cal.add_component(_utc())
    return cal.to_ical()


def _utc() -> icalendar.Timezone:
    """UTC as a VTIMEZONE: timeless, and no event refers to it."""
    timezone = icalendar.Timezone()
    timezone.add("tzid", "UTC")
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    timezone.add_component(standard)
    return timezone


def _zones(entries: list[Entry]) -> dict[str, tuple[zone_rules.Observance, ...]]:
    """Each zone's rules over the years its events span (a year either side),
    or () where no single rule holds and the times go out in UTC."""
    years: dict[str, list[int]] = {}
    for entry in entries:
        years.setdefault(entry.timezone, []).extend(
            (entry.starts_at.year, entry.ends_at.year)
        )
    return {
        zone: _rules(zone, min(span) - 1, max(span) + 1) for zone, span in years.items()
    }


def _rules(zone: str, first_year: int, last_year: int) -> tuple:
    # A typo like the year 9998, or decades between events: UTC is always right,
    # and checking a rule over such a span would cost more than it gives.
    if last_year > MAX_RULE_YEAR or last_year - first_year > MAX_RULE_SPAN:
        return ()
    return zone_rules.yearly_rules(zone, first_year, last_year) or ()


def _unambiguous(entry: Entry) -> bool:
    """A wall-clock time in the hour repeated when clocks go back means its first
    occurrence (RFC 5545), but ical.js and libical read it as the second, an hour
    (Lord Howe: 30 minutes) late: a time in either one is written in UTC."""
    zone = ZoneInfo(entry.timezone)
    for moment in (entry.starts_at, entry.ends_at):
        local = moment.astimezone(zone)
        if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
            return False
    return True


def _vtimezone(
    zone: str, observances: tuple[zone_rules.Observance, ...]
) -> icalendar.Timezone:
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone)
    for observance in observances:
        kind = (
            icalendar.TimezoneDaylight
            if observance.is_daylight
            else icalendar.TimezoneStandard
        )
        part = kind()
        part.add("dtstart", observance.starts)
        part.add("tzoffsetfrom", observance.offset_from)
        part.add("tzoffsetto", observance.offset_to)
        part.add("tzname", observance.name)
        if observance.month is not None:
            part.add(
                "rrule",
                {
                    "freq": "yearly",
                    "bymonth": observance.month,
                    "byday": observance.byday,
                },
            )
        timezone.add_component(part)
    return timezone


def _vevent(entry: Entry, in_zone: bool) -> icalendar.Event:
    zone = ZoneInfo(entry.timezone) if in_zone else UTC
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    # The moment this copy of the event took its current form: deterministic,
    # so an unchanged feed is byte-for-byte the same.
    event.add("dtstamp", (entry.stamp or entry.updated_at).astimezone(UTC))
    event.add("created", entry.created_at.astimezone(UTC))
    event.add("last-modified", entry.updated_at.astimezone(UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", _plain(entry.summary))
    event.add("description", _plain(entry.description))
    event.add("location", _plain(entry.location))
    if entry.geo is not None:
        event.add("geo", (round(entry.geo[0], 6), round(entry.geo[1], 6)))
    event.add("url", entry.url)
    if entry.status:  # none when one attendee is uninvited (RFC 5546 3.2.5)
        event.add("status", entry.status)
    event.add(
        "organizer",
        _cal_address(entry.organizer_email),
        parameters={"CN": _name(entry.organizer_name)},
    )
    if entry.attendee is not None:
        event.add(
            "attendee",
            _cal_address(entry.attendee.email),
            parameters={
                "CN": _name(entry.attendee.name),
                **(
                    {"PARTSTAT": entry.attendee.partstat}
                    if entry.attendee.partstat
                    else {}
                ),
                "ROLE": "REQ-PARTICIPANT",
                "RSVP": "TRUE" if entry.attendee.rsvp else "FALSE",
            },
        )
    # Busy only while she has a seat: waitlisted, asking, cancelled or uninvited,
    # the time stays free for something else.
    declined = entry.attendee is not None and entry.attendee.partstat != "ACCEPTED"
    free = declined or entry.status in ("TENTATIVE", "CANCELLED")
    event.add("transp", "TRANSPARENT" if free else "OPAQUE")
    return event


def _cal_address(email: str) -> str:
    """A mailto: URI as the mail carries the address: the domain in its ASCII
    (IDNA) form, so her calendar app knows the invitation is hers."""
    local, _, domain = email.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a name IDNA can write: left as it is
    return f"mailto:{local}@{domain}"


def _name(text: str) -> str:
    """A CN without double quotes: RFC 6868 would write them as ^', which
    clients without RFC 6868 show literally."""
    return _plain(text, one_line=True).replace('"', "'")


def _plain(text: str, one_line: bool = False) -> str:
    text = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))
    return " ".join(text.split()) if one_line else text
