"""Journey on a phone: an organiser sets a monthly book night; a member hosts
the first date at her flat; another member answers; the organiser skips the
next date. Four people, four phones."""

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Event, Series
from tests.browser.conftest import sign_in


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_monthly_book_night_with_a_host_rota(
    live_server, new_page, shoot, make_user, make_group, add_member
):
    olive = make_user(name="Olive")
    fiona, aisha = make_user(name="Fiona"), make_user(name="Aisha")
    group = make_group(olive, name="Book Circle", area="Stockbridge, Edinburgh")
    add_member(group, fiona)
    add_member(group, aisha)

    organiser = new_page()
    sign_in(organiser, live_server, olive)
    organiser.goto(f"{live_server}/groups/{group.slug}")
    organiser.get_by_role("link", name="A regular gathering").click()
    organiser.get_by_label("Name", exact=True).fill("Book night")
    organiser.get_by_label("Monthly, on a weekday").check()
    organiser.get_by_label("Which one").select_option("1")
    organiser.get_by_label("Weekday", exact=True).select_option("3")
    organiser.get_by_label("Starts at").fill("19:30")
    organiser.get_by_label("Places, including the host").fill("6")
    shoot(organiser, "plan")
    # Anyone may come: newcomers asking is test_approval_journey's story.
    organiser.get_by_label("Anyone in the group").check()
    organiser.get_by_role("button", name="Set the rhythm").click()
    expect(
        organiser.get_by_text("Every first Thursday of the month, 7:30 PM")
    ).to_be_visible()
    expect(organiser.get_by_text("Host needed")).to_have_count(3)
    shoot(organiser, "series")

    made = db.session.scalar(db.select(Series))
    first, second, _third = db.session.scalars(
        db.select(Event).filter_by(series_id=made.id).order_by(Event.slot_on)
    ).all()
    skipped = second.slot_on

    host = new_page()
    sign_in(host, live_server, fiona)
    host.goto(f"{live_server}/series/{made.id}/rota")
    shoot(host, "rota")
    host.get_by_role("button", name="I'll host this one").first.click()
    expect(host.get_by_role("heading", name="Where?")).to_be_visible()
    host.get_by_label("Street address").fill("7 Saxe Coburg Street, Edinburgh")
    host.get_by_label("Area shown to everyone").fill("Stockbridge, Edinburgh")
    host.get_by_label("Getting in").fill("Blue door, ring twice")
    shoot(host, "where")
    host.get_by_role("button", name="Open it for answers").click()
    expect(host.get_by_text("You're hosting this one.")).to_be_visible()
    expect(host.locator("#hosting")).to_contain_text("one of the 6 places")
    shoot(host, "hosting")

    guest = new_page()
    sign_in(guest, live_server, aisha)
    guest.goto(f"{live_server}/events/{first.id}")
    expect(guest.get_by_text("7 Saxe Coburg Street")).to_have_count(0)
    guest.get_by_role("button", name="I'm going").click()
    expect(guest.get_by_text("7 Saxe Coburg Street").first).to_be_visible()
    expect(guest.get_by_text("2 going")).to_be_visible()
    shoot(guest, "going")

    organiser.goto(f"{live_server}/series/{made.id}/rota")
    expect(organiser.get_by_text("Hosted by Fiona")).to_be_visible()
    organiser.once("dialog", lambda dialog: dialog.accept())
    organiser.get_by_role("button", name="Skip").nth(1).click()
    expect(organiser.get_by_text("Skipped.")).to_be_visible()
    shoot(organiser, "skipped")
    db.session.expire_all()
    rows = db.select(Event).filter_by(series_id=made.id).order_by(Event.slot_on)
    slots = [event.slot_on for event in db.session.scalars(rows)]
    assert skipped not in slots and len(slots) == 3
