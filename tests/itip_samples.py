"""iTIP REPLYs as calendar apps mail them when she taps Yes, Maybe or No.

Shaped after what Gmail, Outlook (Exchange) and Apple Calendar send: their
PRODIDs, MIME layouts (Gmail: the REPLY inline and again as invite.ics;
Outlook: one base64 text/calendar part in Windows zone names; Apple: a mixed
message with the .ics attached), headers and extra properties. The values that
vary are filled in per test.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

CLIENTS = ("gmail", "outlook", "apple")


def reply(
    client: str,
    *,
    to: str,
    attendee: str,
    uid: str,
    sequence: int = 0,
    partstat: str = "DECLINED",
    stamp: datetime | None = None,
    name: str = "Ana Ruiz",
) -> bytes:
    """The whole message, as the client sends it to the invitation's ORGANIZER."""
    stamp = (stamp or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    values = dict(to=to, attendee=attendee, uid=uid, sequence=sequence,
                  partstat=partstat, stamp=stamp, name=name)  # fmt: skip
    return globals()[f"_{client}"](values).replace("\n", "\r\n").encode()


def _gmail(v: dict) -> str:
    word = {"DECLINED": "Declined", "ACCEPTED": "Accepted"}.get(v["partstat"], "Maybe")
    ics = f"""BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
DTSTART:20270312T193000Z
DTEND:20270312T220000Z
DTSTAMP:{v["stamp"]}
ORGANIZER;CN=Book Circle:mailto:{v["to"]}
UID:{v["uid"]}
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={v["partstat"]};CN={v["name"]};X-NUM-GUESTS=0:mailto:{v["attendee"]}
CREATED:20270301T090000Z
LAST-MODIFIED:{v["stamp"]}
LOCATION:A member's home in Leith\\, Edinburgh
SEQUENCE:{v["sequence"]}
STATUS:CONFIRMED
SUMMARY:Supper
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
"""
    attached = base64.encodebytes(ics.replace("\n", "\r\n").encode()).decode()
    return f"""MIME-Version: 1.0
Date: Wed, 10 Mar 2027 10:15:00 +0000
Message-ID: <000000000000gmail{v["stamp"]}@google.com>
Subject: {word}: Supper @ Fri 12 Mar 2027 7:30pm - 10pm (GMT) ({v["attendee"]})
From: {v["name"]} <{v["attendee"]}>
To: {v["to"]}
Content-Type: multipart/mixed; boundary="000000000000aaaa"

--000000000000aaaa
Content-Type: multipart/alternative; boundary="000000000000bbbb"

--000000000000bbbb
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes

{v["name"]} has {word.lower()} this invitation.

Supper
Friday 12 Mar 2027 7:30pm - 10pm (GMT)

Invitation from Google Calendar

--000000000000bbbb
Content-Type: text/calendar; charset="UTF-8"; method=REPLY
Content-Transfer-Encoding: 7bit

{ics}
--000000000000bbbb--

--000000000000aaaa
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{attached}
--000000000000aaaa--
"""


def _outlook(v: dict) -> str:
    word = {"DECLINED": "Declined", "ACCEPTED": "Accepted"}.get(
        v["partstat"], "Tentative"
    )
    ics = f"""BEGIN:VCALENDAR
METHOD:REPLY
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
ATTENDEE;PARTSTAT={v["partstat"]};CN={v["name"]}:mailto:{v["attendee"].upper()}
COMMENT;LANGUAGE=en-GB:\\n
ORGANIZER;CN=Book Circle:mailto:{v["to"]}
SUMMARY;LANGUAGE=en-GB:{word}: Supper
DTSTART;TZID=GMT Standard Time:20270312T193000
DTEND;TZID=GMT Standard Time:20270312T220000
UID:{v["uid"]}
CLASS:PUBLIC
PRIORITY:5
DTSTAMP:{v["stamp"]}
TRANSP:OPAQUE
STATUS:CONFIRMED
SEQUENCE:{v["sequence"]}
LOCATION;LANGUAGE=en-GB:A member's home in Leith\\, Edinburgh
X-MICROSOFT-CDO-APPT-SEQUENCE:{v["sequence"]}
X-MICROSOFT-CDO-OWNERAPPTID:0
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE
X-MICROSOFT-CDO-IMPORTANCE:1
X-MICROSOFT-CDO-INSTTYPE:0
X-MICROSOFT-DISALLOW-COUNTER:FALSE
END:VEVENT
END:VCALENDAR
"""
    body = base64.encodebytes(ics.replace("\n", "\r\n").encode()).decode()
    return f"""From: {v["name"]} <{v["attendee"]}>
To: "Book Circle" <{v["to"]}>
Subject: {word}: Supper
Thread-Topic: Supper
Thread-Index: AQHZabcdEFGH
Date: Wed, 10 Mar 2027 10:15:00 +0000
Message-ID: <AM0PR01MB1234{v["stamp"]}@AM0PR01MB1234.eurprd01.prod.outlook.com>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: multipart/alternative;
\tboundary="_000_AM0PR01MB1234_"
MIME-Version: 1.0

--_000_AM0PR01MB1234_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable



--_000_AM0PR01MB1234_
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

{body}
--_000_AM0PR01MB1234_--
"""


def _apple(v: dict) -> str:
    ics = f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14.4//EN
CALSCALE:GREGORIAN
METHOD:REPLY
BEGIN:VEVENT
ATTENDEE;CN="{v["name"]}";PARTSTAT={v["partstat"]}:mailto:{v["attendee"]}
DTEND:20270312T220000Z
DTSTAMP:{v["stamp"]}
DTSTART:20270312T193000Z
ORGANIZER;CN=Book Circle:mailto:{v["to"]}
REQUEST-STATUS:2.0;Success
SEQUENCE:{v["sequence"]}
SUMMARY:Supper
UID:{v["uid"]}
END:VEVENT
END:VCALENDAR
"""
    return f"""Content-Type: multipart/mixed;
\tboundary="Apple-Mail=_11111111"
Subject: Invitation: Supper ({word_apple(v["partstat"])})
Mime-Version: 1.0 (Mac OS X Mail 16.0)
From: {v["name"]} <{v["attendee"]}>
To: {v["to"]}
Date: Wed, 10 Mar 2027 10:15:00 +0000
Message-Id: <APPLE{v["stamp"]}@icloud.com>

--Apple-Mail=_11111111
Content-Transfer-Encoding: 7bit
Content-Type: text/plain;
\tcharset=us-ascii

{v["name"]} has replied to your invitation.

--Apple-Mail=_11111111
Content-Disposition: attachment;
\tfilename=iCal-20270310-101500.ics
Content-Type: text/calendar;
\tmethod=REPLY;
\tname="iCal-20270310-101500.ics"
Content-Transfer-Encoding: 7bit

{ics}
--Apple-Mail=_11111111--
"""


def word_apple(partstat: str) -> str:
    return {"DECLINED": "Declined", "ACCEPTED": "Accepted"}.get(partstat, "Maybe")
