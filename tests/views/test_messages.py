"""Wiring of the host's word: the form at /events/<id>/message, its counts and
its refusals (the typed text kept), "Send anyway", the flash, "From the host"."""

import re
from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import EventVisibility, HostMessage, VenueType
from tests import mailbox
from tests.conftest import HOME_ADDRESS, form_errors, redirect_path
from tests.scenes import answer


@pytest.fixture
def night(make_user, make_group, add_member, make_event):
    maria = make_user(name="Maria Lopez")
    group = make_group(maria, name="Book Circle")
    ana = add_member(group, make_user(name="Ana")).user
    bea = add_member(group, make_user(name="Bea")).user
    event = make_event(
        group, title="Book night", host_id=maria.id, venue_type=VenueType.HOME,
        address=HOME_ADDRESS, area="Leith", capacity=2,
    )  # fmt: skip
    answer(event, ana)
    answer(event, bea)  # full: waitlisted
    return event, maria, ana, bea


def page(event) -> str:
    return f"/events/{event.id}/message"


def test_the_form_counts_each_audience(client, login, night):
    event, maria, _ana, _bea = night
    login(maria)
    html = client.get(page(event)).get_data(as_text=True)
    assert "Going (1)" in html  # Ana: Maria, the sender, is left out
    assert "Waitlisted (1)" in html
    assert "Waiting for a yes (0)" in html
    assert 'name="to_going" type="checkbox" value="y" checked' in html or re.search(
        r'<input checked[^>]*name="to_going"', html
    )
    assert 'name="reply_to_sender"' in html
    assert "Up to 1,000 characters." in html  # said without JavaScript


def test_sending_flashes_and_shows_under_from_the_host(client, login, night):
    event, maria, ana, _bea = night
    login(maria)
    reply = client.post(page(event), data={"body": "Bring your book!\nAnd a mug.",
                                           "to_going": "y"})  # fmt: skip
    assert redirect_path(reply) == f"/events/{event.id}"
    shown = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Sent to 1 person." in shown
    assert "From the host" in shown
    assert "to going · 1 person" in shown
    assert "1 minute ago" in shown
    [mail] = mailbox.queued(ana.email, kind="host-message")
    assert mail["Subject"] == "Maria about Book night"


def test_a_reader_sees_it_on_the_page_escaped(client, login, night):
    event, maria, ana, bea = night
    login(maria)
    client.post(page(event), data={"body": "<b>Bring</b> your book!", "to_going": "y"})
    client.post("/auth/logout")
    login(ana)
    shown = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "From the host" in shown
    assert "&lt;b&gt;Bring&lt;/b&gt; your book!" in shown
    assert "<b>Bring</b>" not in shown
    assert "to going ·" not in shown  # readers don't see the counts
    assert "Write to the people coming" not in shown
    client.post("/auth/logout")
    login(bea)  # waitlisted: it wasn't for her
    assert "From the host" not in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )


def test_the_host_sees_the_link_to_write(client, login, night):
    event, maria, _ana, _bea = night
    login(maria)
    shown = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}/message"' in shown


def test_a_refused_form_keeps_the_text(client, login, night):
    event, maria, _ana, _bea = night
    login(maria)
    reply = client.post(page(event), data={"body": "Bring your book!"})  # no box
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Choose who the message is for." in form_errors(html)
    assert "Bring your book!</textarea>" in html
    too_long = "a" * 1001
    html = client.post(page(event), data={"body": too_long, "to_going": "y"}).get_data(
        as_text=True
    )
    assert too_long in html and "1,001 characters" in html
    assert db.session.scalar(db.select(db.func.count(HostMessage.id))) == 0


def test_a_new_time_asks_then_send_anyway(client, login, night):
    event, maria, ana, _bea = night
    login(maria)
    typed = {"body": "We start at 19:30 now", "to_going": "y"}
    reply = client.post(page(event), data=typed)
    html = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "Messages don&#39;t move calendars." in html
    assert f'href="/events/{event.id}/edit"' in html  # Maria organises
    assert 'name="confirmed" value="1"' in html
    assert "We start at 19:30 now</textarea>" in html
    assert not mailbox.queued(kind="host-message")
    reply = client.post(page(event), data={**typed, "confirmed": "1"})
    assert redirect_path(reply) == f"/events/{event.id}"
    assert len(mailbox.queued(ana.email, kind="host-message")) == 1


def test_members_may_not_write_and_strangers_may_not_see(
    client, login, night, make_user, make_event
):
    event, maria, ana, _bea = night
    login(ana)
    assert client.get(page(event)).status_code == 403
    assert (
        client.post(page(event), data={"body": "Hi", "to_going": "y"}).status_code
        == 403
    )
    hidden = make_event(
        event.group, title="Members only", visibility=EventVisibility.MEMBERS
    )
    client.post("/auth/logout")
    login(make_user(name="Sam"))
    assert client.get(page(hidden)).status_code == 404
    assert client.get(page(event)).status_code == 403  # a public gathering
    assert client.get("/events/999999/message").status_code == 404


def test_a_closed_gathering_says_so(client, login, night):
    event, maria, _ana, _bea = night
    event.starts_at -= timedelta(days=30)
    event.ends_at -= timedelta(days=30)
    db.session.commit()
    login(maria)
    html = client.get(page(event)).get_data(as_text=True)
    assert "closes a week after the end" in html
    assert "<textarea" not in html
