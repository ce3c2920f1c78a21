"""Journeys: a stranger from a chat link is going within one form and one code;
next month a tap in the reminder answers; stolen cookies die at sign-out."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from meetup.extensions import db
from meetup.models import Rsvp, RsvpStatus, User, VenueType
from meetup.models.base import utcnow
from meetup.services import reminders
from tests import mailbox
from tests.browser.conftest import sign_in, type_mailed_code
from tests.conftest import PASSWORD

STREET = "14 Canaan Lane"


def signed_in(page, base: str) -> bool:
    page.goto(f"{base}/me/profile")
    return urlpath(page.url) == "/me/profile"


def urlpath(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0]


#: Members arrive on a phone; the desktop pages are the same ones.
ON_A_PHONE = pytest.mark.parametrize("viewport", ["phone"], indirect=True)


@ON_A_PHONE
def test_from_a_chat_link_to_going_then_a_tap_in_the_reminder(
    live_server, new_page, shoot, make_user, make_group, make_event
):
    group = make_group(make_user(name="Aisha"), name="Morningside Book Circle")
    event = make_event(group, title="Book night: Small Things",
                       venue_type=VenueType.HOME,
                       address=STREET, area="Morningside, Edinburgh",
                       capacity=8, max_guests=1, question="Any allergies?",
                       starts_at=utcnow() + timedelta(days=30))  # fmt: skip
    page = new_page()
    page.goto(f"{live_server}/events/{event.id}")
    expect(page.get_by_text(STREET)).to_have_count(0)
    shoot(page, "1-gathering-from-the-chat")
    page.get_by_label("Your first name").fill("Nora")
    page.get_by_label("Your email").fill("nora@example.org")
    page.get_by_label("Guests you'll bring").select_option("1")
    page.get_by_label("Any allergies?").fill("Walnuts")
    page.get_by_role("button", name="I'm going").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    shoot(page, "2-check-your-mail")
    type_mailed_code(page, "nora@example.org")
    expect(page.get_by_text("You're going! See you there.")).to_be_visible()
    expect(page.get_by_text("You're going with 1 guest.")).to_be_visible()
    expect(page.get_by_text(STREET).first).to_be_visible()  # she is going now
    shoot(page, "3-going")

    # Next month, the day before: the reminder. She can't come after all: one
    # tap, in whatever browser her mail app opens, with no session at all.
    nora = db.session.scalar(db.select(User).filter_by(email="nora@example.org"))
    assert reminders.send_reminders(event.starts_at - timedelta(hours=20)) == 1
    db.session.commit()
    [reminder] = mailbox.queued("nora@example.org", kind="reminder")
    cant = re.search(r"Can't make it: https?://[^/]+(/a/\S+)", mailbox.text(reminder))
    mail_app = new_page()
    mail_app.goto(live_server + cant.group(1))  # mail links name PUBLIC_URL
    expect(mail_app.get_by_text(STREET)).to_have_count(0)  # forwardable: no street
    shoot(mail_app, "4-one-tap-from-the-reminder")
    mail_app.get_by_role("button", name="Can't make it").click()
    expect(mail_app.get_by_text("Nora can't make it.", exact=True)).to_be_visible()
    db.session.expire_all()
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=nora.id))
    assert rsvp.status is RsvpStatus.DECLINED
    assert not signed_in(mail_app, live_server)


def steal(page):
    return page.context.cookies()


def replayed(browser, cookies, base: str, only: str | None = None) -> bool:
    context = browser.new_context()
    context.add_cookies([c for c in cookies if only is None or c["name"] == only])
    thief = context.new_page()
    try:
        return signed_in(thief, base)
    finally:
        context.close()


@ON_A_PHONE
@pytest.mark.parametrize(
    "how", ["sign out", "sign out everywhere", "password change"]
)  # fmt: skip
def test_stolen_cookies_stop_working(live_server, new_page, browser, make_user, how):
    ana = make_user(name="Ana")
    victim = new_page()
    sign_in(victim, live_server, ana)  # "keep me signed in" is on by default
    cookies = steal(victim)
    assert {"session", "remember_token"} <= {c["name"] for c in cookies}
    assert replayed(browser, cookies, live_server)
    assert replayed(browser, cookies, live_server, only="remember_token")
    if how == "sign out":
        victim.get_by_role("button", name="Sign out").first.click()
    elif how == "sign out everywhere":
        victim.goto(f"{live_server}/me/sessions")
        victim.get_by_role("button", name="Sign out everywhere").click()
    else:
        victim.goto(f"{live_server}/me/profile")
        victim.locator("#password-current_password").fill(PASSWORD)
        victim.locator("#password-new_password").fill("lamp river biscuit")
        victim.get_by_role("button", name="Save password").click()
        expect(victim.get_by_text("Your password is saved.")).to_be_visible()
    assert not replayed(browser, cookies, live_server)
    assert not replayed(browser, cookies, live_server, only="remember_token")
    assert not replayed(browser, cookies, live_server, only="session")
    if how == "password change":
        assert signed_in(victim, live_server)  # this device stays in
