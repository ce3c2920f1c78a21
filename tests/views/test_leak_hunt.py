"""The canary hunt: a home's street and exact spot reach only those entitled.

Every home event in `tests.world` is at a unique canary street and spot. Every
answer to every identity not entitled to it (all routes of the access matrix,
searches, map data, feeds, errors, redirects and headers) and every mail sent
to such a person is searched for the canary and for the spot to three
decimals. The entitled (organisers, the host, the person going) do see it, so
the hunt is known to be looking in the right places.

Every gathering has a bring list with claims and a thing of the host's own,
and answers with children and diets (`tests.world`), so every page above shows
the bring board and, to those going, the counts; the mail searched includes the
host's "claims let go" news. Where the entitled's own answers carry new words
(the host's spreadsheet, the reminder's "You said you'd bring"), those words
are searched too: they name people and things, never the place.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta
from email import message_from_bytes, policy

import pytest

from meetup import cards
from meetup.extensions import db
from meetup.models import (
    Happening,
    HappeningKind,
    HostNews,
    JoinRequest,
    OutboxMail,
    User,
    VenueType,
)
from meetup.services import (
    answer_links,
    attendees,
    chat_texts,
    events,
    groups,
    host_digest,
    memberships,
    preview_cards,
    reminders,
    rsvps,
)
from meetup.template_helpers import event_when
from tests.conftest import NOW
from tests.scenes import edited, mail_code
from tests.world import (
    AT_TABLE,
    BRINGS,
    CANARY_PATTERNS,
    CANARY_STREET,
    IDENTITIES,
    MANAGERS,
    MEMBERS,
    World,
    build,
    client_for,
    routes,
    urls,
)

ENTITLED = {"going", "host", *MANAGERS}
ANSWER_LINK = re.compile(r"https?://[^/\s]+(/a/[\w.-]+)")
NOT_ENTITLED = [who for who in IDENTITIES if who not in ENTITLED]
#: Mail that names people and counts only: searched whoever it went to (a host
#: forwards "Fiona is going" to a friend without a thought).
NAMES_ONLY = {"host-news", "host-digest", "written-reply"}
#: Searches right beside the homes. Their words and numbers share nothing with
#: the canaries, so a search box showing what was typed cannot look like a leak
#: (the street itself is searched for in its own test below).
SEARCHES = [
    "/events/?q=Supper",
    "/events/?q=Wynd",
    "/events/?near=55.9760,-3.1700&within_km=2",
    "/events/?near=55.9760,-3.1700&within_km=2&venue=home",
    "/events/?near=Leith&within_km=8",
    "/groups/?q=Leith",
]


def canaries_in(text: str) -> list[str]:
    return [pattern for pattern in CANARY_PATTERNS if pattern in text]


def answer_text(reply) -> str:
    """Everything a client receives: status line, every header, the body (with
    iCalendar's folded lines joined, so no canary hides across a fold)."""
    headers = "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
    body = _body(reply).replace("\r\n ", "")
    return f"{reply.status}\n{headers}\n\n{body}"


def _body(reply) -> str:
    """The text a person reads: a ZIP (her data, /me/export) is opened, a PDF's
    text pulled out. A picture's words are the strings drawn on it, checked in
    `test_no_card_draws_a_street` (a cover is the organisers' own photo)."""
    if reply.mimetype.startswith("image/"):
        return ""
    if reply.mimetype == "application/pdf":
        return _pdf_text(reply.data)
    if reply.mimetype != "application/zip":
        return reply.get_data(as_text=True)
    with zipfile.ZipFile(io.BytesIO(reply.data)) as archive:
        return "\n".join(archive.read(name).decode() for name in archive.namelist())


def _pdf_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        said = []
        for page in document:
            textpage = page.get_textpage()
            said.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(said)
    finally:
        document.close()


def mail_text(raw: bytes) -> str:
    """Headers and every part decoded, as a mail app would show them."""
    message = message_from_bytes(raw, policy=policy.default)
    parts = [str(message)]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def decoded_parts(raw: bytes) -> str:
    """The parts alone, decoded (the raw text breaks long links across lines)."""
    message = message_from_bytes(raw, policy=policy.default)
    return "\n".join(
        (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
        for part in message.walk()
        if not part.is_multipart()
    )


@pytest.fixture
def world(app) -> World:
    world = build()
    _stir(world)
    return world


def _stir(world: World) -> None:
    """Every change that mails the waitlisted or the pending: a new time, a home
    moved to another home, a home given up for a hall (the mail must not say
    where it was), a reminder, and a join request approved."""

    def organiser(event):
        return memberships.membership_of(world.people["organiser"], event.group)

    home = world.events["public-home"]
    later = home.starts_at + timedelta(hours=1)
    events.update_event(
        organiser(home),
        home,
        edited(home, starts_at=later, ends_at=later + timedelta(hours=3)),
        NOW,
    )
    moved = world.events["members-home"]
    events.update_event(
        organiser(moved), moved, edited(moved, address="9 Zqxcanary Close"), NOW
    )
    hall = world.events["private-home"]
    events.update_event(
        organiser(hall),
        hall,
        edited(
            hall,
            venue_type=VenueType.OTHER,
            venue_name="A hall",
            address="1 Church Street",
            access_notes="",
            latitude=55.95,
            longitude=-3.19,
        ),
        NOW,
    )
    db.session.commit()
    reminders.send_reminders(home.starts_at - timedelta(hours=20))
    request = db.session.scalar(db.select(JoinRequest))
    groups.approve(organiser(hall), request, NOW)
    db.session.commit()
    # A daily digest for the co-organiser, of the answers at every gathering.
    co_organiser = world.people["co_organiser"]
    co_organiser.host_news = HostNews.DAILY
    for event in world.events.values():
        db.session.add(
            Happening(event=event, user=world.people["going"],
                      kind=HappeningKind.GOING, created_at=NOW - timedelta(hours=1))
        )  # fmt: skip
    host_digest.send_digests(NOW)
    db.session.commit()


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
        client = client_for(app, world, identity)
        for url in every_get_url(app, world, identity):
            reply = client.get(url)
            answers += 1
            assert reply.status_code < 500, url
            found = canaries_in(answer_text(reply))
            if found:
                hits.append(f"{identity} GET {url}: {found}")
        # Answering, as a browser would: the redirect and the page after it.
        event = world.events["public-home"]
        for response in ("going", "declined"):
            reply = client.post(f"/events/{event.id}/rsvp", data={"response": response},
                                follow_redirects=True)  # fmt: skip
            answers += 1
            found = canaries_in(answer_text(reply))
            if found:  # "going" waitlists them: the host and "going" fill it
                hits.append(f"{identity} POST rsvp {response}: {found}")
        # Tapping the going person's one-tap link, as a forwardee would: it
        # answers for her (no change: she is going), never shows her street.
        tap = world.answer_links["public-home"]
        reply = client.post(tap, csrf=False, follow_redirects=True)
        answers += 1
        found = canaries_in(answer_text(reply))
        if found:
            hits.append(f"{identity} POST the going person's answer link: {found}")
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


def test_a_draft_and_a_date_without_a_host_reach_only_their_readers(app, world):
    """A draft's title is nowhere but in its organisers' answers; a date that
    needs a host's, nowhere but in its members': pages, lists, searches, feeds
    and mail, for every identity outside them, the draft's host included."""
    readers = {
        world.events["draft-home"].title: set(MANAGERS),
        world.events["host-needed-home"].title: set(MEMBERS),
    }
    searches = ["/events/?q=draft", "/events/?q=needed", "/me/events"]
    hits, answers = [], 0
    anonymous = app.test_client()
    for identity in IDENTITIES:
        hidden = [title for title, who in readers.items() if identity not in who]
        client = client_for(app, world, identity)
        replies = [
            (url, client.get(url))
            for url in every_get_url(app, world, identity) + searches
        ]
        if identity != "visitor":
            feed = f"/calendar/{world.feed_tokens[identity]}.ics"
            replies.append((feed, anonymous.get(feed)))
        for url, reply in replies:
            answers += 1
            text = answer_text(reply)
            hits += [f"{identity} GET {url}: {t}" for t in hidden if t in text]
    addresses = {world.people[who].email: who for who in world.people}
    for row in db.session.scalars(db.select(OutboxMail)):
        who = addresses.get(row.recipient)
        if before_her_block(world, who, row):
            continue
        text = mail_text(row.message)
        hits += [f"{row.kind} to {who}: {t}" for t, readers_ in readers.items()
                 if who not in readers_ and t in text]  # fmt: skip
    # The organisers do see the draft, so the hunt looks in the right place.
    page = client_for(app, world, "organiser").get(
        f"/events/{world.events['draft-home'].id}"
    )
    assert world.events["draft-home"].title in page.get_data(as_text=True)
    print(f"{answers} answers searched for hidden titles, {len(hits)} hits")
    assert not hits, "\n".join(hits)


def test_a_search_for_the_street_finds_nothing_for_the_unentitled(app, world):
    client = client_for(app, world, "member")
    links = [f'/events/{event.id}"' for event in world.events.values()]
    by_title = client.get("/events/?q=Supper").get_data(as_text=True)
    assert any(link in by_title for link in links)  # the search does find them
    by_street = client.get("/events/?q=Zqxcanary").get_data(as_text=True)
    assert not any(link in by_street for link in links)


def test_a_share_link_names_the_group_and_nothing_of_the_gathering(app, world):
    """DESIGN.md's one exception to 404: `/s/<code>` tells whoever may not see
    the gathering its group's name, never its title, date, place or host."""
    shown = 0
    for who in ("visitor", "stranger", "blocked"):
        client = client_for(app, world, who)
        for state, event in world.events.items():
            reply = client.get(f"/s/{event.share_code}")
            if reply.status_code != 200:
                continue
            page = reply.get_data(as_text=True)
            shown += 1
            assert event.group.name in page, (who, state)
            with app.test_request_context():
                when = event_when(event)
            secrets = [event.title, *canaries_in(page), event.area, when,
                       world.people["host"].display_name]  # fmt: skip
            found = [word for word in secrets if word and word in page]
            assert not found, (who, state, found)
    assert shown >= 6, shown


def test_no_card_draws_a_street(app, world):
    """Every string drawn on every preview card (they are cached and shown to
    anyone the link reaches); and each card a visitor can fetch is one of them."""
    client = client_for(app, world, "visitor")
    with app.test_request_context():
        for state, event in world.events.items():
            drawn = cards.draw(preview_cards.event_card(event)).strings
            assert not canaries_in(" ".join(drawn)), (state, drawn)
        for name, group in world.groups.items():
            drawn = cards.draw(preview_cards.group_card(group)).strings
            assert not canaries_in(" ".join(drawn)), (name, drawn)
    fetched = [client.get(f"/events/{e.id}/card.png") for e in world.events.values()]
    assert sum(reply.status_code == 200 for reply in fetched) >= 2


def test_no_poster_prints_a_street(app, world):
    """Posters hang where anyone passes: even the organiser's print of a home's
    gathering names its area only."""
    client = client_for(app, world, "organiser")
    printed = 0
    paths = [f"/events/{e.id}/poster.pdf" for e in world.events.values()]
    paths += [f"/groups/{g.slug}/poster.pdf" for g in world.groups.values()]
    for path in paths:
        reply = client.get(path)
        if reply.status_code != 200:
            continue
        text = _pdf_text(reply.data)
        assert not canaries_in(text), (path, text)
        printed += 1
    assert printed >= 6, printed


def test_the_website_widget_names_no_street_to_anyone(app, world):
    """Framed on a public website, the same for all: even an organiser's copy."""
    slug = world.groups["public"].slug
    for who in ("visitor", "organiser", "going"):
        page = client_for(app, world, who).get(f"/groups/{slug}/embed")
        assert page.status_code == 200
        assert not canaries_in(page.get_data(as_text=True)), who


def test_the_chat_texts_name_no_street_for_any_gathering(app, world):
    """Pasted into a chat anyone may read: the area of a home, never more."""
    with app.test_request_context():
        for state, event in world.events.items():
            for said in (chat_texts.invitation(event), chat_texts.reminder(event, NOW)):
                assert not canaries_in(said), (state, said)


def test_a_hidden_gathering_answers_exactly_like_a_missing_one(app, world):
    """DESIGN.md: 404 on every surface, never a hint that it exists."""
    client = client_for(app, world, "stranger")
    client.get("/")  # shows the welcome message, so neither answer below has it
    hidden = world.events["members-home"].id
    for template in ("/events/{}", "/events/{}.ics", "/events/{}/attendees"):
        there = client.get(template.format(hidden))
        missing = client.get(template.format(999_999))
        assert there.status_code == missing.status_code == 404
        path = template.format(hidden)
        body = there.get_data(as_text=True).replace(path, "PATH")
        path = template.format(999_999)
        assert body == missing.get_data(as_text=True).replace(path, "PATH")


def before_her_block(world: World, who: str | None, row: OutboxMail) -> bool:
    """Mail "blocked" had while she was a member and going was hers to have;
    from the block on, she is a stranger, in mail too."""
    return who == "blocked" and row.id <= world.mail_before_block


def test_no_mail_to_anyone_not_entitled_holds_the_canary(app, world, record_property):
    addresses = {world.people[who].email: who for who in world.people}
    hits, read = [], 0
    for row in db.session.scalars(db.select(OutboxMail)):
        who = addresses.get(row.recipient)
        if (who in ENTITLED and row.kind not in NAMES_ONLY) or before_her_block(
            world, who, row
        ):
            continue
        read += 1
        found = canaries_in(mail_text(row.message))
        if found:
            hits.append(f"{row.kind} to {who}: {found}")
    record_property("mails_searched", read)
    print(f"{read} mails to the unentitled searched, {len(hits)} canary hits")
    kinds = {row.kind for row in db.session.scalars(db.select(OutboxMail))}
    assert read >= 10, read
    assert {"changed", "cancelled", "join-approved", "host-message",
            *NAMES_ONLY} <= kinds, kinds  # fmt: skip
    # Among them, to the host: "going" let her dessert go at the members' home
    # (she dropped out), "blocked" hers at the public one (the block did).
    let_go = [row.subject for row in db.session.scalars(
        db.select(OutboxMail).filter_by(kind="host-news",
                                        recipient=world.people["host"].email))
        if "can't bring Dessert any more" in mail_text(row.message)]  # fmt: skip
    assert sorted(let_go) == sorted(
        f"The bring list for {world.events[name].title} has gaps again"
        for name in ("members-home", "public-home")
    ), let_go
    assert not hits, "\n".join(hits)


def test_the_bring_board_and_the_counts_are_on_the_pages_searched(app, world):
    """So the hunt reads them: the board for everyone who sees the gathering
    (first names and notes for members), the counts for those going."""
    event = world.events["members-home"]
    thing, note = BRINGS["claim"]
    pages = {who: client_for(app, world, who).get(f"/events/{event.id}")
             for who in ("member", "waitlisted", "going", "host")}  # fmt: skip
    for who, reply in pages.items():
        html = reply.get_data(as_text=True)
        assert 'id="bring"' in html and f"Going ({note})" in html, who
        assert BRINGS["own"][0] in html, who
        assert ('id="table-counts"' in html) == (who in ENTITLED), who
    counts = pages["going"].get_data(as_text=True)
    assert "2 coming · 2 children · 1 vegetarian" in counts
    host_list = client_for(app, world, "host").get(f"/events/{event.id}/attendees")
    assert AT_TABLE["going"]["diet_note"] in host_list.get_data(as_text=True)


def test_the_hosts_spreadsheet_names_people_and_things_never_the_place(app, world):
    """The CSV's new columns (what each brings, children, dietary needs, the
    note) hold no canary even for the host: a spreadsheet is forwarded as
    lightly as the host's news. The unentitled get none (the hunt above)."""
    host = client_for(app, world, "host")
    read = 0
    for name, event in world.events.items():
        reply = host.get(f"/events/{event.id}/attendees.csv")
        if reply.status_code != 200:
            assert name in ("draft-home", "host-needed-home"), (name, reply.status)
            continue
        text = reply.get_data(as_text=True).lstrip("\ufeff")
        rows = {row["email"]: row for row in csv.DictReader(io.StringIO(text))}
        going = rows[world.people["going"].email]
        if name != "public-home":  # there, "blocked" had claimed it
            assert going["brings"] == "{} ({})".format(*BRINGS["claim"]), name
        assert going["children"] == "2" and going["dietary needs"] == "Vegetarian"
        assert going["diet note"] == AT_TABLE["going"]["diet_note"]
        assert rows[world.people["host"].email]["brings"] == (
            "{} ({})".format(*BRINGS["own"])
        )
        assert not canaries_in(answer_text(reply)), name
        read += 1
    assert read == 8, read


def test_the_reminders_bring_words_name_things_never_the_place(app, world):
    """ "You said you'd bring" and "Still needed" in each reminder to the
    person going (whose reminder does hold her street, in its facts)."""
    said, homes = [], 0
    for row in db.session.scalars(db.select(OutboxMail).filter_by(
            kind="reminder", recipient=world.people["going"].email)):  # fmt: skip
        text = decoded_parts(row.message)
        words = ("You said you'd bring", "Still needed")
        lines = [ln for ln in text.splitlines() if any(w in ln for w in words)]
        assert lines, row.subject
        said += lines
        homes += bool(canaries_in(text))
    assert homes, "her reminders to a home hold its street: the words are apart"
    thing, note = BRINGS["claim"]
    assert f"You said you'd bring: {thing} ({note})" in "\n".join(said)
    hits = [line for line in said if canaries_in(line)]
    assert not hits, hits


def test_the_hosts_word_names_the_street_only_to_the_entitled(app, world):
    """Everyone answering hears from the host; the footer's place is each
    reader's own: the street for the person going (so the hunt looks in the
    right place), the area for the waitlisted and the asking, nothing at all
    for the blocked, who had been going."""
    home = world.events["public-home"]
    subject = f"Host about {home.title}"
    got = {}
    for row in db.session.scalars(db.select(OutboxMail).filter_by(kind="host-message")):
        if row.subject == subject:
            got[row.recipient] = mail_text(row.message)
    people = world.people
    assert CANARY_STREET in got[people["going"].email]
    for who in ("waitlisted", "requested"):
        assert not canaries_in(got[people[who].email]), who
        assert "home in Leith, Edinburgh" in got[people[who].email], who
    assert people["blocked"].email not in got
    assert people["host"].email not in got  # she wrote it


def test_answer_links_in_mail_never_grant_a_forwardee_the_address(app, world):
    """Every one-tap link in every mail, the entitled's included (the going
    person's reminder), opened and tapped by everyone not entitled and by a
    browser with no session: the page before and after shows no canary."""
    links = []  # (whose mail, kind, path), the "I'm going" links first
    for row in db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)):
        for path in set(ANSWER_LINK.findall(decoded_parts(row.message))):
            links.append((row.recipient, row.kind, path))
    links.sort(key=lambda link: answer_links.read(link[2].rsplit("/", 1)[1]).going,
               reverse=True)  # fmt: skip
    addresses = {world.people[who].email: who for who in world.people}
    going_mail = {kind for owner, kind, _ in links if addresses[owner] == "going"}
    assert {"reminder", "announcement"} <= going_mail, going_mail
    # The owner going, signed in, does see it: the hunt looks in the right place.
    own = client_for(app, world, "going").get(world.answer_links["members-home"])
    assert canaries_in(answer_text(own))
    forwardees = {who: client_for(app, world, who) for who in NOT_ENTITLED}
    forwardees["no session"] = client_for(app, world, "visitor")
    hits, tried = [], 0
    for owner, kind, path in links:
        event = answer_links.read(path.rsplit("/", 1)[1]).event
        for who, client in forwardees.items():
            # A forwardee's "no" on the going person's link frees a seat and
            # moves the waitlisted up: what she sees from then on is hers to see.
            before = going_to(world, who, event)
            opened = client.get(path)  # as a mail scanner or a curious eye
            tapped = client.post(path, csrf=False, follow_redirects=True)
            after = going_to(world, who, event)
            assert opened.status_code < 500 and tapped.status_code < 500, path
            replies = [] if before else [opened] if after else [opened, tapped]
            for reply in replies:
                tried += 1
                found = canaries_in(answer_text(reply))
                if found:
                    hits.append(f"{who} opening {addresses[owner]}'s {kind}: {found}")
    print(f"{len(links)} answer links, {tried} answers searched, {len(hits)} hits")
    assert not hits, "\n".join(hits)


def going_to(world: World, who: str, event) -> bool:
    person = world.people.get(who)
    rsvp = person and attendees.rsvp_of(person, event)
    return bool(rsvp and rsvp.is_going)


def test_the_entitled_do_see_the_canary(app, world):
    """So the hunt above searches where the address would be."""
    event = world.events["public-home"]
    for identity in sorted(ENTITLED):
        page = client_for(app, world, identity).get(f"/events/{event.id}")
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


def test_answering_by_mail_gives_nothing_before_the_code(app, world):
    """A stranger says "I'm going" to the canary home with a name and an
    address: the code mail (anyone can have one sent anywhere) holds nothing of
    the home, the page shows nothing until the code is used, and only then does
    she see what her answer entitles her to."""
    home = world.events["public-home"]
    client = client_for(app, world, "visitor")
    client.post(f"/events/{home.id}/rsvp", data={
        "response": "going", "display_name": "Zed", "email": "zed@example.org",
    })  # fmt: skip
    other = client_for(app, world, "visitor")
    other.post("/auth/code", data={"email": world.people["stranger"].email})
    sent = db.session.scalars(db.select(OutboxMail).filter_by(kind="mail-code")).all()
    assert len(sent) == 2
    assert not [row.recipient for row in sent if canaries_in(mail_text(row.message))]
    assert not canaries_in(answer_text(client.get(f"/events/{home.id}")))
    code, _link = mail_code("zed@example.org")
    client.post("/auth/code/check", data={"code": code})
    zed = db.session.scalar(db.select(User).filter_by(email="zed@example.org"))
    rsvp = attendees.rsvp_of(zed, home)
    seen = canaries_in(answer_text(client.get(f"/events/{home.id}")))
    assert bool(seen) == rsvp.is_going, (rsvp.status, seen)


def test_a_date_given_up_by_its_host_never_shows_her_street_again(app, world):
    """The host places her home, people answer, she gives the date up: from then
    on no page, feed or mail holds her street or spot, for anyone, entitled or not."""
    from meetup.services import rota, series

    made = world.series["public"]
    date = series.coming_dates(made, NOW)[0]
    host = memberships.membership_of(world.people["host"], made.group)
    rota.claim(host, date, NOW)
    # Her own canary: the world's other homes hold the shared one.
    street, spot = "9 Qqvgaveup Close", ("Qqvgaveup", "55.9912", "-3.2087")

    def hers(text: str) -> list[str]:
        return [part for part in spot if part in text]

    rota.place(host, date, rota.Place(
        venue_type=VenueType.HOME, address=street, area="Leith, Edinburgh",
        access_notes="Qqvgaveup bell", latitude=55.99123, longitude=-3.20871,
    ), NOW)  # fmt: skip
    rsvps.respond(date, world.people["going"], going=True, now=NOW)
    db.session.commit()
    going = client_for(app, world, "going")
    assert hers(answer_text(going.get(f"/events/{date.id}")))  # it was there
    sent_before = db.session.scalar(db.select(db.func.max(OutboxMail.id)))

    rota.give_up(host, date, NOW)
    db.session.commit()
    for who in IDENTITIES:
        client = client_for(app, world, who)
        pages = [f"/events/{date.id}", f"/events/{date.id}.ics",
                 f"/series/{made.id}", f"/groups/{made.group.slug}",
                 f"/groups/{made.group.slug}/calendar.ics",
                 f"/calendar/{world.feed_tokens.get(who, 'x')}.ics"]  # fmt: skip
        for page in pages:
            found = hers(answer_text(client.get(page)))
            assert not found, (who, page, found)
    later = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.id > sent_before)
    ).all()
    assert later, "the going member and the organisers were told"
    for row in later:
        assert not hers(mail_text(row.message)), row.kind


def test_the_street_the_day_before_reaches_no_one_going_before_its_time(app, world):
    """Every home asks to share its street the day before: three days out, the
    person going finds it on no page, feed, download or mail (a change of time
    mails her); from a day before, her reminder and her page hold it."""
    homes = [event for event in world.events.values() if event.is_home]
    for event in homes:
        event.street_day_before = True
    # The past gathering's day before has come and gone: its street is hers.
    past = world.events["past-home"]
    past.address, past.access_notes = "2 Old Lane", ""
    past.latitude, past.longitude = past.public_latitude, past.public_longitude
    db.session.commit()
    home = world.events["members-home"]
    organiser = memberships.membership_of(world.people["organiser"], home.group)
    sent_before = db.session.scalar(db.select(db.func.max(OutboxMail.id)))
    later = home.starts_at + timedelta(hours=1)
    events.update_event(organiser, home, edited(
        home, starts_at=later, ends_at=later + timedelta(hours=3)), NOW)  # fmt: skip
    db.session.commit()
    going = client_for(app, world, "going")
    urls_ = every_get_url(app, world, "going") + [
        f"/calendar/{world.feed_tokens['going']}.ics"
    ]
    hits = [url for url in urls_ if canaries_in(answer_text(going.get(url)))]
    mails = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.id > sent_before)
    ).all()
    to_her = [row for row in mails if row.recipient == world.people["going"].email]
    assert [row.kind for row in to_her] == ["changed"]
    hits += [row.kind for row in to_her if canaries_in(mail_text(row.message))]
    print(f"{len(urls_)} answers and {len(to_her)} mail searched, {len(hits)} hits")
    assert not hits, "\n".join(hits)
    # A day before: the street is hers, on the page and in the reminder.
    soon = NOW + timedelta(hours=20)
    events.update_event(organiser, home, edited(
        home, starts_at=soon, ends_at=soon + timedelta(hours=3)), NOW)  # fmt: skip
    db.session.commit()
    assert canaries_in(answer_text(going.get(f"/events/{home.id}")))
    reminders.send_reminders(NOW)
    db.session.commit()
    # Hers for this gathering: others of the world may be a day away too, and
    # without an order PostgreSQL returns rows in any order.
    [reminder] = [
        row
        for row in db.session.scalars(
            db.select(OutboxMail).filter_by(
                kind="reminder", recipient=world.people["going"].email
            )
        )
        if home.title in row.subject
    ]
    assert canaries_in(mail_text(reminder.message))
