"""The host rota under real concurrency, on SQLite and PostgreSQL.

Twenty members tap "I'll host this one" on the same date at once, each in a
thread of her own with her own app context and database session (and, in one
test, through the real route from her own signed-in client), released together
by a barrier: exactly one hosts, and every other is told who. A control run
with the conditional UPDATE swapped for a read-then-write must give the date
more than one "host": proof that the test can fail. And a worker topping series
up while an organiser moves the series to another weekday leaves the dates of
the final rule, each once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.pool import NullPool

from meetup.errors import Conflict
from meetup.extensions import db
from meetup.models import Event, EventState, Series, User
from meetup.services import memberships, rota, series
from meetup.services.series import SeriesDetails
from tests.conftest import NOW as CLOCK_NOW
from tests.conftest import PASSWORD, redirect_path
from tests.scenes import organiser_of
from tests.services.test_series import BOOK_NIGHT, NOW

NAMES = ("Fiona Aisha Bea Cat Dee Edie Flo Gail Hana Iris Jo Kim Lena Mia Nora "
         "Ola Pia Rae Sue Tess").split()  # fmt: skip
MEMBERS = len(NAMES)


@pytest.fixture
def rota_date(make_group, make_user, add_member):
    """A monthly rota series, its first date waiting for a host, and 20 members."""
    group = make_group(name="Book Circle", timezone="Europe/London")
    people = [make_user(name=name) for name in NAMES]
    for person in people:
        add_member(group, person)
    made = series.create_series(organiser_of(group), group, BOOK_NIGHT, NOW)
    db.session.commit()
    first = series.coming_dates(made, NOW)[0]
    assert first.needs_host and first.host_id is None
    return first, people


def all_at_once(work: Callable[[int], object], jobs: list[int]) -> list[object]:
    """Run `work(job)` for each job in a thread of its own, with its own app
    context and session, all released together by a barrier."""
    app = current_app._get_current_object()
    barrier = threading.Barrier(len(jobs))

    def run(job):
        with app.app_context():
            try:
                return work(job, barrier.wait)
            finally:
                db.session.rollback()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def claim_each(event_id: int, user_ids: list[int]) -> list[tuple[str, int | str]]:
    """Each member claims the date and commits: ("won", her id) or ("told", why)."""

    def claim(user_id, ready):
        event = db.session.get(Event, event_id)
        member = memberships.membership_of(db.session.get(User, user_id), event.group)
        db.session.commit()  # nothing held while waiting at the barrier
        ready()
        try:
            rota.claim(member, event, NOW)
            db.session.commit()
        except Conflict as error:
            db.session.rollback()
            return "told", str(error)
        return "won", user_id

    return all_at_once(claim, user_ids)


def host_of(event_id: int) -> int | None:
    db.session.expire_all()
    return db.session.get(Event, event_id).host_id


def test_twenty_members_claim_a_date_at_once_and_one_hosts(rota_date):
    event, people = rota_date
    names = {person.id: person.display_name for person in people}
    results = claim_each(event.id, [person.id for person in people])
    winners = [who for said, who in results if said == "won"]
    told = [why for said, why in results if said == "told"]
    print(f"\nguarded: {MEMBERS} claims: {len(winners)} host, {len(told)} told")
    assert len(winners) == 1, f"{len(winners)} hosts: {winners}"
    (winner,) = winners
    assert host_of(event.id) == winner
    assert told == [f"{names[winner]} is hosting this one."] * (MEMBERS - 1)
    # She is placing her home: the date still waits, answerable by no one yet.
    assert db.session.get(Event, event.id).state is EventState.HOST_NEEDED


def test_twenty_taps_on_the_button_give_one_host(app, client, rota_date):
    """The same race through the real route, from each member's own client
    (the `client` fixture makes them CSRF-aware)."""
    event, people = rota_date
    # The route claims at the real clock: a date of a series planned now.
    group_series = db.session.get(Series, event.series_id)
    group = group_series.group
    made = series.create_series(
        organiser_of(group), group, _with(title="Book night soon"), CLOCK_NOW
    )
    db.session.commit()
    soon = series.coming_dates(made, CLOCK_NOW)[0]
    soon_id = soon.id
    clients = []
    for person in people:
        client = app.test_client()
        reply = client.post(
            "/auth/login", data={"email": person.email, "password": PASSWORD}
        )
        assert redirect_path(reply) is not None, "sign-in failed"
        clients.append(client)
    barrier = threading.Barrier(len(clients))

    def tap(client):
        barrier.wait()
        reply = client.post(f"/events/{soon_id}/host", data={"do": "claim"})
        return redirect_path(reply) or reply.status_code

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        landed = list(pool.map(tap, clients))
    where, back = f"/events/{soon_id}/where", f"/events/{soon_id}"
    assert sorted(landed) == sorted([where] + [back] * (MEMBERS - 1)), landed
    winner = people[landed.index(where)]
    assert host_of(soon_id) == winner.id
    loser = clients[landed.index(back)]
    page = loser.get(back).get_data(as_text=True)
    assert f"{winner.display_name} is hosting this one." in page


def test_her_own_second_tap_is_no_conflict(rota_date):
    event, (fiona, *_) = rota_date
    member = memberships.membership_of(fiona, event.group)
    rota.claim(member, event, NOW)
    rota.claim(member, event, NOW)
    db.session.commit()
    assert host_of(event.id) == fiona.id


def naive_claim(reader):
    """The bug the conditional UPDATE prevents: read the host, decide in Python,
    then write."""

    def claim(member, event, now):
        with reader.connect() as connection:
            taken = connection.scalar(select(Event.host_id).where(Event.id == event.id))
        if taken is not None and taken != member.user_id:
            raise Conflict("taken")
        time.sleep(0.005)  # any work between the read and the write widens the race
        db.session.execute(
            update(Event).where(Event.id == event.id).values(host_id=member.user_id)
        )

    return claim


def test_control_a_read_then_write_claim_gives_the_date_two_hosts(
    rota_date, monkeypatch
):
    reader = create_engine(db.engine.url, poolclass=NullPool)
    monkeypatch.setattr(rota, "claim", naive_claim(reader))
    event, people = rota_date
    try:
        results = claim_each(event.id, [person.id for person in people])
    finally:
        reader.dispose()
    winners = [who for said, who in results if said == "won"]
    print(f"\nunguarded control: {MEMBERS} claims, {len(winners)} 'hosts'")
    assert len(winners) > 1
    # Each was told she hosts it; the date has one of them, the others are wrong.
    assert host_of(event.id) in winners


def _with(**changes) -> SeriesDetails:
    import dataclasses

    return dataclasses.replace(BOOK_NIGHT, **changes)


@pytest.mark.parametrize("round_", range(5))
def test_a_top_up_racing_a_change_of_weekday_leaves_the_new_rules_dates(
    round_, make_group
):
    group = make_group(name="Book Circle", timezone="Europe/London")
    made = series.create_series(organiser_of(group), group, _with(), NOW)
    db.session.commit()
    made_id = made.id
    later = NOW + timedelta(days=3)  # the first Thursday has passed
    fridays = _with(weekday=4)  # the first Friday of the month instead

    def work(job, ready):
        if job == 0:
            ready()
            return series.top_up_all(later)
        boss = organiser_of(group)
        mine = db.session.get(Series, made_id)
        db.session.commit()
        ready()
        series.update_series(boss, mine, fridays, later)
        return "changed"

    def both(job, ready):
        result = work(job, ready)
        db.session.commit()
        return result

    opened, changed = all_at_once(both, [0, 1])
    assert changed == "changed"
    db.session.expire_all()
    dates = db.session.scalars(
        select(Event).filter_by(series_id=made_id).order_by(Event.slot_on)
    ).all()
    days = [event.slot_on for event in dates]
    assert len(days) == len(set(days)), f"a slot twice: {days}"
    coming = [e.slot_on for e in dates if e.starts_at > later and not e.is_cancelled]
    # Opened before or after the change, no Thursday is left ahead: the
    # Fridays of the new rule, up to the horizon, each once.
    assert coming == [date(2026, 12, 4), date(2027, 1, 1), date(2027, 2, 5)]
    assert days == [date(2026, 12, 3), *coming]  # the past Thursday stays
    print(f"\nround {round_}: the top-up opened {opened}")
    count = db.session.scalar(
        select(func.count()).select_from(Event).filter_by(series_id=made_id)
    )
    assert count == 4
