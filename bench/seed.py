"""Seed a database at scale, in bulk (never through the request path).

Full scale: 2,000 groups, 100,000 gatherings over five metro areas, 50,000
people, 1,000,000 RSVPs. `small` is a twentieth. Besides the crowd, it plants
what the benchmark asks for by name: a group with 200 coming gatherings, a
gathering with 200 going and 50 waitlisted, and a member going to 50 gatherings
with a calendar link.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, text

from meetup import privacy
from meetup.extensions import db
from meetup.models import Event, Group, Membership, Rsvp, User
from meetup.services import passwords

SCALES = {
    "full": {"groups": 2_000, "events": 100_000, "users": 50_000, "rsvps": 1_000_000},
    "small": {"groups": 100, "events": 5_000, "users": 2_500, "rsvps": 50_000},
}
METROS = [(51.5074, -0.1278), (53.4808, -2.2426), (55.9533, -3.1883),
          (52.4862, -1.8904), (53.8008, -1.5491)]  # fmt: skip
PASSWORD = "bench-password"
BATCH = 10_000
FEED_SECRET = "bench-feed-secret-" + "x" * 25
BIG_GOING, BIG_WAITING = 200, 50


@dataclass(frozen=True)
class Planted:
    """What the benchmark requests by name."""

    feed_group_slug: str
    big_event_id: int
    going_member_email: str
    feed_token: str
    search_text: str
    near: str


def seed(scale: str, now: datetime) -> Planted:
    size = SCALES[scale]
    rng = random.Random(2026)
    password_hash = passwords.hash_password(PASSWORD)
    users = size["users"]
    _insert(User, (
        dict(id=n + 1, display_name=f"Member {n}", email=f"member{n}@bench.example",
             password_hash=password_hash, email_verified_at=now, created_at=now,
             wants_reminders=True, wants_announcements=True,
             calendar_secret=FEED_SECRET if n == 0 else None)
        for n in range(users)
    ))  # fmt: skip
    groups = size["groups"]
    _insert(Group, (
        dict(id=g + 1, slug=f"group-{g}", name=f"Group {g} book and supper club",
             description="We meet in each other's homes.", area="Leith, Edinburgh",
             timezone="Europe/London",
             visibility="private" if g % 10 == 9 else "public",
             latitude=METROS[g % 5][0], longitude=METROS[g % 5][1], created_at=now)
        for g in range(groups)
    ))  # fmt: skip
    members = _memberships(groups, users, now)
    # Events: group 0 (the feed group) gets 200 coming ones; the rest share out.
    per_group = (size["events"] - 200) // (groups - 1)
    events_of = {0: 200, **{g: per_group for g in range(1, groups)}}
    event_rows, event_group, next_id = [], {}, 1
    for g, count in events_of.items():
        lat0, lon0 = METROS[g % 5]
        for k in range(count):
            lat, lon = lat0 + rng.gauss(0, 0.15), lon0 + rng.gauss(0, 0.25)
            home = k % 5 == 0
            public = privacy.grid_cell_centre(lat, lon) if home else (lat, lon)
            days = (k * 7) % 360 - 60 if g else 1 + k
            # Spread over the day per group, as real groups' evenings are.
            starts = now + timedelta(days=days, hours=k % 10, minutes=(g * 37) % 600)
            event_rows.append(dict(
                id=next_id, group_id=g + 1, title=f"Supper {k} at the {g} circle",
                description="Bring a dish to share.",
                venue_type="home" if home else "church",
                venue_name="", address=f"{k} Bench Street" if home else "",
                area="Leith, Edinburgh", access_notes="", starts_at=starts,
                ends_at=starts + timedelta(hours=3), timezone="Europe/London",
                capacity=BIG_GOING if next_id == 1 else None, max_guests=1,
                visibility="public", question="What will you bring?", seats_taken=0,
                cancel_reason="", created_at=now, updated_at=now, latitude=lat,
                longitude=lon, public_latitude=public[0], public_longitude=public[1],
                host_id=members[g][0],
            ))  # fmt: skip
            event_group[next_id] = g
            next_id += 1
    _insert(Event, event_rows)
    _rsvps(size["rsvps"], event_group, members, now, rng)
    # Seats as the RSVP service keeps them: going members plus their guests.
    db.session.execute(
        text(
            "UPDATE events SET seats_taken = (SELECT COALESCE(SUM(1 + guests), 0)"
            " FROM rsvps WHERE rsvps.event_id = events.id AND status = 'going')"
        )
    )
    db.session.commit()
    return Planted(
        feed_group_slug="group-0",
        big_event_id=1,
        going_member_email="member1@bench.example",  # person 2, going to the big one
        feed_token=f"1.{FEED_SECRET}",  # person 1: going to 50 gatherings
        search_text="supper",
        near="55.95,-3.19",
    )


def _memberships(groups: int, users: int, now: datetime) -> dict[int, list[int]]:
    """Four groups each, and 300 people in the feed group; first is organiser."""
    members: dict[int, list[int]] = {g: [] for g in range(groups)}
    for u in range(1, users + 1):
        for g in {
            u % groups,
            (u * 7) % groups,
            (u * 13 + 1) % groups,
            (u * 31 + 5) % groups,
        }:
            members[g].append(u)
    members[0] = sorted(set(members[0]) | set(range(1, 301)))
    rows = (
        dict(group_id=g + 1, user_id=u, role="organiser" if i == 0 else "member",
             joined_at=now)
        for g, people in members.items() for i, u in enumerate(people)
    )  # fmt: skip
    _insert(Membership, rows)
    return members


def _rsvps(total, event_group, members, now, rng) -> None:
    """The big event's 200 going and 50 waiting, person 1 at 50 events, then
    the rest spread over the crowd."""
    taken: set[tuple[int, int]] = set()

    def row(event_id, user, status, guests=0, waitlisted_at=None):
        taken.add((event_id, user))
        return dict(event_id=event_id, user_id=user, status=status, guests=guests,
                    answer="A salad", responded_at=now, updated_at=now,
                    waitlisted_at=waitlisted_at, sequence_offset=0)  # fmt: skip

    planted = [row(1, u, "going") for u in range(1, BIG_GOING + 1)]
    planted += [
        row(1, u, "waitlisted", waitlisted_at=now + timedelta(seconds=u))
        for u in range(BIG_GOING + 1, BIG_GOING + BIG_WAITING + 1)
    ]
    planted += [row(e, 1, "going") for e in range(2, 51)]  # person 1: 50 in all
    _insert(Rsvp, planted)
    event_ids = list(event_group)

    def crowd():
        made = len(planted)
        while made < total:
            event_id = rng.choice(event_ids)
            people = members[event_group[event_id]]
            user = people[rng.randrange(len(people))]
            if (event_id, user) in taken or event_id == 1:
                continue
            status = "going" if rng.random() < 0.8 else "declined"
            yield row(event_id, user, status, guests=rng.random() < 0.2)
            made += 1

    _insert(Rsvp, crowd())


def _insert(model, rows) -> None:
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) == BATCH:
            db.session.execute(insert(model), batch)
            batch = []
    if batch:
        db.session.execute(insert(model), batch)
