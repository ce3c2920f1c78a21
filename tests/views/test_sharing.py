"""Share links: which link the share box gives, who goes through, and the
organisers taking a link back; the message for the group chat."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from meetup.extensions import db
from meetup.models import Event, EventVisibility
from tests.conftest import redirect_path
from tests.scenes import organiser_of


@pytest.fixture
def circle(make_group, make_user):
    return make_group(make_user(name="Maria"), name="Book Circle")


def test_the_share_box_gives_the_page_or_the_share_link(
    client, login, circle, make_event
):
    login(_organiser(circle))
    public = make_event(circle, title="Open picnic")
    members = make_event(circle, title="Book night", visibility=EventVisibility.MEMBERS)
    db.session.commit()
    page = client.get(f"/events/{public.id}").get_data(as_text=True)
    assert f'value="http://127.0.0.1:5000/events/{public.id}"' in page
    page = client.get(f"/events/{members.id}").get_data(as_text=True)
    assert f'value="http://127.0.0.1:5000/s/{members.share_code}"' in page
    assert "New share link" in page  # she organises it


def test_a_new_share_link_stops_the_old_one(client, login, circle, make_event):
    event = make_event(circle, title="Book night", visibility=EventVisibility.MEMBERS)
    db.session.commit()
    old = event.share_code
    login(_organiser(circle))
    assert redirect_path(client.get(f"/s/{old}")) == f"/events/{event.id}"
    assert redirect_path(client.post(f"/events/{event.id}/share-code")) == (
        f"/events/{event.id}"
    )
    new = db.session.get(Event, event.id).share_code
    assert new != old and len(new) >= 22  # 128 random bits
    assert client.get(f"/s/{old}").status_code == 404
    client.post("/auth/logout")
    assert client.get(f"/s/{new}").status_code == 200


def test_a_share_page_is_kept_from_caches_and_referrers(client, circle, make_event):
    event = make_event(circle, title="Book night", visibility=EventVisibility.MEMBERS)
    db.session.commit()
    reply = client.get(f"/s/{event.share_code}")
    assert reply.headers["Referrer-Policy"] == "no-referrer"
    assert reply.headers["X-Robots-Tag"] == "noindex"
    assert "private" in reply.headers["Cache-Control"]
    assert 'property="og:url"' not in reply.get_data(as_text=True)


def _organiser(group):
    return organiser_of(group).user


def test_members_get_the_chat_message_and_visitors_the_link(
    client, login, circle, make_event, make_user, add_member
):
    event = make_event(circle, title="Open picnic", capacity=8)
    ana = make_user(name="Ana")
    add_member(circle, ana)
    db.session.commit()
    assert "Copy a message for the group chat" not in client.get(
        f"/events/{event.id}"
    ).get_data(as_text=True)
    login(ana)
    page = html.unescape(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert "Copy a message for the group chat" in page
    assert "8 places left" in page
    wa = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1)
    said = parse_qs(urlsplit(wa).query)["text"][0]
    assert said.startswith("Open picnic · ") and said.endswith(f"/events/{event.id}")
