"""Factory fixtures: people, groups, members and gatherings, made as the app
makes them (through the services) and committed."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

import pytest

from meetup.models import Event, Group, Membership, Role, User, VenueType
from meetup.services import accounts, events, groups
from meetup.services.events import EventDetails
from meetup.services.groups import GroupDetails
from tests.conftest import HOME_ADDRESS, NOW, PASSWORD

_numbers = count(1)


@pytest.fixture
def make_user(db):
    def make(
        name: str | None = None, email: str | None = None, verified: bool = True
    ) -> User:
        n = next(_numbers)
        user = accounts.register(
            name or f"Member {n}",
            email or f"member{n}@example.org",
            PASSWORD,
            verified_at=NOW if verified else None,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_group(db, make_user):
    def make(organiser: User | None = None, **fields) -> Group:
        fields.setdefault("name", f"Group {next(_numbers)}")
        fields.setdefault("timezone", "Europe/London")
        group = groups.create_group(organiser or make_user(), GroupDetails(**fields))
        db.session.commit()
        return group

    return make


@pytest.fixture
def add_member(db):
    def add(group: Group, user: User, role: Role = Role.MEMBER):
        membership = groups.join_with_invite(user, group, group.invite_token)
        membership.role = role
        db.session.commit()
        return membership

    return add


@pytest.fixture
def make_event(db, make_user, make_group):
    """An event planned by its group's organiser; upcoming (3 days after NOW).
    Hosted by nobody unless `host_id` says (a host takes one of the places)."""

    def make(group: Group | None = None, now: datetime = NOW, **fields) -> Event:
        group = group or make_group()
        organiser = db.session.scalar(
            db.select(Membership).filter_by(group_id=group.id, role=Role.ORGANISER)
        )
        starts_at = fields.pop("starts_at", now + timedelta(days=3))
        values = {
            "title": f"Gathering {next(_numbers)}",
            "venue_type": VenueType.OTHER,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "timezone": group.timezone,
            "capacity": None,
            "max_guests": 0,
            "host_id": None,
            **fields,
        }
        event = events.create_event(organiser, group, EventDetails(**values), now)
        db.session.commit()
        return event

    return make


@pytest.fixture
def home_event(make_user, make_group, make_event):
    """A book night in Maria's flat: a home, 3 places (Maria, hosting, takes
    one: 2 for the others), a guest each, a question."""
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle", area="Leith, Edinburgh")
    return make_event(
        group,
        host_id=maria.id,
        title="Book night",
        venue_type=VenueType.HOME,
        venue_name="Maria's flat",
        address=HOME_ADDRESS,
        area="Leith, Edinburgh",
        access_notes="Ring the bell for flat 2",
        capacity=3,
        max_guests=1,
        question="What will you bring?",
    )
