"""Journey: an organiser saves a gathering at her flat as a draft, publishes it
without telling members, and reads that she is hosting and counted."""

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Event, OutboxMail
from tests.browser.conftest import sign_in


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_draft_published_quietly_with_the_host_counted(
    live_server, new_page, shoot, make_user, make_group, add_member
):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle", area="Stockbridge, Edinburgh")
    add_member(group, make_user(name="Ana"))
    page = new_page()
    sign_in(page, live_server, maria)
    page.goto(f"{live_server}/groups/{group.slug}/events/new")
    page.get_by_label("What's happening").fill("Book night at mine")
    page.get_by_label("Kind of place").select_option("park")
    page.get_by_label("Starts").fill("2031-06-12T19:30")
    page.get_by_label("Ends").fill("2031-06-12T22:00")
    page.get_by_label("Places, including the host").fill("6")
    expect(page.get_by_label("Tell members now")).to_be_checked()
    page.locator(".publish-choice").scroll_into_view_if_needed()
    shoot(page, "form")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#draft")).to_contain_text("only the organisers")
    shoot(page, "draft-page")
    page.get_by_label("Tell members now").uncheck()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#hosting")).to_contain_text(
        "You're hosting · you count as one of the 6 places."
    )
    expect(page.get_by_text("1 going")).to_be_visible()
    expect(page.get_by_role("button", name="Can't go")).to_have_count(0)
    page.locator("#rsvp").scroll_into_view_if_needed()
    shoot(page, "hosting")
    page.get_by_role("button", name="Step back from attending").click()
    expect(page.get_by_role("button", name="Count me in again")).to_be_visible()
    page.locator("#rsvp").scroll_into_view_if_needed()
    shoot(page, "stepped-back")
    db.session.expire_all()
    event = db.session.scalar(db.select(Event))
    assert event.is_open and event.seats_taken == 0
    kinds = set(db.session.scalars(db.select(OutboxMail.kind)))
    assert "announcement" not in kinds
