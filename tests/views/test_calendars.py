"""Calendar requests: HTTP done right (type, names, validators, 304s), who gets
what, the personal feed's secret link, and the add-to-calendar menu."""

import html
import logging
import re
import threading
import urllib.request
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from werkzeug.serving import make_server

from meetup.extensions import db
from meetup.models import EventVisibility, Role, User, VenueType, Visibility
from meetup.services import calendar_links, events, rsvps
from tests.conftest import NOW, free_port, redirect_path
from tests.scenes import edited

ADDRESS = "7 Quillfeather Row"


@pytest.fixture
def maria(make_user):
    return make_user(name="Maria")


@pytest.fixture
def circle(make_group, maria):
    return make_group(maria, name="Book Circle")  # its slug: book-circle


@pytest.fixture
def supper(make_event, circle):
    return make_event(
        circle,
        title="Supper at Maria's: crêpes!",
        venue_type=VenueType.HOME,
        address=ADDRESS,
        area="Leith, Edinburgh",
        latitude=55.953251,
        longitude=-3.188267,
        capacity=1,
    )


def feed_of(user: User) -> str:
    token = calendar_links.new_feed_token(user)
    db.session.commit()
    return f"/calendar/{token}.ics"


def test_an_event_downloads_as_a_named_ics_file(client, supper):
    response = client.get(f"/events/{supper.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="supper-at-marias-crepes.ics"'
    )
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response.headers["Vary"]
    cal = icalendar.Calendar.from_ical(response.data)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == supper.uid
    assert ADDRESS.encode() not in response.data  # a visitor gets the area


def test_the_download_follows_the_viewers_access(client, login, supper, maria):
    login(maria)
    response = client.get(f"/events/{supper.id}.ics")
    assert ADDRESS.encode() in response.data


@pytest.mark.parametrize(
    "path", ["/events/{id}.ics", "/groups/book-circle/calendar.ics"]
)
def test_an_unchanged_calendar_answers_304_without_a_body(client, supper, path):
    path = path.format(id=supper.id)
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "private, no-cache"
    since = client.get(
        path, headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_an_edit_changes_the_feed_at_once(client, supper, circle):
    path = "/groups/book-circle/calendar.ics"
    first = client.get(path)
    organiser = db.session.scalar(
        db.select(events.Membership).filter_by(group_id=circle.id, role=Role.ORGANISER)
    )
    # In the same second: Last-Modified must still move on.
    events.update_event(
        organiser, supper, edited(supper, title="Supper, new title"), NOW
    )
    db.session.commit()
    for headers in (
        {"If-None-Match": first.headers["ETag"]},
        {"If-Modified-Since": first.headers["Last-Modified"]},
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert b"SUMMARY:Supper\\, new title" in response.data


def test_a_members_copy_of_the_feed_never_reaches_a_visitor(
    client, login, make_event, circle, maria
):
    make_event(circle, title="Members' picnic", visibility=EventVisibility.MEMBERS)
    path = "/groups/book-circle/calendar.ics"
    login(maria)
    member_copy = client.get(path)
    assert b"Members' picnic" in member_copy.data
    client.post("/auth/logout")
    visitor_copy = client.get(path)
    assert b"Members' picnic" not in visitor_copy.data
    assert visitor_copy.headers["ETag"] != member_copy.headers["ETag"]
    stale = client.get(path, headers={"If-None-Match": member_copy.headers["ETag"]})
    assert stale.status_code == 200 and b"Members' picnic" not in stale.data


def test_a_group_feed_is_inline_and_named(client, supper):
    response = client.get("/groups/book-circle/calendar.ics")
    assert (
        response.headers["Content-Disposition"] == 'inline; filename="book-circle.ics"'
    )
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["X-WR-CALNAME"]) == "Book Circle (Hearth)"
    assert ADDRESS.encode() not in response.data


def test_what_may_not_be_seen_is_a_404(client, make_group, make_event):
    private = make_group(visibility=Visibility.PRIVATE)
    secret = make_event(private, title="Secret supper")
    members_only = make_event(visibility=EventVisibility.MEMBERS)
    assert client.get(f"/events/{secret.id}.ics").status_code == 404
    assert client.get(f"/events/{members_only.id}.ics").status_code == 404
    assert client.get("/groups/nope/calendar.ics").status_code == 404
    feed = client.get(f"/groups/{private.slug}/calendar.ics")
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data
    assert b"Secret supper" not in feed.data


def test_the_personal_feed_works_without_signing_in(client, supper, make_user):
    ana = make_user()
    rsvps.respond(supper, ana, going=True, now=NOW)
    db.session.commit()
    path = feed_of(ana)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'inline; filename="my-gatherings.ics"'
    )
    assert ADDRESS.encode() in response.data
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "token",
    ["nope", "1", "1.", ".abc", "99999999999.abc", "１.abc", "1.abc/../x", "0.x"],
)
def test_a_wrong_feed_token_is_a_404(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_new_link_stops_the_old_one_at_once(client, login, make_user):
    ana = make_user()
    login(ana)
    assert b"Create my calendar link" in client.get("/me/calendar").data
    created = client.post("/me/calendar")
    assert redirect_path(created) == "/me/calendar"
    assert created.headers["Location"] == "/me/calendar"  # the secret stays off URLs
    first = calendar_links.feed_token(db.session.get(User, ana.id))
    assert client.get(f"/calendar/{first}.ics").status_code == 200
    page = client.get("/me/calendar")
    assert f"/calendar/{first}.ics".encode() in page.data
    assert f"webcal://127.0.0.1:5000/calendar/{first}.ics".encode() in page.data

    client.post("/me/calendar")
    db.session.expire_all()
    second = calendar_links.feed_token(db.session.get(User, ana.id))
    assert second != first
    assert client.get(f"/calendar/{first}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200


def test_she_chooses_one_copy_on_her_calendar_page(client, login, make_user):
    ana = make_user()
    login(ana)
    page = client.get("/me/calendar").get_data(as_text=True)
    assert re.search(r'value="mail"\s+checked|checked[^>]*value="mail"', page)
    assert "with both, your calendar shows each gathering twice" in page

    refused = client.post("/me/calendar/copy", data={"copy": "both"})
    assert refused.status_code == 400
    assert "Not a valid choice" in html.unescape(refused.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(User, ana.id).wants_invitations is True

    chosen = client.post("/me/calendar/copy", data={"copy": "feed"})
    assert redirect_path(chosen) == "/me/calendar"
    db.session.expire_all()
    ana = db.session.get(User, ana.id)
    assert ana.wants_invitations is False and calendar_links.feed_token(ana)
    page = client.get("/me/calendar").get_data(as_text=True)
    assert (
        "Your feed it is." in page
        and f"/calendar/{calendar_links.feed_token(ana)}.ics" in page
    )
    assert re.search(r'value="feed"\s+checked|checked[^>]*value="feed"', page)


def test_the_group_feed_tells_people_who_answer_to_pick_one(client, circle):
    page = client.get(f"/groups/{circle.slug}").get_data(as_text=True)
    assert "keep both and your calendar shows it twice" in html.unescape(page)


def test_a_token_carries_256_bits_of_randomness(make_user):
    ana = make_user()
    secrets = set()
    for _ in range(20):
        token = calendar_links.new_feed_token(ana)
        user_id, _, secret = token.partition(".")
        assert user_id == str(ana.id)
        assert len(secret) >= 43  # 32 random bytes in url-safe base64
        secrets.add(secret)
    assert len(secrets) == 20


def test_the_feed_page_keeps_its_secret(client, login, make_user):
    login(make_user())
    client.post("/me/calendar")
    page = client.get("/me/calendar")
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]


def test_the_feed_page_needs_a_signed_in_person(client):
    response = client.get("/me/calendar")
    assert redirect_path(response) == "/auth/login"
    assert "/auth/login" in response.headers["Location"]
    assert redirect_path(client.post("/me/calendar")) == "/auth/login"


def test_making_a_link_needs_the_csrf_token(client, login, make_user):
    login(make_user())
    assert client.post("/me/calendar", csrf=False).status_code == 400


def test_the_dev_servers_log_never_holds_a_feed_secret(app, make_user, caplog):
    ana = make_user()
    token = calendar_links.new_feed_token(ana)
    db.session.commit()
    server = make_server("127.0.0.1", free_port(), app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.port}/calendar/{token}.ics"
            with urllib.request.urlopen(url) as response:
                assert response.status == 200
    finally:
        server.shutdown()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/calendar/[secret].ics" in logged
    assert token.split(".")[1] not in logged


def test_an_error_log_never_holds_a_feed_secret(
    app, client, make_user, caplog, monkeypatch
):
    from meetup.services import calendars

    ana = make_user()
    token = calendar_links.new_feed_token(ana)
    db.session.commit()

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(calendars, "personal_calendar", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        assert client.get(f"/calendar/{token}.ics").status_code == 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Exception on /calendar/[secret].ics" in logged
    assert token.split(".")[1] not in logged


def test_the_event_page_offers_every_way_into_a_calendar(client, supper):
    page = client.get(f"/events/{supper.id}").get_data(as_text=True)
    assert "Add to calendar" in page
    assert f'href="/events/{supper.id}.ics"' in page
    google = next(
        link for link in _links(page) if link.startswith("https://calendar.google.com")
    )
    query = parse_qs(urlsplit(google).query)
    start = supper.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert query["dates"] == [f"{start}/{supper.ends_at.strftime('%Y%m%dT%H%M%SZ')}"]
    assert query["ctz"] == ["Europe/London"]
    assert query["location"] == ["A member's home in Leith, Edinburgh"]
    outlook = next(link for link in _links(page) if link.startswith("https://outlook"))
    assert parse_qs(urlsplit(outlook).query)["startdt"] == [
        supper.starts_at.isoformat()
    ]
    assert ADDRESS not in page


def test_the_group_page_offers_to_subscribe(client, supper):
    page = client.get("/groups/book-circle").get_data(as_text=True)
    assert 'href="webcal://127.0.0.1:5000/groups/book-circle/calendar.ics"' in page
    assert 'value="http://127.0.0.1:5000/groups/book-circle/calendar.ics"' in page


def test_a_304_costs_two_queries(client, supper, count_queries):
    path = "/groups/book-circle/calendar.ics"
    etag = client.get(path).headers["ETag"]
    with count_queries() as statements:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 2  # the group, then the feed's version


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]
