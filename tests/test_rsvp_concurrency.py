"""Capacity holds under 200 simultaneous RSVPs, on SQLite and PostgreSQL.

Every request goes through the real path (view, CSRF, service, commit) from its
own client and database session, released together by a barrier. A control run
with the guard swapped for a count-then-write must overbook: proof that the
test can fail.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, select, update
from sqlalchemy.pool import NullPool

from meetup.extensions import db
from meetup.models import Event, Rsvp, RsvpStatus
from meetup.services import rsvps
from tests.conftest import redirect_path

REQUESTS = 200
CAPACITY = 20


@pytest.fixture
def crowd(app, client, make_user, make_event):
    """An event with 20 places and 200 signed-in members, each with a client."""
    event = make_event(capacity=CAPACITY)
    clients = []
    for _ in range(REQUESTS):
        user = make_user()
        member = app.test_client()
        member.post(
            "/auth/login",
            data={"email": user.email, "password": "correct horse battery"},
        )
        clients.append((user, member))
    return event, clients


def all_at_once(clients, path: str, data: dict) -> list[str | int]:
    barrier = threading.Barrier(len(clients))

    def send(client):
        barrier.wait()
        reply = client.post(path, data=data)
        return redirect_path(reply) or reply.status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(send, clients))


def tally(event) -> dict:
    db.session.expire_all()
    rows = db.session.scalars(select(Rsvp).filter_by(event_id=event.id)).all()
    return {
        "going": sum(r.is_going for r in rows),
        "waitlisted": sum(r.is_waitlisted for r in rows),
        "seats_taken": db.session.get(Event, event.id).seats_taken,
    }


def waitlist_order(event) -> list[int]:
    return list(
        db.session.scalars(
            select(Rsvp.user_id)
            .filter_by(event_id=event.id, status=RsvpStatus.WAITLISTED)
            .order_by(Rsvp.waitlisted_at, Rsvp.id)
        )
    )


def test_200_concurrent_rsvps_never_overbook(crowd):
    event, members = crowd
    answers = all_at_once(
        [c for _, c in members], f"/events/{event.id}/rsvp", {"response": "going"}
    )
    print(f"\nguarded: {REQUESTS} requests, capacity {CAPACITY}: {tally(event)}")
    back = f"/events/{event.id}"
    assert set(answers) == {back}, f"every request back on the page: {answers}"
    assert tally(event) == {"going": 20, "waitlisted": 180, "seats_taken": 20}

    # Ten of those going cancel at once: exactly the ten first in line move up.
    line = waitlist_order(event)
    going = {
        r.user_id
        for r in db.session.scalars(
            select(Rsvp).filter_by(event_id=event.id, status=RsvpStatus.GOING)
        )
    }
    leaving = [c for user, c in members if user.id in going][:10]
    answers = all_at_once(leaving, f"/events/{event.id}/rsvp", {"response": "declined"})
    assert set(answers) == {f"/events/{event.id}"}
    assert tally(event) == {"going": 20, "waitlisted": 170, "seats_taken": 20}
    promoted = set(line[:10])
    now_going = {
        r.user_id
        for r in db.session.scalars(
            select(Rsvp).filter_by(event_id=event.id, status=RsvpStatus.GOING)
        )
    }
    assert promoted <= now_going
    assert waitlist_order(event) == line[10:]


def naive_guard(reader):
    """The bug we guard against: read the count, decide in Python, then write."""

    def take_seats(event, places):
        with reader.connect() as connection:
            taken = connection.scalar(
                select(Event.seats_taken).where(Event.id == event.id)
            )
        if event.capacity is not None and taken + places > event.capacity:
            return False
        time.sleep(0.005)  # any work between the read and the write widens the race
        db.session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(seats_taken=Event.seats_taken + places)
        )
        return True

    return take_seats


def test_control_without_the_guard_overbooks(crowd, monkeypatch):
    reader = create_engine(db.engine.url, poolclass=NullPool)
    monkeypatch.setattr(rsvps, "_take_seats", naive_guard(reader))
    monkeypatch.setattr(rsvps, "lock_event", lambda event: None)
    event, members = crowd
    all_at_once(
        [c for _, c in members], f"/events/{event.id}/rsvp", {"response": "going"}
    )
    result = tally(event)
    print(f"\nunguarded control: {REQUESTS} requests, capacity {CAPACITY}: {result}")
    reader.dispose()
    assert result["going"] > CAPACITY
