"""Journey: find the address, pick a candidate, nudge the pin; who sees which map."""

from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Event
from tests.browser.conftest import sign_in


def test_organiser_places_a_home_and_only_those_going_see_the_pin(
    live_server, new_page, shoot, make_user, make_group, nominatim
):
    maria = make_user(name="Maria Organiser")
    group = make_group(maria, name="Book Circle", area="Stockbridge, Edinburgh")
    page = new_page()
    sign_in(page, live_server, maria)
    page.goto(f"{live_server}/groups/{group.slug}/events/new")
    page.get_by_label("What's happening").fill("Book night at mine")
    page.get_by_label("Kind of place").select_option("home")
    page.get_by_label("Street address").fill("Raeburn Place")
    page.get_by_role("button", name="Find on the map").click()
    expect(page.get_by_text("Raeburn Place, Stockbridge, Edinburgh")).to_be_visible()
    page.get_by_role("button", name="Use this place").click()  # the other one
    expect(page.get_by_label("Latitude")).to_have_value("55.958")
    page.get_by_label("Street address").fill("12 Raeburn Place, Edinburgh")

    marker = page.locator(".map-edit .leaflet-marker-icon")
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 30, steps=8)
    page.mouse.up()
    expect(page.get_by_label("Latitude")).not_to_have_value("55.958")
    shoot(page, "1-pin-nudged")
    nudged = float(page.get_by_label("Latitude").input_value())

    page.get_by_label("Starts").fill("2031-06-12T19:30")
    page.get_by_label("Ends").fill("2031-06-12T22:00")
    # Anyone may come: newcomers asking is test_approval_journey's story.
    page.get_by_label("Anyone in the group").check()
    page.get_by_role("button", name="Plan it").click()
    expect(page.get_by_role("heading", name="Book night at mine")).to_be_visible()
    event = db.session.scalar(db.select(Event))
    assert event.latitude == nudged

    visitor = new_page()
    visitor.goto(f"{live_server}/events/{event.id}")
    expect(visitor.get_by_text("A member's home in Stockbridge")).to_be_visible()
    expect(visitor.locator(".map path.leaflet-interactive")).to_have_count(1)
    expect(visitor.locator(".map .leaflet-marker-icon")).to_have_count(0)
    assert f"{nudged}" not in visitor.content()
    shoot(visitor, "2-visitor-sees-the-area")

    ana = make_user(name="Ana Going")
    going = new_page()
    sign_in(going, live_server, ana)
    going.goto(f"{live_server}/events/{event.id}")
    going.get_by_role("button", name="I'm going").click()
    expect(going.locator(".map .leaflet-marker-icon")).to_have_count(1)
    expect(going.get_by_text("12 Raeburn Place, Edinburgh").first).to_be_visible()
    shoot(going, "3-going-member-sees-the-pin")
