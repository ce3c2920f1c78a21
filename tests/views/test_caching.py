"""No cache keeps what was made for one person: `Cache-Control: no-store`.

The rule (meetup/security_headers.py): every answer to a signed-in person, and
every answer at a secret link (personal feed, invite, sign-in, one-tap answer,
reset, unsubscribe), whoever opens it. So a home's street, the attendee CSV's
emails and the profile never sit in a shared or a browser cache. What a
stranger sees of public pages stays cacheable, and so do static files.
"""

from meetup.services import calendar_links, rsvps
from tests.conftest import HOME_ADDRESS, NOW


def no_store(reply) -> bool:
    return reply.cache_control.no_store


def shows_the_street(reply) -> bool:
    return HOME_ADDRESS in reply.get_data(as_text=True)


def test_everything_a_signed_in_person_gets_is_not_stored(
    client, login, home_event, make_user, db
):
    event, group = home_event, home_event.group
    login(event.host)
    pages = [
        f"/events/{event.id}", f"/events/{event.id}.ics",
        f"/events/{event.id}/attendees", f"/events/{event.id}/attendees.csv",
        f"/groups/{group.slug}", f"/groups/{group.slug}/members",
        f"/groups/{group.slug}/calendar.ics", "/me/profile", "/me/events",
        "/me/calendar", "/", "/events/", "/no-such-page",
    ]  # fmt: skip
    for page in pages:
        reply = client.get(page)
        assert reply.status_code in (200, 404), page
        assert no_store(reply), page
    assert shows_the_street(client.get(f"/events/{event.id}"))
    assert no_store(client.post(f"/events/{event.id}/rsvp", data={}))  # redirects too


def test_a_going_members_event_page_and_file_are_not_stored(
    client, login, home_event, make_user, add_member, db
):
    ana = make_user()
    add_member(home_event.group, ana)
    rsvps.respond(home_event, ana, going=True, guests=0, answer="", now=NOW)
    db.session.commit()
    login(ana)
    for page in (f"/events/{home_event.id}", f"/events/{home_event.id}.ics"):
        reply = client.get(page)
        assert shows_the_street(reply) or page.endswith(".ics")
        assert no_store(reply), page


def test_secret_links_are_not_stored_whoever_opens_them(app, home_event, db):
    host = home_event.host
    token = calendar_links.new_feed_token(host)
    db.session.commit()
    group = home_event.group
    visitor = app.test_client()
    links = [
        f"/calendar/{token}.ics",
        f"/groups/{group.slug}/invite/{group.invite_token}",
        "/a/not-a-real-token", "/auth/code/not-a-real-token",
        "/auth/reset/not-a-real-token", "/unsubscribe/not-a-real-token",
    ]  # fmt: skip
    for link in links:
        assert no_store(visitor.get(link)), link


def test_what_strangers_see_of_public_pages_may_be_cached(app, home_event):
    visitor = app.test_client()
    for page in (f"/events/{home_event.id}", f"/groups/{home_event.group.slug}",
                 "/events/", "/groups/", "/"):  # fmt: skip
        reply = visitor.get(page)
        assert reply.status_code == 200, page
        assert not no_store(reply), page


def test_static_files_stay_cacheable_for_everyone(client, login, make_user):
    login(make_user())
    with client.get("/static/hearth.css") as reply:
        assert reply.status_code == 200
        assert not no_store(reply)
