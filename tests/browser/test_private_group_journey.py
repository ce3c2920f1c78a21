"""Journey: an organiser starts a private group, a member asks, is approved, gets in."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_up as register


def test_private_group_join_request_approved(live_server, new_page, shoot):
    maria = new_page()
    register(maria, live_server, "Maria González", "maria@example.org")
    maria.get_by_role("link", name="Start a group").first.click()
    maria.get_by_label("Group name").fill("Leith Mums' Night Out")
    maria.get_by_label("About the group").fill("Our **WhatsApp** group, in real life.")
    maria.get_by_label("Where you meet").fill("Leith, Edinburgh")
    maria.get_by_label("Private").check()
    shoot(maria, "1-create-form")
    maria.get_by_role("button", name="Create group").click()
    expect(maria.get_by_role("heading", name="Leith Mums' Night Out")).to_be_visible()
    expect(maria.get_by_text("Private group", exact=True)).to_be_visible()
    group_url = maria.url
    shoot(maria, "2-group-created")

    ana = new_page()
    register(ana, live_server, "Ana Silva", "ana@example.org")
    ana.goto(group_url)
    ana.get_by_label("A note for the organisers").fill("Sofia told me about it!")
    shoot(ana, "3-ask-to-join")
    ana.get_by_role("button", name="Ask to join").click()
    expect(ana.get_by_text("Your request is with the organisers")).to_be_visible()
    shoot(ana, "4-request-sent")

    maria.get_by_role("link", name="Members & requests").click()
    expect(maria.get_by_text("Sofia told me about it!")).to_be_visible()
    shoot(maria, "5-request-waiting")
    maria.get_by_role("button", name="Approve").click()
    expect(maria.get_by_text("Ana Silva is now a member.")).to_be_visible()
    shoot(maria, "6-approved")

    ana.reload()
    expect(ana.get_by_text("You're a member of this group.")).to_be_visible()
    ana.get_by_role("link", name="See who's in the group").click()
    expect(ana.get_by_text("Maria González", exact=True)).to_be_visible()
    shoot(ana, "7-member-sees-members")
