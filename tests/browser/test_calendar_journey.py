"""Journey: a member adds a gathering to their calendar, then subscribes to all of
theirs with a private link, and makes a new link when the old one got out."""

from pathlib import Path

import icalendar
from playwright.sync_api import expect

from meetup.models import VenueType
from tests.browser.conftest import sign_in

ADDRESS = "3 Secret Close"


def test_a_member_puts_gatherings_in_their_calendar(
    live_server, new_page, shoot, make_user, make_group, make_event, add_member
):
    grace = make_user(name="Grace Host")
    group = make_group(grace, name="Thursday Suppers")
    event = make_event(
        group,
        title="Soup night",
        venue_type=VenueType.HOME,
        venue_name="Grace's kitchen",
        address=ADDRESS,
        area="Morningside, Edinburgh",
    )
    ana = make_user(name="Ana Member")
    add_member(group, ana)

    page = new_page()
    sign_in(page, live_server, ana)
    page.goto(f"{live_server}/events/{event.id}")
    page.get_by_role("button", name="I'm going").click()
    expect(page.get_by_text("You're going!")).to_be_visible()

    page.get_by_text("Add to calendar").click()
    menu = page.locator(".add-to-calendar .menu-list")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Google Calendar")).to_be_visible()
    expect(menu.get_by_role("link", name="Outlook.com")).to_be_visible()
    shoot(page, "1-add-to-calendar-menu")
    page.keyboard.press("Escape")  # closes like a menu, focus back on its button
    expect(menu).to_be_hidden()
    expect(page.get_by_text("Add to calendar")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()

    with page.expect_download() as download:
        menu.get_by_role("link", name="Download a calendar file").click()
    assert download.value.suggested_filename == "soup-night.ics"
    downloaded = Path(download.value.path()).read_bytes()
    (entry,) = icalendar.Calendar.from_ical(downloaded).walk("VEVENT")
    assert str(entry["LOCATION"]) == f"Grace's kitchen, {ADDRESS}"
    assert entry["DTSTART"].dt == event.starts_at

    page.get_by_role("link", name="Keep all your gatherings in your calendar").click()
    page.get_by_role("button", name="Create my calendar link").click()
    expect(page.get_by_text("Your calendar link is ready.")).to_be_visible()
    link = page.get_by_label("Or copy the link into your calendar app").input_value()
    assert link.startswith("http://127.0.0.1:5000/calendar/")
    subscribe = page.get_by_role("link", name="Open in my calendar app")
    assert subscribe.get_attribute("href") == "webcal" + link.removeprefix("http")
    page.get_by_text("How to add it, app by app").click()
    expect(page.get_by_text("Add Subscribed Calendar")).to_be_visible()
    shoot(page, "2-personal-feed")

    feed = page.request.get(live_server + link.removeprefix("http://127.0.0.1:5000"))
    assert feed.ok and ADDRESS.encode() in feed.body()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new link").click()
    expect(page.get_by_text("The old one has stopped working")).to_be_visible()
    new_link = page.get_by_label(
        "Or copy the link into your calendar app"
    ).input_value()
    assert new_link != link
    old = page.request.get(live_server + link.removeprefix("http://127.0.0.1:5000"))
    assert old.status == 404

    # One copy per calendar: she keeps the feed, and her invitations stop.
    page.get_by_label("My Hearth calendar feed").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text("Your feed it is.")).to_be_visible()
    expect(page.get_by_label("My Hearth calendar feed")).to_be_checked()
    shoot(page, "3-one-copy-the-feed")
