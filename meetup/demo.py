"""Demo data: a few groups that started online and now meet in person."""

from __future__ import annotations

from meetup.extensions import db
from meetup.models import Group, JoinRequest, Membership, Role, User, Visibility
from meetup.services import accounts, groups, passwords

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


def seed(only_if_empty: bool = False) -> bool:
    """Create what is missing; return whether anything was created."""
    if only_if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        return False
    password_hash = passwords.hash_password(PASSWORD)
    people, created = {}, False
    for name, email in PEOPLE:
        user = accounts.find_by_email(email)
        if user is None:
            user = User(display_name=name, email=email, password_hash=password_hash)
            db.session.add(user)
            created = True
        people[email] = user
    db.session.flush()
    for spec in GROUPS:
        created |= _seed_group(spec, people)
    db.session.flush()
    return created


def _seed_group(spec: dict, people: dict[str, User]) -> bool:
    if db.session.scalar(db.select(Group).filter_by(name=spec["name"])) is not None:
        return False
    organiser = next(e for e, role in spec["members"].items() if role is Role.ORGANISER)
    group = groups.create_group(
        people[organiser],
        timezone="Europe/London",
        **{key: spec[key] for key in groups.GROUP_FIELDS if key in spec},
    )
    for email, role in spec["members"].items():
        if email != organiser:
            db.session.add(Membership(group=group, user=people[email], role=role))
    for email, message in spec.get("requests", {}).items():
        db.session.add(JoinRequest(group=group, user=people[email], message=message))
    return True
