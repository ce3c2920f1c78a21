"""Share links: which link the share box gives, who goes through, and the
organisers taking a link back; the message for the group chat."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from meetup.extensions import db
from meetup.models import Event, EventVisibility, VenueType, Visibility
from meetup.services import events
from tests.conftest import NOW, redirect_path
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


def test_a_public_groups_widget_may_be_framed_and_lists_only_public_gatherings(
    client, circle, make_event, make_group, make_user
):
    home = make_event(circle, title="Soup night", venue_type=VenueType.HOME,
                      address="7 Quillfeather Row", area="Stockbridge")  # fmt: skip
    make_event(circle, title="Quiet night", visibility=EventVisibility.MEMBERS)
    off = make_event(circle, title="Called off")
    events.cancel_event(organiser_of(circle), off, "", NOW)
    db.session.commit()
    reply = client.get(f"/groups/{circle.slug}/embed")
    assert reply.status_code == 200
    assert "frame-ancestors http: https:" in reply.headers["Content-Security-Policy"]
    assert "script-src" not in reply.headers["Content-Security-Policy"]  # none at all
    assert "X-Frame-Options" not in reply.headers
    page = html.unescape(reply.get_data(as_text=True))
    assert home.title in page and "A member's home in Stockbridge" in page
    assert "Quillfeather" not in page and "<script" not in page
    assert "Quiet night" not in page and "Called off" not in page
    # Every other page still refuses to be framed.
    other = client.get(f"/groups/{circle.slug}")
    assert other.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]

    private = make_group(
        make_user(), name="Quiet Circle", visibility=Visibility.PRIVATE
    )
    assert client.get(f"/groups/{private.slug}/embed").status_code == 404


@pytest.mark.parametrize("limit", ["0", "11", "abc", "-1", "1e3", "٣"])
def test_a_widget_asked_for_an_odd_number_says_what_it_takes(client, circle, limit):
    reply = client.get(f"/groups/{circle.slug}/embed?limit={limit}")
    assert reply.status_code == 400
    assert "a whole number from 1 to 10" in html.unescape(reply.get_data(as_text=True))


def test_a_widget_shows_as_many_as_asked(client, circle, make_event):
    for n in range(3):
        make_event(circle, title=f"Walk {n}")
    page = client.get(f"/groups/{circle.slug}/embed?limit=2").get_data(as_text=True)
    assert page.count("<li>") == 2


def test_organisers_get_the_code_for_their_website(client, login, circle):
    login(_organiser(circle))
    page = html.unescape(client.get(f"/groups/{circle.slug}").get_data(as_text=True))
    src = f"http://127.0.0.1:5000/groups/{circle.slug}/embed"
    assert f'<iframe src="{src}" title="Next gatherings of Book Circle"' in page
