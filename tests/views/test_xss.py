"""150 XSS payloads in every text field stay inert: HTML, .ics, CSV and mail.

`tests/xss.py` stages one private group, member, join request, home event,
RSVP (with a diet note), bring list (a thing, claims with notes, a thing of
the host's own) and host's word per payload. Here every page that shows those
fields is parsed for live markup (inline script, event handlers, javascript:
URLs, marked elements); the browser test `tests/browser/test_xss_journey.py`
opens the pages in Chromium.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from email import message_from_bytes, policy

import icalendar
import pytest

from meetup.extensions import db
from meetup.models import BringClaim, OutboxMail, Rsvp
from meetup.services import bring_lists, calendar_links
from tests.conftest import PASSWORD, CSRFClient, redirect_path
from tests.xss import PAYLOADS, fit, live_markup, stage

#: What each gathering's page must show for the payloads to be on trial: the
#: bring list (still needed, covered with names and notes, her own "You bring"
#: with its hidden `thing`) and, unless cancelled, the counts line; the host's
#: list, each person's diet note.
BOARD = ('id="bring"', 'id="still-needed"', 'id="covered"',
         'class="notice bring-mine"')  # fmt: skip
COUNTS = ('id="table-counts"',)
NOTES = ('class="quote diet-note"',)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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
    shows: dict[str, tuple[str, ...]] = {}
    for thing in things:
        slug, event_id = thing.group.slug, thing.event.id
        pages += [
            f"/groups/{slug}", f"/groups/{slug}/members", f"/groups/{slug}/edit",
            f"/events/{event_id}", f"/events/{event_id}/attendees",
            f"/events/{event_id}/edit",
        ]  # fmt: skip
        counted = () if thing.event.is_cancelled else COUNTS
        shows[f"/events/{event_id}"] = BOARD + counted
        shows[f"/events/{event_id}/attendees"] = NOTES + counted
    found, missing = [], []
    for page in pages:
        reply = client.get(page)
        assert reply.status_code == 200 or redirect_path(reply), page
        html = reply.get_data(as_text=True)
        live = live_markup(html)
        if live:
            found.append(f"{page}: {live}")
        missing += [f"{page}: {p}" for p in shows.get(page, ()) if p not in html]
    record_property("pages_parsed", len(pages))
    assert len(things) == len(PAYLOADS) >= 100
    assert not missing, "\n".join(missing[:20])
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


def test_payloads_add_nothing_to_personal_feeds(staged):
    """Her own copy says what she said she'd bring: the member's (a claim and
    its note) and the host's (every gathering, a thing of her own each)."""
    things, client = staged
    feeds = [calendar_links.new_feed_token(thing.member) for thing in things]
    feeds.append(calendar_links.new_feed_token(things[0].event.host))
    db.session.commit()
    brought = 0
    for token in feeds:
        calendar = icalendar.Calendar.from_ical(
            client.get(f"/calendar/{token}.ics").get_data()
        )
        for event in calendar.walk("VEVENT"):
            assert set(event) <= ICS_PROPERTIES, (token, set(event))
            brought += "You said you'd bring" in str(event.get("DESCRIPTION", ""))
    assert brought == 2 * going_on(things), brought


def test_payloads_are_plain_text_in_the_attendee_csv(staged):
    things, client = staged
    for thing in things:
        body = client.get(f"/events/{thing.event.id}/attendees.csv").get_data(
            as_text=True
        )
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        # The header, the host (going: she is counted) and the one member.
        assert len(rows) == 3, thing.payload
        for row in rows[1:]:
            for cell in row:
                # A spreadsheet runs a cell that starts like a formula (OWASP CSV
                # injection); ours start with an apostrophe instead.
                assert not cell.startswith(FORMULA_STARTS), cell
        # The new columns hold the payloads, as plain text.
        member = dict(zip(rows[0], rows[2], strict=True))
        rsvp = db.session.scalar(db.select(Rsvp).filter_by(
            event_id=thing.event.id, user_id=thing.member.id))  # fmt: skip
        assert as_cell(member["diet note"]) == rsvp.diet_note != ""
        assert as_cell(member["brings"]) == bring_lists.brings(rsvp) != ""
        assert fit(BringClaim.note, " ".join(thing.payload.split())) in (
            as_cell(member["brings"])
        )
        host = dict(zip(rows[0], rows[1], strict=True))
        assert as_cell(host["brings"]), thing.payload  # a thing of her own


def as_cell(cell: str) -> str:
    """The text a cell was written from: an apostrophe only ever disarms."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def going_on(things) -> int:
    """The gatherings not cancelled."""
    return sum(not thing.event.is_cancelled for thing in things)


def test_payloads_stay_inert_in_mail(staged):
    things, _client = staged
    read, kinds = 0, Counter()
    for row in db.session.scalars(db.select(OutboxMail)):
        message = message_from_bytes(row.message, policy=policy.default)
        assert "\n" not in str(message["Subject"]), row.subject
        assert message["Bcc"] is None and message["X-Injected"] is None
        text = message.get_body(preferencelist=("plain",))
        words = text.get_content() if text is not None else ""
        if row.kind == "reminder" and "You said you'd bring" in words:
            kinds["reminder saying what she brings"] += 1
        if row.kind == "host-news" and "can't bring" in words:
            kinds["claims let go"] += 1
        html = message.get_body(preferencelist=("html",))
        if html is not None:
            live = live_markup(html.get_content())
            assert not live, (row.kind, live)
            read += 1
    assert read >= len(PAYLOADS), read
    # The member and the host at each gathering not cancelled; the host, once
    # per gathering, that the member let the payload go.
    assert kinds["reminder saying what she brings"] == 2 * going_on(things), kinds
    assert kinds["claims let go"] == len(PAYLOADS), kinds
