"""Demo data: a few groups that started online and now meet in person."""

from __future__ import annotations

import dataclasses
from dataclasses import fields
from datetime import date, datetime, time, timedelta

from meetup import privacy, times
from meetup.extensions import db
from meetup.models import (
    Admission,
    Event,
    EventVisibility,
    Group,
    JoinRequest,
    Membership,
    OutboxMail,
    Role,
    Rsvp,
    RsvpStatus,
    Rule,
    Series,
    User,
    VenueType,
    Visibility,
)
from meetup.models.base import utcnow
from meetup.services import (
    accounts,
    bring,
    groups,
    memberships,
    passwords,
    rota,
    rsvps,
    series,
)
from meetup.services.groups import GroupDetails
from meetup.services.series import SeriesDetails

ORGANISER_EMAIL = "maria@hearth.example"
PASSWORD = "welcome-home"

PEOPLE = [
    ("Maria González", ORGANISER_EMAIL),
    ("Aisha Rahman", "aisha@hearth.example"),
    ("Fiona MacLeod", "fiona@hearth.example"),
    ("Priya Patel", "priya@hearth.example"),
    ("Grace Okafor", "grace@hearth.example"),
    ("Sofia Rossi", "sofia@hearth.example"),
    ("Hannah Kim", "hannah@hearth.example"),
    ("Eilidh Stewart", "eilidh@hearth.example"),
]

GROUPS = [
    {
        "name": "Stockbridge Book & Wine Circle",
        "area": "Stockbridge, Edinburgh",
        "visibility": Visibility.PUBLIC,
        "online_url": "https://www.facebook.com/groups/stockbridgebookwine",
        "description": (
            "We started as a Facebook group of women who missed talking about books "
            "with real people. Now we meet **once a month in a member's living room**: "
            "someone hosts, everyone brings a bottle or a plate.\n\n"
            "- New faces always welcome\n- Read the book or don't, come anyway\n"
        ),
        "members": {
            ORGANISER_EMAIL: Role.ORGANISER,
            "aisha@hearth.example": Role.CO_ORGANISER,
            "fiona@hearth.example": Role.MEMBER,
            "priya@hearth.example": Role.MEMBER,
            "hannah@hearth.example": Role.MEMBER,
        },
    },
    {
        "name": "St Columba's Thursday Suppers",
        "area": "Morningside, Edinburgh",
        "visibility": Visibility.PUBLIC,
        "online_url": "https://lists.example.org/stcolumbas-suppers",
        "description": (
            "A shared supper in the church hall on the first Thursday of the month. "
            "Bring a dish if you can; nobody is turned away. Step-free access from "
            "the side door."
        ),
        "members": {
            "grace@hearth.example": Role.ORGANISER,
            ORGANISER_EMAIL: Role.MEMBER,
            "eilidh@hearth.example": Role.MEMBER,
            "sofia@hearth.example": Role.MEMBER,
        },
    },
    {
        "name": "Leith Mums' Night Out",
        "area": "Leith, Edinburgh",
        "visibility": Visibility.PRIVATE,
        "online_url": "https://chat.whatsapp.com/leithmumsnightout",
        "description": (
            "Our WhatsApp group, off the phone and into the wine bar. Members only, "
            "so we can be ourselves: ask to join and tell us who you know."
        ),
        "members": {
            ORGANISER_EMAIL: Role.ORGANISER,
            "sofia@hearth.example": Role.MEMBER,
            "hannah@hearth.example": Role.MEMBER,
        },
        "requests": {
            "eilidh@hearth.example": "Sofia from the school gate told me about it!"
        },
    },
    {
        "name": "Portobello Sea Swimmers",
        "area": "Portobello, Edinburgh",
        "visibility": Visibility.PUBLIC,
        "online_url": "https://discord.gg/portyswim",
        "description": (
            "Cold water, warm flasks. We swim from the promenade at weekends and "
            "organise everything on our Discord."
        ),
        "members": {
            "priya@hearth.example": Role.ORGANISER,
            "grace@hearth.example": Role.MEMBER,
        },
    },
]


#: Gatherings: (group, title, venue, days from today, local start, hours, details)
EVENTS = [
    {
        "group": "St Columba's Thursday Suppers",
        "title": "First Thursday supper",
        "venue_type": VenueType.CHURCH, "venue_name": "St Columba's church hall",
        "address": "14 Johnston Terrace, Edinburgh EH1 2PW",
        "latitude": 55.94894, "longitude": -3.19504,
        "area": "Old Town, Edinburgh", "days": 8, "at": time(18, 30), "hours": 2,
        "capacity": 4, "max_guests": 2, "question": "Any dietary needs?",
        "access_notes": "Step-free access from the side door on Castle Wynd.",
        "description": "Soup, bread and good company. Everyone welcome.",
        "going": [("grace", 0, ""), ("eilidh", 1, "Vegetarian"), ("sofia", 0, "")],
        "waiting": [("maria", 1, "None, thank you")],
    },
    {
        "group": "Leith Mums' Night Out",
        "title": "Wine and natter at The Vine",
        "venue_type": VenueType.WINE_BAR, "venue_name": "The Vine",
        "address": "88 Shore, Leith, Edinburgh EH6 6RA",
        "latitude": 55.97556, "longitude": -3.17134,
        "area": "Leith, Edinburgh", "days": 12, "at": time(20, 0), "hours": 3,
        "capacity": None, "max_guests": 0, "visibility": EventVisibility.MEMBERS,
        "description": "Babysitters booked, phones on silent. First round's on Maria.",
        "going": [("sofia", 0, ""), ("hannah", 0, "")],
    },
    {
        "group": "Portobello Sea Swimmers",
        "title": "Sunday morning dip",
        "venue_type": VenueType.PARK, "venue_name": "Portobello promenade",
        "address": "Bath Street steps, Portobello", "area": "Portobello, Edinburgh",
        "latitude": 55.95386, "longitude": -3.11337,
        "days": 5, "at": time(9, 0), "hours": 2, "capacity": 15, "max_guests": 0,
        "cancel_reason": "Yellow wind warning for Sunday. See you next week!",
        "going": [("grace", 0, "")],
    },
    {
        "group": "Stockbridge Book & Wine Circle",
        "title": "{month} book night: The Thursday Murder Club",
        "venue_type": VenueType.HOME, "venue_name": "Fiona's house",
        "address": "7 Saxe Coburg Street, Edinburgh EH3 5BN",
        "latitude": 55.95961, "longitude": -3.20653,
        "area": "Stockbridge, Edinburgh", "days": -25, "at": time(19, 30), "hours": 3,
        "capacity": 10, "max_guests": 1,
        "going": [("fiona", 0, ""), ("maria", 0, ""), ("aisha", 0, "")],
    },
]  # fmt: skip


def seed(only_if_empty: bool = False) -> bool:
    """Create what is missing; return whether anything was created."""
    if only_if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        return False
    password_hash = passwords.hash_password(PASSWORD)
    people, created = {}, False
    for name, email in PEOPLE:
        user = accounts.find_by_email(email)
        if user is None:
            user = User(
                display_name=name, email=email, password_hash=password_hash,
                email_verified_at=utcnow(),
            )  # fmt: skip
            db.session.add(user)
            created = True
        people[email] = user
    db.session.flush()
    for spec in GROUPS:
        created |= _seed_group(spec, people)
    db.session.flush()
    for spec in EVENTS:
        created |= _seed_event(spec, people)
    db.session.flush()
    created |= _seed_series(people)
    db.session.flush()
    return created


#: The book circle's rhythm: first Thursdays at a member's home, in turn.
BOOK_NIGHTS = SeriesDetails(
    title="Book night",
    description=(
        "We meet once a month in a member's living room: someone hosts, everyone "
        "brings a bottle or a plate. Read the book or don't, come anyway."
    ),
    rule=Rule.MONTHLY_WEEKDAY, weekday=3, week_of_month=1,
    starts_on=date(2026, 1, 1), start_time=time(19, 30), minutes=180,
    capacity=8, max_guests=1,
    bring_list="Main dish ×2\nSalad\nDessert ×2\nWine ×3\nIce",
)  # fmt: skip
#: Who hosts the first two open dates, and who is going to the first.
HOSTS = [
    ("aisha", "Aisha's flat", "12 Raeburn Place, Flat 3F2, Edinburgh EH4 1HN",
     55.95802, -3.20931, "Top floor, no lift. Buzz 3F2. Children welcome until 8."),
    ("fiona", "Fiona's house", "7 Saxe Coburg Street, Edinburgh EH3 5BN",
     55.95961, -3.20653, "Ring the bell by the blue door."),
]  # fmt: skip
#: (who, guests, children, what she brings from the list, her note)
GOING = [("fiona", 1, 0, "Wine", "A Rioja"), ("priya", 0, 2, "Main dish", "Samosas"),
         ("hannah", 1, 0, "Dessert", "Cheese board, not sweet")]  # fmt: skip
#: New from the Facebook group: she asks to come, and waits for Aisha's yes.
NEWCOMER = "eilidh@hearth.example"


def _seed_series(people: dict[str, User]) -> bool:
    """Three dates open: two hosted, the third waiting for a host. Written
    through the rules, then the mail they queued is dropped: nobody is told."""
    group = db.session.scalar(
        db.select(Group).filter_by(name="Stockbridge Book & Wine Circle")
    )
    if db.session.scalar(db.select(Series.id).filter_by(group_id=group.id)):
        return False
    organiser = memberships.membership_of(people[ORGANISER_EMAIL], group)
    queued_before = db.session.scalar(db.select(db.func.max(OutboxMail.id))) or 0
    made = series.create_series(organiser, group, BOOK_NIGHTS, utcnow())
    for date_, (who, name, address, lat, lon, notes) in zip(
        series.coming_dates(made, utcnow()), HOSTS, strict=False
    ):
        host = memberships.membership_of(people[f"{who}@hearth.example"], group)
        rota.claim(host, date_, utcnow())
        rota.place(host, date_, rota.Place(
            venue_type=VenueType.HOME, venue_name=name, address=address,
            area="Stockbridge, Edinburgh", access_notes=notes, latitude=lat,
            longitude=lon,
        ), utcnow())  # fmt: skip
    first = series.coming_dates(made, utcnow())[0]
    for who, guests, children, thing, note in GOING:
        person = people[f"{who}@hearth.example"]
        rsvps.respond(first, person, going=True, guests=guests, children=children,
                      now=utcnow())  # fmt: skip
        bring.claim(person, first, thing, note, utcnow())
    # Then the hosts ask to approve newcomers, and one asks: Aisha has a request.
    newcomers = dataclasses.replace(
        SeriesDetails.of(made), admission=Admission.NEWCOMERS
    )
    series.update_series(organiser, made, newcomers, utcnow())
    rsvps.respond(first, people[NEWCOMER], going=True, now=utcnow())
    db.session.execute(db.delete(OutboxMail).where(OutboxMail.id > queued_before))
    return True


def _seed_event(spec: dict, people: dict[str, User]) -> bool:
    """Write the event and answers directly: some are in the past, on purpose."""
    day = (utcnow() + timedelta(days=spec["days"])).date()
    # Titles match their dates: "November book night" is in November.
    spec = {**spec, "title": spec["title"].format(month=f"{day:%B}")}
    if db.session.scalar(db.select(Event.id).filter_by(title=spec["title"])):
        return False
    group = db.session.scalar(db.select(Group).filter_by(name=spec["group"]))
    starts_at = times.to_utc(datetime.combine(day, spec["at"]), group.timezone)
    host = people[f"{spec['going'][0][0]}@hearth.example"]
    going = [(people[f"{who}@hearth.example"], n, a) for who, n, a in spec["going"]]
    public = privacy.public_point(
        spec["venue_type"], spec["latitude"], spec["longitude"]
    )
    event = Event(
        group=group,
        host=host,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=spec["hours"]),
        timezone=group.timezone,
        seats_taken=sum(1 + n for _, n, _ in going),
        public_latitude=public[0],
        public_longitude=public[1],
        cancelled_at=utcnow() if spec.get("cancel_reason") else None,
        **{key: spec[key] for key in _EVENT_KEYS if key in spec},
    )
    db.session.add(event)
    for user, guests, answer in going:
        _ensure_member(user, group)
        db.session.add(Rsvp(event=event, user=user, status=RsvpStatus.GOING,
                            guests=guests, answer=answer))  # fmt: skip
    for who, guests, answer in spec.get("waiting", []):
        user = people[f"{who}@hearth.example"]
        db.session.add(
            Rsvp(
                event=event,
                user=user,
                status=RsvpStatus.WAITLISTED,
                guests=guests,
                answer=answer,
                waitlisted_at=utcnow(),
            )
        )
    return True


_EVENT_KEYS = (
    "title", "description", "venue_type", "venue_name", "address", "area",
    "access_notes", "capacity", "max_guests", "question", "visibility", "cancel_reason",
    "latitude", "longitude",
)  # fmt: skip


def _ensure_member(user: User, group: Group) -> None:
    if memberships.membership_of(user, group) is None:
        db.session.add(Membership(group=group, user=user, role=Role.MEMBER))
        db.session.flush()


def _seed_group(spec: dict, people: dict[str, User]) -> bool:
    if db.session.scalar(db.select(Group).filter_by(name=spec["name"])) is not None:
        return False
    organiser = next(e for e, role in spec["members"].items() if role is Role.ORGANISER)
    details = {f.name: spec[f.name] for f in fields(GroupDetails) if f.name in spec}
    group = groups.create_group(
        people[organiser], GroupDetails(timezone="Europe/London", **details)
    )
    for email, role in spec["members"].items():
        if email != organiser:
            db.session.add(Membership(group=group, user=people[email], role=role))
    for email, message in spec.get("requests", {}).items():
        db.session.add(JoinRequest(group=group, user=people[email], message=message))
    return True
