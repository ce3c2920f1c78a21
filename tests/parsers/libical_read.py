"""Reads an iCalendar file on stdin with libical (GNOME's Evolution and
Calendar), through Debian's GObject bindings, and prints each VEVENT's UID,
SEQUENCE and start as a UTC instant, and what RFC 5546 asks of each METHOD
(ORGANIZER, ATTENDEEs, DTSTAMP, STATUS), in JSON. Run with the system's python3:
the bindings are Debian's, not the virtualenv's."""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

calendar = ICalGLib.Component.new_from_string(sys.stdin.read())
utc = ICalGLib.Timezone.get_utc_timezone()
events = []
vevent = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
while vevent is not None:
    start = vevent.get_dtstart()
    # A TZID resolved against the calendar's own VTIMEZONE, as Evolution does.
    zone = start.get_timezone()
    if zone is None and vevent.get_first_property(
        ICalGLib.PropertyKind.DTSTART_PROPERTY
    ):
        prop = vevent.get_first_property(ICalGLib.PropertyKind.DTSTART_PROPERTY)
        tzid = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER)
        if tzid is not None:
            zone = calendar.get_timezone(tzid.get_tzid())
            start.set_timezone(zone)
    moment = start.convert_to_zone(utc) if zone is not None else start
    kinds = ICalGLib.PropertyKind
    attendees = []
    attendee = vevent.get_first_property(kinds.ATTENDEE_PROPERTY)
    while attendee is not None:
        partstat = attendee.get_first_parameter(
            ICalGLib.ParameterKind.PARTSTAT_PARAMETER
        )
        rsvp = attendee.get_first_parameter(ICalGLib.ParameterKind.RSVP_PARAMETER)
        attendees.append(
            {
                "address": attendee.get_attendee(),
                "partstat": partstat.as_ical_string().split("=")[1]
                if partstat
                else None,
                "rsvp": rsvp.as_ical_string().split("=")[1] if rsvp else None,
            }
        )
        attendee = vevent.get_next_property(kinds.ATTENDEE_PROPERTY)
    organizer = vevent.get_first_property(kinds.ORGANIZER_PROPERTY)
    status = vevent.get_first_property(kinds.STATUS_PROPERTY)
    method = calendar.get_first_property(kinds.METHOD_PROPERTY)
    events.append(
        {
            "uid": vevent.get_uid(),
            "sequence": vevent.get_sequence(),
            "start": moment.as_ical_string(),
            "method": method.get_value_as_string() if method else None,
            "organizer": organizer.get_organizer() if organizer else None,
            "attendees": attendees,
            "dtstamp": vevent.get_first_property(kinds.DTSTAMP_PROPERTY) is not None,
            "status": status.get_value_as_string() if status else None,
            "summary": vevent.get_summary(),
        }
    )
    vevent = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
json.dump(events, sys.stdout)
