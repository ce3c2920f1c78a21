"""Journey on two phones: a newcomer asks to come to Maria's home, Maria says yes
from hers, and only then does the newcomer read the street; and a kind no."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Admission, Rsvp, RsvpStatus, VenueType
from tests import mailbox
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.conftest import NOW
from tests.scenes import answer

STREET = "27 Quillfeather Row"


@pytest.fixture
def supper(make_user, make_group, make_event):
    """Maria's supper at home, in a public group: she approves newcomers."""
    maria = make_user(name="Maria")
    group = make_group(maria, name="Leith Suppers", area="Leith, Edinburgh")
    event = make_event(
        group,
        host_id=maria.id,
        title="Soup at Maria's",
        venue_type=VenueType.HOME,
        venue_name="Maria's flat",
        address=STREET,
        area="Leith, Edinburgh",
        access_notes="Buzz flat 3, second floor",
        capacity=6,
        max_guests=1,
        question="Anything you can't eat?",
        admission=Admission.NEWCOMERS,
    )
    return maria, group, event


def ask_to_come(page, url: str, shoot) -> None:
    """A newcomer, on her phone, asks with a guest and an answer."""
    page.goto(url)
    expect(page.locator("#asks-first")).to_contain_text(
        "The host says yes to newcomers herself"
    )
    page.get_by_label("Guests you'll bring").select_option("1")
    page.get_by_label("Anything you can't eat?").fill("No mushrooms, please")
    page.locator("#rsvp").scroll_into_view_if_needed()
    shoot(page, "1-ask")
    page.get_by_role("button", name="Ask to come").click()
    expect(page.locator("#asked")).to_contain_text("Waiting for Maria to say yes")
    expect(page.locator("#asked")).to_contain_text("You asked to come with 1 guest.")
    assert STREET not in page.content()
    assert "Buzz flat 3" not in page.content()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_newcomer_asks_and_reads_the_street_once_the_host_says_yes(
    live_server, new_page, shoot, supper, make_user, add_member, make_event
):
    maria, group, event = supper
    url = f"{live_server}/events/{event.id}"
    ines = make_user(name="Ines Newcomer")
    add_member(group, ines)
    # Said yes to last month's picnic and didn't come: still a newcomer.
    picnic = make_event(group, now=NOW - timedelta(days=30), title="Picnic")
    answer(picnic, ines, now=NOW - timedelta(days=30)).did_not_come = True
    db.session.commit()

    ines_page = new_page()
    sign_in(ines_page, live_server, ines)
    ask_to_come(ines_page, url, shoot)
    shoot(ines_page, "2-waiting")

    host = new_page()
    sign_in(host, live_server, maria)
    host.goto(url)
    waiting = host.get_by_role("link", name="Waiting for you (1)")
    waiting.scroll_into_view_if_needed()
    shoot(host, "3-host-tools")
    waiting.click()
    request = host.locator("#waiting li.row")
    expect(request).to_have_count(1)
    expect(request).to_contain_text("Ines Newcomer")
    expect(request).to_contain_text("+1")
    expect(request).to_contain_text("No mushrooms, please")
    expect(request).to_contain_text("member since")
    expect(request).to_contain_text("came 0 times · 1 didn't come")
    shoot(host, "4-request")
    request.locator("summary").click()  # the no, opened and left: to look at
    expect(request.get_by_label("A kind word (optional)")).to_be_visible()
    shoot(host, "5-request-no-open")
    request.get_by_role("button", name="Say yes").click()
    expect(host.locator("#waiting")).to_have_count(0)
    expect(host.get_by_role("heading", name="Going (2)")).to_be_visible()
    shoot(host, "6-said-yes")

    ines_page.reload()
    expect(ines_page.get_by_text("You're going with 1 guest.")).to_be_visible()
    expect(ines_page.get_by_text(STREET).first).to_be_visible()
    ines_page.locator("#rsvp").scroll_into_view_if_needed()
    shoot(ines_page, "7-going")
    (mail,) = mailbox.queued(ines.email, kind="rsvp-approved")
    assert STREET in mailbox.text(mail)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_kind_no_closes_the_request_and_leaves_nothing_to_answer(
    live_server, new_page, shoot, supper, make_user, add_member
):
    maria, group, event = supper
    url = f"{live_server}/events/{event.id}"
    ines = make_user(name="Ines Newcomer")
    add_member(group, ines)
    ines_page = new_page()
    sign_in(ines_page, live_server, ines)
    ask_to_come(ines_page, url, shoot)

    host = new_page()
    sign_in(host, live_server, maria)
    host.goto(f"{live_server}/events/{event.id}/attendees#waiting")
    request = host.locator("#waiting li.row")
    request.locator("summary").click()
    request.get_by_label("A kind word (optional)").fill(
        "My flat is tiny: come to the picnic in May!"
    )
    shoot(host, "2-kind-word")
    request.get_by_role("button", name="Send the no").click()
    expect(host.locator("#waiting")).to_have_count(0)

    ines_page.reload()
    expect(ines_page.locator("#refused")).to_contain_text("this time the host said no")
    expect(ines_page.locator("#rsvp-heading")).to_have_text("Your answer")
    rsvp = ines_page.locator("#rsvp-answer")
    expect(rsvp.get_by_role("button")).to_have_count(0)
    assert STREET not in ines_page.content()
    rsvp.scroll_into_view_if_needed()
    shoot(ines_page, "3-said-no")
    (mail,) = mailbox.queued(ines.email, kind="rsvp-declined-by-host")
    assert "My flat is tiny" in mailbox.text(mail)
    db.session.expire_all()
    assert db.session.scalar(db.select(Rsvp).filter_by(user_id=ines.id)).status is (
        RsvpStatus.DECLINED
    )


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_planning_form_suggests_approving_newcomers_in_a_public_group(
    live_server, new_page, shoot, make_user, make_group
):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Leith Suppers", area="Leith, Edinburgh")
    page = new_page()
    sign_in(page, live_server, maria)
    page.goto(f"{live_server}/groups/{group.slug}/events/new")
    expect(page.get_by_label("I'll approve newcomers")).to_be_checked()
    expect(
        page.get_by_label("Share the street only the day before")
    ).not_to_be_checked()
    who = page.get_by_role("group", name="Who", exact=True)
    who.scroll_into_view_if_needed()
    expect(who).to_be_visible()
    shoot(page, "form")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # and the new fields, close up
    who.screenshot(path=SCREENSHOTS / "the_planning_form_who-phone.png")
    # A church supper: anyone may come, unless she chooses otherwise.
    page.get_by_label("Kind of place").select_option("church")
    expect(page.get_by_label("Anyone in the group")).to_be_checked()
    page.get_by_label("Kind of place").select_option("home")
    expect(page.get_by_label("I'll approve newcomers")).to_be_checked()
    page.get_by_label("I'll approve each person").check()
    page.get_by_label("Kind of place").select_option("park")
    expect(page.get_by_label("I'll approve each person")).to_be_checked()
