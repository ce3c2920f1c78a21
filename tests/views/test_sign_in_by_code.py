"""Signing in by a code or link sent by mail, device sessions that sign-out
ends, and answering a gathering without an account."""

import re
from datetime import timedelta

import pytest

from meetup.models import Device, JoinRequest, MailCode, Rsvp, RsvpStatus, User
from meetup.models.base import utcnow
from meetup.services import mail_codes
from tests import mailbox
from tests.conftest import PASSWORD, form_errors, redirect_path
from tests.scenes import mail_code


def ask_for_code(client, email="ana@example.org", **extra):
    reply = client.post("/auth/code", data={"email": email, **extra})
    assert redirect_path(reply) == "/auth/code/check"
    return mail_code(email.lower())


def signed_in(client) -> bool:
    return client.get("/me/profile").status_code == 200


def test_a_code_signs_in_where_it_was_asked_for(client, make_user):
    make_user(email="ana@example.org")
    code, _link = ask_for_code(client)
    reply = client.post("/auth/code/check", data={"code": f"{code[:3]} {code[3:]}"})
    assert redirect_path(reply) == "/"
    assert signed_in(client)


def test_the_code_does_not_work_in_another_browser(client, make_user):
    make_user(email="ana@example.org")
    code, _link = ask_for_code(client)
    other = client.application.test_client()
    reply = other.post("/auth/code/check", data={"code": code})
    assert redirect_path(reply) == "/auth/code"
    assert not signed_in(other)


def test_the_link_works_in_any_browser_but_only_on_post(client, make_user, db):
    make_user(email="ana@example.org")
    _code, link = ask_for_code(client)
    scanner = client.application.test_client()
    page = scanner.get(link)
    assert page.status_code == 200 and "Sign me in" in page.get_data(True)
    assert db.session.scalar(db.select(MailCode)).used_at is None  # GET changed nothing
    assert not signed_in(scanner)
    other = client.application.test_client()
    other.get(link)
    assert redirect_path(other.post(link)) == "/"
    assert signed_in(other)


def test_codes_and_links_work_once(client, make_user):
    make_user(email="ana@example.org")
    code, link = ask_for_code(client)
    client.post("/auth/code/check", data={"code": code})
    client.post("/auth/logout")
    again = client.application.test_client()
    assert redirect_path(again.post(link)) == "/auth/code"
    assert not signed_in(again)


def test_five_wrong_codes_kill_it(client, make_user):
    make_user(email="ana@example.org")
    code, _link = ask_for_code(client)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    errors = []
    for _ in range(5):
        reply = client.post("/auth/code/check", data={"code": wrong})
        errors.append(reply.get_data(True))
    assert "1 more time" in errors[3]
    reply = client.post("/auth/code/check", data={"code": code})
    assert redirect_path(reply) == "/auth/code"
    assert not signed_in(client)


def test_a_code_expires_after_15_minutes(client, make_user, db):
    make_user(email="ana@example.org")
    code, link = ask_for_code(client)
    row = db.session.scalar(db.select(MailCode))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert redirect_path(client.post("/auth/code/check", data={"code": code})) == (
        "/auth/code"
    )
    assert redirect_path(client.post(link)) == "/auth/code"
    assert not signed_in(client)


def normalised(html: str, *secrets: str) -> str:
    """A page with what differs by design (the address typed, the form's
    CSRF token) blanked out."""
    html = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)
    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    for secret in secrets:
        html = html.replace(secret, "ADDRESS")
    return html


@pytest.mark.parametrize(
    "path, extra",
    [("/auth/code", {}), ("/auth/register", {"display_name": "Ana"}),
     ("/auth/reset", {})],
)  # fmt: skip
def test_known_and_unknown_addresses_get_byte_identical_answers(
    client, make_user, path, extra
):
    make_user(email="known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        browser = client.application.test_client()
        reply = browser.post(path, data={"email": email, **extra})
        page = browser.get(reply.headers["Location"]).get_data(True)
        answers.append(
            (reply.status_code, reply.headers["Location"], normalised(page, email))
        )
    assert answers[0] == answers[1]
    known, unknown = mailbox.queued(kind="mail-code")
    assert normalised(mailbox.text(known), "known@example.org") != ""
    assert re.sub(r"\d{6}|/auth/code/\S+", "", mailbox.text(known)) == re.sub(
        r"\d{6}|/auth/code/\S+", "", mailbox.text(unknown)
    )


def test_an_old_unverified_account_gets_only_what_it_asks_for(
    client, make_user, make_event, db
):
    from tests.scenes import answer

    ana = make_user(email="ana@example.org", verified=False)
    event = make_event()
    answer(event, ana)
    db.session.commit()
    assert mailbox.queued("ana@example.org") == []  # no invitation
    code, _link = ask_for_code(client)
    client.post("/auth/code/check", data={"code": code})
    assert db.session.get(User, ana.id).is_verified


# Sessions that end ------------------------------------------------------------


def cookies_of(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def replay(client, cookies: dict[str, str], only: str | None = None):
    thief = client.application.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            thief.set_cookie(name, value)
    return thief


def test_a_copied_session_cookie_stops_working_at_sign_out(client, make_user, login):
    login(make_user())
    stolen = cookies_of(client)
    assert signed_in(replay(client, stolen, only="session"))
    client.post("/auth/logout")
    assert not signed_in(replay(client, stolen, only="session"))


def test_a_copied_remember_cookie_stops_working_at_sign_out(client, make_user, login):
    login(make_user(), remember="y")
    stolen = cookies_of(client)
    assert "remember_token" in stolen
    assert signed_in(replay(client, stolen, only="remember_token"))
    client.post("/auth/logout")
    assert not signed_in(replay(client, stolen, only="remember_token"))


def test_sign_out_everywhere_ends_every_device(client, make_user, login, db):
    user = make_user()
    login(user)
    phone = client.application.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    stolen = cookies_of(phone)
    assert client.get("/me/sessions").get_data(True).count('class="device"') == 2
    client.post("/me/sessions/end-all")
    assert not signed_in(client) and not signed_in(phone)
    assert not signed_in(replay(client, stolen))
    assert db.session.scalar(db.select(db.func.count()).select_from(Device)) == 0


def test_one_device_can_be_signed_out_from_another(client, make_user, login, db):
    user = make_user()
    login(user)
    phone = client.application.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    mine = db.session.scalars(db.select(Device).order_by(Device.id)).all()
    client.post(f"/me/sessions/{mine[1].id}/end")
    assert signed_in(client) and not signed_in(phone)


def test_another_persons_device_answers_like_a_missing_one(
    client, make_user, login, db
):
    bea = make_user()
    other = client.application.test_client()
    other.post("/auth/login", data={"email": bea.email, "password": PASSWORD})
    login(make_user())
    beas = db.session.scalar(db.select(Device).filter_by(user_id=bea.id))
    client.get("/")  # the welcome is said
    missing = client.post("/me/sessions/999999/end")
    theirs = client.post(f"/me/sessions/{beas.id}/end")
    assert missing.status_code == theirs.status_code == 404
    assert normalised(missing.get_data(True)) == normalised(theirs.get_data(True))
    assert signed_in(other)


@pytest.mark.parametrize("change", ["password", "email"])
def test_a_new_password_or_email_ends_the_other_devices(
    client, make_user, login, change
):
    user = make_user()
    login(user)
    phone = client.application.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    if change == "password":
        client.post("/me/password", data={
            "password-current_password": PASSWORD,
            "password-new_password": "lamp river biscuit",
        })  # fmt: skip
    else:
        client.post("/me/profile", data={
            "profile-display_name": "Ana", "profile-email": "new@example.org",
            "profile-current_password": PASSWORD,
        })  # fmt: skip
        assert signed_in(phone)  # nothing changes until the new address is proven
        code, _link = mail_code("new@example.org")
        client.post("/me/email", data={"code": code})
    assert signed_in(client) and not signed_in(phone)


def test_sign_in_gives_a_new_session_id_and_keeps_me_signed_in_by_default(
    client, make_user, db
):
    make_user(email="ana@example.org")
    page = client.get("/auth/code").get_data(True)
    assert re.search(r'<input checked id="remember"', page)  # on unless unticked
    code, _link = ask_for_code(client, remember="y")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    reply = client.post("/auth/code/check", data={"code": code})
    with client.session_transaction() as session:
        assert "planted" not in session
    cookie = next(
        c for c in reply.headers.getlist("Set-Cookie") if "remember_token" in c
    )
    assert "HttpOnly" in cookie and "Expires=" in cookie
    device = db.session.scalar(db.select(Device))
    assert device.remember


def test_a_new_email_is_hers_only_once_the_code_sent_there_is_used(
    client, make_user, login, db
):
    """No one can park an address they don't own on their account (to be
    handed its owner's sign-up later), nor learn whether another account has
    one: a taken address gets the same answer, and only its owner the code."""
    make_user(email="taken@example.org")
    ana = make_user(email="ana@example.org")
    login(ana)
    answers = []
    for email in ("Taken@example.org", "free@example.org"):
        reply = client.post("/me/profile", data={
            "profile-display_name": "Ana", "profile-email": email,
            "profile-current_password": PASSWORD,
        })  # fmt: skip
        answers.append(redirect_path(reply))
    assert answers == ["/me/email", "/me/email"]
    assert db.session.get(User, ana.id).email == "ana@example.org"
    code, _link = mail_code("free@example.org")
    assert "Another account" not in client.post(
        "/me/email", data={"code": f"{(int(code) + 1) % 10**6:06d}"}
    ).get_data(True)
    assert redirect_path(client.post("/me/email", data={"code": code})) == "/me/profile"
    ana = db.session.get(User, ana.id)
    assert (ana.email, ana.is_verified) == ("free@example.org", True)


def test_a_taken_address_is_told_only_to_whoever_reads_its_mail(
    client, make_user, login, db
):
    make_user(email="taken@example.org")
    ana = make_user(email="ana@example.org")
    login(ana)
    client.post("/me/profile", data={
        "profile-display_name": "Ana", "profile-email": "taken@example.org",
        "profile-current_password": PASSWORD,
    })  # fmt: skip
    code, _link = mail_code("taken@example.org")
    reply = client.post("/me/email", data={"code": code})
    assert "Another account uses this email." in form_errors(reply.get_data(True))
    assert db.session.get(User, ana.id).email == "ana@example.org"


def test_the_profile_lists_devices_by_browser(client, make_user, db):
    user = make_user()
    phone = client.application.test_client()
    phone.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                 "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 "
                 "Safari/604.1"},
    )  # fmt: skip
    page = phone.get("/me/sessions").get_data(True)
    assert "Safari on iPhone" in page and "This device" in page


def test_a_password_can_be_removed_then_only_codes_sign_in(client, make_user, login):
    user = make_user()
    login(user)
    reply = client.post(
        "/me/password/remove", data={"remove-current_password": PASSWORD}
    )
    assert redirect_path(reply) == "/me/profile"
    client.post("/auth/logout")
    reply = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert "That email and password do not match." in form_errors(reply.get_data(True))


# Answering without an account -----------------------------------------------


def test_a_stranger_is_going_after_one_form_and_one_code(client, make_event, db):
    event = make_event(max_guests=2, question="Any allergies?")
    page = client.get(f"/events/{event.id}").get_data(True)
    assert 'name="email"' in page and "I'm going" in page
    reply = client.post(f"/events/{event.id}/rsvp", data={
        "response": "going", "display_name": "Nora", "email": "Nora@Example.org",
        "guests": "1", "answer": "Nuts",
    })  # fmt: skip
    assert redirect_path(reply) == "/auth/code/check"
    assert db.session.scalar(db.select(Rsvp)) is None  # no seat before the code
    code, _link = mail_code("nora@example.org")
    reply = client.post("/auth/code/check", data={"code": code})
    assert redirect_path(reply) == f"/events/{event.id}"
    rsvp = db.session.scalar(db.select(Rsvp))
    assert (rsvp.status, rsvp.guests, rsvp.answer, rsvp.user.display_name) == (
        RsvpStatus.GOING,
        1,
        "Nuts",
        "Nora",
    )
    assert "You're going" in client.get(f"/events/{event.id}").get_data(True)


def test_a_stranger_on_a_full_gathering_is_waitlisted(
    client, make_event, make_user, db
):
    from tests.scenes import answer

    event = make_event(capacity=1)
    answer(event, make_user())
    db.session.commit()
    client.post(f"/events/{event.id}/rsvp", data={
        "response": "going", "display_name": "Nora", "email": "nora@example.org",
    })  # fmt: skip
    code, _link = mail_code("nora@example.org")
    client.post("/auth/code/check", data={"code": code})
    nora = db.session.scalar(db.select(User).filter_by(email="nora@example.org"))
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=nora.id))
    assert rsvp.status is RsvpStatus.WAITLISTED


def test_a_strangers_bad_answer_keeps_what_she_typed(client, make_event):
    event = make_event()
    reply = client.post(f"/events/{event.id}/rsvp", data={
        "response": "going", "display_name": "Nora", "email": "nora@",
    })  # fmt: skip
    assert reply.status_code == 400
    page = reply.get_data(True)
    assert 'value="Nora"' in page
    assert "Enter an email address like name@example.com." in form_errors(page)
    assert mailbox.queued() == []


def test_asking_to_join_a_private_group_and_come(make_user, make_group, make_event, db):
    """The answer rides on the join request and is placed at the organiser's yes."""
    from meetup.models import Visibility
    from meetup.services import groups
    from tests.conftest import NOW
    from tests.scenes import organiser_of

    group = make_group(visibility=Visibility.PRIVATE)
    event = make_event(group=group)
    nora = make_user()
    then = {"event_id": event.id, "guests": 0, "answer": ""}
    request = groups.arrive(nora, group, then, NOW)
    assert isinstance(request, JoinRequest)
    assert db.session.scalar(db.select(Rsvp)) is None
    groups.approve(organiser_of(group), request, NOW)
    db.session.commit()
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=nora.id))
    assert rsvp.status is RsvpStatus.GOING


def test_code_rows_are_hashed_not_kept_in_the_clear(client, db):
    code, link = ask_for_code(client, "x@example.org")
    row = db.session.scalar(db.select(MailCode))
    assert code not in row.code_hash and link.rsplit("/", 1)[1] not in row.link_hash
    assert mail_codes.MAX_WRONG == 5


def test_an_unverified_member_is_offered_a_code_on_her_profile(
    client, make_user, login, db
):
    ana = make_user(email="ana@example.org", verified=False)
    login(ana)
    page = client.get("/me/profile").get_data(True)
    assert "until you confirm it is yours" in page
    reply = client.post("/auth/code?next=/me/profile",
                        data={"email": "ana@example.org", "remember": "y"})  # fmt: skip
    assert redirect_path(reply) == "/auth/code/check"
    code, _link = mail_code("ana@example.org")
    assert redirect_path(client.post("/auth/code/check", data={"code": code})) == (
        "/me/profile"
    )
    assert "until you confirm it is yours" not in client.get("/me/profile").get_data(
        True
    )


def test_keep_me_signed_in_unticked_gives_no_lasting_cookie(client, make_user, db):
    user = make_user()
    reply = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert not any("remember_token=" in c for c in reply.headers.getlist("Set-Cookie"))
    device = db.session.scalar(db.select(Device))
    device.last_seen_at -= timedelta(minutes=10)  # due for its last-seen write
    db.session.commit()
    page = client.get("/me/profile")
    assert not any("remember_token=" in c for c in page.headers.getlist("Set-Cookie"))


def test_a_remembered_browser_slides_its_cookie_on(client, make_user, login, db):
    login(make_user(), remember="y")
    device = db.session.scalar(db.select(Device))
    seen = device.last_seen_at = device.last_seen_at - timedelta(days=3)
    db.session.commit()
    page = client.get("/me/profile")
    cookie = next(
        c for c in page.headers.getlist("Set-Cookie") if "remember_token=" in c
    )
    assert "Expires=" in cookie
    assert db.session.scalar(db.select(Device)).last_seen_at > seen


def test_signing_in_again_ends_the_session_the_browser_had(
    client, make_user, login, db
):
    login(make_user(email="ana@example.org"))
    before = cookies_of(client)
    code, _link = ask_for_code(client)
    client.post("/auth/code/check", data={"code": code})
    assert db.session.scalar(db.select(db.func.count()).select_from(Device)) == 1
    assert not signed_in(replay(client, before, only="session"))


def test_a_very_long_next_is_no_500(client):
    reply = client.post("/auth/code?next=/events/?q=" + "x" * 600,
                        data={"email": "ana@example.org"})  # fmt: skip
    assert redirect_path(reply) == "/auth/code/check"


def test_a_stranger_cannot_say_no_by_mail(client, make_event):
    event = make_event()
    reply = client.post(f"/events/{event.id}/rsvp", data={
        "response": "declined", "display_name": "Nora", "email": "nora@example.org",
    })  # fmt: skip
    assert reply.status_code == 400
    assert mailbox.queued() == []


def test_the_code_mail_and_link_say_what_answer_they_carry(client, make_event):
    """Anyone may type anyone's address with an answer: the owner is told
    what pressing the button would say before she does."""
    event = make_event(title="Book night")
    client.post(f"/events/{event.id}/rsvp", data={
        "response": "going", "display_name": "Eve", "email": "ana@example.org",
    })  # fmt: skip
    [message] = mailbox.queued("ana@example.org", kind="mail-code")
    assert "you're coming to “Book night”" in mailbox.text(message)
    _code, link = mail_code("ana@example.org")
    page = client.application.test_client().get(link).get_data(True)
    assert "coming to “Book night”" in page
