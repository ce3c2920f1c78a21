"""Security headers on every kind of answer, and production cookie flags."""

import re

import pytest

from meetup import create_app
from meetup.extensions import db
from meetup.security_headers import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, CSRFClient, redirect_path

EVERYWHERE = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def production_app(database_url: str):
    app = create_app(
        "production",
        {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False},
        env={
            "SECRET_KEY": "production-test-" + "x" * 20,
            "GEOCODER": "none",
            "PUBLIC_URL": "https://hearth.example.org",
        },
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug, on purpose")

    app.test_client_class = CSRFClient
    return app


@pytest.fixture
def production(app):
    """The production app on this test's database; its connections closed after."""
    made = production_app(app.config["SQLALCHEMY_DATABASE_URI"])
    yield made
    with made.app_context():
        db.engine.dispose()


@pytest.fixture
def answers(production, make_event):
    """One answer of each kind, from the production app (HSTS is production-only)."""
    event = make_event()
    client = production.test_client()
    with client.get("/static/hearth.css") as static:
        pass
    return {
        "html": client.get(f"/events/{event.id}"),
        "ics": client.get(f"/events/{event.id}.ics"),
        "feed": client.get(f"/groups/{event.group.slug}/calendar.ics"),
        "redirect": client.get("/me/events"),
        "404": client.get("/no/such/page"),
        "405": client.get(f"/events/{event.id}/rsvp"),
        "500": client.get("/boom"),
        "static": static,
    }


def test_every_kind_of_answer_carries_the_security_headers(answers):
    statuses = {kind: reply.status_code for kind, reply in answers.items()}
    assert redirect_path(answers["redirect"]) == "/auth/login"
    del statuses["redirect"]
    assert statuses == {"html": 200, "ics": 200, "feed": 200, "404": 404,
                        "405": 405, "500": 500, "static": 200}  # fmt: skip
    for kind, reply in answers.items():
        for name, value in EVERYWHERE.items():
            assert reply.headers.get(name) == value, (kind, name)
        assert reply.headers["Strict-Transport-Security"].startswith("max-age=315")
    page = answers["500"].get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "RuntimeError" not in page and "Traceback" not in page


def test_the_policy_allows_no_inline_script_and_no_framing():
    rules = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert rules["script-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'"
    assert rules["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_development_sends_no_hsts(client, make_event):
    reply = client.get(f"/events/{make_event().id}")
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in reply.headers


def test_a_view_keeps_its_own_stricter_referrer_policy(client, make_user, login):
    login(make_user())
    reply = client.get("/me/calendar")
    assert reply.headers["Referrer-Policy"] == "no-referrer"


def test_production_cookies_are_secure_http_only_and_lax(production, make_user):
    ana = make_user()
    client = production.test_client()
    https = "https://hearth.example"
    form = client.get("/auth/login", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    reply = client.post(
        "/auth/login",
        data={"csrf_token": token, "email": ana.email, "password": PASSWORD,
              "remember": "y"},
        base_url=https,
        headers={"Referer": f"{https}/auth/login"},  # Flask-WTF checks it on https
        csrf=False,
    )  # fmt: skip
    assert redirect_path(reply) == "/"
    cookies = reply.headers.getlist("Set-Cookie")
    names = sorted(cookie.split("=", 1)[0] for cookie in cookies)
    assert names == ["remember_token", "session"]
    for cookie in cookies:
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= flags, cookie
