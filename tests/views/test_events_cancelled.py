"""A cancelled gathering: its page says so and nothing else invites anyone; it
leaves the home page; organisers plan a new date from it."""

import re

import pytest

from meetup.extensions import db
from meetup.models import EventVisibility, VenueType
from meetup.services import events, memberships, rsvps
from tests.conftest import NOW


@pytest.fixture
def supper(make_user, make_group, make_event, add_member):
    maria = make_user(name="Maria")
    group = make_group(maria, area="Camden, London")
    event = make_event(
        group,
        title="Supper at Maria's",
        description="Bring a dish",
        venue_type=VenueType.HOME,
        venue_name="Maria's flat",
        address="3 Bootham Terrace, York",
        area="Bootham, York",
        access_notes="Ring twice",
        capacity=8,
        max_guests=2,
        question="Any dietary needs?",
        visibility=EventVisibility.MEMBERS,
        latitude=53.9663497,
        longitude=-1.0907281,
    )
    ana = make_user(name="Ana")
    add_member(group, ana)
    rsvps.respond(event, ana, going=True, now=NOW)
    db.session.commit()
    return maria, ana, event


def cancel(event, maria):
    events.cancel_event(
        memberships.membership_of(maria, event.group), event, "Maria is unwell", NOW
    )
    db.session.commit()


def test_a_going_member_sees_it_cancelled_and_off_her_calendar(client, supper, login):
    maria, ana, event = supper
    cancel(event, maria)
    login(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This gathering is cancelled." in page and "Maria is unwell" in page
    assert "Removed from your calendar." in page
    assert "You're going" not in page
    assert not re.search(r"\d+ going", page) and "Places left" not in page  # counts
    assert "Who's coming" not in page
    assert 'id="share-url"' not in page
    assert "Plan a new date" not in page  # she is not an organiser


def test_before_it_is_cancelled_she_is_going_with_counts_and_a_share_box(
    client, supper, login
):
    _maria, ana, event = supper
    login(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You're going." in page and re.search(r"\d+ going", page)
    assert "Places left" in page and 'id="share-url"' in page
    assert "Removed from your calendar." not in page


def test_someone_who_was_not_going_is_not_told_it_left_her_calendar(
    client, supper, make_user, add_member, login
):
    maria, _ana, event = supper
    bo = make_user()
    add_member(event.group, bo)
    rsvps.respond(event, bo, going=False, now=NOW)
    db.session.commit()
    cancel(event, maria)
    login(bo)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "This gathering is cancelled." in page
    assert "Removed from your calendar." not in page


def test_organisers_get_plan_a_new_date(client, supper, login):
    maria, _ana, event = supper
    cancel(event, maria)
    login(maria)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    link = f'href="/groups/{event.group.slug}/events/new?from={event.id}"'
    assert link in page and "Plan a new date" in page
    assert "Edit or cancel" not in page


@pytest.mark.parametrize("signed_in", [True, False])
def test_a_cancelled_gathering_leaves_the_home_page(
    client, make_user, make_group, make_event, login, signed_in
):
    maria = make_user()
    group = make_group(maria)
    on = make_event(group, title="Still on")
    off = make_event(group, title="Called off")
    events.cancel_event(memberships.membership_of(maria, group), off, "", NOW)
    db.session.commit()
    if signed_in:
        login(maria)
    page = client.get("/").get_data(as_text=True)
    assert on.title in page and off.title not in page
    assert off.title in client.get(f"/groups/{group.slug}").get_data(True)


def field_value(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
    return found[1] if found else None


def test_plan_a_new_date_copies_everything_but_the_times(client, supper, login):
    maria, _ana, event = supper
    cancel(event, maria)
    login(maria)
    page = client.get(f"/groups/{event.group.slug}/events/new?from={event.id}")
    html = page.get_data(as_text=True)
    assert field_value(html, "title") == "Supper at Maria&#39;s"
    assert field_value(html, "address") == "3 Bootham Terrace, York"
    assert field_value(html, "area") == "Bootham, York"
    assert field_value(html, "venue_name") == "Maria&#39;s flat"
    assert field_value(html, "question") == "Any dietary needs?"
    assert field_value(html, "capacity") == "8"
    assert field_value(html, "max_guests") == "2"
    assert field_value(html, "latitude") == "53.9663497"
    assert "Bring a dish</textarea>" in html and "Ring twice</textarea>" in html
    assert '<option selected value="home">' in html
    assert re.search(r'checked[^>]*value="members"|value="members"[^>]*checked', html)
    assert not field_value(html, "starts_at")  # the times are hers to choose
    assert not field_value(html, "ends_at")
    assert not field_value(html, "rsvp_deadline")


@pytest.mark.parametrize(
    "wanted", ["other-group", "999999", "abc", "", "²", "-1", "9" * 5000]
)
def test_a_from_of_another_group_or_nothing_is_ignored(
    client, supper, make_event, make_group, login, wanted
):
    maria, _ana, event = supper
    other = make_event(make_group(maria), title="Elsewhere")
    wanted = str(other.id) if wanted == "other-group" else wanted
    login(maria)
    page = client.get(f"/groups/{event.group.slug}/events/new?from={wanted}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert not field_value(html, "title") and "Elsewhere" not in html
    assert field_value(html, "area") == "Camden, London"  # the group's, as ever


def test_only_organisers_plan_a_new_date(client, supper, login):
    maria, ana, event = supper
    cancel(event, maria)
    login(ana)
    reply = client.get(f"/groups/{event.group.slug}/events/new?from={event.id}")
    assert reply.status_code == 403


def test_a_copied_host_who_left_gives_way_to_the_organiser(
    client, supper, login, add_member
):
    maria, ana, event = supper
    event.host_id = ana.id
    db.session.commit()
    cancel(event, maria)
    membership = memberships.membership_of(ana, event.group)
    db.session.delete(membership)
    db.session.commit()
    login(maria)
    html = client.get(
        f"/groups/{event.group.slug}/events/new?from={event.id}"
    ).get_data(as_text=True)
    assert f'<option selected value="{maria.id}">' in html
