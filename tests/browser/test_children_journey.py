"""Journey on phones: a member with two children (and vegetarian) answers from
the "more" part of the RSVP form; the host sees the counts and her name with
them on the attendee list; another member going sees the counts only."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Diet, Rsvp, User, VenueType
from tests.browser.conftest import sign_in
from tests.scenes import answer

SHOTS = Path("/tmp/shots-diet")
LINE = "3 coming · 2 children · 1 vegetarian · 1 nut allergy"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def supper(make_user, make_group, add_member, make_event):
    """Maria's supper at home for eight; Ines and Ben are members, Ben going
    (with a nut allergy)."""
    maria = make_user(name="Maria")
    group = make_group(maria, name="Leith Suppers", area="Leith, Edinburgh")
    ines, ben = make_user(name="Ines"), make_user(name="Ben")
    add_member(group, ines)
    add_member(group, ben)
    event = make_event(
        group, host_id=maria.id, title="Soup at Maria's", venue_type=VenueType.HOME,
        venue_name="Maria's flat", address="27 Quillfeather Row",
        area="Leith, Edinburgh", capacity=8, max_guests=1,
    )  # fmt: skip
    answer(event, ben, diets=frozenset({Diet.NUT_ALLERGY}))
    return maria, ines, ben, event


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_member_with_two_children_answers_and_the_host_sees_the_counts(
    live_server, new_page, supper
):
    maria, ines, ben, event = supper
    url = f"{live_server}/events/{event.id}"

    phone = new_page()
    sign_in(phone, live_server, ines)
    phone.goto(url)
    more = phone.locator("#rsvp-more")
    expect(more.get_by_label("Children you'll bring")).to_be_hidden()  # one tap
    phone.locator("#rsvp").scroll_into_view_if_needed()
    shot(phone, "1-closed")
    more.locator("summary").click()
    more.get_by_label("Children you'll bring").fill("2")
    more.get_by_label("Vegetarian").check()
    more.get_by_label("Anything else the host should know").fill("Kids eat pasta")
    phone.locator("#rsvp").scroll_into_view_if_needed()
    shot(phone, "2-more-open")
    phone.get_by_role("button", name="I'm going").click()
    expect(phone.get_by_text("You're going! See you there.")).to_be_visible()
    expect(phone.locator("#table-counts")).to_have_text(LINE)
    phone.locator("#going").scroll_into_view_if_needed()
    shot(phone, "3-ines-going")

    host = new_page()
    sign_in(host, live_server, maria)
    host.goto(url)
    expect(host.locator("#table-counts")).to_have_text(LINE)
    host.goto(f"{url}/attendees")
    expect(host.locator("#table-counts")).to_have_text(LINE)
    row = host.locator("li.row", has_text="Ines")
    expect(row).to_contain_text("2 children")
    expect(row).to_contain_text("Vegetarian")
    expect(row).to_contain_text("Kids eat pasta")
    expect(host.locator("li.row", has_text="Ben")).to_contain_text("Nut allergy")
    shot(host, "4-host-attendees")

    other = new_page()
    sign_in(other, live_server, ben)
    other.goto(url)
    expect(other.locator("#table-counts")).to_have_text(LINE)
    going = other.locator("#going")
    expect(going).to_contain_text("Ines")  # names, as the guest list allows
    expect(going).not_to_contain_text("Vegetarian")
    expect(going).not_to_contain_text("Kids eat pasta")
    assert "Kids eat pasta" not in other.content()
    going.scroll_into_view_if_needed()
    shot(other, "5-ben-counts-only")
    assert other.request.get(f"{url}/attendees").status == 404

    phone.goto(f"{live_server}/me/profile")  # remembered for next time
    expect(phone.get_by_label("Vegetarian")).to_be_checked()
    expect(phone.get_by_label("Anything else the host should know")).to_have_value(
        "Kids eat pasta"
    )
    phone.get_by_label("Vegetarian").scroll_into_view_if_needed()
    shot(phone, "6-profile")

    db.session.expire_all()
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=ines.id))
    assert (rsvp.children, rsvp.diets) == (2, {Diet.VEGETARIAN})
    assert db.session.get(User, ines.id).diets == {Diet.VEGETARIAN}
