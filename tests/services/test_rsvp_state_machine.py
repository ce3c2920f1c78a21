"""RSVP rules under random sequences of actions, checked against a model after each.

A hypothesis state machine lets five members answer yes (with guests, sometimes
more than allowed) or no, change their guests, leave or be removed from the
group, while the organiser changes the capacity and who gets in (anyone, only
newcomers ask, everyone asks), says yes or no to requests, takes people off the
list, lets waitlisted parties in by hand, blocks a member from the group and
lifts the block, and, rarely, cancels the event. Some
members are regulars (checked in at an earlier gathering). A plain Python model
(statuses, guests, the waitlist in arrival order, requests in the order asked,
who was told no) follows the rules of DESIGN.md, and after every step the
database must agree with it:

- each person's status and guests, the capacity, the membership, the
  waitlist order (arrival order; an approved request's place is when she
  asked) and the requests' order are what the model says;
- a request holds no seat; a no from the host holds for the gathering;
- a blocked person's places are freed by the normal rules, and every answer
  of hers is refused until the block is lifted;
- seats_taken is the going members plus their guests; the children they
  bring (counted apart, never a place) are the model's and what
  `attendees.table_counts` reads;
- no step takes places beyond the capacity (only lowering it overbooks, and
  that step takes none);
- while the event is on, no waitlisted party fits in the free places: places
  that free up go to the earliest waitlisted parties that fit.

It runs on each backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
It catches these mutations of meetup/services/rsvps.py: `promote_waitlist`
returning [] at once (no one is promoted), and `_take_seats` losing its
capacity condition (parties are seated past the capacity); and these of the
approvals: an approved request put in line when approved rather than when she
asked (services/approvals.py `_admit`), a no that does not hold (rsvps.respond
letting a refused person ask again), and approval turned off leaving the
requests waiting (services/events.py `update_event`); and a block that drops
the membership without the normal rules (services/blocking.py `block`).

Bring-list claims ride along: going members claim a unit of a thing or take it
back; the database must hold the model's claims, never more units of a thing
than the list asks, and none held by someone who is not going. It catches a
claim that skips the count (services/bring.py `claim`) and a withdrawal that
keeps her claims (services/rsvps.py `_let_go_claims`).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from functools import partial

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from meetup.errors import NoRoom, NotAllowed, RSVPClosed
from meetup.models import Admission, BringClaim, Event, Membership, Rsvp, RsvpStatus
from meetup.services import (
    approvals,
    attendees,
    blocking,
    bring,
    events,
    groups,
    memberships,
    rsvps,
)
from tests.conftest import NOW
from tests.scenes import edited

GOING, WAITLISTED, DECLINED, REQUESTED = (
    RsvpStatus.GOING,
    RsvpStatus.WAITLISTED,
    RsvpStatus.DECLINED,
    RsvpStatus.REQUESTED,
)
NAMES = ("Ana", "Bea", "Cat", "Dee", "Eve")
MAX_GUESTS = 2
PERSON = st.sampled_from(NAMES)
GUESTS = st.integers(0, MAX_GUESTS + 1)  # one more than allowed must be refused
CHILDREN = st.integers(0, 3)  # never a place: they never make a party not fit
CAPACITY = st.sampled_from([None, *range(1, 9)])  # mostly limited: queues form
#: The bring list: two desserts, one ice (few units: they run out).
BRING = {"Dessert": 2, "Ice": 1}
THING = st.sampled_from(sorted(BRING))
#: Everyone asks most often: requests, yeses and noes, and waitlists of approved
#: requests (whose place in line is when they asked) form in every example.
ADMISSION = st.sampled_from([Admission.EACH, Admission.EACH, *Admission])
SETTINGS = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    # No explain phase: its line tracing made shrinking a failure take 5 minutes.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_rsvp_rules_hold_after_every_step(
    db, make_user, make_group, add_member, make_event
):
    organiser = make_user(name="Olga")
    people = {name: make_user(name=name) for name in NAMES}
    ids = {user.id: name for name, user in people.items()}
    # What the run exercised, printed at the end (see it with pytest -s):
    # hypothesis keeps no statistics for run_state_machine_as_test.
    tally = Counter()

    class RsvpMachine(RuleBasedStateMachine):
        @initialize(
            capacity=CAPACITY,
            arrivals=st.lists(st.tuples(PERSON, GUESTS)),
            admission=ADMISSION,
            regulars=st.sets(PERSON),
        )
        def plan_event(self, capacity, arrivals, admission, regulars):
            # A group and event of its own per example: examples share the database.
            group = make_group(organiser)
            self.boss = memberships.membership_of(organiser, group)
            self.now = NOW
            for user in people.values():
                add_member(group, user)
            if regulars:  # checked in at an earlier gathering of the group
                past = make_event(group, now=NOW - timedelta(days=30))
                for name in regulars:
                    rsvp = rsvps.respond(past, people[name], going=True,
                                         now=NOW - timedelta(days=30))  # fmt: skip
                    rsvp.checked_in_at = past.starts_at
                db.session.commit()
            self.event = make_event(
                group, capacity=capacity, max_guests=MAX_GUESTS, admission=admission
            )
            self.event.bring_list = "Dessert ×2\nIce"
            db.session.commit()
            self.claims: dict[str, set[str]] = {}  # who brings what
            self.regulars = regulars
            self.admission = admission
            self.asked: list[str] = []  # requests, in the order they came
            self.refused: set[str] = set()  # the host said no: no asking again
            self.since: dict[str, object] = {}  # each one's place in the queue
            self.blocked: set[str] = set()  # kept out of the group
            # The model: what the rules say the database should hold.
            self.status: dict[str, RsvpStatus] = {}  # no entry: never answered
            self.guests: dict[str, int] = {}
            self.children: dict[str, int] = {}  # counted apart from the places
            self.queue: list[str] = []  # waitlisted, first come first
            self.members = set(NAMES)
            self.capacity = capacity
            self.cancelled = False
            self.seats_before = 0
            tally["examples"] += 1
            for name, guests in arrivals:  # answers so far, so that queues form
                self.say_yes(name, guests)

        # -- the model's rules -------------------------------------------------

        def seats(self) -> int:
            return sum(1 + self.guests[n] for n, s in self.status.items() if s is GOING)

        def fits(self, places: int) -> bool:
            return self.capacity is None or self.seats() + places <= self.capacity

        def promote(self) -> None:
            if self.cancelled:
                return  # a cancelled event takes no one in
            # One pass in arrival order suffices: places only shrink during it.
            self.queue.sort(key=lambda name: self.since[name])
            for name in list(self.queue):
                if self.fits(1 + self.guests[name]):
                    self.status[name] = GOING
                    self.queue.remove(name)
                    tally["promoted from the waitlist"] += 1

        def withdraw(self, name: str) -> None:
            was_going = self.status.get(name) is GOING
            if name in self.queue:
                self.queue.remove(name)
            if name in self.asked:
                self.asked.remove(name)
            self.status[name], self.guests[name] = DECLINED, 0
            self.children[name] = 0
            self.claims.pop(name, None)  # who stops going lets her claims go
            if was_going:
                self.promote()

        def act(self, refused_with, call) -> None:
            """Run a service call as one request: committed, or refused and undone."""
            self.now += timedelta(seconds=1)  # arrival order needs distinct times
            if refused_with is None:
                call(self.now)
                db.session.commit()
            else:
                with pytest.raises(refused_with):
                    call(self.now)
                db.session.rollback()
                tally[f"refused with {refused_with.__name__}"] += 1

        def rsvp(self, name: str) -> Rsvp:
            return attendees.rsvp_of(people[name], self.event)

        def membership(self, name: str) -> Membership:
            return memberships.membership_of(people[name], self.event.group)

        def going(self) -> list[str]:
            return [n for n, s in sorted(self.status.items()) if s is GOING]

        def listed(self) -> list[str]:
            return [n for n, s in sorted(self.status.items()) if s is not DECLINED]

        def must_ask(self, name: str) -> bool:
            if self.admission is Admission.EACH:
                return True
            return self.admission is Admission.NEWCOMERS and name not in self.regulars

        def admit(self, name: str, now) -> None:
            """A yes: in line at the moment she asked, then whoever fits."""
            self.asked.remove(name)
            self.status[name] = WAITLISTED
            self.queue.append(name)  # `promote` sorts by `since`: when she asked
            self.promote()
            tally[
                "approved" if self.status[name] is GOING else "approved, waiting"
            ] += 1

        # -- the rules (steps) -------------------------------------------------

        def say_yes(self, name: str, guests: int, children: int = 0) -> None:
            refused_with = None
            status = self.status.get(name, DECLINED)
            if name in self.blocked:
                refused_with = NotAllowed  # closed to her, whatever she says
            elif guests > MAX_GUESTS:
                refused_with = NoRoom  # checked before anything else
            elif self.cancelled:
                refused_with = RSVPClosed
            elif name in self.refused and status not in (GOING, WAITLISTED):
                refused_with = NotAllowed  # a no holds for this gathering
            elif status is REQUESTED:
                self.guests[name] = guests  # keeps its place among the requests
            elif status is GOING:
                extra = guests - self.guests[name]
                if extra > 0 and not self.fits(extra):
                    refused_with = NoRoom  # "your place is kept"
                else:
                    self.guests[name] = guests
                    if extra < 0:
                        self.promote()
            elif status is WAITLISTED:
                self.guests[name] = guests  # keeps its place in the queue
                self.promote()
            elif self.must_ask(name):
                self.guests[name] = guests
                self.status[name] = REQUESTED
                self.asked.append(name)
                self.since[name] = self.now + timedelta(seconds=1)  # `act`'s now
                tally["asked"] += 1
            else:
                self.guests[name] = guests
                if self.fits(1 + guests):
                    self.status[name] = GOING
                else:
                    self.status[name] = WAITLISTED
                    self.since[name] = self.now + timedelta(seconds=1)
                    self.queue.append(name)
                    tally["waitlisted"] += 1
            if refused_with is None:
                self.members.add(name)  # answering a public group's event joins it
                self.children[name] = children  # whatever her state: seats unmoved
            self.act(
                refused_with,
                lambda now: rsvps.respond(
                    self.event,
                    people[name],
                    going=True,
                    guests=guests,
                    children=children,
                    now=now,
                ),
            )

        @rule(name=PERSON, guests=GUESTS)
        def answer_going(self, name, guests):
            self.say_yes(name, guests)

        @rule(name=PERSON, guests=GUESTS, children=CHILDREN)
        def answer_going_with_children(self, name, guests, children):
            self.say_yes(name, guests, children)
            tally["answered with children"] += bool(children)

        @precondition(lambda self: self.going())
        @rule(data=st.data(), guests=GUESTS)
        def change_guests(self, data, guests):
            name = data.draw(st.sampled_from(self.going()), label="going member")
            self.say_yes(name, guests)

        @precondition(lambda self: self.refused)
        @rule(data=st.data(), guests=GUESTS)
        def ask_again_after_a_no(self, data, guests):
            name = data.draw(st.sampled_from(sorted(self.refused)), label="told no")
            self.say_yes(name, guests)

        @rule(name=PERSON)
        def answer_declined(self, name):
            if name in self.blocked:
                refused_with = NotAllowed
            elif self.cancelled:
                refused_with = RSVPClosed
            else:
                refused_with = None
                self.withdraw(name)
                self.members.add(name)
            self.act(
                refused_with,
                lambda now: rsvps.respond(
                    self.event, people[name], going=False, now=now
                ),
            )

        @rule(capacity=CAPACITY)
        def change_capacity(self, capacity):
            if self.cancelled:
                refused_with = NotAllowed  # a cancelled event stays as it was
            else:
                refused_with = None
                self.capacity = capacity  # lowering it demotes no one
                self.promote()
            self.act(
                refused_with,
                lambda now: events.update_event(
                    self.boss, self.event, edited(self.event, capacity=capacity), now
                ),
            )

        @precondition(lambda self: self.asked)
        @rule(data=st.data(), yes=st.booleans())
        def answer_request(self, data, yes):
            name = data.draw(st.sampled_from(self.asked), label="asking member")
            rsvp = self.rsvp(name)
            if yes:
                refused_with = RSVPClosed if self.cancelled else None
                if refused_with is None:
                    self.admit(name, self.now)
                call = partial(approvals.approve, self.boss, rsvp)
            else:
                refused_with = None
                self.asked.remove(name)
                self.status[name], self.guests[name] = DECLINED, 0
                self.children[name] = 0
                self.refused.add(name)
                tally["told no"] += 1
                call = partial(approvals.decline, self.boss, rsvp, "")
            self.act(refused_with, call)

        @precondition(lambda self: len(self.asked) > 1 and not self.cancelled)
        @rule()
        def say_yes_to_all_last_first(self):
            """The host's yes to the latest request first: the waitlist must
            still come out in the order they asked."""
            for name in reversed(self.asked):
                rsvp = self.rsvp(name)
                self.admit(name, self.now)
                self.act(None, partial(approvals.approve, self.boss, rsvp))

        @rule(admission=ADMISSION)
        def change_admission(self, admission):
            if self.cancelled:
                refused_with = NotAllowed
            else:
                refused_with = None
                stricter = list(Admission).index  # ANYONE, NEWCOMERS, EACH
                loosened = stricter(admission) < stricter(self.admission)
                self.admission = admission
                self.promote()
                if loosened:
                    for name in list(self.asked):
                        if not self.must_ask(name):
                            self.admit(name, self.now)
            self.act(
                refused_with,
                lambda now: events.update_event(
                    self.boss, self.event, edited(self.event, admission=admission), now
                ),
            )

        @precondition(lambda self: self.listed())
        @rule(data=st.data())
        def remove_attendee(self, data):
            name = data.draw(st.sampled_from(self.listed()), label="listed member")
            self.withdraw(name)  # also on a cancelled event
            rsvp = self.rsvp(name)
            self.act(None, lambda now: rsvps.remove_attendee(self.boss, rsvp, now))

        @precondition(lambda self: self.queue)
        @rule(data=st.data())
        def promote_by_hand(self, data):
            name = data.draw(st.sampled_from(self.queue), label="waitlisted member")
            refused_with = RSVPClosed if self.cancelled else None
            if refused_with is None:
                # Capacity is raised just enough for this party, and no more.
                needed = self.seats() + 1 + self.guests[name]
                if self.capacity is not None and self.capacity < needed:
                    self.capacity = needed
                self.status[name] = GOING
                self.queue.remove(name)
                tally["promoted by hand"] += 1
            rsvp = self.rsvp(name)
            self.act(
                refused_with,
                lambda now: rsvps.promote_by_hand(self.boss, rsvp, now),
            )

        @precondition(lambda self: self.members)
        @rule(data=st.data(), by_organiser=st.booleans())
        def leave_group(self, data, by_organiser):
            name = data.draw(st.sampled_from(sorted(self.members)), label="member")
            if self.status.get(name, DECLINED) is not DECLINED:
                self.withdraw(name)  # their places are freed
            self.members.remove(name)
            membership = self.membership(name)
            if by_organiser:
                self.act(None, partial(groups.remove_member, self.boss, membership))
            else:
                self.act(None, partial(groups.leave, membership))

        @precondition(lambda self: self.members)
        @rule(data=st.data())
        def block(self, data):
            name = data.draw(st.sampled_from(sorted(self.members)), label="member")
            if self.status.get(name, DECLINED) is not DECLINED:
                self.withdraw(name)  # her places go by the normal rules
            self.members.remove(name)
            self.blocked.add(name)
            tally["blocked"] += 1
            group = self.event.group
            self.act(None, partial(blocking.block, self.boss, people[name], group))

        @precondition(lambda self: self.blocked)
        @rule(data=st.data())
        def unblock(self, data):
            name = data.draw(st.sampled_from(sorted(self.blocked)), label="blocked")
            self.blocked.remove(name)  # she may come back: not a member until then
            group = self.event.group
            self.act(None, lambda now: blocking.unblock(self.boss, people[name], group))

        @rule(roll=st.integers(0, 9))
        def cancel_event(self, roll):
            if roll:
                return  # rare: after it, little can change
            self.cancelled = True  # RSVPs are kept as they were
            tally["cancelled"] += 1
            self.act(
                None, lambda now: events.cancel_event(self.boss, self.event, "", now)
            )

        @rule(name=PERSON, thing=THING)
        def claim_a_thing(self, name, thing):
            mine = self.claims.get(name, set())
            taken = sum(thing in things for things in self.claims.values())
            if self.status.get(name) is not GOING or self.cancelled:
                refused_with = NotAllowed  # waitlisted, asking, out, blocked
            elif thing in mine:
                refused_with = None  # a second tap: a no-op
            elif taken >= BRING[thing]:
                refused_with = NoRoom  # the last one is taken
            else:
                refused_with = None
                self.claims.setdefault(name, set()).add(thing)
                tally["claimed"] += 1
            self.act(
                refused_with,
                lambda now: bring.claim(people[name], self.event, thing, "", now),
            )

        @precondition(lambda self: self.going())
        @rule(data=st.data(), thing=THING)
        def claim_as_one_going(self, data, thing):
            name = data.draw(st.sampled_from(self.going()), label="going member")
            self.claim_a_thing(name, thing)

        @rule(name=PERSON, thing=THING)
        def unclaim_a_thing(self, name, thing):
            self.claims.get(name, set()).discard(thing)
            self.act(
                None, lambda now: bring.unclaim(people[name], self.event, thing, now)
            )

        # -- after every step ----------------------------------------------------

        @invariant()
        def database_agrees_with_the_rules(self):
            tally["checks"] += 1
            db.session.expire_all()  # re-read everything, trust no copy
            event = db.session.get(Event, self.event.id)
            rows = db.session.scalars(
                select(Rsvp)
                .filter_by(event_id=event.id)
                .order_by(Rsvp.waitlisted_at, Rsvp.id)
            ).all()
            going = [row for row in rows if row.is_going]
            waiting = [row for row in rows if row.is_waitlisted]
            asking = sorted((row for row in rows if row.is_requested),
                            key=lambda row: (row.requested_at, row.id))  # fmt: skip
            seats = event.seats_taken

            assert seats == sum(row.party for row in going)
            if event.capacity is not None and seats > event.capacity:
                # Only lowering the capacity overbooks, and that takes no places.
                assert seats <= self.seats_before, "places taken beyond capacity"
            self.seats_before = seats
            if not event.is_cancelled:
                free = event.seats_left
                too_big = [row.party for row in waiting]
                assert free is not None or not waiting, "waitlist without a limit"
                assert all(party > free for party in too_big), (
                    f"{free} places free, yet parties of {too_big} wait"
                )
            assert [ids[row.user_id] for row in waiting] == self.queue
            assert [ids[row.user_id] for row in asking] == self.asked
            assert all(
                (row.requested_at is not None) == row.is_requested for row in rows
            )
            assert {ids[row.user_id] for row in rows if row.is_refused} == self.refused
            assert all(
                (row.waitlisted_at is not None) == row.is_waitlisted for row in rows
            )
            assert {ids[row.user_id]: (row.status, row.guests) for row in rows} == {
                name: (status, self.guests[name])
                for name, status in self.status.items()
            }
            assert (event.capacity, event.is_cancelled) == (
                self.capacity,
                self.cancelled,
            )
            member_ids = db.session.scalars(
                select(Membership.user_id).filter_by(group_id=event.group_id)
            )
            assert {ids[i] for i in member_ids if i in ids} == self.members
            claims = db.session.scalars(
                select(BringClaim).filter_by(event_id=event.id)
            ).all()
            by_rsvp = {row.id: ids[row.user_id] for row in rows}
            held = {(by_rsvp[c.rsvp_id], c.thing) for c in claims}
            assert held == {(n, t) for n, things in self.claims.items() for t in things}
            assert all(
                sum(c.thing == thing for c in claims) <= units
                for thing, units in BRING.items()
            ), "more claimed than the list asks"
            going_ids = {row.id for row in going}
            assert all(c.rsvp_id in going_ids for c in claims), (
                "claims of the not going"
            )

        @invariant()
        def children_are_counted_apart(self):
            """The going members' children are what the model says, and what
            the counts read says; they take no place (`seats == party` above)."""
            event = db.session.get(Event, self.event.id)
            going = self.going()
            counted = attendees.table_counts(event)
            assert counted.children == sum(self.children.get(n, 0) for n in going)
            assert counted.coming == event.seats_taken
            assert {
                ids[row.user_id]: row.children
                for row in db.session.scalars(
                    select(Rsvp).filter_by(event_id=event.id, status=GOING)
                )
            } == {name: self.children.get(name, 0) for name in going}

        def teardown(self):
            db.session.rollback()  # a failed step must not leak into the next example

    run_state_machine_as_test(RsvpMachine, settings=SETTINGS)
    steps = tally["checks"] - tally["examples"]  # a check follows each step and setup
    print(f"{tally['examples']} examples, {steps} steps:", dict(tally))
