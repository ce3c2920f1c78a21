"""The .ics writer: rule-form time zones that read back right in every zone,
text that cannot inject properties, and what feeds say about themselves."""

import itertools
import zoneinfo
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from meetup import ical, zone_rules
from tests.parsers import icaljs, libical


def entry(**fields) -> ical.Entry:
    start = fields.pop("starts_at", datetime(2027, 3, 12, 18, 30, tzinfo=UTC))
    values = {
        "uid": "5f0c6a2e-0000-4000-8000-000000000001",
        "sequence": 2,
        "summary": "Supper at Ana's",
        "description": "Bring a dish.\n\nhttp://127.0.0.1:5000/events/1",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "timezone": "Europe/Paris",
        "location": "A member's home in Le Marais, Paris",
        "geo": (48.8575, 2.3575),
        "url": "http://127.0.0.1:5000/events/1",
        "status": "CONFIRMED",
        "organizer_name": "Knitting Circle",
        "organizer_email": "hello@hearth.example",
        "created_at": datetime(2027, 1, 1, 9, tzinfo=UTC),
        "updated_at": datetime(2027, 2, 1, 10, 15, tzinfo=UTC),
        **fields,
    }
    return ical.Entry(**values)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def test_a_download_carries_every_property_clients_need():
    cal = parse(ical.calendar([entry()]))
    assert str(cal["PRODID"]) == ical.PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "5f0c6a2e-0000-4000-8000-000000000001"
    assert event["SEQUENCE"] == 2
    assert event["DTSTAMP"].dt == datetime(2027, 2, 1, 10, 15, tzinfo=UTC)
    assert event["DTSTAMP"].to_ical().endswith(b"Z")
    assert event["CREATED"].dt == datetime(2027, 1, 1, 9, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2027, 2, 1, 10, 15, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Supper at Ana's"
    assert str(event["LOCATION"]) == "A member's home in Le Marais, Paris"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (48.8575, 2.3575)
    assert str(event["URL"]) == "http://127.0.0.1:5000/events/1"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:hello@hearth.example"
    assert event["ORGANIZER"].params["CN"] == "Knitting Circle"
    assert "ATTENDEE" not in event
    assert "X-WR-CALNAME" not in cal


def test_times_carry_their_zone_and_read_back_as_the_same_moment():
    cal = parse(ical.calendar([entry()]))
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    start = event["DTSTART"].dt
    assert start.astimezone(UTC) == datetime(2027, 3, 12, 18, 30, tzinfo=UTC)
    assert (start.hour, start.minute) == (19, 30)  # CET, as the organiser typed it
    assert event["DTEND"].dt.astimezone(UTC) == datetime(
        2027, 3, 12, 21, 30, tzinfo=UTC
    )


def test_every_tzid_has_a_vtimezone_in_rule_form():
    data = ical.calendar(
        [
            entry(timezone="Europe/Paris"),
            entry(uid="b", timezone="America/New_York"),
            entry(uid="c", timezone="Australia/Sydney"),
            entry(uid="d", timezone="Asia/Tokyo"),
        ]
    )
    cal = parse(data)
    zones = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
    used = {str(e["DTSTART"].params["TZID"]) for e in cal.walk("VEVENT")}
    assert (
        used
        == set(zones)
        == {
            "Europe/Paris",
            "America/New_York",
            "Australia/Sydney",
            "Asia/Tokyo",
        }
    )
    assert b"RDATE" not in data
    paris = zones["Europe/Paris"]
    rules = {
        part.name: part["RRULE"].to_ical().decode() for part in paris.subcomponents
    }
    assert rules == {
        "DAYLIGHT": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "STANDARD": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    }
    new_york = {
        p.name: p["RRULE"].to_ical().decode()
        for p in zones["America/New_York"].subcomponents
    }
    assert new_york["DAYLIGHT"] == "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"
    assert new_york["STANDARD"] == "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"
    (tokyo,) = zones["Asia/Tokyo"].subcomponents
    assert tokyo.name == "STANDARD" and "RRULE" not in tokyo


def local_moments(zone: str) -> list[datetime]:
    """Evening times around the year and on both sides of each clock change."""
    tz = ZoneInfo(zone)
    moments = [datetime(2027, month, 15, 19, 30, tzinfo=tz) for month in range(1, 13)]
    for year in (2026, 2027, 2028):
        rules = zone_rules.yearly_rules(zone, year, year) or ()
        for observance in rules:
            if observance.month is None:
                continue
            changes = [
                c for c in zone_rules._changes(tz, year, year) if c.local.year == year
            ]
            for change in changes:
                for hours in (-25, -1, 1, 2, 25):
                    moments.append(
                        (change.instant + timedelta(hours=hours)).astimezone(tz)
                    )
    return moments


_renamed = itertools.count()


def own_zones_only(data: bytes, zone: str) -> bytes:
    """Rename the TZID so a parser must use the file's VTIMEZONE: icalendar would
    otherwise look a known IANA name up in zoneinfo and ignore the file's rules."""
    # icalendar caches zones by TZID for the whole process: a fresh name each time.
    name = f"Hearth-Test-{next(_renamed)}".encode()
    return data.replace(f"TZID:{zone}".encode(), b"TZID:" + name).replace(
        f"TZID={zone}:".encode(), b"TZID=" + name + b":"
    )


def test_a_parser_reads_the_files_own_rules_not_its_zoneinfo():
    data = own_zones_only(ical.calendar([entry()]), "Europe/Paris")
    wrong = data.replace(b"TZOFFSETTO:+0100", b"TZOFFSETTO:+0900")
    (event,) = parse(wrong).walk("VEVENT")
    assert event["DTSTART"].params["TZID"].startswith("Hearth-Test")
    assert event["DTSTART"].dt.astimezone(UTC) != datetime(
        2027, 3, 12, 18, 30, tzinfo=UTC
    )


def test_every_zone_reads_back_at_the_right_moment_around_the_year():
    """All ~600 IANA zones: rule form where one rule holds, UTC where none does."""
    wrong, utc_zones = [], []
    for zone in sorted(zoneinfo.available_timezones()):
        moments = local_moments(zone)
        entries = [
            entry(uid=f"{zone}-{i}", timezone=zone, starts_at=moment.astimezone(UTC))
            for i, moment in enumerate(moments)
        ]
        cal = parse(own_zones_only(ical.calendar(entries), zone))
        if not cal.walk("VTIMEZONE"):
            utc_zones.append(zone)
        for moment, event in zip(moments, cal.walk("VEVENT"), strict=True):
            read = event["DTSTART"].dt
            if read.astimezone(UTC) != moment.astimezone(UTC):
                wrong.append((zone, moment.isoformat(), read.isoformat()))
            elif "TZID" in event["DTSTART"].params and read.replace(
                tzinfo=None
            ) != moment.replace(tzinfo=None):
                wrong.append((zone, "wall clock", moment.isoformat(), read.isoformat()))
    assert wrong == []
    # Only zones whose changes follow no "nth weekday of the month" rule fall
    # back to UTC: Ramadan pauses, "the Saturday before the last Sunday" (Nuuk),
    # "the Sunday after the first Saturday" (Chile).
    assert set(utc_zones) <= IRREGULAR_ZONES


IRREGULAR_ZONES = {
    "Africa/Casablanca",
    "Africa/El_Aaiun",
    "America/Godthab",
    "America/Nuuk",
    "America/Santiago",
    "America/Scoresbysund",
    "Asia/Gaza",
    "Asia/Hebron",
    "Chile/Continental",
}


def test_a_zone_without_one_yearly_rule_gets_utc_times():
    cal = parse(ical.calendar([entry(timezone="Africa/Casablanca")]))
    (event,) = cal.walk("VEVENT")
    assert not cal.walk("VTIMEZONE")
    assert "TZID" not in event["DTSTART"].params
    assert event["DTSTART"].to_ical().endswith(b"Z")
    assert event["DTSTART"].dt == datetime(2027, 3, 12, 18, 30, tzinfo=UTC)


def test_a_rule_that_changed_in_the_years_asked_is_refused():
    # Greenland moved from -03/-02 to -02/-01 in 2023-2024.
    assert zone_rules.yearly_rules("America/Nuuk", 2022, 2025) is None
    assert zone_rules.yearly_rules("America/Nuuk", 2025, 2028) is not None


HOSTILE = (
    "Tea\r\nDESCRIPTION:pwned\nATTENDEE:mailto:x@evil.example;"
    "\u2028X-INJ:1\x0bEND:VEVENT"
)


@pytest.mark.parametrize(
    "field", ["summary", "description", "location", "organizer_name"]
)
def test_hostile_text_cannot_add_properties(field):
    data = ical.calendar([entry(**{field: HOSTILE})])
    cal = parse(data)
    (event,) = cal.walk("VEVENT")
    assert len(cal.walk("VEVENT")) == 1
    names = [name for name, _ in event.property_items(recursive=False)][1:-1]
    assert sorted(set(names)) == sorted(names)  # nothing doubled
    assert not {"ATTENDEE", "X-INJ"} & set(names)
    for line in data.split(b"\r\n"):
        assert not line.startswith((b"ATTENDEE", b"X-INJ", b"DESCRIPTION:pwned"))
    assert b"\x0b" not in data and "\u2028".encode() not in data


def test_text_survives_as_plain_text():
    title = 'Crêpes; cider, and a 🎉 "party" \\ night'
    (event,) = parse(ical.calendar([entry(summary=title)])).walk("VEVENT")
    assert str(event["SUMMARY"]) == title


def test_lines_are_folded_at_75_octets():
    data = ical.calendar([entry(description="Ünïcödé words and more. " * 40)])
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    (event,) = parse(data).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "Ünïcödé words and more. " * 40


def test_a_feed_names_itself_and_says_how_often_to_look():
    feed = ical.Feed("Knitting Circle (Hearth)", "Europe/Paris")
    data = ical.calendar([entry()], feed=feed)
    cal = parse(data)
    assert str(cal["X-WR-CALNAME"]) == "Knitting Circle (Hearth)"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Paris"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in data


def test_the_same_input_gives_the_same_bytes():
    assert ical.calendar([entry()]) == ical.calendar([entry()])


def test_another_parser_reads_the_same_times():
    """vobject (a separate implementation) agrees with zoneinfo."""
    zones = ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
    moments = [
        datetime(2027, month, day, 19, 30, tzinfo=ZoneInfo(zone))
        for zone in zones
        for month, day in ((1, 10), (3, 27), (3, 29), (7, 1), (10, 30), (11, 2))
    ]
    entries = [
        entry(uid=f"e{i}", timezone=str(m.tzinfo), starts_at=m.astimezone(UTC))
        for i, m in enumerate(moments)
    ]
    parsed = vobject.readOne(ical.calendar(entries).decode())
    starts = [event.dtstart.value for event in parsed.vevent_list]
    assert [s.astimezone(UTC) for s in starts] == [m.astimezone(UTC) for m in moments]
    assert [(s.hour, s.minute) for s in starts] == [(19, 30)] * len(moments)


def test_a_time_in_either_repeated_hour_is_written_in_utc():
    """RFC 5545 reads 02:30 TZID=Europe/Paris on 2027-10-31 as the first one,
    but ical.js and libical as the second: only UTC means one moment to all."""
    first = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 02:30 CET
    after = datetime(2027, 10, 31, 2, 30, tzinfo=UTC)  # 03:30 CET: only once
    data = ical.calendar(
        [
            entry(uid="first", starts_at=first, ends_at=after),
            entry(uid="second", starts_at=second, ends_at=after),
            entry(uid="after", starts_at=after, ends_at=after + timedelta(hours=1)),
        ]
    )
    read = [e["DTSTART"] for e in parse(data).walk("VEVENT")]
    for moment, start in zip((first, second), read[:2], strict=True):
        assert "TZID" not in start.params and start.dt == moment
    assert read[2].params["TZID"] == "Europe/Paris"
    assert read[2].dt.astimezone(UTC) == after
    # And as Thunderbird (ical.js) and Evolution (libical) read it, with the
    # file's own VTIMEZONE: both read a TZID time in that hour as the second.
    assert [e["start"] for e in icaljs(data)] == [first, second, after]
    assert [e["start"] for e in libical(data)] == [first, second, after]


def test_a_far_off_year_goes_out_in_utc_instead_of_failing():
    far = datetime(9998, 6, 1, 18, tzinfo=UTC)
    cal = parse(ical.calendar([entry(starts_at=far), entry(uid="now")]))
    far_event, near_event = cal.walk("VEVENT")
    assert far_event["DTSTART"].dt == far
    assert "TZID" not in far_event["DTSTART"].params
    assert "TZID" not in near_event["DTSTART"].params  # one zone, one way


def test_a_hostile_feed_name_cannot_add_properties():
    name = "Knit\rREFRESH-INTERVAL;VALUE=DURATION:P999W\u2028X-INJ:1"
    data = ical.calendar([entry()], feed=ical.Feed(name, "Europe/Paris"))
    lines = data.split(b"\r\n")
    assert [line for line in lines if line.startswith(b"REFRESH-INTERVAL")] == [
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H"
    ]
    assert b"\nX-INJ" not in data and b"\rREFRESH" not in data
    parsed = vobject.readOne(data.decode())
    assert len(parsed.contents["refresh-interval"]) == 1
    assert "x-inj" not in parsed.contents


@pytest.mark.parametrize(
    ("status", "partstat", "busy"),
    [
        ("CONFIRMED", None, "OPAQUE"),
        ("CONFIRMED", "ACCEPTED", "OPAQUE"),
        ("TENTATIVE", None, "TRANSPARENT"),  # waitlisted, or asking
        ("CANCELLED", None, "TRANSPARENT"),
        ("CANCELLED", "ACCEPTED", "TRANSPARENT"),
        ("", "DECLINED", "TRANSPARENT"),  # she is uninvited
    ],
)
def test_only_a_seat_makes_the_time_busy(status, partstat, busy):
    attendee = partstat and ical.Attendee("Ana", "ana@example.org", partstat)
    [event] = parse(ical.calendar([entry(status=status, attendee=attendee)])).walk(
        "VEVENT"
    )
    assert event["TRANSP"] == busy


def test_a_calendar_name_with_a_comma_reads_whole():
    feed = ical.Feed("Leith, Edinburgh; book club (Hearth)", "Europe/London")
    data = ical.calendar([entry()], feed=feed)
    assert b"X-WR-CALNAME:Leith\\, Edinburgh\\; book club (Hearth)\r\n" in data
    parsed = vobject.readOne(data.decode())
    assert parsed.contents["x-wr-calname"][0].value == feed.name


def test_names_need_no_rfc_6868_quotes():
    """Clients without RFC 6868 would show ^' for a double quote."""
    attendee = ical.Attendee('Ana "Nan" Ruiz', "ana@example.org", "ACCEPTED")
    data = ical.calendar([entry(organizer_name='The "Reds"', attendee=attendee)])
    assert b"^'" not in data
    [event] = parse(data).walk("VEVENT")
    assert event["ATTENDEE"].params["CN"] == "Ana 'Nan' Ruiz"
    assert event["ORGANIZER"].params["CN"] == "The 'Reds'"


def test_an_empty_calendar_still_holds_a_component():
    """RFC 5545: at least one. A feed before her first yes is the likeliest."""
    data = ical.calendar([], feed=ical.Feed("My gatherings (Hearth)", "Europe/Paris"))
    cal = parse(data)
    assert cal.walk("VEVENT") == []
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "UTC"
    assert vobject.readOne(data.decode()).vtimezone.tzid.value == "UTC"
