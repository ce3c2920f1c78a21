"""The last units of a thing on the bring list are never taken twice: fifty
going members tap "I'll bring it" on the last five desserts at once, each from
her own client and database session through the real path (view, CSRF,
service, commit), released together by a barrier. Exactly five win. A control
run without the event lock, counting from a separate connection, overclaims:
proof that the test can fail."""

import time

from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from meetup.extensions import db
from meetup.models import BringClaim, Event
from meetup.services import bring, bring_lists, rsvps
from tests.conftest import NOW
from tests.scenes import answer
from tests.test_rsvp_concurrency import all_at_once

CLAIMING = 50
TAKEN = 15  # of 20: five left


def crowd(app, make_user, make_group, add_member, make_event):
    group = make_group()
    event = make_event(group, bring_list="Dessert ×20\nIce")
    for _ in range(TAKEN):
        early = make_user()
        add_member(group, early)
        answer(event, early)
        bring.claim(early, event, "Dessert", "", NOW)
    db.session.commit()
    clients = []
    for _ in range(CLAIMING):
        user = make_user()
        add_member(group, user)
        answer(event, user)
        member = app.test_client()
        member.post(
            "/auth/login",
            data={"email": user.email, "password": "correct horse battery"},
        )
        clients.append(member)
    return event, clients


def desserts(event: Event) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(BringClaim)
        .filter_by(event_id=event.id, thing="Dessert")
    )


def test_50_members_claim_the_last_5_desserts_at_once_exactly_5_win(
    app, client, make_user, make_group, add_member, make_event
):
    event, clients = crowd(app, make_user, make_group, add_member, make_event)
    answers = all_at_once(
        clients, f"/events/{event.id}/bring", {"action": "claim", "thing": "Dessert"}
    )
    assert set(answers) == {f"/events/{event.id}"}, answers  # flash, never a 500
    assert desserts(event) == 20


def test_control_without_the_lock_overclaims(
    app, client, make_user, make_group, add_member, make_event, monkeypatch
):
    reader = create_engine(db.engine.url, poolclass=NullPool)

    def counted_elsewhere(event, thing):
        with reader.connect() as connection:
            found = connection.scalar(
                select(func.count())
                .select_from(BringClaim)
                .filter_by(event_id=event.id, thing=thing)
            )
        time.sleep(0.01)  # any work between the count and the insert widens the race
        return found

    event, clients = crowd(app, make_user, make_group, add_member, make_event)
    monkeypatch.setattr(rsvps, "lock_event", lambda event: None)
    monkeypatch.setattr(bring_lists, "claimed_count", counted_elsewhere)
    all_at_once(
        clients, f"/events/{event.id}/bring", {"action": "claim", "thing": "Dessert"}
    )
    reader.dispose()
    got = desserts(event)
    print(f"\nunlocked control: {CLAIMING} claims of the last 5: {got - TAKEN} taken")
    assert got > 20
