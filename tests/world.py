"""A small world with one person in each role and one event in each state.

The access matrix and the leak hunt both walk it. Every home event's street and
exact spot are canaries: unique strings that must never reach anyone but the
organisers, the host and the people going. Below the world: every URL of a
route in it, a signed-in client per identity, and a snapshot of every table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from email.message import EmailMessage

from flask import url_for
from sqlalchemy import func, select
from werkzeug.routing import AnyConverter

from meetup import privacy
from meetup.extensions import db
from meetup.models import (
    Admission,
    Block,
    Device,
    Diet,
    Event,
    EventState,
    EventVisibility,
    Group,
    JoinRequest,
    Membership,
    OutboxMail,
    Report,
    Role,
    Rsvp,
    Rule,
    Series,
    User,
    VenueType,
    Visibility,
)
from meetup.services import (
    account_mail,
    accounts,
    answer_links,
    blocking,
    bring,
    calendar_links,
    events,
    groups,
    host_messages,
    memberships,
    reports,
    rsvps,
    series,
    written_replies,
)
from meetup.services.events import EventDetails
from meetup.services.groups import GroupDetails
from meetup.services.series import SeriesDetails
from tests.conftest import NOW, PASSWORD, CSRFClient, redirect_path

IDENTITIES = (
    "visitor",
    "stranger",  # signed in, in neither group
    "pending",  # asked to join the private group; a stranger to the public one
    "member",
    "requested",  # asked to come to each answerable gathering; waits for a yes
    "waitlisted",
    "going",
    "host",
    "co_organiser",
    "organiser",
    "other_organiser",  # runs a group of their own, nothing here
    # Was in both groups and going to the public home gathering; then removed
    # and blocked from both: sees what a stranger sees, refused at every door.
    "blocked",
)
#: In both groups, with these roles; "pending" only asks to join the private one.
MEMBERS = ("member", "requested", "waitlisted", "going", "host", "co_organiser",
           "organiser")  # fmt: skip
MANAGERS = ("co_organiser", "organiser")

CANARY_STREET = "7 Zqxcanary Wynd"
CANARY_NOTES = "Zqxcanary door code 4417"
#: An exact spot in the middle of its ~1 km grid cell, so neither the cell's
#: centre nor its edges share three decimals with it (checked in `build`).
CANARY_LAT, CANARY_LON = 55.97314, -3.17681
CANARY_PATTERNS = ("Zqxcanary", "55.973", "-3.176", "-3.177", "55,973", "-3,176")


@dataclass(frozen=True)
class Cell:
    identity: str
    url: str
    state: str | None = None  # event state, or "public"/"private" for groups


@dataclass
class World:
    people: dict[str, User]
    groups: dict[str, Group]  # "public", "private", "elsewhere"
    events: dict[str, Event]  # by state name, see STATES
    invite_tokens: dict[str, str] = field(default_factory=dict)
    feed_tokens: dict[str, str] = field(default_factory=dict)
    unsubscribe_links: dict[str, str] = field(default_factory=dict)
    #: By event state: the "going" person's one-tap "I'm going" link (a path).
    answer_links: dict[str, str] = field(default_factory=dict)
    #: A monthly book night with a host rota, in the public and private group.
    series: dict[str, Series] = field(default_factory=dict)
    #: The last mail queued before "blocked" was blocked: what came before was
    #: hers while she was a member (her going confirmation holds the street).
    mail_before_block: int = 0


#: Event states: (group, event visibility, venue, special).
STATES = {
    "public-home": dict(group="public", visibility="public", venue="home"),
    "public-hall": dict(group="public", visibility="public", venue="other"),
    "members-home": dict(group="public", visibility="members", venue="home"),
    "members-hall": dict(group="public", visibility="members", venue="other"),
    "private-home": dict(group="private", visibility="public", venue="home"),
    "private-hall": dict(group="private", visibility="public", venue="other"),
    "cancelled-home": dict(group="public", visibility="public", venue="home",
                           cancelled=True),
    "past-home": dict(group="public", visibility="public", venue="home", past=True),
    # Seen by the organisers alone: no answers, no host seated, no mail.
    "draft-home": dict(group="public", visibility="public", venue="home",
                       draft=True),
    # A series date nobody hosts yet: members see it; nobody may answer.
    "host-needed-home": dict(group="public", visibility="public", venue="home",
                             host_needed=True),
}  # fmt: skip


def build() -> World:
    people = {
        name: accounts.register(
            name.replace("_", " ").title(),
            f"{name}@example.org",
            PASSWORD,
            verified_at=NOW,
        )  # fmt: skip
        for name in IDENTITIES
        if name != "visitor"
    }
    public = groups.create_group(people["organiser"], GroupDetails(
        name="Leith Supper Club", area="Leith, Edinburgh", timezone="Europe/London",
    ))  # fmt: skip
    private = groups.create_group(people["organiser"], GroupDetails(
        name="Quiet Readers", area="Leith, Edinburgh", timezone="Europe/London",
        visibility=Visibility.PRIVATE,
    ))  # fmt: skip
    elsewhere = groups.create_group(people["other_organiser"], GroupDetails(
        name="Glasgow Walkers", area="Glasgow", timezone="Europe/London",
    ))  # fmt: skip
    db.session.flush()
    for group in (public, private):
        for name in MEMBERS:
            if name == "organiser":
                continue
            membership = groups.join_with_invite(
                people[name], group, group.invite_token
            )
            if name == "co_organiser":
                membership.role = Role.CO_ORGANISER
    for group in (public, private):
        groups.join_with_invite(people["blocked"], group, group.invite_token)
    groups.join(people["pending"], private, "Hello, may I come?")
    db.session.flush()
    world = World(people, {"public": public, "private": private,
                           "elsewhere": elsewhere}, {})  # fmt: skip
    for name, state in STATES.items():
        world.events[name] = _event(world, name, state)
    for group_name in ("public", "private"):
        group = world.groups[group_name]
        world.series[group_name] = series.create_series(
            memberships.membership_of(people["organiser"], group), group,
            SeriesDetails(title=f"Book night {group_name}",
                          rule=Rule.MONTHLY_WEEKDAY, weekday=3,
                          starts_on=(NOW + timedelta(days=20)).date(),
                          start_time=time(19, 30), horizon=1),
            NOW,
        )  # fmt: skip
    _block(world)
    _word_from_the_host(world)
    _written_back(world)
    for group_name, group in world.groups.items():
        world.invite_tokens[group_name] = group.invite_token
    for name, event in world.events.items():
        url = answer_links.link(people["going"], event, "going")
        world.answer_links[name] = "/a/" + url.rsplit("/a/", 1)[1]
    for name, person in people.items():
        world.feed_tokens[name] = calendar_links.new_feed_token(person)
        world.unsubscribe_links[name] = account_mail.unsubscribe_link(
            person, "reminders"
        )
    db.session.commit()
    _check_canary_is_unique(world)
    return world


def _event(world: World, name: str, state: dict) -> Event:
    group = world.groups[state["group"]]
    organiser = memberships.membership_of(world.people["organiser"], group)
    past = state.get("past", False)
    planned_at = NOW - timedelta(days=10) if past else NOW
    starts_at = planned_at + timedelta(days=3)
    home = state["venue"] == "home"
    event = events.create_event(organiser, group, EventDetails(
        title=f"Supper {name}",
        description="Bring a dish to share.",
        bring_list="Dessert ×2\nIce",
        venue_type=VenueType.HOME if home else VenueType.OTHER,
        venue_name="The host's flat" if home else "St Columba's hall",
        address=CANARY_STREET if home else "1 Church Street",
        area="Leith, Edinburgh",
        access_notes=CANARY_NOTES if home else "Side door",
        latitude=CANARY_LAT if home else 55.9500,
        longitude=CANARY_LON if home else -3.1900,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        timezone="Europe/London",
        capacity=2,  # the host and the person going
        max_guests=0,
        host_id=None if state.get("host_needed") else world.people["host"].id,
        visibility=EventVisibility(state["visibility"]),
    ), planned_at, draft=state.get("draft", False))  # fmt: skip
    if state.get("draft"):
        return event
    if state.get("host_needed"):
        event.state = EventState.HOST_NEEDED  # as the series code leaves it
        db.session.flush()
        return event
    if name == "public-home":  # had the place; the block hands it on
        rsvps.respond(event, world.people["blocked"], going=True, now=planned_at)
    rsvps.respond(event, world.people["going"], going=True, now=planned_at,
                  **AT_TABLE["going"])  # fmt: skip
    _bring(world, name, event, planned_at)
    rsvps.respond(event, world.people["waitlisted"], going=True, now=planned_at,
                  **AT_TABLE["waitlisted"])  # fmt: skip
    # Then the host asks to approve each person: "requested" waits for her yes.
    event.admission = Admission.EACH
    rsvps.respond(event, world.people["requested"], going=True, now=planned_at,
                  **AT_TABLE["requested"])  # fmt: skip
    if state.get("cancelled"):
        events.cancel_event(organiser, event, "The host is unwell.", planned_at)
    db.session.flush()
    return event


#: Who's eating, who's little: each answer's children and dietary needs (the
#: counts show to those going, the names and notes to the host).
AT_TABLE = {
    "going": dict(children=2, diets=frozenset({Diet.VEGETARIAN}),
                  diet_note="No mushrooms, please"),
    "waitlisted": dict(children=1, diets=frozenset({Diet.NUT_ALLERGY})),
    "requested": dict(diets=frozenset({Diet.VEGAN, Diet.GLUTEN_FREE}),
                      diet_note="Oat milk in my tea"),
}  # fmt: skip
#: What people say they'd bring: a unit of the list with a note, and "something
#: else" (the host's). Notes are names and things only, like the board.
BRINGS = {"claim": ("Dessert", "Lemon tart, no nuts"),
          "own": ("Elderflower cordial", "Homemade")}  # fmt: skip


def _bring(world: World, name: str, event: Event, now) -> None:
    """Before anyone waits (so a drop-out hands on no place): the host adds a
    thing of her own, and the person going claims a dessert (at the public
    home, "blocked", who has the place: the block lets it go). At the members'
    home, "going" claims, drops out (the host is mailed that the dessert is
    free again), answers again and claims it again."""
    people = world.people
    bring.add_own(people["host"], event, *BRINGS["own"], now)
    claimer = people["blocked" if name == "public-home" else "going"]
    bring.claim(claimer, event, *BRINGS["claim"], now)
    if name == "members-home":
        rsvps.respond(event, claimer, going=False, now=now)
        rsvps.respond(event, claimer, going=True, now=now, **AT_TABLE["going"])
        bring.claim(claimer, event, *BRINGS["claim"], now)


def _block(world: World) -> None:
    """The organisers block "blocked" from both groups (after she was put down
    for the public book nights), and "member" reports a person and a gathering."""
    blocked = world.people["blocked"]
    series.stand(blocked, world.series["public"], NOW)
    db.session.flush()
    world.mail_before_block = db.session.scalar(select(func.max(OutboxMail.id))) or 0
    for name in ("public", "private"):
        group = world.groups[name]
        organiser = memberships.membership_of(world.people["organiser"], group)
        blocking.block(organiser, blocked, group, NOW)
        reports.report(world.people["member"], group, "Zqxreport words",
                       person=world.people["going"], now=NOW)  # fmt: skip
    db.session.flush()


#: What the host writes to everyone at each answerable gathering: her footer
#: names the place as each reader may see it (the leak hunt reads every mail).
HOST_WORD = "Bring a dish to share, and your book."


def _word_from_the_host(world: World) -> None:
    """After the block: the host writes to everyone going, waiting and asking."""
    host = world.people["host"]
    for event in world.events.values():
        if event.is_draft or event.needs_host:
            continue
        host_messages.send(
            memberships.membership_of(host, event.group), event, host, HOST_WORD,
            True, True, True, True, NOW,
        )  # fmt: skip
    db.session.flush()


def _written_back(world: World) -> None:
    """Someone going replies to her mail about each answerable gathering, in
    words: the host's copy names no place (NAMES_ONLY in the leak hunt)."""
    going = world.people["going"]
    for event in world.events.values():
        if event.is_draft or event.needs_host:
            continue
        words = EmailMessage()
        words["From"], words["Subject"] = going.email, f"Re: {event.title}"
        words.set_content("Running ten minutes late, sorry!")
        written_replies.pass_on(words, going, event, NOW)
    db.session.flush()


def _check_canary_is_unique(world: World) -> None:
    """The leak hunt proves nothing if the public point matched the canary."""
    event = world.events["public-home"]
    assert event.is_home and event.latitude == CANARY_LAT
    cell = privacy.grid_cell_bounds(event.public_latitude, event.public_longitude)
    shown = [event.public_latitude, event.public_longitude, *cell]
    for value in shown:
        for decimals in range(3, 8):
            text = f"{value:.{decimals}f}"
            assert not any(p in text for p in CANARY_PATTERNS[1:]), (value, text)


def urls(app, world: World, endpoint: str, identity: str) -> Iterator[Cell]:
    """Every URL of one route: one per object state and per `any()` choice."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    for state, values in _objects(world, set(rule.arguments), endpoint):
        for choice in _choices(rule):
            with app.test_request_context():
                url = url_for(endpoint, **values, **choice)
            yield Cell(identity, url, state)


def _objects(world: World, params: set[str], endpoint: str) -> Iterator[tuple]:
    """(state, URL values) for each object the route can point at."""
    if "event_id" in params:
        for state, event in world.events.items():
            values = {"event_id": event.id}
            if "rsvp_id" in params:
                values["rsvp_id"] = _rsvp_id(event, world, "waitlisted")
                if values["rsvp_id"] is None:
                    continue  # a draft, or a date without a host: nobody answered
            yield state, values
    elif "slug" in params:
        for name in ("public", "private"):
            group = world.groups[name]
            values = {"slug": group.slug}
            if "token" in params:
                values["token"] = world.invite_tokens[name]
            if "member_id" in params:
                values["member_id"] = _membership_id(group, world, "member")
            if "block_id" in params:
                values["block_id"] = _block_id(group, world, "blocked")
            if "report_id" in params:
                values["report_id"] = _report_id(group)
            if "request_id" in params:
                if name == "public":
                    continue  # public groups take no requests
                values["request_id"] = _request_id(group)
            yield name, values
    elif "series_id" in params:
        for name, made in world.series.items():
            yield name, {"series_id": made.id}
    elif endpoint == "sharing.shared":
        for state, event in world.events.items():
            yield state, {"code": event.share_code}
    elif endpoint == "calendars.personal_feed":
        yield None, {"token": world.feed_tokens["going"]}
    elif endpoint == "one_tap.answer":
        for state, path in world.answer_links.items():
            yield state, {"token": path.rsplit("/", 1)[1]}
    elif endpoint == "main.unsubscribe":
        yield None, {"token": world.unsubscribe_links["member"].rsplit("/", 1)[1]}
    elif endpoint == "auth.code_link":
        yield None, {"token": "not-a-real-token"}
    elif endpoint == "devices.end":
        member = world.people["member"]
        yield None, {"device_id": db.session.scalar(
            select(Device.id).filter_by(user_id=member.id).limit(1)
        ) or 999_999}  # fmt: skip
    elif endpoint == "static":
        yield None, {"filename": "hearth.css"}
    else:
        assert not params, f"{endpoint}: teach _objects() its parameters {params}"
        yield None, {}


def _choices(rule) -> list[dict]:
    """Each combination of the rule's <any(...)> parts."""
    combos = [{}]
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            combos = [
                {**c, name: item} for c in combos for item in sorted(converter.items)
            ]
    return combos


def _rsvp_id(event, world, who) -> int:
    return db.session.scalar(
        select(Rsvp.id).filter_by(event_id=event.id, user_id=world.people[who].id)
    )


def _membership_id(group, world, who) -> int:
    return db.session.scalar(
        select(Membership.id).filter_by(group_id=group.id, user_id=world.people[who].id)
    )


def _block_id(group, world, who) -> int:
    return db.session.scalar(
        select(Block.id).filter_by(group_id=group.id, user_id=world.people[who].id)
    )


def _report_id(group) -> int:
    return db.session.scalar(select(Report.id).filter_by(group_id=group.id))


def _request_id(group) -> int:
    return db.session.scalar(select(JoinRequest.id).filter_by(group_id=group.id))


def routes(app) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        found.setdefault(rule.endpoint, set()).update(
            rule.methods - {"HEAD", "OPTIONS"}
        )
    return found


def snapshot() -> dict:
    """Every row of every table: what a refused request must not touch."""
    db.session.expire_all()
    rows = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            found = connection.execute(table.select()).all()
            rows[table.name] = sorted(map(repr, found))
    return rows


def client_for(app, world: World, identity: str) -> CSRFClient:
    """A browser-like client, signed in as `identity` (the visitor is not)."""
    app.test_client_class = CSRFClient
    client = app.test_client()
    if identity != "visitor":
        person = world.people[identity]
        reply = client.post(
            "/auth/login", data={"email": person.email, "password": PASSWORD}
        )
        assert redirect_path(reply) == "/", f"{identity} could not sign in"
    return client
