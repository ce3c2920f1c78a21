"""Approvals under real concurrency, on SQLite and PostgreSQL.

A hundred members ask to come to a home with twelve places; two organisers
answer every request at the same moment, one from the first request, the other
from the last, each in a thread of her own with her own session, released
together by a barrier. Never over capacity, every request answered once, and
the waitlist in the order people asked, whoever said yes first.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from meetup.extensions import db
from meetup.models import Admission, Event, Role, Rsvp, RsvpStatus, VenueType
from meetup.services import approvals, memberships
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, organiser_of

ASKING = 100
CAPACITY = 12


def test_two_organisers_approving_100_requests_at_once_never_overbook(
    make_group, make_user, make_event, add_member
):
    group = make_group(name="Leith Mums")
    co = add_member(group, make_user(name="Cora"), role=Role.CO_ORGANISER)
    event = make_event(
        group, venue_type=VenueType.HOME, address="1 Shore", area="Leith",
        capacity=CAPACITY, max_guests=2, admission=Admission.EACH,
    )  # fmt: skip
    for number in range(ASKING):
        person = add_member(group, make_user()).user
        answer(event, person, guests=number % 3, now=NOW + timedelta(seconds=number))
    requests = [
        rsvp.id
        for rsvp in db.session.scalars(
            select(Rsvp).filter_by(event_id=event.id).order_by(Rsvp.requested_at)
        )
    ]
    deciders = [organiser_of(group).id, co.id]
    app = current_app._get_current_object()
    barrier = threading.Barrier(len(deciders))

    def approve_all(turn: int) -> int:
        with app.app_context():
            actor = db.session.get(memberships.Membership, deciders[turn])
            order = requests if turn == 0 else list(reversed(requests))
            db.session.commit()
            barrier.wait()
            for rsvp_id in order:
                approvals.approve(actor, db.session.get(Rsvp, rsvp_id), NOW)
                db.session.commit()
            return len(order)

    with ThreadPoolExecutor(max_workers=len(deciders)) as pool:
        assert list(pool.map(approve_all, range(len(deciders)))) == [ASKING] * 2

    db.session.expire_all()
    event = db.session.get(Event, event.id)
    rows = db.session.scalars(select(Rsvp).filter_by(event_id=event.id)).all()
    going = [r for r in rows if r.is_going]
    waiting = sorted((r for r in rows if r.is_waitlisted),
                     key=lambda r: (r.waitlisted_at, r.id))  # fmt: skip
    seats = f"{event.seats_taken} of {CAPACITY} places"
    print(f"\n{ASKING} requests: {len(going)} going ({seats}), {len(waiting)} wait")
    assert not [r for r in rows if r.status is RsvpStatus.REQUESTED]
    assert event.seats_taken == sum(r.party for r in going) <= CAPACITY
    assert len(going) + len(waiting) == ASKING
    # The waitlist is in request order: the order of the requests' ids here.
    assert [r.id for r in waiting] == sorted(r.id for r in waiting)
    assert all(r.waitlisted_at is not None for r in waiting)
    # Whoever waits could not have fitted the places left.
    assert all(r.party > CAPACITY - event.seats_taken for r in waiting)
    # Each request answered once: one "yes" mail each, never two.
    said_yes = mailbox.queued(kind="rsvp-approved")
    assert len(said_yes) == ASKING
