"""Journey: an organiser plans a gathering, presses Back and "Plan it" again."""

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Event, OutboxMail
from tests.browser.conftest import sign_in


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_back_and_plan_it_again_makes_one_gathering_and_one_mail(
    live_server, new_page, shoot, make_user, make_group, add_member
):
    maria = make_user(name="Maria Organiser")
    group = make_group(maria, name="Book Circle", area="Stockbridge, Edinburgh")
    add_member(group, make_user(name="Ana"))
    page = new_page()
    sign_in(page, live_server, maria)
    page.goto(f"{live_server}/groups/{group.slug}/events/new")
    page.get_by_label("What's happening").fill("Book night")
    page.get_by_label("Kind of place").select_option("park")
    page.get_by_label("Starts").fill("2031-06-12T19:30")
    page.get_by_label("Ends").fill("2031-06-12T22:00")
    page.get_by_role("button", name="Plan it").click()
    expect(page.get_by_role("heading", name="Book night")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("What's happening")).to_be_visible()
    if not page.get_by_label("What's happening").input_value():  # not restored
        page.get_by_label("What's happening").fill("Book night")
        page.get_by_label("Kind of place").select_option("park")
        page.get_by_label("Starts").fill("2031-06-12T19:30")
        page.get_by_label("Ends").fill("2031-06-12T22:00")
    page.get_by_role("button", name="Plan it").click()
    expect(page.get_by_role("heading", name="Book night")).to_be_visible()
    shoot(page, "after-plan-it-again")
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1
    sent = db.session.scalar(
        db.select(db.func.count())
        .select_from(OutboxMail)
        .filter_by(kind="announcement")
    )
    assert sent == 1
