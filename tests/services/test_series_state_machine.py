"""Series and host-rota rules under random sequences of actions, checked against
a model after each.

A hypothesis state machine plans a rota series (weekly, every two weeks, a
weekday of the month or a day of the month, in one of three zones) and then,
in any order: changes its time of day, weekday or horizon ("this and
following" from a coming date, or from today), skips a date, pauses, resumes
and ends it; members claim dates (or an organiser assigns them), place their
homes, give dates up, answer yes or no and ask to be put down for each date;
and the clock moves on, the worker topping every series up. A plain Python
model (each date's slot, wall-clock time, host, place and answers) follows the
rules of meetup/services/series.py and rota.py, and after every step the
database must agree with it:

- never two dates on one slot, and a skipped slot never opens again;
- while running, at least `horizon` coming dates are open, and more only when
  this step opened none (the excess is older: a lowered horizon, kept dates);
- a paused or ended series opens nothing; an ended one has no open date ahead;
- each date starts on its slot at its wall-clock time in the series' zone: the
  series' time, unless it was changed alone or kept (answered or hosted) when
  the rule moved, or lies before the "from" of the last change;
- a rota date without a host shows no address, spot or access notes, and waits
  for a host, unless it was given up after others had answered (it stays open,
  the place "to be confirmed");
- after a give-up the old street and access notes appear in no later mail and
  nowhere on the date;
- seats_taken is the going parties, within the capacity.

It runs on each backend (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from itertools import count
from zoneinfo import ZoneInfo

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
from sqlalchemy import func, select, update

from meetup import rhythm
from meetup.errors import Conflict, MeetupError, NoRoom, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Event,
    EventState,
    OutboxMail,
    Rsvp,
    Rule,
    Series,
    SkippedDate,
    StandingRsvp,
    User,
)
from meetup.services import memberships, rota, rsvps, series
from meetup.services.series import SeriesDetails
from tests.scenes import organiser_of

# A Tuesday, as in test_series.py.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
NAMES = ("Fiona", "Aisha", "Bea", "Cat", "Dee")
PERSON = st.sampled_from(NAMES)
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney")
# 01:30 and 02:30 fall in skipped hours (London in March, New York and Sydney).
TIMES = st.sampled_from([time(19, 30), time(10, 0), time(1, 30), time(2, 30),
                         time(23, 45)])  # fmt: skip
HORIZON = st.integers(1, 5)
CAPACITY = 3  # five members and a guest each: waitlists form
MINUTES = 150
#: Streets and notes never repeat, so one found in a mail is the one given up.
_places = count(1)
SETTINGS = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    # No explain phase: its line tracing makes shrinking a failure take minutes.
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Slot:
    """The model of one date of the series."""

    day: date
    wall: time
    created_at: datetime
    host: str | None = None
    street: str = ""
    notes: str = ""
    is_open: bool = False
    cancelled: bool = False
    alone: bool = False
    answers: set[str] = field(default_factory=set)  # an RSVP row, any status


def on_rule(details: SeriesDetails, day: date) -> bool:
    """The rule, read day by day (not through meetup.rhythm)."""
    if day < details.starts_on:
        return False
    if details.rule is Rule.MONTHLY_DAY:
        return day.day == details.day_of_month
    if day.weekday() != details.weekday:
        return False
    if details.rule is Rule.WEEKLY:
        gap = (details.weekday - details.starts_on.weekday()) % 7
        first = details.starts_on + timedelta(days=gap)
        return (day - first).days % (7 * details.every_weeks) == 0
    if details.week_of_month == rhythm.LAST:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == details.week_of_month


def starts(day: date, wall: time, zone: str) -> datetime:
    """A wall-clock time as UTC; in a skipped hour, the time after the gap."""
    return datetime.combine(day, wall, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def mail_text(row: OutboxMail) -> str:
    """Everything a reader of the message could see: headers and every part."""
    message = message_from_bytes(row.message, policy=policy.default)
    parts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts).replace("\r\n ", "").replace("\n ", "")  # ical folding


#: What each kind of rule asks besides the weekday.
SHAPES = {
    Rule.WEEKLY: {"every_weeks": st.sampled_from([1, 1, 2])},
    Rule.MONTHLY_WEEKDAY: {"week_of_month": st.sampled_from([1, 2, 3, 4, rhythm.LAST])},
    Rule.MONTHLY_DAY: {"day_of_month": st.integers(1, 28)},
}
RULES = st.sampled_from(Rule).flatmap(
    lambda kind: st.fixed_dictionaries({"rule": st.just(kind), **SHAPES[kind]})
)


def test_series_rules_hold_after_every_step(app, make_user, make_group, add_member):
    organiser = make_user(name="Olga")
    people = {name: make_user(name=name) for name in NAMES}
    ids = {user.id: name for name, user in people.items()}
    tally = Counter()

    class SeriesMachine(RuleBasedStateMachine):
        @initialize(
            zone=st.sampled_from(ZONES),
            shape=RULES,
            weekday=st.integers(0, 6),
            start=st.integers(-20, 20),
            wall=TIMES,
            horizon=HORIZON,
        )
        def plan_series(self, zone, shape, weekday, start, wall, horizon):
            # A group and series of their own per example: examples share the
            # database.
            group = make_group(organiser, timezone=zone)
            for user in people.values():
                add_member(group, user)
            self.boss = organiser_of(group)
            self.zone, self.now = zone, NOW
            self.details = SeriesDetails(
                title="Book night",
                starts_on=NOW.date() + timedelta(days=start),
                start_time=wall,
                minutes=MINUTES,
                weekday=weekday,
                horizon=horizon,
                capacity=CAPACITY,
                max_guests=1,
                **shape,
            )
            # The model.
            self.slots: dict[date, Slot] = {}
            self.skipped: dict[date, bool] = {}  # skipped slot: kept, cancelled?
            self.standing: list[str] = []  # in the order they asked
            self.paused = self.ended = False
            self.stopped_at: datetime | None = None  # paused or ended since then
            self.edited_from = date.min  # the "from" of the last change
            self.given_up: list[tuple[int, str]] = []  # (last mail before, text)
            self.mail_seen = db.session.scalar(select(func.max(OutboxMail.id))) or 0
            self.made_now = 0
            self.top_up()
            self.series = series.create_series(self.boss, group, self.details, self.now)
            db.session.commit()
            self.series_id = self.series.id
            tally["examples"] += 1
            tally[f"rule {shape['rule'].value}"] += 1

        # -- the model's rules -------------------------------------------------

        def tick(self, by: timedelta = timedelta(seconds=1)) -> None:
            self.now += by
            self.made_now = 0

        def today(self) -> date:
            return self.now.astimezone(ZoneInfo(self.zone)).date()

        def start_of(self, slot: Slot) -> datetime:
            return starts(slot.day, slot.wall, self.zone)

        def coming(self) -> list[Slot]:
            return sorted(
                (s for s in self.slots.values() if self.start_of(s) > self.now),
                key=lambda s: s.day,
            )

        def coming_open(self) -> list[Slot]:
            return [s for s in self.coming() if not s.cancelled]

        def running(self) -> bool:
            return not (self.paused or self.ended)

        def answered(self, slot: Slot) -> bool:
            return bool(slot.answers - {slot.host})

        def top_up(self) -> None:
            if not self.running():
                return
            wanted, day = self.details.horizon - len(self.coming_open()), self.today()
            for _ in range(3 * 366):
                if wanted <= 0:
                    break
                at = starts(day, self.details.start_time, self.zone)
                taken = day in self.slots or day in self.skipped
                if on_rule(self.details, day) and not taken and at > self.now:
                    self.slots[day] = Slot(day, self.details.start_time, self.now)
                    self.made_now += 1
                    wanted -= 1
                    tally["dates opened"] += 1
                day += timedelta(days=1)

        def drop_or_cancel(self, slot: Slot) -> None:
            if self.answered(slot):
                slot.cancelled = True
                tally["answered dates cancelled"] += 1
            else:
                del self.slots[slot.day]

        def opens(self, slot: Slot) -> None:
            slot.is_open = True
            slot.answers |= {slot.host} if slot.host else set()  # the host is going
            slot.answers |= set(self.standing)  # put down for each one

        def act(self, refused_with, call, match: str | None = None) -> None:
            """Run a service call as one request: committed, or refused and undone."""
            if refused_with is None:
                call(self.now)
                db.session.commit()
            else:
                with pytest.raises(refused_with, match=match):
                    call(self.now)
                db.session.rollback()
                tally[f"refused with {refused_with.__name__}"] += 1

        def event(self, slot: Slot) -> Event:
            return db.session.scalar(
                select(Event).filter_by(series_id=self.series_id, slot_on=slot.day)
            )

        def membership(self, name: str):
            return memberships.membership_of(people[name], self.series.group)

        def last_mail(self) -> int:
            return db.session.scalar(select(func.max(OutboxMail.id))) or 0

        # -- the rules (steps) -------------------------------------------------

        @rule(
            data=st.data(),
            wall=st.none() | TIMES,
            weekday=st.none() | st.integers(0, 6),
            horizon=st.none() | HORIZON,
            this_and_following=st.booleans(),
        )
        def change_series(self, data, wall, weekday, horizon, this_and_following):
            self.tick()
            changes = {}
            if wall is not None:
                changes["start_time"] = wall
            if weekday is not None:
                if self.details.rule is Rule.MONTHLY_DAY:
                    changes["day_of_month"] = weekday * 4 + 1
                else:
                    changes["weekday"] = weekday
            if horizon is not None:
                changes["horizon"] = horizon
            details = dataclasses.replace(self.details, **changes)
            from_day = None
            if this_and_following and self.coming():
                days = [s.day for s in self.coming()]
                from_day = data.draw(st.sampled_from(days), label="from")
            first = max(from_day or date.min, self.today())
            last = max(self.slots, default=date.min)
            follow, drop = [], []
            for slot in self.coming():
                if slot.day < first or slot.alone or slot.cancelled:
                    continue
                if on_rule(details, slot.day) and slot.day <= last:
                    follow.append(slot)
                else:
                    drop.append(slot)
            for slot in list(follow):
                if starts(slot.day, details.start_time, self.zone) > self.now:
                    continue
                # Today's date, whose new time has gone: it stays as it was.
                follow.remove(slot)
                tally["today's date left as it was"] += 1
            self.details = details
            self.edited_from = first
            for slot in follow:
                slot.wall = details.start_time
            for slot in drop:
                if self.answered(slot) or slot.host is not None:
                    slot.alone = True  # answered or hosted: it stays as it was
                    tally["dates kept off the new rule"] += 1
                else:
                    del self.slots[slot.day]
            self.top_up()
            tally["series changed"] += 1
            self.act(
                None,
                lambda now: series.update_series(
                    self.boss, self.series, details, now, from_day=from_day
                ),
            )

        @precondition(lambda self: self.coming_open())
        @rule(data=st.data())
        def skip_a_date(self, data):
            self.tick()
            slot = data.draw(st.sampled_from(self.coming_open()), label="skipped")
            event = self.event(slot)
            self.drop_or_cancel(slot)
            self.skipped[slot.day] = slot.cancelled
            self.top_up()
            tally["dates skipped"] += 1
            self.act(None, lambda now: series.skip(self.boss, event, now))

        @rule()
        def pause(self):
            self.tick()
            if not self.paused:
                self.paused = True
                self.stopped_at = self.stopped_at or self.now
                tally["paused"] += 1
            self.act(None, lambda now: series.pause(self.boss, self.series, now))

        @rule()
        def resume(self):
            self.tick()
            if self.ended:
                refused_with = NotAllowed
            else:
                refused_with = None
                self.paused, self.stopped_at = False, None
                self.top_up()
                tally["resumed"] += 1
            self.act(
                refused_with, lambda now: series.resume(self.boss, self.series, now)
            )

        @rule(roll=st.integers(0, 7))
        def end(self, roll):
            if roll:
                return  # rare: after it, little can change
            self.tick()
            if not self.ended:
                self.ended = True
                self.stopped_at = self.now
                for slot in self.coming_open():
                    self.drop_or_cancel(slot)
                tally["ended"] += 1
            self.act(None, lambda now: series.end(self.boss, self.series, now))

        @rule(
            by=st.one_of(
                st.integers(1, 48).map(lambda h: timedelta(hours=h)),
                st.integers(2, 45).map(lambda d: timedelta(days=d)),
            )
        )
        def time_passes(self, by):
            self.tick(by)
            self.top_up()
            tally["clock moved on"] += 1
            self.act(None, series.top_up_all)

        @precondition(lambda self: self.slots)
        @rule(
            data=st.data(),
            name=PERSON,
            by_organiser=st.booleans(),
            then_where=st.sampled_from([True, True, False]),  # mostly on to "Where?"
        )
        def claim(self, data, name, by_organiser, then_where):
            self.tick()
            days = sorted(self.slots)
            slot = self.slots[data.draw(st.sampled_from(days), label="claimed")]
            event = self.event(slot)
            match = None
            if slot.cancelled or self.start_of(slot) <= self.now:
                refused_with = NotAllowed
            elif slot.host not in (None, name):
                refused_with, match = Conflict, f"^{slot.host} is hosting this one.$"
            else:
                refused_with, slot.host = None, name
                tally["dates claimed"] += 1
            if by_organiser:
                call = lambda now: rota.assign(self.boss, event, people[name], now)  # noqa: E731
            else:
                call = lambda now: rota.claim(self.membership(name), event, now)  # noqa: E731
            self.act(refused_with, call, match)
            if refused_with is None and then_where:
                self.place_it(slot, by_organiser=False)  # taken on to "Where?"

        @precondition(lambda self: any(s.host for s in self.coming_open()))
        @rule(data=st.data(), by_organiser=st.booleans())
        def place(self, data, by_organiser):
            hosted = [s for s in self.coming_open() if s.host]
            slot = data.draw(st.sampled_from(hosted), label="placed")
            self.place_it(slot, by_organiser)

        def place_it(self, slot: Slot, by_organiser: bool) -> None:
            self.tick()
            n = next(_places)
            where = rota.Place(
                venue_name=f"{slot.host}'s flat",
                address=f"Flat {n}, Rowan Street",
                area="Leith",
                access_notes=f"The key is in pot no. {n}.",
                latitude=55.97,
                longitude=-3.17,
            )
            slot.street, slot.notes = where.address, where.access_notes
            if not slot.is_open:
                self.opens(slot)
                tally["dates opened for answers"] += 1
            else:
                slot.answers.add(slot.host)  # a new host of an answered date
                tally["places moved"] += 1
            actor = self.boss if by_organiser else self.membership(slot.host)
            event = self.event(slot)
            self.act(None, lambda now: rota.place(actor, event, where, now))

        @precondition(lambda self: any(s.host for s in self.slots.values()))
        @rule(data=st.data(), by_organiser=st.booleans())
        def give_up(self, data, by_organiser):
            self.tick()
            hosted = sorted(d for d, s in self.slots.items() if s.host)
            slot = self.slots[data.draw(st.sampled_from(hosted), label="given up")]
            actor = self.boss if by_organiser else self.membership(slot.host)
            event = self.event(slot)
            if slot.cancelled or self.start_of(slot) <= self.now:
                self.act(NotAllowed, lambda now: rota.give_up(actor, event, now))
                return
            mark = self.last_mail()
            given_up = [t for t in (slot.street, slot.notes) if t]
            if not self.answered(slot):
                slot.is_open = False
                tally["given up: waiting for a host again"] += 1
            else:
                tally["given up: place to be confirmed"] += 1
            slot.host, slot.street, slot.notes = None, "", ""
            self.act(None, lambda now: rota.give_up(actor, event, now))
            self.given_up += [(mark, text) for text in given_up]

        def say(self, data, name: str, going: bool, guests: int = 0) -> None:
            self.tick()
            days = [s.day for s in self.coming_open() if s.is_open]
            slot = self.slots[data.draw(st.sampled_from(days), label="answered")]
            event = self.event(slot)
            try:
                rsvps.respond(event, people[name], going=going, guests=guests,
                              now=self.now)  # fmt: skip
            except NoRoom:
                # Only a party already going asks for places that are not free
                # (the RSVP state machine checks when): nothing changes.
                db.session.rollback()
                assert going and name in slot.answers
                tally["refused with NoRoom"] += 1
                return
            db.session.commit()
            slot.answers.add(name)
            tally["answers going" if going else "answers declined"] += 1

        @precondition(lambda self: any(s.is_open for s in self.coming_open()))
        @rule(data=st.data(), name=PERSON, guests=st.integers(0, 1))
        def answer_going(self, data, name, guests):
            self.say(data, name, going=True, guests=guests)

        @precondition(lambda self: any(s.is_open for s in self.coming_open()))
        @rule(data=st.data(), name=PERSON)
        def answer_declined(self, data, name):
            self.say(data, name, going=False)

        @rule(name=PERSON, wants=st.booleans())
        def put_down_for_each(self, name, wants):
            self.tick()
            if wants and name not in self.standing:
                self.standing.append(name)
            elif not wants and name in self.standing:
                self.standing.remove(name)
            if wants:
                call = lambda now: series.stand(people[name], self.series, now)  # noqa: E731
            else:
                call = lambda now: series.sit_down(people[name], self.series)  # noqa: E731
            self.act(None, call)

        # -- after every step ----------------------------------------------------

        @invariant()
        def database_agrees_with_the_rules(self):
            tally["checks"] += 1
            db.session.expire_all()  # re-read everything, trust no copy
            made = db.session.get(Series, self.series_id)
            dates = db.session.scalars(
                select(Event).filter_by(series_id=self.series_id)
            ).all()
            by_day = {event.slot_on: event for event in dates}
            assert len(by_day) == len(dates), "two dates on one slot"

            # The series and its dates are what the model says.
            assert SeriesDetails.of(made) == self.details
            assert (made.paused_at is not None, made.ended_at is not None) == (
                self.paused,
                self.ended,
            )
            assert sorted(by_day) == sorted(self.slots), "the dates differ"
            skips = db.session.scalars(
                select(SkippedDate.slot_on).filter_by(series_id=self.series_id)
            )
            assert set(skips) == set(self.skipped)
            for day, kept in self.skipped.items():
                event = by_day.get(day)
                assert (event is not None) == kept, f"skipped {day} reopened"
                assert event is None or event.is_cancelled, f"skipped {day} is on"

            coming_open = [
                e for e in dates if e.starts_at > self.now and not e.is_cancelled
            ]
            if self.running():
                assert len(coming_open) >= made.horizon, "fewer open than the horizon"
                if len(coming_open) > made.horizon:
                    assert self.made_now == 0, "opened dates beyond the horizon"
            else:
                assert all(e.created_at <= self.stopped_at for e in dates), (
                    "a paused or ended series opened a date"
                )
            if self.ended:
                assert coming_open == [], "an ended series still has dates ahead"

            standing = db.session.scalars(
                select(StandingRsvp.user_id)
                .filter_by(series_id=self.series_id)
                .order_by(StandingRsvp.id)
            )
            assert [ids[i] for i in standing] == self.standing

            for day, event in by_day.items():
                slot = self.slots[day]
                where = f"date {day}"
                host = ids.get(event.host_id) if event.host_id else None
                assert host == slot.host, where
                assert event.is_cancelled == slot.cancelled, where
                assert event.is_changed_alone == slot.alone, where
                assert event.starts_at == self.start_of(slot), where
                assert event.ends_at == event.starts_at + timedelta(minutes=MINUTES)
                if (
                    event.starts_at > self.now
                    and not (slot.alone or slot.cancelled)
                    and day >= self.edited_from
                ):
                    assert on_rule(self.details, day), where
                    assert slot.wall == self.details.start_time, where
                expected = EventState.OPEN if slot.is_open else EventState.HOST_NEEDED
                assert event.state is expected, where
                assert event.address == slot.street, where
                assert event.access_notes == slot.notes, where
                if event.host_id is None:
                    assert (event.address, event.access_notes, event.venue_name) == (
                        "",
                        "",
                        "",
                    ), where
                    assert (event.latitude, event.longitude) == (None, None), where
                    # Open without a host only when given up after others answered.
                    assert event.needs_host or self.answered(slot), where
                if event.needs_host:
                    assert event.address == "" and event.latitude is None, where

                rows = db.session.scalars(
                    select(Rsvp).filter_by(event_id=event.id)
                ).all()
                assert {ids[r.user_id] for r in rows} == slot.answers, where
                going = sum(r.party for r in rows if r.is_going)
                assert event.seats_taken == going, where
                # Within the capacity, which rises only to seat a host.
                assert event.seats_taken <= max(CAPACITY, event.capacity), where
                assert event.capacity in (CAPACITY, event.seats_taken), where
                for _mark, text in self.given_up:
                    fields = (event.address, event.venue_name, event.access_notes,
                              event.area, event.description)  # fmt: skip
                    assert not any(text in f for f in fields), f"{text!r} on {day}"

            # No mail written after a give-up repeats the place given up.
            for row in db.session.scalars(
                select(OutboxMail)
                .where(OutboxMail.id > self.mail_seen)
                .order_by(OutboxMail.id)
            ):
                tally["mails read"] += 1
                body = mail_text(row)
                for mark, text in self.given_up:
                    assert row.id <= mark or text not in body, (
                        f"{text!r} in a later {row.kind} mail to {row.recipient}"
                    )
                self.mail_seen = row.id

        def teardown(self):
            db.session.rollback()  # a failed step must not leak into the next example
            if getattr(self, "series_id", None):
                # Out of the next examples' top-ups.
                db.session.execute(
                    update(Series)
                    .where(Series.id == self.series_id)
                    .values(ended_at=NOW)
                )
                db.session.commit()

    run_state_machine_as_test(SeriesMachine, settings=SETTINGS)
    steps = tally["checks"] - tally["examples"]  # a check follows each step and setup
    print(f"{tally['examples']} examples, {steps} steps:", dict(tally))


# -- found by the machine, pinned down ------------------------------------------


@pytest.fixture
def rota_group(make_group, make_user, add_member):
    group = make_group(make_user(name="Olga"), name="Book Circle")
    fiona, aisha = make_user(name="Fiona"), make_user(name="Aisha")
    add_member(group, fiona)
    add_member(group, aisha)
    return group, fiona, aisha


def _plan(group, **changes) -> Series:
    details = SeriesDetails(
        title="Book night",
        rule=Rule.WEEKLY,
        weekday=NOW.weekday(),
        starts_on=NOW.date(),
        start_time=time(19, 30),
        **changes,
    )
    made = series.create_series(organiser_of(group), group, details, NOW)
    db.session.commit()
    return made


def test_a_date_waiting_for_its_host_takes_no_answers(rota_group):
    group, _fiona, aisha = rota_group
    first = series.coming_dates(_plan(group), NOW)[0]
    assert first.needs_host
    with pytest.raises(MeetupError):
        rsvps.respond(first, aisha, going=True, now=NOW)


def test_a_new_time_on_the_day_of_a_date_is_taken_for_the_dates_to_come(rota_group):
    group, *_ = rota_group
    made = _plan(group)  # weekly on Tuesdays at 19:30; today's is still to come
    details = dataclasses.replace(SeriesDetails.of(made), start_time=time(10, 0))
    series.update_series(organiser_of(group), made, details, NOW)  # 10:00 is past
    db.session.commit()
    later = [e for e in series.coming_dates(made, NOW) if e.slot_on > NOW.date()]
    zone = ZoneInfo(made.timezone)
    assert later and {e.starts_at.astimezone(zone).time() for e in later} == {
        time(10, 0)
    }


def test_a_host_who_gives_up_is_not_mailed_her_own_street(rota_group):
    group, fiona, aisha = rota_group
    first = series.coming_dates(_plan(group), NOW)[0]
    hosting = memberships.membership_of(fiona, group)
    rota.claim(hosting, first, NOW)
    where = rota.Place(address="5 Elm Row", area="Leith", access_notes="Blue door")
    rota.place(hosting, first, where, NOW)
    rsvps.respond(first, fiona, going=True, now=NOW)  # she answers her own date
    rsvps.respond(first, aisha, going=True, now=NOW)
    db.session.commit()
    mark = db.session.scalar(select(func.max(OutboxMail.id)))
    rota.give_up(hosting, first, NOW)
    db.session.commit()
    later = db.session.scalars(select(OutboxMail).where(OutboxMail.id > mark)).all()
    assert later  # Aisha and the organisers are told
    for row in later:
        body = mail_text(row)
        assert "5 Elm Row" not in body and "Blue door" not in body, (
            f"the place given up in a {row.kind} mail to {row.recipient}"
        )


def test_the_guest_who_gets_the_hosts_place_is_not_mailed_her_street(rota_group):
    group, fiona, aisha = rota_group
    olga = db.session.scalar(select(User).filter_by(display_name="Olga"))
    first = series.coming_dates(_plan(group, capacity=2), NOW)[0]
    hosting = memberships.membership_of(fiona, group)
    rota.claim(hosting, first, NOW)
    where = rota.Place(address="5 Elm Row", area="Leith", access_notes="Blue door")
    rota.place(hosting, first, where, NOW)
    rsvps.respond(first, fiona, going=True, now=NOW)
    rsvps.respond(first, olga, going=True, now=NOW)
    rsvps.respond(first, aisha, going=True, now=NOW)  # full: she waits
    db.session.commit()
    mark = db.session.scalar(select(func.max(OutboxMail.id)))
    rota.give_up(hosting, first, NOW)  # Fiona's place goes to Aisha
    db.session.commit()
    promoted = db.session.scalars(
        select(OutboxMail).where(
            OutboxMail.id > mark, OutboxMail.recipient == aisha.email
        )
    ).all()
    assert promoted
    for row in promoted:
        body = mail_text(row)
        assert "5 Elm Row" not in body and "Blue door" not in body, (
            f"the place given up in a {row.kind} mail to Aisha"
        )
