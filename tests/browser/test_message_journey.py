"""Journey on two phones: the host writes to everyone going ("park on the next
street"), and a going member opens the gathering and reads it under "From the
host"; a message that names a new time asks first."""

import pytest
from playwright.sync_api import expect

from meetup.models import VenueType
from tests import mailbox
from tests.browser.conftest import sign_in
from tests.scenes import answer

STREET = "27 Quillfeather Row"
WORDS = "Park on the next street, ours is dug up.\nBring your book!"


@pytest.fixture
def book_night(make_user, make_group, add_member, make_event):
    aisha = make_user(name="Aisha Khan")
    group = make_group(aisha, name="Leith Book Circle", area="Leith, Edinburgh")
    event = make_event(
        group, host_id=aisha.id, title="Book night", venue_type=VenueType.HOME,
        venue_name="Aisha's flat", address=STREET, area="Leith, Edinburgh",
        capacity=8,
    )  # fmt: skip
    people = []
    for name in ("Gina Going", "Omar", "Lena"):
        person = add_member(group, make_user(name=name)).user
        answer(event, person)
        people.append(person)
    return aisha, event, people


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_host_writes_to_everyone_going_and_a_member_reads_it(
    live_server, new_page, shoot, book_night
):
    aisha, event, (gina, *_others) = book_night
    url = f"{live_server}/events/{event.id}"

    host = new_page()
    sign_in(host, live_server, aisha)
    host.goto(url)
    write = host.get_by_role("link", name="Write to the people coming")
    write.scroll_into_view_if_needed()
    shoot(host, "1-host-tools")
    write.click()
    expect(host.get_by_label("Going (3)")).to_be_checked()
    expect(host.get_by_label("Waitlisted (0)")).not_to_be_checked()
    host.get_by_label("Your message").fill("We start at 19:30 now")
    host.get_by_role("button", name="Send", exact=True).click()
    expect(host.locator("#looks-like-a-move")).to_contain_text(
        "Messages don't move calendars."
    )
    expect(host.get_by_role("link", name="Edit the gathering")).to_be_visible()
    shoot(host, "2-asks-first")
    host.get_by_label("Your message").fill(WORDS)
    expect(host.locator("#body-count")).to_contain_text(
        f"Characters left: {1000 - len(WORDS)}"
    )
    host.get_by_label("Let them reply to my address").check()
    shoot(host, "3-written")
    host.get_by_role("button", name="Send", exact=True).click()
    expect(host.locator(".flash, [role=status], .flashes").first).to_contain_text(
        "Sent to 3 people."
    )
    expect(host.locator("#from-host")).to_contain_text("to going · 3 people")
    shoot(host, "4-sent")

    member = new_page()
    sign_in(member, live_server, gina)
    member.goto(url)
    section = member.locator("#from-host")
    section.scroll_into_view_if_needed()
    expect(section).to_contain_text("From the host")
    expect(section).to_contain_text("Aisha · 1 minute ago")
    expect(section.locator(".host-message-body")).to_have_text(WORDS)
    assert "to going ·" not in section.inner_text()
    shoot(member, "5-member-reads")

    [mail] = mailbox.queued(gina.email, kind="host-message")
    assert mail["Subject"] == "Aisha about Book night"
    assert mail["Reply-To"].addresses[0].addr_spec == aisha.email
    assert STREET in mailbox.text(mail)  # she is going: the street is hers
