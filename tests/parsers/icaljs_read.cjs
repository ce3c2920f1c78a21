// Reads an iCalendar file on stdin with ical.js, as Thunderbird does, and
// prints each VEVENT's UID, SEQUENCE and start as a UTC instant, and what
// RFC 5546 asks of each METHOD (ORGANIZER, ATTENDEEs, DTSTAMP, STATUS), in JSON.
// The file's own VTIMEZONEs are registered first: ical.js knows no zones else.
const ICAL = require("ical.js");

let text = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      method: calendar.getFirstPropertyValue("method"),
      organizer: vevent.getFirstPropertyValue("organizer"),
      attendees: vevent.getAllProperties("attendee").map((attendee) => ({
        address: attendee.getFirstValue(),
        partstat: attendee.getParameter("partstat") || null,
        rsvp: attendee.getParameter("rsvp") || null,
      })),
      dtstamp: vevent.getFirstPropertyValue("dtstamp") ? true : false,
      status: vevent.getFirstPropertyValue("status"),
      summary: vevent.getFirstPropertyValue("summary"),
    };
  });
  process.stdout.write(JSON.stringify(events));
});
