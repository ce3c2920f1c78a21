"""The series pages wired up: planning a rhythm by its form, the rota, a
member hosting a date from its page, and the organisers' buttons."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from meetup.extensions import db
from meetup.models import Event, Series
from tests.conftest import redirect_path

BOOK_NIGHT = {
    "title": "Book night", "rule": "monthly-weekday", "week_of_month": "1",
    "weekday": "3", "every_weeks": "1", "day_of_month": "1",
    "starts_on": "2027-01-01", "start_time": "19:30", "minutes": "150",
    "is_rota": "rota", "venue_type": "home", "max_guests": "0",
    "visibility": "public", "horizon": "3", "capacity": "8",
}  # fmt: skip


def plan(client, group) -> Series:
    reply = client.post(f"/groups/{group.slug}/series/new", data=BOOK_NIGHT)
    made = db.session.scalar(db.select(Series).filter_by(group_id=group.id))
    assert redirect_path(reply) == f"/series/{made.id}", reply.text
    return made


def dates_of(made) -> list[Event]:
    return db.session.scalars(
        db.select(Event).filter_by(series_id=made.id).order_by(Event.slot_on)
    ).all()


def test_an_organiser_sets_a_rhythm_and_members_see_its_dates(
    client, login, make_user, make_group, add_member
):
    olive = make_user(name="Olive")
    group = make_group(olive, name="Book Circle")
    login(olive)
    made = plan(client, group)
    page = client.get(f"/series/{made.id}").text
    assert "Every first Thursday of the month, 7:30 PM" in page
    assert page.count("Host needed") == 3
    assert "Book night" in client.get(f"/groups/{group.slug}").text
    assert "Make host" in client.get(f"/series/{made.id}/rota").text


def test_a_member_hosts_a_date_from_its_page_and_says_where(
    client, login, make_user, make_group, add_member
):
    olive, fiona, aisha = (make_user(name=n) for n in ("Olive", "Fiona", "Aisha"))
    group = make_group(olive, name="Book Circle")
    add_member(group, fiona)
    add_member(group, aisha)
    login(olive)
    made = plan(client, group)
    first = dates_of(made)[0]
    client.post("/auth/logout")
    login(fiona)
    assert "I'll host this one" in client.get(f"/events/{first.id}").text
    reply = client.post(f"/events/{first.id}/host", data={"do": "claim"})
    assert redirect_path(reply) == f"/events/{first.id}/where"
    reply = client.post(
        f"/events/{first.id}/where",
        data={"venue_type": "home", "address": "5 Elm Row", "area": "Leith, Edinburgh"},
    )
    assert redirect_path(reply) == f"/events/{first.id}"
    assert "5 Elm Row" in client.get(f"/events/{first.id}").text
    assert "Hosted by Fiona" in client.get(f"/series/{made.id}/rota").text
    client.post("/auth/logout")
    login(aisha)
    reply = client.post(f"/events/{first.id}/host", data={"do": "claim"},
                        follow_redirects=True)  # fmt: skip
    assert "Fiona is hosting this one." in reply.text
    assert "5 Elm Row" not in reply.text  # Aisha is not going


def test_a_home_without_a_street_is_refused_and_nothing_is_lost(
    client, login, make_user, make_group
):
    olive = make_user(name="Olive")
    group = make_group(olive)
    login(olive)
    first = dates_of(plan(client, group))[0]
    client.post(f"/events/{first.id}/host", data={"do": "claim"})
    reply = client.post(
        f"/events/{first.id}/where",
        data={"venue_type": "home", "area": "Leith", "access_notes": "Blue door"},
    )
    assert reply.status_code == 200 and "needs its street address" in reply.text
    assert "Blue door" in reply.text
    db.session.refresh(first)
    assert first.needs_host


def test_organisers_skip_pause_end_and_delete(client, login, make_user, make_group):
    olive = make_user(name="Olive")
    group = make_group(olive)
    login(olive)
    made = plan(client, group)
    first = dates_of(made)[0]
    skipped = first.slot_on
    reply = client.post(f"/events/{first.id}/skip")
    assert redirect_path(reply) == f"/series/{made.id}"
    db.session.expire_all()
    assert skipped not in [d.slot_on for d in dates_of(made)]
    assert len(dates_of(made)) == 3  # the horizon opened the next
    for action in ("pause", "resume", "end"):
        reply = client.post(f"/series/{made.id}/{action}")
        assert redirect_path(reply) == f"/series/{made.id}", action
    made_id = made.id
    reply = client.post(f"/series/{made_id}/delete")
    assert redirect_path(reply) == f"/groups/{group.slug}"
    db.session.expire_all()
    assert db.session.get(Series, made_id) is None


def test_a_member_is_put_down_for_each_date_and_stops(
    client, login, make_user, make_group, add_member
):
    olive, bea = make_user(name="Olive"), make_user(name="Bea")
    group = make_group(olive)
    add_member(group, bea)
    login(olive)
    made = plan(client, group)
    client.post("/auth/logout")
    login(bea)
    client.post(f"/series/{made.id}/put-me-down")
    assert "You're down for each date." in client.get(f"/series/{made.id}").text
    client.post(f"/series/{made.id}/stop-putting-me-down")
    assert "Put me down for each one" in client.get(f"/series/{made.id}").text


def test_a_bad_series_form_says_why_and_keeps_what_was_typed(
    client, login, make_user, make_group
):
    olive = make_user(name="Olive")
    group = make_group(olive)
    login(olive)
    bad = {**BOOK_NIGHT, "title": "", "day_of_month": "31",
           "description": "Bring a plate"}  # fmt: skip
    reply = client.post(f"/groups/{group.slug}/series/new", data=bad)
    assert reply.status_code == 200
    assert "Give the series a name." in reply.text and "Bring a plate" in reply.text
    assert db.session.scalar(db.select(Series.id)) is None


def test_a_date_changed_for_this_and_following_moves_the_rest_not_earlier(
    client, login, make_user, make_group
):
    olive = make_user(name="Olive")
    group = make_group(olive, timezone="Europe/London")
    login(olive)
    fixed = {**BOOK_NIGHT, "is_rota": "fixed", "host_id": str(olive.id),
             "venue_type": "church", "venue_name": "St Columba's hall",
             "address": "1 Church Street", "area": "Old Town, Edinburgh"}  # fmt: skip
    client.post(f"/groups/{group.slug}/series/new", data=fixed)
    made = db.session.scalar(db.select(Series).filter_by(group_id=group.id))
    first, second, third = dates_of(made)

    def edit(date, scope, **changes):
        day = date.slot_on.isoformat()
        data = {"title": date.title, "venue_type": "church",
                "venue_name": date.venue_name, "address": date.address,
                "area": date.area, "starts_at": f"{day}T19:30",
                "ends_at": f"{day}T22:00", "timezone": "Europe/London",
                "capacity": "8", "max_guests": "0", "visibility": "public",
                "host_id": str(olive.id), "scope": scope, **changes}  # fmt: skip
        reply = client.post(f"/events/{date.id}/edit", data=data)
        assert redirect_path(reply) == f"/events/{date.id}", reply.text

    edit(third, "alone", title="Poetry night")
    day = second.slot_on.isoformat()
    edit(second, "following", starts_at=f"{day}T20:00", ends_at=f"{day}T23:00")
    db.session.expire_all()
    clock = [d.starts_at.astimezone(ZoneInfo("Europe/London")).time()
             for d in dates_of(made)]  # fmt: skip
    titles = [d.title for d in dates_of(made)]
    assert clock == [time(19, 30), time(20, 0), time(19, 30)]  # the third: alone
    assert titles == ["Book night", "Book night", "Poetry night"]
    assert made.start_time == time(20, 0) and made.minutes == 180
    page = client.get(f"/events/{second.id}/edit").text
    assert "This and following dates" in page


def test_a_member_asks_to_hear_when_a_date_needs_a_host(
    client, login, make_user, make_group, add_member
):
    olive, bea = make_user(name="Olive"), make_user(name="Bea")
    group = make_group(olive)
    membership = add_member(group, bea)
    login(olive)
    made = plan(client, group)
    client.post("/auth/logout")
    login(bea)
    client.post(f"/series/{made.id}/ask-me-to-host")
    db.session.refresh(membership)
    assert membership.is_asked_to_host
    assert "Stop asking me to host" in client.get(f"/series/{made.id}/rota").text
    client.post(f"/series/{made.id}/stop-asking-me")
    db.session.refresh(membership)
    assert not membership.is_asked_to_host


def test_a_date_waiting_for_a_host_offers_hosting_not_answers_or_sharing(
    client, login, make_user, make_group, add_member
):
    olive, bea = make_user(name="Olive"), make_user(name="Bea")
    group = make_group(olive)
    add_member(group, bea)
    login(olive)
    first = dates_of(plan(client, group))[0]
    client.post("/auth/logout")
    login(bea)
    page = client.get(f"/events/{first.id}").text
    assert "I'll host this one" in page and "This date needs a host first." in page
    for absent in ("Add to calendar", "Who's coming", "Share with your group",
                   "I'm going"):  # fmt: skip
        assert absent not in page, absent
