"""Journey: a members-only gathering's link, pasted into the group's chat, is
opened signed out: the page names only the group; she signs in and lands on the
gathering. The bare link answers as a missing one does."""

from playwright.sync_api import expect

from meetup.models import EventVisibility, VenueType
from tests.browser.conftest import PASSWORD


def test_a_share_link_opened_signed_out_leads_to_the_gathering(
    live_server, new_page, shoot, make_user, make_group, make_event, add_member
):
    maria = make_user(name="Maria González")
    group = make_group(maria, name="Leith Mums' Night Out")
    event = make_event(group, title="Wine and crisps at Maria's",
                       venue_type=VenueType.HOME, address="12 Secret Wynd",
                       area="Leith", visibility=EventVisibility.MEMBERS)  # fmt: skip
    ana = make_user(name="Ana Silva")
    add_member(group, ana)

    page = new_page()
    page.goto(f"{live_server}/s/{event.share_code}")
    heading = page.get_by_role("heading", name="A gathering of Leith Mums' Night Out")
    expect(heading).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Wine and crisps" not in body and "Leith" in body  # the group's name only
    assert "Maria" not in body and "Secret Wynd" not in body
    preview = page.locator('meta[property="og:title"]').get_attribute("content")
    assert preview == "A gathering of Leith Mums' Night Out"
    shoot(page, "1-share-link-signed-out")

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_text("Sign in with a password instead").click()
    page.get_by_label("Email").fill(ana.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Wine and crisps at Maria's")
    ).to_be_visible()
    assert page.url == f"{live_server}/events/{event.id}"
    shoot(page, "2-landed-on-the-gathering")
    page.get_by_text("Copy a message for the group chat").click()
    message = page.get_by_label("Message for the group chat").input_value()
    assert message.endswith(f"/s/{event.share_code}") and "Secret Wynd" not in message
    page.get_by_label("Message for the group chat").scroll_into_view_if_needed()
    shoot(page, "3-message-for-the-chat")

    stranger = new_page()
    hidden = stranger.goto(f"{live_server}/events/{event.id}")
    missing = stranger.goto(f"{live_server}/events/999999")
    assert hidden.status == missing.status == 404
