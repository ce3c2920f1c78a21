"""The canary hunt: a home's street and exact spot reach only those entitled.

Every home event in `tests.world` is at a unique canary street and spot. Every
answer to every identity not entitled to it (all routes of the access matrix,
searches, map data, feeds, errors, redirects and headers) and every mail sent
to such a person is searched for the canary and for the spot to three
decimals. The entitled (organisers, the host, the person going) do see it, so
the hunt is known to be looking in the right places.
"""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from meetup.extensions import db
from meetup.models import OutboxMail
from meetup.services import events, groups, reminders
from tests.conftest import NOW, PASSWORD, CSRFClient
from tests.views.test_access_matrix import routes, urls
from tests.world import (
    CANARY_PATTERNS,
    CANARY_STREET,
    IDENTITIES,
    MANAGERS,
    World,
    build,
)

ENTITLED = {"going", "host", *MANAGERS}
NOT_ENTITLED = [who for who in IDENTITIES if who not in ENTITLED]
SEARCHES = [
    "/events/?q=Supper",
    "/events/?q=Zqxcanary",
    "/events/?q=Wynd",
    "/events/?near=55.97314,-3.17681&within_km=1",
    "/events/?near=55.97314,-3.17681&within_km=1&venue=home",
    "/events/?near=Leith&within_km=5",
    "/groups/?q=Leith",
]


def canaries_in(text: str) -> list[str]:
    return [pattern for pattern in CANARY_PATTERNS if pattern in text]


def answer_text(reply, url: str = "") -> str:
    """Everything a client receives: status line, every header, the body, less
    what the request itself said (a search box shows the words searched for)."""
    headers = "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
    text = f"{reply.status}\n{headers}\n\n{reply.get_data(as_text=True)}"
    for value in parse_qs(urlsplit(url).query).values():
        for said in value:
            text = text.replace(said, "").replace(quote_plus(said), "")
    return text


def mail_text(raw: bytes) -> str:
    """Headers and every part decoded, as a mail app would show them."""
    message = message_from_bytes(raw, policy=policy.default)
    parts = [str(message)]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.fixture
def world(app) -> World:
    world = build()
    _stir(world)
    return world


def _stir(world: World) -> None:
    """Changes that send mail: a new time, a reminder, a reply from the host."""
    home = world.events["public-home"]
    organiser = groups.membership_of(world.people["organiser"], home.group)
    later = home.starts_at + timedelta(hours=1)
    events.update_event(organiser, home, NOW, starts_at=later,
                        ends_at=later + timedelta(hours=3))  # fmt: skip
    db.session.commit()
    reminders.send_reminders(home.starts_at - timedelta(hours=20))
    db.session.commit()


def signed_in_client(app, world: World, identity: str) -> CSRFClient:
    app.test_client_class = CSRFClient
    client = app.test_client()
    if identity != "visitor":
        person = world.people[identity]
        reply = client.post(
            "/auth/login", data={"email": person.email, "password": PASSWORD}
        )
        assert reply.status_code == 302
    return client


def every_get_url(app, world: World, identity: str) -> list[str]:
    found = [
        cell.url
        for endpoint, methods in sorted(routes(app).items())
        # Static files hold no data; personal feeds are fetched below, per owner.
        if "GET" in methods and endpoint not in ("static", "calendars.personal_feed")
        for cell in urls(app, world, endpoint, identity)
    ]
    return found + SEARCHES


def test_no_answer_to_anyone_not_entitled_holds_the_canary(app, world, record_property):
    hits, answers = [], 0
    for identity in NOT_ENTITLED:
        client = signed_in_client(app, world, identity)
        for url in every_get_url(app, world, identity):
            reply = client.get(url)
            answers += 1
            assert reply.status_code < 500, url
            found = canaries_in(answer_text(reply, url))
            if found:
                hits.append(f"{identity} GET {url}: {found}")
        # Answering, as a browser would: the redirect and the page after it.
        event = world.events["public-home"]
        for response in ("going", "declined"):
            reply = client.post(f"/events/{event.id}/rsvp", data={"response": response},
                                follow_redirects=True)  # fmt: skip
            answers += 1
            found = canaries_in(answer_text(reply))
            if found:  # "going" waitlists them: capacity 1 is taken
                hits.append(f"{identity} POST rsvp {response}: {found}")
    anonymous = app.test_client()  # as a calendar app fetches a feed: no cookie
    for owner in NOT_ENTITLED[1:]:
        reply = anonymous.get(f"/calendar/{world.feed_tokens[owner]}.ics")
        answers += 1
        found = canaries_in(answer_text(reply))
        if found:
            hits.append(f"{owner}'s personal feed: {found}")
    record_property("answers_searched", answers)
    print(f"{answers} answers searched, {len(hits)} canary hits")
    assert not hits, "\n".join(hits)


def test_a_search_for_the_street_finds_nothing_for_the_unentitled(app, world):
    client = signed_in_client(app, world, "member")
    page = client.get("/events/?q=Zqxcanary").get_data(as_text=True)
    for name, event in world.events.items():
        assert f'/events/{event.id}"' not in page, name


def test_no_mail_to_anyone_not_entitled_holds_the_canary(app, world, record_property):
    addresses = {world.people[who].email: who for who in world.people}
    hits, read = [], 0
    for row in db.session.scalars(db.select(OutboxMail)):
        who = addresses.get(row.recipient)
        if who in ENTITLED:
            continue
        read += 1
        found = canaries_in(mail_text(row.message))
        if found:
            hits.append(f"{row.kind} to {who}: {found}")
    record_property("mails_searched", read)
    assert read >= 5, "the world should have mailed the waitlisted and members"
    assert not hits, "\n".join(hits)


def test_the_entitled_do_see_the_canary(app, world):
    """So the hunt above searches where the address would be."""
    event = world.events["public-home"]
    for identity in sorted(ENTITLED):
        page = signed_in_client(app, world, identity).get(f"/events/{event.id}")
        assert CANARY_STREET in page.get_data(as_text=True), identity
    feed = app.test_client().get(f"/calendar/{world.feed_tokens['going']}.ics")
    assert canaries_in(feed.get_data(as_text=True))
    addresses = {world.people[who].email: who for who in world.people}
    seen_by = {
        addresses.get(row.recipient)
        for row in db.session.scalars(db.select(OutboxMail))
        if canaries_in(mail_text(row.message))
    }
    assert "going" in seen_by
