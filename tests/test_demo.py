"""Demo data: believable, and loading it twice changes nothing."""

from datetime import time
from zoneinfo import ZoneInfo

from meetup import demo
from meetup.models import (
    Event,
    Group,
    JoinRequest,
    Membership,
    OutboxMail,
    Rsvp,
    Series,
    User,
)
from meetup.services import accounts, series


def counts(db):
    return [
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (User, Group, Membership, JoinRequest, Event, Rsvp)
    ]


def test_seed_demo_is_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert demo.ORGANISER_EMAIL in first.output
    after_first = counts(db)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(db) == after_first
    assert after_first[1] == len(demo.GROUPS)
    assert after_first[4] == len(demo.EVENTS) + demo.BOOK_NIGHTS.horizon


def test_the_book_circle_meets_monthly_two_dates_hosted_one_host_needed(app, db):
    demo.seed()
    db.session.commit()
    (made,) = db.session.scalars(db.select(Series)).all()
    dates = series.coming_dates(made, demo.utcnow())
    assert len(dates) == 3
    zone = ZoneInfo(made.group.timezone)
    for d in dates:  # first Thursdays, 19:30 there
        local = d.starts_at.astimezone(zone)
        assert (local.weekday(), local.day <= 7, local.time()) == (
            3,
            True,
            time(19, 30),
        )
    assert [d.host_id is not None for d in dates] == [True, True, False]
    assert [d.needs_host for d in dates] == [False, False, True]
    assert dates[0].seats_taken >= 3 and dates[0].address
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)) == 0
    for event in db.session.scalars(db.select(Event)):
        month = event.starts_at.strftime("%B")
        if "book night" in event.title and ":" in event.title:
            assert event.title.startswith(month), event.title


def test_demo_has_a_home_a_church_a_wine_bar_a_waitlist_and_a_cancellation(app, db):
    demo.seed()
    db.session.commit()
    found = db.session.scalars(db.select(Event)).all()
    assert {e.venue_type.value for e in found} >= {"home", "church", "wine-bar"}
    assert any(e.is_cancelled for e in found)
    full = [e for e in found if e.capacity and e.seats_taken == e.capacity]
    assert full and db.session.scalar(
        db.select(db.func.count()).select_from(Rsvp).filter_by(status="waitlisted")
    )


def test_demo_organiser_can_sign_in(app, db):
    demo.seed()
    db.session.commit()
    user = accounts.authenticate(demo.ORGANISER_EMAIL, demo.PASSWORD)
    assert user is not None and user.display_name == "Maria González"


def test_if_empty_leaves_a_used_database_alone(app, db, make_user):
    make_user()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "Demo data loaded" not in result.output
    assert counts(db)[1] == 0
