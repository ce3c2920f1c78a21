"""Journey on a phone: plan a home in another town than the group's area, choose
the area, open More options, watch the end follow the start; cancel it, and see
what a going member and the organiser see."""

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Event
from tests.browser.conftest import sign_in


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_plan_a_home_in_another_town_then_cancel_it_and_plan_a_new_date(
    live_server, new_page, shoot, make_user, make_group, add_member, nominatim
):
    maria = make_user(name="Maria Organiser")
    group = make_group(maria, name="Book Circle", area="Camden, London")
    ana = make_user(name="Ana Going")
    add_member(group, ana)
    page = new_page()
    sign_in(page, live_server, maria)
    page.goto(f"{live_server}/groups/{group.slug}/events/new")
    page.get_by_label("What's happening").fill("Supper in York")
    page.get_by_label("Kind of place").select_option("home")
    page.get_by_label("Street address").fill("3 Bootham Terrace, York")

    # The end follows the start: 2½ hours for a new one, then the same length.
    page.get_by_label("Starts").fill("2031-06-12T19:30")
    expect(page.get_by_label("Ends")).to_have_value("2031-06-12T22:00")
    page.get_by_label("Ends").fill("2031-06-12T23:00")
    page.get_by_label("Starts").fill("2031-06-13T18:00")
    expect(page.get_by_label("Ends")).to_have_value("2031-06-13T21:30")

    page.get_by_role("button", name="Find on the map").click()
    expect(page.get_by_text("Pin placed on:")).to_be_visible()
    expect(page.get_by_label("Area shown to everyone")).to_have_value("Camden, London")
    question = page.get_by_role("group", name="Which area should people see?")
    expect(question).to_be_visible()
    expect(page.locator(".map-edit .leaflet-marker-icon")).to_have_count(1)
    question.scroll_into_view_if_needed()
    shoot(page, "1-which-area")
    page.locator("fieldset.form-section").nth(1).screenshot()
    question.get_by_label("“Bootham, York”, where the pin is").check()

    more = page.locator("details.more-options")
    expect(page.get_by_label("Latitude")).to_be_hidden()
    more.locator("summary").click()
    expect(page.get_by_label("Latitude")).to_have_value("53.9663497")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    more.scroll_into_view_if_needed()
    shoot(page, "2-more-options")
    expect(page.get_by_label("Starts")).to_have_value("2031-06-13T18:00")
    expect(page.get_by_label("Ends")).to_have_value("2031-06-13T21:30")

    # Anyone may come: newcomers asking is test_approval_journey's story.
    page.get_by_label("Anyone in the group").check()
    page.get_by_role("button", name="Plan it").click()
    expect(page.get_by_role("heading", name="Supper in York")).to_be_visible()
    event = db.session.scalar(db.select(Event))
    assert (event.area, event.ends_at - event.starts_at) == (
        "Bootham, York",
        __import__("datetime").timedelta(hours=3, minutes=30),
    )

    member = new_page()
    sign_in(member, live_server, ana)
    member.goto(f"{live_server}/events/{event.id}")
    member.get_by_role("button", name="I'm going").click()
    expect(member.get_by_text("You're going.")).to_be_visible()

    page.goto(f"{live_server}/events/{event.id}/edit")
    page.get_by_label("Why (shown on the page)").fill("Maria is unwell.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel the gathering").click()
    expect(page.get_by_text("This gathering is cancelled.")).to_be_visible()
    expect(page.get_by_role("link", name="Plan a new date")).to_be_visible()
    shoot(page, "3-organiser-sees-plan-a-new-date")

    member.reload()
    expect(member.get_by_text("Removed from your calendar.")).to_be_visible()
    expect(member.get_by_text("You're going.")).to_have_count(0)
    expect(member.get_by_text("Who's coming")).to_have_count(0)
    expect(member.locator("#share-url")).to_have_count(0)
    shoot(member, "4-member-sees-it-cancelled")

    page.get_by_role("link", name="Plan a new date").click()
    expect(page.get_by_label("What's happening")).to_have_value("Supper in York")
    expect(page.get_by_label("Area shown to everyone")).to_have_value("Bootham, York")
    expect(page.get_by_label("Starts")).to_have_value("")
    shoot(page, "5-a-new-date-prefilled")
