"""`/a/<token>`: one-tap answers from mail. GET changes nothing; POST answers for
the link's owner only, without a session or a CSRF token, and never signs
anyone in or shows them more than they may see themselves."""

import re
from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import OutboxMail, RsvpStatus, Visibility
from meetup.services import answer_links, attendees, events, reminders
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW, CSRFClient, redirect_path
from tests.scenes import answer, organiser_of
from tests.world import snapshot

LINK = re.compile(r"http://127\.0\.0\.1:5000(/a/[\w.-]+)")


def path_of(user, event, said: str) -> str:
    return answer_links.link(user, event, said).removeprefix("http://127.0.0.1:5000")


def mails_to(user, kind=None) -> list:
    return mailbox.queued(to=user.email, kind=kind)


@pytest.fixture
def ana(make_user, add_member, home_event):
    user = make_user(name="Ana")
    add_member(home_event.group, user)
    return user


@pytest.fixture
def stranger_client(app):
    """A browser that has never seen Hearth: a mail app's, or a forwardee's.
    Its POSTs carry no CSRF token (post(..., csrf=False)): the page has none."""
    app.test_client_class = CSRFClient
    return app.test_client()


def test_get_shows_whose_answer_and_one_button_and_changes_nothing(
    app, stranger_client, home_event, ana
):
    before = snapshot()
    page = stranger_client.get(path_of(ana, home_event, "going"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Answering for Ana" in html and "Book night" in html
    assert html.count('<form method="post">') == 1 and "I'm going" in html
    assert snapshot() == before
    assert attendees.rsvp_of(ana, home_event) is None


def test_post_answers_for_the_owner_without_a_session_or_csrf(
    app, stranger_client, home_event, ana
):
    path = path_of(ana, home_event, "going")
    reply = stranger_client.post(path, csrf=False)
    assert redirect_path(reply) == path
    assert attendees.rsvp_of(ana, home_event).status is RsvpStatus.GOING
    page = stranger_client.get(path).get_data(as_text=True)
    assert "Ana is going" in page
    # Answering signed nobody in: the next page is still a stranger's.
    assert redirect_path(stranger_client.get("/me/events")) == "/auth/login"
    assert HOME_ADDRESS not in page and "Ring the bell" not in page


def test_a_second_tap_changes_nothing_and_sends_no_second_mail(
    stranger_client, home_event, ana
):
    path = path_of(ana, home_event, "going")
    stranger_client.post(path, csrf=False)
    before = snapshot()
    reply = stranger_client.post(path, csrf=False, follow_redirects=True)
    assert "that was already the answer" in reply.get_data(as_text=True)
    assert snapshot() == before
    assert len(mails_to(ana, "rsvp-going")) == 1


def test_cant_make_it_frees_the_place(stranger_client, home_event, ana):
    answer(home_event, ana)
    path = path_of(ana, home_event, "declined")
    reply = stranger_client.post(path, csrf=False, follow_redirects=True)
    assert "the host knows Ana can" in reply.get_data(as_text=True)
    assert attendees.rsvp_of(ana, home_event).status is RsvpStatus.DECLINED


def test_going_when_full_waitlists_and_says_so(
    stranger_client, make_user, add_member, home_event, ana
):
    answer(home_event, ana, guests=1)  # both places
    ben = make_user(name="Ben")
    add_member(home_event.group, ben)
    path = path_of(ben, home_event, "going")
    reply = stranger_client.post(path, csrf=False, follow_redirects=True)
    html = reply.get_data(as_text=True)
    assert "Ben is on the waitlist" in html and "full" in html
    assert attendees.rsvp_of(ben, home_event).is_waitlisted


def test_a_refused_answer_is_a_clear_message_and_changes_nothing(
    stranger_client, home_event, ana
):
    events.cancel_event(organiser_of(home_event.group), home_event, "Ill", NOW)
    db.session.commit()
    path = path_of(ana, home_event, "going")
    page = stranger_client.get(path)
    assert page.status_code == 200
    assert '<form method="post">' not in page.get_data(as_text=True)
    before = snapshot()
    reply = stranger_client.post(path, csrf=False)
    assert redirect_path(reply) == path
    shown = stranger_client.get(path).get_data(as_text=True)
    assert "This gathering was cancelled." in shown
    assert snapshot() == before


def test_a_non_member_of_a_private_group_is_refused_with_a_message(
    stranger_client, make_user, make_group, make_event, add_member
):
    group = make_group(name="Quiet Readers", visibility=Visibility.PRIVATE)
    event = make_event(group, title="Secret supper")
    ana = make_user(name="Ana")
    membership = add_member(group, ana)
    path = path_of(ana, event, "going")
    db.session.delete(membership)  # she has left since the mail
    db.session.commit()
    reply = stranger_client.post(path, csrf=False, follow_redirects=True)
    assert reply.status_code == 200
    assert "No such gathering." in reply.get_data(as_text=True)
    assert attendees.rsvp_of(ana, event) is None


def test_an_ended_gathering_answers_410(stranger_client, home_event, ana, db):
    path = path_of(ana, home_event, "going")
    home_event.starts_at = NOW - timedelta(hours=4)
    home_event.ends_at = NOW - timedelta(hours=1)
    db.session.commit()
    for reply in (stranger_client.get(path), stranger_client.post(path, csrf=False)):
        assert reply.status_code == 410
        assert "This gathering is over" in reply.get_data(as_text=True)
    assert attendees.rsvp_of(ana, home_event) is None


def test_a_forged_or_deleted_link_answers_404(stranger_client, home_event, ana, db):
    path = path_of(ana, home_event, "going")
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    for bad in (forged, "/a/nonsense", "/a/" + "x" * 300):
        assert stranger_client.get(bad).status_code == 404
        assert stranger_client.post(bad, csrf=False).status_code == 404
    db.session.delete(home_event)
    db.session.commit()
    assert stranger_client.get(path).status_code == 404
    assert stranger_client.post(path, csrf=False).status_code == 404


def test_the_page_shows_the_gathering_as_the_viewer_may_see_it(
    client, login, stranger_client, home_event, ana
):
    answer(home_event, ana)  # Ana is going: she may see the street
    path = path_of(ana, home_event, "going")
    forwarded = stranger_client.get(path).get_data(as_text=True)
    assert HOME_ADDRESS not in forwarded and "Ring the bell" not in forwarded
    assert "Leith, Edinburgh" in forwarded  # the area, as on the public page
    login(ana)
    own = client.get(path).get_data(as_text=True)
    assert HOME_ADDRESS in own  # the hunt above looked in the right place


def test_a_members_only_gathering_shows_a_stranger_no_details(
    client, login, make_user, make_group, make_event, add_member
):
    group = make_group(name="Quiet Readers", visibility=Visibility.PRIVATE)
    event = make_event(group, title="Secret supper")
    ana = make_user(name="Ana")
    add_member(group, ana)
    login(make_user(name="Jo"))
    html = client.get(path_of(ana, event, "going")).get_data(as_text=True)
    assert "Answering for Ana" in html and "Quiet Readers" in html
    assert "Secret supper" not in html
    assert "signed in as Jo" in html  # told it answers for Ana, not for her


def test_a_link_answers_for_its_owner_even_when_someone_else_taps_it(
    client, login, make_user, add_member, home_event, ana
):
    jo = make_user(name="Jo")
    add_member(home_event.group, jo)
    login(jo)
    client.post(path_of(ana, home_event, "going"), csrf=False)
    assert attendees.rsvp_of(ana, home_event).is_going
    assert attendees.rsvp_of(jo, home_event) is None


def test_the_three_mails_carry_links_that_answer_for_their_recipient_only(
    app, stranger_client, make_user, make_group, make_event, add_member
):
    group = make_group(name="Book Circle")
    ana, ben = make_user(name="Ana"), make_user(name="Ben")
    add_member(group, ana)
    add_member(group, ben)
    event = make_event(group, title="Supper", capacity=1, max_guests=0)
    announced = {u.display_name: mails_to(u, "announcement") for u in (ana, ben)}
    answer(event, ana, now=NOW - timedelta(days=1))
    answer(event, ben, now=NOW - timedelta(days=1))  # waitlisted
    reminders.send_reminders(event.starts_at - timedelta(hours=20))
    reminded = mails_to(ana, "reminder")
    answer(event, ana, going=False)  # Ben is promoted
    promoted = mails_to(ben, "promoted")
    letters = {
        "announcement to Ana": (announced["Ana"], ana),
        "announcement to Ben": (announced["Ben"], ben),
        "reminder to Ana": (reminded, ana),
        "promotion to Ben": (promoted, ben),
    }
    for what, (messages, owner) in letters.items():
        assert len(messages) == 1, what
        text, html = mailbox.text(messages[0]), mailbox.html(messages[0])
        links = LINK.findall(text)
        assert len(links) == 2 and set(links) == set(LINK.findall(html)), what
        assert "I'm going:" in text and "Can't make it:" in text, what
        for path in links:
            link = answer_links.read(path.removeprefix("/a/"))
            assert (link.user, link.event) == (owner, event), what
    # Tapping Ben's "Can't make it" from his promotion mail answers for Ben alone.
    no = next(p for p in LINK.findall(mailbox.text(promoted[0]))
              if not answer_links.read(p.removeprefix("/a/")).going)  # fmt: skip
    stranger_client.post(no, csrf=False)
    assert attendees.rsvp_of(ben, event).status is RsvpStatus.DECLINED
    assert attendees.rsvp_of(ana, event).status is RsvpStatus.DECLINED
    assert db.session.scalar(db.select(OutboxMail).filter_by(kind="not-going",
                             recipient=ben.email)) is not None  # fmt: skip
