"""/me/export and /me/delete: her data in a ZIP, and deletion after a code."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile

from sqlalchemy import select

from meetup.models import MailCode, User
from tests import mailbox
from tests.conftest import HOME_ADDRESS, PASSWORD, CSRFClient, redirect_path
from tests.scenes import answer, mail_code


def unzipped(reply) -> tuple[dict, str]:
    with zipfile.ZipFile(io.BytesIO(reply.data)) as archive:
        assert sorted(archive.namelist()) == ["hearth-data.html", "hearth-data.json"]
        data = json.loads(archive.read("hearth-data.json"))
        return data, archive.read("hearth-data.html").decode()


def test_the_export_is_a_zip_of_her_data_that_no_cache_keeps(
    client, login, make_user, make_group, add_member, make_event
):
    ann = make_user(name="Ann")
    group = make_group(name="Leith Supper Club")
    add_member(group, ann)
    event = make_event(group, title="Soup night", question="What will you bring?")
    answer(event, ann, answer="<script>alert(1)</script> soup")
    login(ann)

    reply = client.get("/me/export")

    assert reply.status_code == 200
    assert reply.mimetype == "application/zip"
    assert reply.headers["Cache-Control"] == "no-store"
    disposition = reply.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="hearth-\d{4}-\d\d-\d\d\.zip"', disposition
    )
    data, page = unzipped(reply)
    assert data["account"]["name"] == "Ann"
    assert data["account"]["email"] == ann.email
    assert data["account"]["mail"] == {
        "reminders": True, "announcements": True, "calendar_invitations": True
    }  # fmt: skip
    assert [(m["group"], m["role"]) for m in data["memberships"]] == [
        ("Leith Supper Club", "member")
    ]
    [rsvp] = data["rsvps"]
    assert rsvp["gathering"] == "Soup night"
    assert (rsvp["status"], rsvp["guests"]) == ("going", 0)
    assert rsvp["answer"] == "<script>alert(1)</script> soup"
    assert "Soup night" in page and ann.email in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; soup" in page
    assert "<script>" not in page


def test_the_export_holds_no_other_members_address(
    client, login, make_user, make_group, add_member, make_event
):
    olive, ann = make_user(name="Olive"), make_user(name="Ann")
    group = make_group(olive)
    add_member(group, ann)
    event = make_event(group)
    answer(event, ann)
    answer(event, olive)
    for reader, other in ((ann, olive), (olive, ann)):
        login(reader)
        reply = client.get("/me/export")
        data, page = unzipped(reply)
        assert reader.email in page
        assert other.email not in page
        assert other.email not in json.dumps(data)
        client.post("/auth/logout")


def test_the_export_names_a_homes_street_only_to_those_who_may_see_it(
    client, login, home_event, make_user, add_member
):
    going, waiting = make_user(), make_user()
    for person in (going, waiting):
        add_member(home_event.group, person)
    answer(home_event, going, guests=1)  # both places taken
    answer(home_event, waiting)
    login(waiting)
    data, page = unzipped(client.get("/me/export"))
    assert HOME_ADDRESS not in page and HOME_ADDRESS not in json.dumps(data)
    assert data["rsvps"][0]["place"] == "A member's home in Leith, Edinburgh"
    client.post("/auth/logout")
    login(going)
    data, page = unzipped(client.get("/me/export"))
    assert HOME_ADDRESS in data["rsvps"][0]["place"]


def test_deleting_needs_the_code_mailed_to_her(client, login, make_user, db):
    ann = make_user()
    login(ann)
    page = client.get("/me/delete").get_data(as_text=True)
    assert "Email me a code" in page
    assert redirect_path(client.post("/me/delete/code", data={"code": "123456"})) == (
        "/me/delete"  # no code was asked for
    )

    reply = client.post("/me/delete")

    assert redirect_path(reply) == "/me/delete/code"
    assert mailbox.queued(ann.email, kind="mail-code")
    assert db.session.get(User, ann.id) is not None
    assert "/auth/code/" not in mailbox.text(mailbox.queued(ann.email)[-1])


def test_the_right_code_deletes_the_account_signs_her_out_and_says_goodbye(
    client, login, make_user, db
):
    ann = make_user()
    ann_id, email = ann.id, ann.email
    login(ann)
    client.post("/me/delete")
    code, _link = mail_code(email)

    reply = client.post("/me/delete/code", data={"code": code})

    assert reply.status_code == 200
    assert "Your account is deleted" in reply.get_data(as_text=True)
    assert db.session.get(User, ann_id) is None
    assert db.session.scalars(select(MailCode)).all() == []
    assert redirect_path(client.get("/me/profile")) == "/auth/login"
    again = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert redirect_path(again) is None  # no such account any more


def test_five_wrong_codes_kill_it(client, login, make_user, db):
    ann = make_user()
    login(ann)
    client.post("/me/delete")
    code, _link = mail_code(ann.email)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    pages = [
        client.post("/me/delete/code", data={"code": wrong}).get_data(as_text=True)
        for _ in range(5)
    ]
    assert "You can try 4 more times" in pages[0]
    assert "wrong too many times" in pages[4]

    reply = client.post("/me/delete/code", data={"code": code})

    assert redirect_path(reply) == "/me/delete"
    assert db.session.get(User, ann.id) is not None


def test_a_last_organiser_is_told_which_group_to_hand_on_and_sent_no_code(
    client, login, make_user, make_group, add_member, db
):
    olive = make_user()
    add_member(make_group(olive, name="Leith Supper Club"), make_user())
    login(olive)

    page = client.get("/me/delete").get_data(as_text=True)

    assert "last organiser of Leith Supper Club" in page
    assert "Email me a code" not in page
    client.post("/me/delete")
    assert not mailbox.queued(olive.email, kind="mail-code")


def test_the_profile_links_to_both(client, login, make_user):
    login(make_user())
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'href="/me/export"' in page and 'href="/me/delete"' in page


def test_delete_codes_are_limited_per_person(make_app, make_user):
    app = make_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_KEY_PREFIX=uuid.uuid4().hex,
        RATELIMIT_CODE_ADDRESS="2 per minute",
    )
    app.test_client_class = CSRFClient
    ann = make_user()
    statuses = []
    for n in range(3):  # from three clients: the limit follows her, not the address
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.1.{n}"
        client.post("/auth/login", data={"email": ann.email, "password": PASSWORD})
        statuses.append(client.post("/me/delete").status_code)
    assert all(300 <= status < 400 for status in statuses[:2]), statuses
    assert statuses[2] == 429
