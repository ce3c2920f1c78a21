"""Back, then "Plan it" again: one gathering, one announcement."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from meetup.extensions import db
from meetup.models import Event, OutboxMail
from tests.conftest import redirect_path
from tests.views.test_events import form_data


def planning_form(client, slug: str) -> dict:
    page = client.get(f"/groups/{slug}/events/new").get_data(True)
    once = re.search(r'id="once" name="once" type="hidden" value="(\w+)"', page)
    return form_data(once=once.group(1))


def announcements() -> int:
    return db.session.scalar(
        db.select(db.func.count())
        .select_from(OutboxMail)
        .filter_by(kind="announcement")
    )


def test_the_same_form_sent_twice_plans_one_gathering(
    client, make_user, make_group, add_member, login
):
    maria = make_user()
    group = make_group(maria)
    add_member(group, make_user())
    login(maria)
    data = planning_form(client, group.slug) | {"host_id": str(maria.id)}
    first = client.post(f"/groups/{group.slug}/events/new", data=data)
    told = announcements()
    again = client.post(f"/groups/{group.slug}/events/new", data=data)
    [event] = db.session.scalars(db.select(Event)).all()
    assert redirect_path(first) == redirect_path(again) == f"/events/{event.id}"
    assert told == 1 and announcements() == 1
    page = client.get(f"/events/{event.id}").get_data(True)
    assert "You already planned this." in page


def test_back_then_plan_it_again_with_a_fresh_form_plans_one(
    client, make_user, make_group, login
):
    """Back asks for the page again (it is never cached), so the second
    submit has a new token: the same title at the same start decides."""
    maria = make_user()
    group = make_group(maria)
    login(maria)
    for _ in range(2):
        data = planning_form(client, group.slug) | {"host_id": str(maria.id)}
        client.post(f"/groups/{group.slug}/events/new", data=data)
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1


def test_other_titles_or_times_are_other_gatherings(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    start = form_data()["starts_at"]
    later = start.replace("T19:30", "T20:30")
    for title, starts in (("Supper", start), ("Book night", start), ("Supper", later)):
        data = planning_form(client, group.slug) | {
            "host_id": str(maria.id), "title": title, "starts_at": starts,
        }  # fmt: skip
        client.post(f"/groups/{group.slug}/events/new", data=data)
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 3


def test_a_double_tap_sent_at_once_plans_one_gathering(
    app, client, make_user, make_group, add_member, login
):
    """Two submits of one form at the same moment (a double tap): the unique
    token decides, on SQLite and PostgreSQL."""
    maria = make_user()
    group = make_group(maria)
    add_member(group, make_user())
    login(maria)
    data = planning_form(client, group.slug) | {"host_id": str(maria.id)}
    cookies = {cookie.key: cookie.value for cookie in client._cookies.values()}
    taps = []
    for _ in range(2):
        tap = app.test_client()
        for name, value in cookies.items():
            tap.set_cookie(name, value)
        taps.append(tap)
    barrier = threading.Barrier(len(taps))

    def send(tap):
        with app.app_context():
            barrier.wait()
            reply = tap.post(f"/groups/{group.slug}/events/new", data=data)
            return redirect_path(reply)

    with ThreadPoolExecutor(max_workers=len(taps)) as pool:
        landed = list(pool.map(send, taps))
    [event] = db.session.scalars(db.select(Event)).all()
    assert landed == [f"/events/{event.id}"] * 2
    assert announcements() == 1
