"""Wiring of asking the host, as pages show it: the form's choices, "Ask to
come", "Waiting for Maria to say yes", the host's "Waiting for you", yes and
no from her list, "didn't come", the street the day before, the guest list."""

import re
from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import Admission, Event, GuestList, VenueType
from meetup.services import attendees
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW, PASSWORD, CSRFClient, redirect_path
from tests.scenes import answer
from tests.views.test_events import form_data


@pytest.fixture
def signed_in(app):
    """A browser of her own for each person, signed in."""

    def sign_in(user):
        app.test_client_class = CSRFClient
        browser = app.test_client()
        data = {"email": user.email, "password": PASSWORD}
        reply = browser.post("/auth/login", data=data)
        assert redirect_path(reply) == "/"
        return browser

    return sign_in


@pytest.fixture
def circle(make_user, make_group, add_member):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle")
    ana = add_member(group, make_user(name="Ana")).user
    return group, maria, ana


@pytest.fixture
def book_night(make_event, circle):
    group, maria, _ana = circle
    return make_event(
        group, title="Book night", host_id=maria.id, venue_type=VenueType.HOME,
        address=HOME_ADDRESS, area="Leith", access_notes="Ring flat 2",
        capacity=6, max_guests=1, admission=Admission.NEWCOMERS,
    )  # fmt: skip


def test_a_public_group_suggests_approving_newcomers(signed_in, circle):
    group, maria, _ana = circle
    client = signed_in(maria)
    page = client.get(f"/groups/{group.slug}/events/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="newcomers"', page)
    assert "Share the street only the day before" in page
    data = form_data(host_id=str(maria.id), admission="each",
                     street_day_before="y", guest_list="count")  # fmt: skip
    client.post(f"/groups/{group.slug}/events/new", data=data)
    event = db.session.scalar(db.select(Event))
    assert event.admission is Admission.EACH and event.street_day_before
    assert event.guest_list is GuestList.COUNT
    edit = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="each"', edit)


def test_a_newcomer_asks_and_waits_without_the_street(signed_in, circle, book_night):
    _group, _maria, ana = circle
    client = signed_in(ana)
    page = client.get(f"/events/{book_night.id}").get_data(as_text=True)
    assert "Ask to come" in page and 'id="asks-first"' in page
    reply = client.post(f"/events/{book_night.id}/rsvp",
                        data={"response": "going", "guests": "1"})  # fmt: skip
    assert redirect_path(reply) == f"/events/{book_night.id}"
    page = client.get(f"/events/{book_night.id}").get_data(as_text=True)
    assert "Waiting for Maria to say yes" in page
    assert "Withdraw my request" in page
    assert HOME_ADDRESS not in page and "Ring flat 2" not in page
    assert attendees.rsvp_of(ana, book_night).is_requested


def test_the_host_says_yes_from_her_list(signed_in, circle, book_night):
    _group, maria, ana = circle
    rsvp = answer(book_night, ana, answer="Shortbread")
    client = signed_in(maria)
    page = client.get(f"/events/{book_night.id}").get_data(as_text=True)
    assert "Waiting for you (1)" in page
    listing = client.get(f"/events/{book_night.id}/attendees").get_data(as_text=True)
    assert "Waiting for you (1)" in listing and "Ana" in listing
    assert "came 0 times" in listing and "“Shortbread”" in listing
    client.post(f"/events/{book_night.id}/attendees/{rsvp.id}/approve")
    assert attendees.rsvp_of(ana, book_night).is_going
    client = signed_in(ana)
    page = client.get(f"/events/{book_night.id}").get_data(as_text=True)
    assert HOME_ADDRESS in page and "You're going" in page


def test_the_host_says_no_with_a_kind_word(signed_in, circle, book_night):
    _group, maria, ana = circle
    rsvp = answer(book_night, ana)
    client = signed_in(maria)
    client.post(f"/events/{book_night.id}/attendees/{rsvp.id}/decline",
                data={"message": "Full of old friends this time!"})  # fmt: skip
    [mail] = mailbox.queued(ana.email, kind="rsvp-declined-by-host")
    assert "Full of old friends this time!" in mailbox.text(mail)
    client = signed_in(ana)
    page = client.get(f"/events/{book_night.id}").get_data(as_text=True)
    assert "this time the host said no" in page
    assert 'value="going"' not in page  # nothing to answer
    reply = client.post(f"/events/{book_night.id}/rsvp", data={"response": "going"})
    assert redirect_path(reply) == f"/events/{book_night.id}"
    assert attendees.rsvp_of(ana, book_night).is_refused


def test_a_member_cannot_answer_requests(signed_in, circle, book_night, make_user,
                                         add_member):  # fmt: skip
    group, _maria, ana = circle
    rsvp = answer(book_night, ana)
    bea = add_member(group, make_user(name="Bea")).user
    client = signed_in(bea)
    reply = client.post(f"/events/{book_night.id}/attendees/{rsvp.id}/approve")
    assert reply.status_code == 404
    assert attendees.rsvp_of(ana, book_night).is_requested


def test_didnt_come_is_marked_on_the_list_after_the_start(
    signed_in, circle, make_event
):
    group, maria, ana = circle
    planned = NOW - timedelta(days=1)
    started = make_event(group, now=planned, host_id=maria.id, title="Started",
                         starts_at=NOW - timedelta(hours=1))  # fmt: skip
    rsvp = answer(started, ana, now=planned)
    client = signed_in(maria)
    listing = client.get(f"/events/{started.id}/attendees").get_data(as_text=True)
    absent = f"/events/{started.id}/attendees/{rsvp.id}/absent"
    assert f'action="{absent}"' in listing
    client.post(absent)
    assert attendees.rsvp_of(ana, started).did_not_come
    listing = client.get(f"/events/{started.id}/attendees").get_data(as_text=True)
    assert "Didn&#39;t come" in listing or "Didn't come" in listing


def test_count_only_shows_members_the_number(signed_in, circle, make_event):
    group, maria, ana = circle
    event = make_event(group, host_id=maria.id, guest_list=GuestList.COUNT)
    answer(event, ana)
    client = signed_in(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "2 going" in page
    assert "The host keeps the guest list to herself." in page
    assert '<ul class="people">' not in page
    client = signed_in(maria)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert '<ul class="people">' in page and "Ana" in page


def test_the_street_shows_going_members_from_the_day_before(
    signed_in, circle, make_event
):
    group, maria, ana = circle
    event = make_event(group, host_id=maria.id, venue_type=VenueType.HOME,
                       address=HOME_ADDRESS, street_day_before=True)  # fmt: skip
    answer(event, ana)
    client = signed_in(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert HOME_ADDRESS not in page and 'id="street-later"' in page
    [going] = mailbox.queued(ana.email, kind="rsvp-going")
    assert HOME_ADDRESS not in mailbox.text(going)
    event.starts_at -= timedelta(days=2, hours=12)  # now less than a day away
    event.ends_at -= timedelta(days=2, hours=12)
    db.session.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert HOME_ADDRESS in page
