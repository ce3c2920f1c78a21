"""Wiring of drafts, publishing, "tell members now", the host's own box and a
date that needs a host, as pages show them."""

import re

import pytest

from meetup.extensions import db
from meetup.models import Event, EventState, OutboxMail, VenueType
from meetup.services import attendees
from tests.conftest import redirect_path
from tests.views.test_events import form_data


def announcements() -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(OutboxMail)
        .filter_by(kind="announcement")
    )


@pytest.fixture
def circle(client, make_user, make_group, add_member, login):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle")
    ana = make_user(name="Ana")
    add_member(group, ana)
    login(maria)
    return group, maria, ana


def test_the_form_offers_a_draft_and_the_choice_to_tell_members(client, circle):
    group, _maria, _ana = circle
    page = client.get(f"/groups/{group.slug}/events/new").get_data(as_text=True)
    assert "Save as draft" in page and "Plan it" in page
    assert re.search(r'<input[^>]* checked id="tell_members"[^>]*type="checkbox"', page)
    assert "Places, including the host" in page


def test_saving_as_draft_tells_no_one_and_its_page_says_so(client, circle):
    group, maria, _ana = circle
    data = form_data(host_id=str(maria.id), save_draft="Save as draft")
    reply = client.post(f"/groups/{group.slug}/events/new", data=data)
    event = db.session.scalar(db.select(Event))
    assert redirect_path(reply) == f"/events/{event.id}"
    assert event.is_draft and announcements() == 0 and event.seats_taken == 0
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "A draft: only the organisers of Book Circle can see it." in page
    assert f'action="/events/{event.id}/publish"' in page
    assert "This gathering is a draft" in page  # where the answer buttons were


def test_publishing_from_the_page_with_or_without_telling(client, circle):
    group, maria, _ana = circle
    for tell, told in ((False, 0), (True, 1)):
        data = form_data(host_id=str(maria.id), save_draft="Save as draft",
                         title=f"Told: {tell}")  # fmt: skip
        client.post(f"/groups/{group.slug}/events/new", data=data)
        event = db.session.scalar(db.select(Event).filter_by(title=f"Told: {tell}"))
        before = announcements()
        data = {"tell_members": "y"} if tell else {}
        reply = client.post(f"/events/{event.id}/publish", data=data)
        assert redirect_path(reply) == f"/events/{event.id}"
        db.session.refresh(event)
        assert event.is_open and announcements() - before == told
        assert attendees.rsvp_of(maria, event).is_going


def test_planning_without_telling_sends_no_announcement(client, circle):
    group, maria, _ana = circle
    data = form_data(host_id=str(maria.id))
    del data["tell_members"]  # unticked: a browser sends nothing
    client.post(f"/groups/{group.slug}/events/new", data=data)
    event = db.session.scalar(db.select(Event))
    assert event.is_open and announcements() == 0


def test_a_member_gets_404_for_a_draft(client, circle, make_event, login):
    group, _maria, ana = circle
    event = make_event(group)
    event.state = EventState.DRAFT
    db.session.commit()
    client.post("/auth/logout")
    login(ana)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.post(f"/events/{event.id}/publish").status_code == 404


def test_the_host_reads_she_is_counted_and_can_step_back(client, circle, make_event):
    group, maria, _ana = circle
    event = make_event(group, host_id=maria.id, capacity=6,
                       venue_type=VenueType.HOME, address="2 Elm Row")  # fmt: skip
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You're hosting · you count as one of the 6 places." in page.replace(
        "&#39;", "'"
    )
    assert "1 going" in page and "Places left: 5 of 6" in page
    assert "Step back from attending" in page and "Can't go" not in page.replace(
        "&#39;", "'"
    )
    reply = client.post(f"/events/{event.id}/rsvp", data={"response": "declined"})
    assert redirect_path(reply) == f"/events/{event.id}"
    db.session.refresh(event)
    assert event.host_id == maria.id and event.seats_taken == 0
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Count me in again" in page and "0 going" in page
    client.post(f"/events/{event.id}/rsvp", data={"response": "going"})
    assert attendees.rsvp_of(maria, event).is_going


def test_a_date_that_needs_a_host_is_on_the_group_page_for_members_only(
    client, circle, make_event, login
):
    group, _maria, ana = circle
    event = make_event(group, title="Zqx needs a host")
    event.state, event.host_id = EventState.HOST_NEEDED, None
    db.session.commit()
    client.post("/auth/logout")
    login(ana)
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Zqx needs a host" in page and "Host needed" in page
    shown = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This date needs a host first." in shown
    client.post("/auth/logout")
    assert "Zqx needs a host" not in client.get(f"/groups/{group.slug}").get_data(True)
    assert client.get(f"/events/{event.id}").status_code == 404
