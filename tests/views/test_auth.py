"""Account pages: sign-up, sign-in, sign-out, reset, passwords, CSRF and safe
redirects. Codes by mail and devices: test_sign_in_by_code.py."""

import pytest

from meetup.auth_session import load_user, safe_next
from meetup.models import User
from meetup.services import accounts
from tests import mailbox
from tests.conftest import PASSWORD, form_errors, redirect_path
from tests.scenes import mail_code


def test_sign_up_is_a_code_by_mail_then_signed_in(client, db):
    response = client.post(
        "/auth/register", data={"display_name": "Ana", "email": "Ana@Example.org"}
    )
    assert redirect_path(response) == "/auth/code/check"
    assert db.session.scalar(db.select(User)) is None  # not before the code
    code, _link = mail_code("ana@example.org")
    response = client.post("/auth/code/check", data={"code": code})
    assert redirect_path(response) == "/"
    user = db.session.scalar(db.select(User))
    assert (user.display_name, user.email) == ("Ana", "ana@example.org")
    assert user.is_verified and user.password_hash is None
    assert "Ana" in client.get("/").get_data(as_text=True)


def test_sign_up_with_a_taken_address_says_nothing_of_it(client, make_user, db):
    """Byte for byte the same pages as for a new address; the owner, and only
    she, gets the code, and it signs her in to her own account."""
    owner = make_user(email="ana@example.org", name="Ana")
    pages = []
    for email in ("ANA@example.org", "new@example.org"):
        fresh = client.application.test_client()
        fresh.get("/auth/register")
        answer = fresh.post(
            "/auth/register", data={"display_name": "Ana 2", "email": email}
        )
        pages.append((answer.status_code, answer.headers.get("Location")))
    assert pages[0] == pages[1]
    client.post(
        "/auth/register", data={"display_name": "Ana 2", "email": "ANA@example.org"}
    )
    code, _link = mail_code("ana@example.org")
    client.post("/auth/code/check", data={"code": code})
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    db.session.refresh(owner)
    assert owner.display_name == "Ana"  # the typed name changes nothing


def test_bad_register_input_is_shown_by_the_field(client):
    response = client.post("/auth/register", data={"display_name": "", "email": "bo@"})
    errors = form_errors(response.get_data(as_text=True))
    assert any("email address" in e for e in errors)
    assert "Enter your name." in errors


def test_post_without_csrf_token_is_refused(client, make_user, db):
    response = client.post(
        "/auth/register",
        data={"display_name": "Eve", "email": "eve@example.org"},
        csrf=False,
    )
    assert response.status_code == 400
    assert "Reload it and try again" in response.get_data(as_text=True)
    assert mailbox.queued() == []


def test_login_and_unknown_email_give_the_same_answer(client, make_user):
    make_user(email="ana@example.org")
    wrong_password = client.post(
        "/auth/login", data={"email": "ana@example.org", "password": "nope nope"}
    )
    unknown = client.post(
        "/auth/login", data={"email": "who@example.org", "password": "nope nope"}
    )
    assert wrong_password.status_code == unknown.status_code == 200
    assert form_errors(wrong_password.get_data(True)) == form_errors(
        unknown.get_data(True)
    )


def test_login_makes_a_new_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        token = session["_user_id"]
    assert load_user(token) == user


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/%0d%0aSet-Cookie:x",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert redirect_path(response) is not None  # where: checked below
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location.split("?")[0].replace("/", "") or location == target


def test_next_keeps_a_path_on_the_site(client, make_user):
    user = make_user()
    response = client.post(
        "/auth/login?next=/groups/book-club",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/groups/book-club"


def test_safe_next_rules():
    assert safe_next("https://evil.example", "/") == "/"
    assert safe_next("//evil.example/x", "/") == "/"
    assert safe_next("/\\evil.example", "/") == "/"
    assert safe_next("/groups/?q=x", "/") == "/groups/?q=x"
    assert safe_next(None, "/home") == "/home"


def test_logout_is_post_only(client, make_user, login):
    login(make_user())
    assert client.get("/auth/logout").status_code == 405
    client.post("/auth/logout")
    assert redirect_path(client.get("/me/profile")) == "/auth/login"


def test_a_forgotten_password_is_a_code_then_the_profile(client, make_user, db):
    make_user(email="ana@example.org")
    response = client.post("/auth/reset", data={"email": "ANA@example.org"})
    assert redirect_path(response) == "/auth/code/check"
    code, _link = mail_code("ana@example.org")
    response = client.post("/auth/code/check", data={"code": code})
    assert response.headers["Location"] == "/me/profile#password"


def test_reset_answer_is_the_same_for_unknown_emails(client, make_user):
    make_user(email="ana@example.org")
    known = client.post("/auth/reset", data={"email": "ana@example.org"})
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(mailbox.queued(kind="mail-code")) == 2


def test_profile_changes_name_and_language(client, make_user, login, db):
    user = make_user()
    login(user)
    reply = client.post(
        "/me/profile",
        data={"profile-display_name": "New Name", "profile-email": user.email,
              "profile-locale": "fr"},
    )  # fmt: skip
    assert redirect_path(reply) == "/me/profile"
    db.session.refresh(user)
    assert (user.display_name, user.locale) == ("New Name", "fr")


def test_password_change_keeps_this_session(client, make_user, login, db):
    user = make_user()
    login(user)
    response = client.post(
        "/me/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "a brand new password",
        },
    )
    assert redirect_path(response) == "/me/profile"
    assert client.get("/me/profile").status_code == 200


@pytest.mark.parametrize(
    "weak, why",
    [
        ("1234567890", "easy to guess"),
        ("          ", "easy to guess"),
        ("ana@example.org", "email address out"),
        ("ana-likes-books-1", "email address out"),
    ],
)
def test_a_weak_password_is_refused_saying_why(client, make_user, login, weak, why):
    user = make_user(email="ana@example.org")
    login(user)
    response = client.post(
        "/me/password",
        data={"password-current_password": PASSWORD, "password-new_password": weak},
    )
    assert response.status_code == 200
    assert any(why in e for e in form_errors(response.get_data(True)))
    assert accounts.authenticate(user.email, PASSWORD) == user


def test_an_address_plain_mail_cannot_reach_is_refused_at_sign_up(client):
    response = client.post(
        "/auth/register",
        data={"display_name": "Jöhn", "email": "jöhn@example.org"},
    )
    assert response.status_code == 200
    assert "Enter an email address like name@example.com." in form_errors(
        response.get_data(as_text=True)
    )
