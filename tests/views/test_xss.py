"""150 XSS payloads in every text field stay inert: HTML, .ics, CSV and mail.

`tests/xss.py` stages one private group, member, join request, home event and
RSVP per payload. Here every page that shows those fields is parsed for live
markup (inline script, event handlers, javascript: URLs, marked elements); the
browser test `tests/browser/test_xss_journey.py` opens the pages in Chromium.
"""

from __future__ import annotations

import csv
import io
from email import message_from_bytes, policy

import icalendar
import pytest

from meetup.extensions import db
from meetup.models import OutboxMail
from tests.conftest import PASSWORD, CSRFClient, redirect_path
from tests.xss import PAYLOADS, live_markup, stage

#: What our own events carry in a calendar file; a payload must add nothing.
ICS_PROPERTIES = {
    "UID", "SEQUENCE", "DTSTAMP", "CREATED", "LAST-MODIFIED", "DTSTART", "DTEND",
    "SUMMARY", "DESCRIPTION", "LOCATION", "GEO", "URL", "STATUS", "ORGANIZER",
    "TRANSP", "CLASS",
}  # fmt: skip


@pytest.fixture
def staged(app, make_user):
    organiser = make_user(name="Olive Organiser")
    app.test_client_class = CSRFClient
    client = app.test_client()
    client.post("/auth/login", data={"email": organiser.email, "password": PASSWORD})
    return stage(organiser), client


def test_payloads_stay_inert_in_every_page(staged, record_property):
    things, client = staged
    pages = ["/", "/events/", "/groups/", "/me/events"]
    for thing in things:
        slug, event_id = thing.group.slug, thing.event.id
        pages += [
            f"/groups/{slug}", f"/groups/{slug}/members", f"/groups/{slug}/edit",
            f"/events/{event_id}", f"/events/{event_id}/attendees",
            f"/events/{event_id}/edit",
        ]  # fmt: skip
    found = []
    for page in pages:
        reply = client.get(page)
        assert reply.status_code == 200 or redirect_path(reply), page
        live = live_markup(reply.get_data(as_text=True))
        if live:
            found.append(f"{page}: {live}")
    record_property("pages_parsed", len(pages))
    assert len(things) == len(PAYLOADS) >= 100
    assert not found, "\n".join(found[:20])


def test_payloads_add_nothing_to_calendar_files(staged):
    things, client = staged
    for thing in things:
        for url in (f"/events/{thing.event.id}.ics",
                    f"/groups/{thing.group.slug}/calendar.ics"):  # fmt: skip
            body = client.get(url).get_data()
            calendar = icalendar.Calendar.from_ical(body)
            for event in calendar.walk("VEVENT"):
                assert set(event) <= ICS_PROPERTIES, (thing.payload, set(event))
            assert len(calendar.walk("VEVENT")) <= 1, thing.payload


def test_payloads_are_plain_text_in_the_attendee_csv(staged):
    things, client = staged
    for thing in things:
        body = client.get(f"/events/{thing.event.id}/attendees.csv").get_data(
            as_text=True
        )
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        # The header, the host (going: she is counted) and the one member.
        assert len(rows) == 3, thing.payload
        for cell in rows[2]:
            # A spreadsheet runs a cell that starts like a formula (OWASP CSV
            # injection); ours start with an apostrophe instead.
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_payloads_stay_inert_in_mail(staged):
    read = 0
    for row in db.session.scalars(db.select(OutboxMail)):
        message = message_from_bytes(row.message, policy=policy.default)
        assert "\n" not in str(message["Subject"]), row.subject
        assert message["Bcc"] is None and message["X-Injected"] is None
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            live = live_markup(html.get_content())
            assert not live, (row.kind, live)
            read += 1
    assert read >= len(PAYLOADS), read
