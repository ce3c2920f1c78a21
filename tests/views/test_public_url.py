"""Absolute links (mail, calendars, share boxes) start at PUBLIC_URL; in
development without it, at the host and port actually being served."""

from meetup.models import Visibility
from meetup.urls import DEVELOPMENT_URL, public_url
from tests.conftest import CSRFClient


def test_development_links_follow_the_served_port(make_app, make_user, make_group):
    app = make_app(PUBLIC_URL=None)
    app.test_client_class = CSRFClient
    group = make_group(name="Book Circle")
    client = app.test_client()
    page = client.get(f"/groups/{group.slug}", base_url="http://127.0.0.1:5100")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "http://127.0.0.1:5100/groups/book-circle/calendar.ics" in text
    assert "127.0.0.1:5000" not in text


def test_development_share_boxes_and_previews_follow_the_served_port(
    make_app, make_event
):
    app = make_app(PUBLIC_URL=None)
    event = make_event(title="Supper")
    page = app.test_client().get(
        f"/events/{event.id}", base_url="http://127.0.0.1:5100"
    )
    text = page.get_data(as_text=True)
    assert f'content="http://127.0.0.1:5100/events/{event.id}"' in text  # og:url
    assert f'value="http://127.0.0.1:5100/events/{event.id}"' in text  # share box
    assert "None/" not in text


def test_development_never_links_to_a_stranger_host(make_app, make_group):
    app = make_app(PUBLIC_URL=None)
    group = make_group(name="Swimmers")
    page = app.test_client().get(
        f"/groups/{group.slug}", base_url="http://evil.example"
    )
    text = page.get_data(as_text=True)
    assert f"{DEVELOPMENT_URL}/groups/swimmers/calendar.ics" in text
    assert "evil.example" not in text


def test_outside_a_request_development_links_use_flask_runs_address(make_app):
    app = make_app(PUBLIC_URL=None)
    with app.app_context():
        assert public_url("main.index") == DEVELOPMENT_URL + "/"


def test_a_set_public_url_wins_over_the_host_asked_for(make_app, make_group):
    app = make_app(PUBLIC_URL="https://hearth.example.org")
    group = make_group(name="Walkers", visibility=Visibility.PUBLIC)
    page = app.test_client().get(
        f"/groups/{group.slug}", base_url="http://evil.example"
    )
    text = page.get_data(as_text=True)
    assert "https://hearth.example.org/groups/walkers/calendar.ics" in text
    assert "evil.example" not in text
