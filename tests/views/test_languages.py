"""Choosing the language: the member's choice, else the visitor's cookie, else
the browser's Accept-Language; dates in each locale's own order."""

import re
from datetime import datetime

from meetup import times
from meetup.extensions import db
from meetup.models import User
from tests import mailbox
from tests.conftest import NOW, redirect_path
from tests.scenes import mail_code


def lang(page) -> str:
    return re.search(r'<html lang="([^"]+)"', page.get_data(as_text=True))[1]


def test_the_browser_language_picks_the_catalog(client):
    spanish = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert lang(spanish) == "es"
    assert "Del chat del grupo al salón de casa." in spanish.get_data(as_text=True)
    french = client.get("/", headers={"Accept-Language": "fr-CA"})
    assert "De la discussion de groupe au salon." in french.get_data(as_text=True)
    for asked in ("en", "en-US", "de-DE", ""):
        assert lang(client.get("/", headers={"Accept-Language": asked})) == "en-US"
    assert lang(client.get("/", headers={"Accept-Language": "en-GB"})) == "en-GB"


def test_month_first_for_americans_day_first_for_the_british(client, make_event):
    typed = datetime(NOW.year + 1, 11, 28, 19, 30)
    starts_at = times.to_utc(typed, "America/New_York")
    event = make_event(title="Supper", timezone="America/New_York",
                       starts_at=starts_at, now=NOW)  # fmt: skip
    us = client.get(f"/events/{event.id}", headers={"Accept-Language": "en-US"})
    gb = client.get(f"/events/{event.id}", headers={"Accept-Language": "en-GB"})
    es = client.get(f"/events/{event.id}", headers={"Accept-Language": "es"})
    assert ", Nov 28 · 7:30" in us.get_data(as_text=True)
    assert " 28 Nov · 19:30" in gb.get_data(as_text=True)
    assert ", 28 nov · 19:30" in es.get_data(as_text=True)


def test_the_footer_switcher_remembers_a_visitors_choice(client):
    reply = client.post("/language", data={"locale": "fr", "next": "/groups/"})
    assert redirect_path(reply) == "/groups/"
    assert "locale=fr" in reply.headers["Set-Cookie"]
    page = client.get("/groups/", headers={"Accept-Language": "es"})
    assert lang(page) == "fr"  # the choice beats the browser


def test_a_members_choice_is_kept_on_her_profile(client, make_user, login):
    ana = make_user()
    login(ana)
    client.post("/language", data={"locale": "es", "next": "/"})
    assert db.session.get(User, ana.id).locale == "es"
    client.delete_cookie("locale")
    assert lang(client.get("/", headers={"Accept-Language": "en-GB"})) == "es"


def test_a_made_up_language_is_refused_plainly(client):
    reply = client.post("/language", data={"locale": "xx", "next": "/"})
    assert reply.status_code == 400
    assert "Choose a language from the list." in reply.get_data(as_text=True)


def test_the_profile_sets_language_and_clock(client, make_user, login):
    ana = make_user()
    login(ana)
    reply = client.post(
        "/me/profile",
        data={"profile-display_name": ana.display_name, "profile-email": ana.email,
              "profile-locale": "en_GB", "profile-clock": "12"},
    )  # fmt: skip
    assert redirect_path(reply) == "/me/profile"
    saved = db.session.get(User, ana.id)
    assert (saved.locale, saved.clock) == ("en_GB", "12")


def test_a_new_member_gets_mail_in_the_language_she_signed_up_in(client):
    client.post(
        "/auth/register",
        data={"display_name": "Lucía", "email": "lucia@example.org"},
        headers={"Accept-Language": "es"},
    )  # fmt: skip
    [mail] = mailbox.queued("lucia@example.org", kind="mail-code")
    assert "es tu código" in str(mail["Subject"])  # the code, in her language too
    code, _link = mail_code("lucia@example.org")
    client.post("/auth/code/check", data={"code": code},
                headers={"Accept-Language": "es"})  # fmt: skip
    assert db.session.scalar(db.select(User.locale)) == "es"


def test_labels_made_at_import_are_said_at_request_time(
    client, make_user, make_group, login
):
    """Choice lists are built once per process; their words, on each request."""
    maria = make_user()
    group = make_group(maria)
    login(maria)
    for locale, page, said in (
        ("fr", f"/groups/{group.slug}/events/new", 'value="home">Domicile</option>'),
        ("es", f"/groups/{group.slug}/members", '<span class="badge">Organizador/a'),
    ):
        db.session.get(User, maria.id).locale = locale
        db.session.commit()
        assert said in client.get(page).get_data(as_text=True)


def test_signing_in_keeps_the_language_she_came_in_with(client, make_user):
    """Accounts from before languages: her mail follows the browser she uses."""
    ana = make_user()
    db.session.get(User, ana.id).locale = None
    db.session.commit()
    client.post(
        "/auth/login",
        data={"email": ana.email, "password": "correct horse battery"},
        headers={"Accept-Language": "fr-FR"},
    )
    assert db.session.get(User, ana.id).locale == "fr"
