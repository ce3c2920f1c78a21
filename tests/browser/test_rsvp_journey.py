"""Journey: RSVP with a guest, a full house, a waitlist, a promotion, and check-in."""

from playwright.sync_api import expect

from meetup.models import VenueType
from tests.browser.conftest import sign_in


def test_waitlisted_member_is_promoted_and_checked_in(
    live_server, new_page, shoot, make_user, make_group, make_event
):
    grace = make_user(name="Grace Host")
    group = make_group(grace, name="Thursday Suppers")
    event = make_event(
        group,
        title="Soup night",
        venue_type=VenueType.HOME,
        venue_name="Grace's kitchen",
        address="3 Secret Close",
        area="Morningside, Edinburgh",
        capacity=2,
        max_guests=1,
        question="Any dietary needs?",
    )
    url = f"{live_server}/events/{event.id}"
    ana, bea = make_user(name="Ana Member"), make_user(name="Bea Waiting")

    ana_page = new_page()
    sign_in(ana_page, live_server, ana)
    ana_page.goto(url)
    expect(ana_page.get_by_text("3 Secret Close")).to_have_count(0)
    ana_page.get_by_label("Guests you'll bring").select_option("1")
    ana_page.get_by_label("Any dietary needs?").fill("Vegetarian")
    shoot(ana_page, "1-before-rsvp")
    ana_page.get_by_role("button", name="I'm going").click()
    expect(ana_page.get_by_text("You're going with 1 guest.")).to_be_visible()
    expect(
        ana_page.get_by_text("Grace's kitchen, 3 Secret Close").first
    ).to_be_visible()
    shoot(ana_page, "2-going")

    bea_page = new_page()
    sign_in(bea_page, live_server, bea)
    bea_page.goto(url)
    bea_page.get_by_role("button", name="Join the waitlist").click()
    expect(bea_page.get_by_text("You're number 1 on the waitlist.")).to_be_visible()
    expect(bea_page.get_by_text("3 Secret Close")).to_have_count(0)
    shoot(bea_page, "3-waitlisted")

    ana_page.get_by_role("button", name="I can't go").click()
    expect(ana_page.get_by_text("You said you can't come.")).to_be_visible()

    bea_page.reload()
    expect(bea_page.get_by_text("You're going.")).to_be_visible()
    expect(
        bea_page.get_by_text("Grace's kitchen, 3 Secret Close").first
    ).to_be_visible()
    shoot(bea_page, "4-promoted")

    host = new_page()
    sign_in(host, live_server, grace)
    host.goto(url)
    host.get_by_role("link", name="Attendees & check-in").click()
    expect(host.get_by_text("0 of 1 arrived")).to_be_visible()
    host.get_by_role("button", name="Arrived").click()
    expect(host.get_by_text("1 of 1 arrived")).to_be_visible()
    shoot(host, "5-checked-in")
