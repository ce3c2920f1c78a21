"""Blocking and reports through the pages: the buttons, the refusals and the forms."""

from meetup.extensions import db
from meetup.models import Report, VenueType
from meetup.services import blocking, memberships
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW, redirect_path
from tests.scenes import organiser_of

CLOSED = "have closed it to you"


def test_an_organiser_removes_and_blocks_then_unblocks(
    client, login, make_user, make_group, add_member
):
    maria, ana = make_user(name="Maria"), make_user(name="Ana")
    group = make_group(maria, name="Supper Club")
    target = add_member(group, ana)
    login(maria)
    page = client.get(f"/groups/{group.slug}/members").get_data(as_text=True)
    assert "Remove and block" in page
    reply = client.post(f"/groups/{group.slug}/members/{target.id}/block")
    assert redirect_path(reply) == f"/groups/{group.slug}/members"
    assert memberships.is_blocked(ana, group)
    page = client.get(f"/groups/{group.slug}/members").get_data(as_text=True)
    assert "is removed and blocked" in page and "Unblock" in page
    [made] = blocking.blocked(group)
    client.post(f"/groups/{group.slug}/members/{made.id}/unblock")
    assert not memberships.is_blocked(ana, group)


def test_the_blocked_are_told_the_same_at_every_door(
    client, login, make_user, make_group, add_member, make_event
):
    maria, ana = make_user(), make_user()
    group = make_group(maria, name="Supper Club")
    event = make_event(group)
    blocking.block(organiser_of(group), ana, group, NOW)
    db.session.commit()
    login(ana)
    slug = group.slug
    assert CLOSED in client.get(f"/groups/{slug}").get_data(as_text=True)
    invite = f"/groups/{slug}/invite/{group.invite_token}"
    assert CLOSED in client.get(invite).get_data(as_text=True)
    rsvp = f"/events/{event.id}/rsvp"
    for url, data in ((f"/groups/{slug}/join", {}), (invite, {}),
                      (rsvp, {"response": "going"}),
                      (rsvp, {"response": "declined"})):  # fmt: skip
        reply = client.post(url, data=data)
        assert 300 <= reply.status_code < 400, url
        assert CLOSED in client.get(reply.headers["Location"]).get_data(as_text=True)
    assert memberships.membership_of(ana, group) is None


def test_a_member_reports_a_gathering_and_an_organiser_deals_with_it(
    client, login, make_user, make_group, add_member, make_event
):
    maria, ana = make_user(name="Maria"), make_user(name="Ana")
    group = make_group(maria, name="Supper Club")
    add_member(group, ana)
    event = make_event(group, venue_type=VenueType.HOME, address=HOME_ADDRESS,
                       area="Leith")  # fmt: skip
    login(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/report" in page
    empty = client.post(f"/events/{event.id}/report", data={"text": "  "})
    assert empty.status_code == 200 and "Say what happened" in empty.get_data(True)
    reply = client.post(f"/events/{event.id}/report", data={"text": "Too loud."})
    assert redirect_path(reply) == f"/events/{event.id}"
    [mail] = mailbox.queued(maria.email, kind="report")
    assert "Too loud." in mailbox.text(mail)
    assert HOME_ADDRESS not in mailbox.text(mail)
    client.post("/auth/logout")
    login(maria)
    page = client.get(f"/groups/{group.slug}/members").get_data(as_text=True)
    assert "Too loud." in page and "Dealt with" in page
    report = db.session.scalar(db.select(Report))
    client.post(f"/groups/{group.slug}/reports/{report.id}/close")
    page = client.get(f"/groups/{group.slug}/members").get_data(as_text=True)
    assert "Too loud." not in page


def test_a_member_reports_a_person_from_her_row(
    client, login, make_user, make_group, add_member
):
    maria, ana, bea = make_user(), make_user(), make_user(name="Bea")
    group = make_group(maria)
    add_member(group, ana)
    row = add_member(group, bea)
    login(ana)
    page = client.get(f"/groups/{group.slug}/members").get_data(as_text=True)
    url = f"/groups/{group.slug}/members/{row.id}/report"
    assert url in page
    reply = client.post(url, data={"text": "x" * 1001})
    assert reply.status_code == 200 and "x" * 1001 in reply.get_data(as_text=True)
    client.post(url, data={"text": "Asked for my address."})
    report = db.session.scalar(db.select(Report))
    assert (report.person_id, report.text) == (bea.id, "Asked for my address.")
