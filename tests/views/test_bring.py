"""The bring list on the page, its route, the CSV column, the reminder's words
and her calendar's DESCRIPTION."""

import csv
import io
from datetime import timedelta

import pytest
from icalendar import Calendar

from meetup.extensions import db
from meetup.models import BringClaim, Event, VenueType
from meetup.services import bring, calendar_links, calendars, reminders
from tests import mailbox
from tests.conftest import NOW, form_errors, redirect_path
from tests.scenes import answer

XSS = '<script>alert("x")</script>'


@pytest.fixture
def supper(make_user, make_group, add_member, make_event):
    olga = make_user(name="Olga")
    group = make_group(olga, name="Book Circle")
    people = {"olga": olga}
    for name in ("hana", "fiona", "mo", "nell"):
        people[name] = make_user(name=f"{name.title()} Smith")
        add_member(group, people[name])
    event = make_event(
        group, host_id=people["hana"].id, title="Book night",
        venue_type=VenueType.HOME, address="7 Zqxcanary Wynd", area="Leith",
        capacity=2, bring_list="Salad\nDessert ×2\n=1+1 ×2",
    )  # fmt: skip
    answer(event, people["fiona"])
    answer(event, people["mo"])  # full: waitlisted
    people["event"] = event
    return people


def post(client, event, **data):
    return client.post(f"/events/{event.id}/bring", data=data)


def flashes(client) -> list[str]:
    with client.session_transaction() as session:
        return [text for _, text in session.get("_flashes", [])]


def test_a_going_member_claims_and_sees_her_name_under_covered(client, login, supper):
    event = supper["event"]
    login(supper["fiona"])
    reply = post(client, event, action="claim", thing="Dessert", note="Lemon tart")
    assert redirect_path(reply) == f"/events/{event.id}"
    assert reply.headers["Location"].endswith("#bring")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    covered = page.split('id="covered"')[1].split("</ul>")[0]
    assert "Dessert" in covered and "Fiona (Lemon tart)" in covered
    needed = page.split('id="still-needed"')[1].split("</ul>")[0]
    assert "1 of 2 still needed" in needed
    assert "You bring:" in page and "bring it after all" in page
    reply = post(client, event, action="unclaim", thing="Dessert")
    assert redirect_path(reply) == f"/events/{event.id}"
    assert db.session.scalars(db.select(BringClaim)).all() == []


def test_the_waitlisted_see_the_list_but_no_buttons(client, login, supper):
    event = supper["event"]
    login(supper["mo"])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Still needed" in page and "on the waitlist: once you have a place" in page
    assert 'value="claim"' not in page and 'value="own"' not in page
    reply = post(client, event, action="claim", thing="Salad")
    assert redirect_path(reply) == f"/events/{event.id}"
    assert any("waitlist" in said for said in flashes(client))
    assert db.session.scalars(db.select(BringClaim)).all() == []


def test_visitors_see_counts_not_names(client, supper):
    event = supper["event"]
    bring.claim(supper["fiona"], event, "Salad", "no nuts", NOW)
    db.session.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 person brings it" in page
    assert "Fiona" not in page and "no nuts" not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "steal", "thing": "Salad"},
        {"action": "claim"},
        {"action": "claim", "thing": "x" * 500},
        {"action": "claim", "thing": "Caviar"},
        {"action": "own", "thing": "Cake", "note": "n" * 500},
        {"action": "unclaim", "thing": "\x00"},
    ],
)
def test_bad_taps_are_told_never_a_500(client, login, supper, data):
    event = supper["event"]
    login(supper["fiona"])
    reply = post(client, event, **data)
    assert 300 <= reply.status_code < 500
    assert db.session.scalars(db.select(BringClaim)).all() == []


def test_a_visitor_is_sent_to_sign_in(client, supper):
    reply = post(client, supper["event"], action="claim", thing="Salad")
    assert redirect_path(reply) == "/auth/login"


def test_names_and_notes_stay_inert(client, login, supper):
    event = supper["event"]
    login(supper["fiona"])
    post(client, event, action="own", thing=XSS, note=XSS)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;" in page


def test_the_csv_says_who_brings_what_spreadsheet_safe(client, login, supper):
    event = supper["event"]
    bring.claim(supper["fiona"], event, "=1+1", "@SUM(A1)", NOW)
    db.session.commit()
    login(supper["olga"])
    body = client.get(f"/events/{event.id}/attendees.csv").get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    column = rows[0].index("brings")
    [fiona] = [row for row in rows if row[0] == "Fiona Smith"]
    assert fiona[column] == "'=1+1 (@SUM(A1))"


def test_the_reminder_says_what_she_brings_and_what_is_missing(supper):
    event = supper["event"]
    bring.claim(supper["fiona"], event, "Salad", "", NOW)
    db.session.commit()
    reminders.send_reminders(event.starts_at - timedelta(hours=20))
    [mail] = mailbox.queued(supper["fiona"].email, kind="reminder")
    text = mailbox.text(mail)
    assert "You said you'd bring: Salad" in text
    assert "Still needed: Dessert ×2, =1+1 ×2" in text


def descriptions(ics: bytes) -> list[str]:
    return [str(part["DESCRIPTION"]) for part in Calendar.from_ical(ics).walk("VEVENT")]


def test_her_feed_and_invitation_mention_her_claim_not_the_group_feed(client, supper):
    event, fiona = supper["event"], supper["fiona"]
    token = calendar_links.new_feed_token(fiona)
    db.session.commit()
    first = client.get(f"/calendar/{token}.ics")
    sequence = db.session.get(Event, event.id).sequence
    bring.claim(fiona, event, "Salad", "a big one", NOW + timedelta(minutes=1))
    db.session.commit()
    again = client.get(
        f"/calendar/{token}.ics", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 200  # her claim changed her copy
    [said] = descriptions(again.data)
    assert "You said you'd bring: Salad (a big one)" in said
    assert db.session.get(Event, event.id).sequence == sequence  # no new edition
    group = client.get(f"/groups/{event.group.slug}/calendar.ics")
    assert b"bring: Salad" not in group.data
    rsvp = db.session.scalar(db.select(BringClaim)).rsvp
    mailed = calendars.invitation(event, rsvp, _access(event, rsvp), NOW, "REQUEST")
    assert "You said you'd bring: Salad" in descriptions(mailed.ics)[0]


def _access(event, rsvp):
    from meetup.services import viewers

    return viewers.access_of(event, rsvp.user, rsvp)


def test_the_form_suggests_the_groups_last_list(client, login, supper):
    login(supper["olga"])
    page = client.get(f"/groups/{supper['event'].group.slug}/events/new")
    html = page.get_data(as_text=True)
    assert "Dessert ×2" in html.split('name="bring_list"')[1].split("</textarea>")[0]
    assert "One per line. Add ×2 for two." in html


def test_a_bad_list_is_told_by_the_field_and_kept(client, login, supper):
    from tests.views.test_events import form_data

    login(supper["olga"])
    slug = supper["event"].group.slug
    reply = client.post(
        f"/groups/{slug}/events/new", data=form_data(bring_list="Wine\nDessert ×99")
    )
    html = reply.get_data(as_text=True)
    assert "Dessert: ask for 1 to 20." in form_errors(html)
    assert "Wine\nDessert ×99</textarea>" in html
