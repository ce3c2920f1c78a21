"""Series: the dates a rule opens, top-ups that never open a date twice, the
wall-clock time across daylight saving, changes, skips, pauses and the end."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from meetup import rhythm
from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import Event, EventState, RsvpStatus, Rule, VenueType
from meetup.services import rota, series
from meetup.services.series import SeriesDetails
from tests import mailbox
from tests.scenes import answer, organiser_of

# A Tuesday; the first Thursday after it is 3 December 2026.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BOOK_NIGHT = SeriesDetails(
    title="Book night",
    rule=Rule.MONTHLY_WEEKDAY,
    weekday=3,
    week_of_month=1,
    starts_on=date(2026, 12, 1),
    start_time=time(19, 30),
    minutes=150,
    capacity=8,
)


@pytest.fixture
def circle(make_group, make_user, add_member):
    group = make_group(name="Book Circle", timezone="Europe/London")
    members = [make_user(name=name) for name in ("Fiona", "Aisha", "Bea")]
    for member in members:
        add_member(group, member)
    return group, members


def make_series(group, now=NOW, **changes) -> series.Series:
    made = series.create_series(organiser_of(group), group, _details(**changes), now)
    db.session.commit()
    return made


def _details(**changes):
    import dataclasses

    return dataclasses.replace(BOOK_NIGHT, **changes)


def slots(made) -> list[date]:
    return [event.slot_on for event in series.coming_dates(made, NOW)
            if not event.is_cancelled]  # fmt: skip


def test_a_monthly_series_opens_its_horizon_of_first_thursdays(circle):
    group, _ = circle
    made = make_series(group)
    assert slots(made) == [date(2026, 12, 3), date(2027, 1, 7), date(2027, 2, 4)]
    dates = series.coming_dates(made, NOW)
    assert len({event.uid for event in dates}) == 3
    assert all(event.state is EventState.HOST_NEEDED for event in dates)
    assert all(event.host_id is None and event.address == "" for event in dates)


def test_topping_up_twice_opens_nothing_twice(circle):
    group, _ = circle
    made = make_series(group)
    assert series.top_up(made, NOW) == []
    assert series.top_up_all(NOW) == 0
    later = NOW + timedelta(days=3)  # the first date has passed
    assert [e.slot_on for e in series.top_up(made, later)] == [date(2027, 3, 4)]
    assert series.top_up(made, later) == []
    db.session.commit()
    count = db.session.scalar(
        db.select(db.func.count()).select_from(Event).filter_by(series_id=made.id)
    )
    assert count == 4


def test_the_last_weekday_and_a_day_of_the_month(circle):
    group, _ = circle
    last = make_series(group, week_of_month=rhythm.LAST)
    assert slots(last) == [date(2026, 12, 31), date(2027, 1, 28), date(2027, 2, 25)]
    fifteenth = make_series(group, rule=Rule.MONTHLY_DAY, day_of_month=15, title="B")
    assert slots(fifteenth) == [date(2026, 12, 15), date(2027, 1, 15),
                                date(2027, 2, 15)]  # fmt: skip


def test_every_two_weeks_counts_from_the_first_date(circle):
    group, _ = circle
    made = make_series(
        group, rule=Rule.WEEKLY, every_weeks=2, weekday=1, starts_on=date(2026, 11, 24)
    )
    # 24 Nov, 8 Dec, 22 Dec...: the fortnight is counted from the start, not today.
    assert slots(made) == [date(2026, 12, 8), date(2026, 12, 22), date(2027, 1, 5)]


ZONES = ["Europe/London", "America/New_York", "Australia/Sydney",
         "America/Santiago", "Europe/Berlin"]  # fmt: skip


def _transitions(zone: str, year: int) -> list[date]:
    """The days this zone's clocks change in `year`."""
    tz = ZoneInfo(zone)
    changes, day = [], date(year, 1, 1)
    while day.year == year:
        noon = datetime.combine(day, time(12), tzinfo=tz)
        before = datetime.combine(day - timedelta(days=1), time(12), tzinfo=tz)
        if noon.utcoffset() != before.utcoffset():
            changes.append(day)
        day += timedelta(days=1)
    return changes


@pytest.mark.parametrize("zone", ZONES)
def test_the_wall_clock_time_holds_across_every_change_of_the_clocks(make_group, zone):
    group = make_group(timezone=zone)
    for change in _transitions(zone, 2027):
        start = change - timedelta(days=14)
        start_of_month = start.replace(day=1)
        weekly = series.create_series(
            organiser_of(group), group,
            _details(rule=Rule.WEEKLY, weekday=start.weekday(), starts_on=start,
                     horizon=4, is_rota=False, title=f"Weekly {change}"),
            datetime.combine(start - timedelta(days=1), time(0), tzinfo=UTC),
        )  # fmt: skip
        monthly = series.create_series(
            organiser_of(group), group,
            _details(rule=Rule.MONTHLY_DAY, day_of_month=start.day,
                     starts_on=start_of_month, horizon=3, is_rota=False,
                     title=f"Monthly {change}"),
            datetime.combine(start_of_month - timedelta(days=1), time(0), tzinfo=UTC),
        )  # fmt: skip
        for made in (weekly, monthly):
            dates = db.session.scalars(
                db.select(Event).filter_by(series_id=made.id).order_by(Event.slot_on)
            ).all()
            assert len(dates) == made.horizon
            offsets = set()
            for event in dates:
                local = event.starts_at.astimezone(ZoneInfo(zone))
                assert (local.date(), local.time()) == (event.slot_on, time(19, 30))
                assert event.ends_at - event.starts_at == timedelta(minutes=150)
                offsets.add(local.utcoffset())
            if made is weekly:  # four weeks around the change: both offsets
                assert len(offsets) == 2, (zone, change)
    db.session.rollback()


def test_a_start_in_the_skipped_hour_is_the_time_after_the_gap(make_group):
    group = make_group(timezone="Europe/London")
    made = series.create_series(
        organiser_of(group), group,
        _details(rule=Rule.MONTHLY_WEEKDAY, weekday=6, week_of_month=rhythm.LAST,
                 starts_on=date(2027, 3, 1), start_time=time(1, 30), is_rota=False,
                 horizon=1),
        NOW,
    )  # fmt: skip
    (event,) = series.coming_dates(made, NOW)
    local = event.starts_at.astimezone(ZoneInfo("Europe/London"))
    assert event.slot_on == date(2027, 3, 28)  # the clocks go forward at 01:00
    assert local.time() == time(2, 30)


def test_a_series_without_a_rota_opens_its_dates_with_its_host(circle):
    group, (fiona, *_) = circle
    made = make_series(
        group, is_rota=False, host_id=fiona.id, venue_type=VenueType.WINE_BAR,
        venue_name="The Cork", address="1 Main St", area="Leith",
    )  # fmt: skip
    dates = series.coming_dates(made, NOW)
    assert all(e.is_open and e.host_id == fiona.id for e in dates)
    assert {e.venue_name for e in dates} == {"The Cork"}
    # Only the first is announced at once; the others as they come.
    announced = {m["Subject"] for m in mailbox.queued(kind="announcement")}
    assert announced == {"New gathering: Book night"}
    assert len(mailbox.queued(to=circle[1][1].email, kind="announcement")) == 1


def test_skipping_a_date_never_opens_it_again(circle):
    group, _ = circle
    made = make_series(group)
    first = series.coming_dates(made, NOW)[0]
    series.skip(organiser_of(group), first, NOW)
    db.session.commit()
    assert db.session.get(Event, first.id) is None
    assert slots(made) == [date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4)]
    series.top_up(made, NOW)
    assert date(2026, 12, 3) not in slots(made)


def test_skipping_an_answered_date_cancels_it_the_usual_way(circle):
    group, (fiona, aisha, _) = circle
    made = make_series(group, is_rota=False, host_id=fiona.id)
    first = series.coming_dates(made, NOW)[0]
    answer(first, aisha, now=NOW)
    series.skip(organiser_of(group), first, NOW)
    db.session.commit()
    assert db.session.get(Event, first.id).is_cancelled
    assert mailbox.queued(to=aisha.email, kind="cancelled")


def test_a_pause_opens_nothing_until_resumed(circle):
    group, _ = circle
    made = make_series(group, horizon=1)
    series.pause(organiser_of(group), made, NOW)
    later = NOW + timedelta(days=5)
    assert series.top_up(made, later) == []
    series.resume(organiser_of(group), made, later)
    assert [e.slot_on for e in series.coming_dates(made, later)] == [date(2027, 1, 7)]


def test_ending_cancels_answered_dates_and_drops_the_rest(circle):
    group, (fiona, aisha, _) = circle
    made = make_series(group, is_rota=False, host_id=fiona.id)
    first, second, third = series.coming_dates(made, NOW)
    answer(second, aisha, now=NOW)
    series.end(organiser_of(group), made, NOW)
    db.session.commit()
    assert db.session.get(Event, first.id) is None
    assert db.session.get(Event, second.id).is_cancelled
    assert series.top_up(made, NOW + timedelta(days=60)) == []


def test_a_series_with_answers_cannot_be_deleted_only_ended(circle):
    group, (fiona, aisha, _) = circle
    made = make_series(group, is_rota=False, host_id=fiona.id)
    answer(series.coming_dates(made, NOW)[0], aisha, now=NOW)
    with pytest.raises(NotAllowed, match="end it instead"):
        series.delete(organiser_of(group), made)
    unanswered = make_series(group, title="Other")
    series.delete(organiser_of(group), unanswered)
    db.session.commit()
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Event)
            .filter_by(series_id=unanswered.id)
        )
        == 0
    )


def test_this_and_following_moves_unchanged_dates_only(circle):
    group, (fiona, aisha, _) = circle
    made = make_series(group, is_rota=False, host_id=fiona.id)
    first, second, third = series.coming_dates(made, NOW)
    answer(third, aisha, now=NOW)
    from meetup.services import events
    from tests.scenes import edited

    events.update_event(organiser_of(group), second, edited(second, title="Poetry"),
                        NOW)  # fmt: skip
    assert second.is_changed_alone
    series.update_series(organiser_of(group), made,
                         _details(is_rota=False, host_id=fiona.id,
                                  start_time=time(20, 0), title="Book club"),
                         NOW, from_day=second.slot_on)  # fmt: skip
    db.session.commit()
    local = lambda e: e.starts_at.astimezone(ZoneInfo("Europe/London")).time()  # noqa
    assert (first.title, local(first)) == ("Book night", time(19, 30))
    assert (second.title, local(second)) == ("Poetry", time(19, 30))
    assert (third.title, local(third)) == ("Book club", time(20, 0))
    assert third.sequence == 1  # its time moved
    changed = mailbox.queued(to=aisha.email, kind="changed")
    assert changed and "New time" in mailbox.text(changed[-1])


def test_a_new_rule_drops_the_old_dates_nobody_answered(circle):
    group, (fiona, aisha, _) = circle
    made = make_series(group, is_rota=False, host_id=fiona.id)
    first, second, third = series.coming_dates(made, NOW)
    answer(second, aisha, now=NOW)
    series.update_series(organiser_of(group), made,
                         _details(is_rota=False, host_id=fiona.id, weekday=4),
                         NOW)  # fmt: skip
    db.session.commit()
    kept = [e.slot_on for e in series.coming_dates(made, NOW)]
    assert second.slot_on in kept  # answered: it stays, as it was
    assert first.slot_on not in kept and third.slot_on not in kept
    assert date(2026, 12, 4) in kept  # first Friday


def test_standing_answers_come_in_the_order_asked_with_the_waitlist(circle):
    group, (fiona, aisha, bea) = circle
    made = make_series(group, horizon=1, capacity=2)
    series.stand(bea, made, NOW)
    series.stand(aisha, made, NOW)
    (first,) = series.coming_dates(made, NOW)
    rota.claim(_member(group, fiona), first, NOW)
    where = rota.Place(address="2 Elm Row", area="Leith")
    rota.place(_member(group, fiona), first, where, NOW)
    db.session.commit()
    status = {r.user.display_name: r.status for r in _answers(first)}
    assert status["Bea"] is RsvpStatus.GOING
    assert status["Aisha"] is RsvpStatus.WAITLISTED  # Fiona hosts: 2 places
    mail = mailbox.queued(to=bea.email, kind="rsvp-going")[-1]
    assert "Can't make this one" in mailbox.text(mail)


def _member(group, user):
    from meetup.services import memberships

    return memberships.membership_of(user, group)


def _answers(event):
    return db.session.scalars(db.select(series.Rsvp).filter_by(event_id=event.id)).all()


def test_feeds_carry_each_open_date_as_its_own_vevent(circle):
    """The group feed and a going member's feed: one VEVENT per open date, its
    own UID, read alike by icalendar and vobject; a date with no host in none."""
    import icalendar
    import vobject

    from meetup.services import calendars, memberships

    group, (fiona, aisha, _) = circle
    made = make_series(group)
    first, second, third = series.coming_dates(made, NOW)
    for date_, host in ((first, fiona), (second, aisha)):
        where = rota.Place(address="2 Elm Row", area="Leith")
        rota.claim(memberships.membership_of(host, group), date_, NOW)
        rota.place(memberships.membership_of(host, group), date_, where, NOW)
    answer(first, aisha, now=NOW)
    answer(second, fiona, now=NOW)
    db.session.commit()
    feeds = {
        "group": calendars.group_calendar(group, aisha, NOW),
        "personal": calendars.personal_calendar(aisha, NOW),
    }
    for name, feed in feeds.items():
        by_icalendar = [
            str(c["UID"]) for c in icalendar.Calendar.from_ical(feed).walk("VEVENT")
        ]
        by_vobject = [v.uid.value for v in vobject.readOne(feed.decode()).vevent_list]
        assert by_icalendar == by_vobject, name
        assert sorted(by_icalendar) == sorted([first.uid, second.uid]), name
        assert third.uid not in feed.decode(), name


def test_send_reminders_tops_series_up_once_however_often_it_runs(app, circle):
    from meetup.models.base import utcnow

    group, _ = circle
    now = utcnow()  # the command reads the clock
    made = make_series(group, now=now, starts_on=now.date(), horizon=2)
    # The first date is over: cron runs the chores, twice.
    db.session.execute(
        db.update(Event)
        .where(Event.id == series.coming_dates(made, now)[0].id)
        .values(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1))
    )
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    again = runner.invoke(args=["send-reminders"])
    assert "Series dates opened: 1." in first.output, first.output
    assert "Series dates opened: 0." in again.output, again.output
