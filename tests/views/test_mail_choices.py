"""Turning optional mail off: one click from the mail, or the profile page."""

from meetup.extensions import db
from meetup.models import HostNews, User
from meetup.services import account_mail
from tests.conftest import redirect_path


def test_one_click_unsubscribe_works_without_a_form(client, make_user):
    ana = make_user()
    link = account_mail.unsubscribe_link(ana, "reminders")
    path = link.removeprefix("http://127.0.0.1:5000")
    page = client.get(path)
    assert page.status_code == 200 and b"Stop reminders?" in page.data
    db.session.expire_all()
    assert db.session.get(User, ana.id).wants_reminders  # a GET changes nothing
    # What a mail app sends (RFC 8058): a bare POST, no session, no CSRF token.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert done.status_code == 200 and b"You won't get reminders" in done.data
    db.session.expire_all()
    user = db.session.get(User, ana.id)
    assert not user.wants_reminders and user.wants_announcements


def test_a_forged_unsubscribe_link_is_a_404(client):
    assert client.get("/unsubscribe/forged").status_code == 404
    assert client.post("/unsubscribe/forged", csrf=False).status_code == 404


def test_mail_choices_on_the_profile(client, login, make_user):
    ana = make_user()
    login(ana)
    page = client.get("/me/profile")
    assert b"Remind me the day before" in page.data
    response = client.post("/me/mail", data={"mail-wants_announcements": "y"})
    assert redirect_path(response) == "/me/profile"
    db.session.expire_all()
    user = db.session.get(User, ana.id)
    assert not user.wants_reminders and user.wants_announcements
    assert client.post("/me/mail", data={}, csrf=False).status_code == 400


def test_organisers_see_mail_that_could_not_be_delivered(
    client, login, make_user, make_group, add_member
):
    from datetime import UTC, datetime

    from meetup.services import outbox
    from meetup.services.mail import Letter, compose

    maria = make_user()
    group = make_group(maria, name="Knitters")
    member = make_user()
    add_member(group, member)
    now = datetime.now(UTC)
    letter = Letter(subject="You're in: Picnic", greeting="Hi", paragraphs=["x"])
    row = outbox.enqueue(
        compose("Bo", "bo@nowhere.example", letter, now), "promoted", now, group.id
    )
    row.status = outbox.MailStatus.FAILED
    row.last_error = "550 No such mailbox"
    db.session.commit()
    login(maria)
    page = client.get("/groups/knitters/members").get_data(as_text=True)
    assert "Mail that couldn't be delivered" in page
    assert "bo@nowhere.example" in page and "550 No such mailbox" in page
    client.post("/auth/logout")
    login(member)
    assert "bo@nowhere.example" not in client.get("/groups/knitters/members").text


def test_hosts_and_organisers_choose_how_they_hear_of_answers(
    client, login, make_user, make_group
):
    olga = make_user()
    make_group(olga, name="Knitters")
    login(olga)
    page = client.get("/me/profile").get_data(as_text=True)
    assert "When people answer at gatherings I host or organise" in page
    assert "Tell me each time" in page and "Once a day" in page
    response = client.post(
        "/me/mail", data={"mail-wants_reminders": "y", "mail-host_news": "daily"}
    )
    assert redirect_path(response) == "/me/profile"
    db.session.expire_all()
    user = db.session.get(User, olga.id)
    assert user.host_news is HostNews.DAILY and user.host_digest_at is not None
    assert user.wants_reminders and not user.wants_announcements
    # Junk is refused by the field, and nothing changes.
    junk = client.post(
        "/me/mail", data={"mail-host_news": "hourly", "mail-wants_announcements": "y"}
    )
    assert junk.status_code == 400
    assert "Not a valid choice" in junk.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, olga.id)
    assert user.host_news is HostNews.DAILY and not user.wants_announcements
    # Left out of the post (the field was not shown), or blank: left as it was.
    for blank in ({}, {"mail-host_news": " "}):
        assert client.post("/me/mail", data=blank).status_code < 500
        db.session.expire_all()
        assert db.session.get(User, olga.id).host_news is HostNews.DAILY


def test_members_who_host_nothing_are_not_asked(client, login, make_user):
    login(make_user())
    page = client.get("/me/profile").get_data(as_text=True)
    assert "Remind me the day before" in page
    assert "gatherings I host or organise" not in page


def test_host_news_stops_with_one_click(client, make_user):
    ana = make_user()
    path = account_mail.unsubscribe_link(ana, "host_news").removeprefix(
        "http://127.0.0.1:5000"
    )
    done = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert done.status_code == 200
    assert "news of answers at gatherings you host or organise" in done.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(User, ana.id).host_news is HostNews.NONE
