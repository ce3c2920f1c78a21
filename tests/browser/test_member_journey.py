"""Journey: a newcomer signs up, joins a group and RSVPs with a guest and an
answer, by keyboard alone; the answer updates in place (or, without JavaScript,
by a plain post); the host sees them on the list; the .ics is theirs to keep."""

from pathlib import Path

import icalendar
from playwright.sync_api import expect

from meetup.models import VenueType
from tests.browser.conftest import VIEWPORTS, sign_in
from tests.browser.test_private_group_journey import register

ADDRESS = "3 Secret Close"


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused control is called `name`; its focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return (el.labels?.[0]?.innerText || el.innerText || '').trim(); }"
        )
        if focused == name:
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
            )
            assert outline[0] != "none" and outline[1] >= 2, f"{name}: focus hidden"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_newcomer_joins_and_rsvps_by_keyboard(
    live_server, new_page, shoot, make_user, make_group, make_event
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
        capacity=6,
        max_guests=2,
        question="Any dietary needs?",
    )

    page = new_page()
    register(page, live_server, "Nora Newcomer", "nora@example.org")
    page.goto(f"{live_server}/groups/{group.slug}")
    tab_to(page, "Join group")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You're a member of this group.")).to_be_visible()

    page.goto(f"{live_server}/events/{event.id}")
    expect(page.get_by_text(ADDRESS)).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")
    tab_to(page, "Guests you'll bring")
    page.keyboard.press("ArrowDown")  # "+1"
    page.keyboard.press("Tab")
    page.keyboard.type("Vegetarian, please")
    tab_to(page, "I'm going")
    shoot(page, "1-answer-by-keyboard")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You're going with 1 guest.")).to_be_visible()
    expect(page.locator("#facts").get_by_text(ADDRESS)).to_be_visible()
    expect(page.locator("#going")).to_contain_text("Nora Newcomer")
    assert page.evaluate("window.stillTheSamePage === true"), "the page reloaded"
    expect(page.locator("#rsvp-answer .status")).to_be_focused()
    shoot(page, "2-going-in-place")

    page.get_by_text("Add to calendar").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a calendar file").click()
    (entry,) = icalendar.Calendar.from_ical(
        Path(download.value.path()).read_bytes()
    ).walk("VEVENT")
    assert ADDRESS in str(entry["LOCATION"])

    host = new_page()
    sign_in(host, live_server, grace)
    host.goto(f"{live_server}/events/{event.id}/attendees")
    row = host.get_by_role("listitem").filter(has_text="Nora Newcomer")
    expect(row).to_contain_text("+1")
    expect(row).to_contain_text("Vegetarian, please")
    shoot(host, "3-on-the-host-list")


def test_the_rsvp_works_without_javascript(
    live_server, browser, viewport, make_user, make_group, make_event, add_member
):
    group = make_group(name="Walkers")
    event = make_event(group, title="Hill walk")
    walker = make_user(name="Wanda Walker")
    add_member(group, walker)
    context = browser.new_context(
        java_script_enabled=False,
        viewport=VIEWPORTS[viewport],
        is_mobile=viewport == "phone",
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, walker)
        page.goto(f"{live_server}/events/{event.id}")
        page.get_by_role("button", name="I'm going").click()
        expect(page.get_by_text("You're going! See you there.")).to_be_visible()
        page.get_by_role("button", name="I can't go").click()
        expect(page.get_by_text("You said you can't come.")).to_be_visible()
    finally:
        context.close()
