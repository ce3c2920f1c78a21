"""Journey on two phones: a going member claims dessert and sees it under
"Covered" with her name; one on the waitlist sees the list, no button."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetup.models import VenueType
from tests.browser.conftest import sign_in
from tests.scenes import answer

SHOTS = Path("/tmp/shots-bring")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_member_claims_dessert_and_sees_it_covered(
    live_server, new_page, shoot, make_user, make_group, add_member, make_event
):
    maria = make_user(name="Maria Host")
    group = make_group(maria, name="Book Circle", area="Leith, Edinburgh")
    event = make_event(
        group, host_id=maria.id, title="Book night", venue_type=VenueType.HOME,
        venue_name="Maria's flat", address="27 Quillfeather Row", area="Leith",
        capacity=2, bring_list="Main dish ×2\nSalad\nDessert ×2\nDrinks\nIce",
    )  # fmt: skip
    aisha, wren = make_user(name="Aisha Khan"), make_user(name="Wren Waits")
    for person in (aisha, wren):
        add_member(group, person)
        answer(event, person)  # Aisha takes the last place; Wren waits
    url = f"{live_server}/events/{event.id}"

    page = new_page()
    sign_in(page, live_server, aisha)
    page.goto(url)
    needed = page.locator("#still-needed")
    expect(needed).to_contain_text("Dessert")
    page.locator("#bring").scroll_into_view_if_needed()
    shot(page, "1-still-needed")
    shoot(page, "1-still-needed")
    row = needed.locator("li", has_text="Dessert")
    row.get_by_placeholder("A note (optional)").fill("Lemon tart")
    row.get_by_role("button", name="I'll bring it").click()
    expect(page.locator(".flash, [role=status], .notice").first).to_be_visible()
    covered = page.locator("#covered")
    expect(covered).to_contain_text("Dessert")
    expect(covered).to_contain_text("Aisha (Lemon tart)")
    expect(needed.locator("li", has_text="Dessert")).to_contain_text(
        "1 of 2 still needed"
    )
    expect(page.locator(".bring-mine")).to_contain_text("Dessert")
    page.locator("#bring").scroll_into_view_if_needed()
    shot(page, "2-covered")
    shoot(page, "2-covered")

    waiting = new_page()
    sign_in(waiting, live_server, wren)
    waiting.goto(url)
    expect(waiting.locator("#bring-why")).to_contain_text("waitlist")
    expect(waiting.locator("#still-needed")).to_contain_text("Salad")
    expect(waiting.get_by_role("button", name="I'll bring it")).to_have_count(0)
    waiting.locator("#bring").scroll_into_view_if_needed()
    shot(waiting, "3-waitlisted")
    shoot(waiting, "3-waitlisted")
