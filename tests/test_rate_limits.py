"""Sign-in and password reset are rate-limited, also across several workers."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from meetup.models import Role, Visibility
from tests import scenes
from tests.conftest import (
    IN_CI,
    NOW,
    PASSWORD,
    CSRFClient,
    free_port,
    redirect_path,
    wait_until_up,
)
from tests.scenes import mail_code

ROOT = Path(__file__).resolve().parent.parent


def limited_client(make_app, **overrides):
    app = make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex, **overrides
    )
    app.test_client_class = CSRFClient
    return app.test_client()


def test_sign_in_attempts_are_limited(make_app):
    client = limited_client(make_app, RATELIMIT_LOGIN="3 per minute")
    data = {"email": "ana@example.org", "password": "guess guess"}
    codes = [client.post("/auth/login", data=data).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    page = client.post("/auth/login", data=data).get_data(as_text=True)
    assert "Too many tries" in page
    assert client.get("/auth/login").status_code == 200  # reading the form is free


def test_guesses_at_one_account_switch_it_to_codes_not_lock_it(make_app, make_user):
    """Ten wrong passwords from ten clients: the eleventh try, even with the
    right password, is told to use a code, which still lets the owner in."""
    client = limited_client(make_app)
    make_user(email="ana@example.org")
    for n in range(10):
        client.post(
            "/auth/login",
            data={"email": "Ana@example.org", "password": "guess guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
    right = client.post(
        "/auth/login", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert right.status_code == 200 and "sign in with a code" in right.get_data(True)
    nobody = client.post(
        "/auth/login", data={"email": "nobody@example.org", "password": PASSWORD}
    )  # another address is not affected, and says nothing of accounts
    assert "That email and password do not match." in nobody.get_data(True)
    client.post("/auth/code", data={"email": "ana@example.org"})
    with client.application.app_context():
        code, _link = mail_code("ana@example.org")
    reply = client.post("/auth/code/check", data={"code": code})
    assert redirect_path(reply) == "/"


def test_codes_are_limited_per_address_from_any_client(make_app):
    client = limited_client(make_app, RATELIMIT_CODE_ADDRESS="2 per minute")
    codes = [
        client.post(
            "/auth/code", data={"email": "ana@example.org"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        ).status_code
        for n in range(3)
    ]  # fmt: skip
    assert codes == [302, 302, 429]
    other = client.post("/auth/register", data={"email": "bo@example.org",
                                                "display_name": "Bo"})  # fmt: skip
    assert other.status_code == 302


def test_codes_are_limited_per_client_across_every_way_in(make_app):
    client = limited_client(make_app, RATELIMIT_CODE_CLIENT="3 per minute")
    replies = [
        client.post("/auth/code", data={"email": "a@example.org"}),
        client.post("/auth/register", data={"email": "b@example.org",
                                            "display_name": "B"}),
        client.post("/auth/reset", data={"email": "c@example.org"}),
        client.post("/auth/code", data={"email": "d@example.org"}),
    ]  # fmt: skip
    assert [reply.status_code for reply in replies] == [302, 302, 302, 429]


def test_behind_a_proxy_limits_key_on_the_client(make_app):
    client = limited_client(make_app, RATELIMIT_LOGIN="2 per minute", TRUSTED_PROXIES=1)
    codes = [
        client.post(
            "/auth/login",
            data={"email": f"user{n}@example.org", "password": "guess guess"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(5)
    ]
    assert codes == [200] * 5  # five clients behind one proxy, one try each


def test_password_reset_requests_are_limited(make_app):
    client = limited_client(make_app, RATELIMIT_RESET="2 per minute")
    data = {"email": "ana@example.org"}
    replies = [client.post("/auth/reset", data=data) for _ in range(3)]
    assert [redirect_path(r) for r in replies[:2]] == ["/auth/code/check"] * 2
    assert replies[2].status_code == 429


def test_answers_to_events_are_limited_per_person(make_app, make_event, make_user, db):
    event = make_event()
    client = limited_client(make_app, RATELIMIT_RSVP="3 per minute")
    ana = make_user()
    client.post("/auth/login", data={"email": ana.email, "password": PASSWORD})
    answers = ["going", "declined"] * 2
    replies = [
        client.post(f"/events/{event.id}/rsvp", data={"response": answer})
        for answer in answers
    ]
    back = f"/events/{event.id}"
    assert [redirect_path(reply) for reply in replies[:3]] == [back] * 3
    assert replies[3].status_code == 429
    assert "Slow down a moment" in replies[-1].get_data(as_text=True)
    assert "Retry-After" in replies[-1].headers
    # Someone else at the same address (a shared Wi-Fi) still gets through.
    neighbour = client.application.test_client()
    bea = make_user()
    neighbour.post("/auth/login", data={"email": bea.email, "password": PASSWORD})
    reply = neighbour.post(f"/events/{event.id}/rsvp", data={"response": "going"})
    assert redirect_path(reply) == back


def test_join_requests_and_joining_are_limited_per_person(
    make_app, make_group, make_user
):
    """Requests (which mail the organisers) and joins share one budget."""
    private = [make_group(visibility=Visibility.PRIVATE) for _ in range(2)]
    public = make_group()
    ana, bea = make_user(), make_user()
    cookies = {who: signed_in_cookies(make_app, who) for who in (ana, bea)}
    client = limited_client(make_app, RATELIMIT_JOIN="3 per minute")
    for name, value in cookies[ana].items():
        client.set_cookie(name, value)
    replies = [
        client.post(f"/groups/{private[0].slug}/join", data={"message": "Hi"}),
        client.post(f"/groups/{private[1].slug}/join", data={"message": "Hi"}),
        client.post(f"/groups/{public.slug}/invite/{public.invite_token}"),
        client.post(f"/groups/{public.slug}/join"),
    ]
    assert [redirect_path(r) for r in replies[:3]] == [
        f"/groups/{private[0].slug}", f"/groups/{private[1].slug}",
        f"/groups/{public.slug}",
    ]  # fmt: skip
    assert replies[3].status_code == 429
    assert client.get(f"/groups/{public.slug}").status_code == 200  # reading is free
    neighbour = client.application.test_client()  # same address, another person
    for name, value in cookies[bea].items():
        neighbour.set_cookie(name, value)
    reply = neighbour.post(f"/groups/{public.slug}/join")
    assert redirect_path(reply) == f"/groups/{public.slug}"


def new_group(n: int) -> dict:
    return {"name": f"Limited Circle {n}", "area": "Leith, Edinburgh",
            "timezone": "Europe/London", "visibility": "public"}  # fmt: skip


def test_group_creation_is_limited_per_person(make_app, make_user):
    cookies = signed_in_cookies(make_app, make_user())
    client = limited_client(make_app, RATELIMIT_NEW_GROUP="2 per minute")
    for name, value in cookies.items():
        client.set_cookie(name, value)
    # Shown again (a missing name, a "Find") counts for nothing: only a save.
    assert client.post("/groups/new", data={"area": "Leith"}).status_code == 200
    find = {**new_group(0), "find": "1"}
    assert client.post("/groups/new", data=find).status_code == 200
    replies = [client.post("/groups/new", data=new_group(n)) for n in range(1, 4)]
    assert [redirect_path(r) for r in replies[:2]] == [
        "/groups/limited-circle-1", "/groups/limited-circle-2",
    ]  # fmt: skip
    assert replies[2].status_code == 429
    assert client.get("/groups/new").status_code == 200


def new_gathering(n: int, host_id: int) -> dict:
    start = (NOW + timedelta(days=7 + n)).strftime("%Y-%m-%d")
    return {
        "title": f"Supper {n}", "venue_type": "church", "venue_name": "Hall",
        "address": "1 Church Street", "area": "Morningside, Edinburgh",
        "starts_at": f"{start}T19:30", "ends_at": f"{start}T22:00",
        "timezone": "Europe/London", "max_guests": "0", "visibility": "public",
        "host_id": str(host_id),
    }  # fmt: skip


def test_gathering_creation_is_limited_per_person(make_app, make_user, make_group):
    maria = make_user()
    group = make_group(maria)
    cookies = signed_in_cookies(make_app, maria)
    client = limited_client(make_app, RATELIMIT_NEW_GATHERING="2 per minute")
    for name, value in cookies.items():
        client.set_cookie(name, value)
    url = f"/groups/{group.slug}/events/new"
    assert client.post(url, data={"title": ""}).status_code == 200  # not counted
    replies = [client.post(url, data=new_gathering(n, maria.id)) for n in range(3)]
    assert [redirect_path(r) is not None for r in replies] == [True, True, False]
    assert replies[2].status_code == 429
    assert "Slow down a moment" in replies[2].get_data(as_text=True)


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def sign_in_attempt(base: str) -> tuple[int, str]:
    """A browser-like attempt: load the form (session + CSRF), then post it."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/auth/login", timeout=30) as response:
        form = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    body = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": "a@example.org", "password": "x" * 12}
    ).encode()
    try:
        with opener.open(f"{base}/auth/login", data=body, timeout=30) as response:
            return response.status, response.headers["X-Worker-Pid"]
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["X-Worker-Pid"]


def attempts_through_two_workers(storage: str, tmp_path) -> list[tuple[int, str]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/limits.db",
        "SECRET_KEY": "shared-by-both-workers",
        "RATELIMIT_STORAGE_URI": storage,
        "TEST_RATELIMIT_PREFIX": uuid.uuid4().hex,
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "flask", "--app", "meetup", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "tests.rate_limit_app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        # On a busy machine one worker can take every request of a batch; go on
        # in batches until both have answered (the limit is per minute, so the
        # extra tries only add refusals).
        results: list[tuple[int, str]] = []
        with ThreadPoolExecutor(max_workers=6) as pool:
            while len(results) < 24 or (
                len({pid for _, pid in results}) < 2 and len(results) < 120
            ):
                results += pool.map(lambda _: sign_in_attempt(base), range(12))
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_limits_hold_across_workers_with_redis_storage(tmp_path):
    if not redis_available():
        if IN_CI:
            pytest.fail("CI must have Redis on 127.0.0.1:6379 for this test")
        pytest.skip("no Redis on 127.0.0.1:6379: cross-worker rate limit NOT tested")
    results = attempts_through_two_workers("redis://127.0.0.1:6379/0", tmp_path)
    assert len({pid for _, pid in results}) == 2, "both workers must have answered"
    assert [code for code, _ in results].count(200) == 5  # the limit, not twice it


def test_memory_storage_lets_through_more_across_workers(tmp_path):
    """The control: why production with several workers needs Redis."""
    results = attempts_through_two_workers("memory://", tmp_path)
    assert len({pid for _, pid in results}) == 2, "both workers must have answered"
    assert [code for code, _ in results].count(200) > 5


def signed_in_cookies(make_app, user) -> dict[str, str]:
    """Cookies of a browser signed in as `user`, got through an app without
    limits (signing in is itself limited). Made before the limited app: apps
    share the one Limiter, and the last app made sets it up."""
    helper = make_app()
    helper.test_client_class = CSRFClient
    browser = helper.test_client()
    browser.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    names = (helper.config["SESSION_COOKIE_NAME"], "remember_token")
    return {n: browser.get_cookie(n).value for n in names if browser.get_cookie(n)}


def test_with_redis_down_limited_posts_get_a_clear_503(make_app, make_event, make_user):
    """The limits' store unreachable (nothing listens on that port): every
    limited POST says "back in a moment" with Retry-After, never a 500, and
    nothing is let through unlimited."""
    ana, event = make_user(), make_event()
    cookies = signed_in_cookies(make_app, ana)
    closed = f"redis://127.0.0.1:{free_port()}/0"
    client = limited_client(make_app, RATELIMIT_STORAGE_URI=closed)
    assert client.get("/auth/login").status_code == 200  # reading needs no limit
    tries = [
        client.post("/auth/login", data={"email": ana.email, "password": PASSWORD}),
        client.post("/auth/code", data={"email": ana.email}),
        client.post("/auth/reset", data={"email": ana.email}),
    ]
    for name, value in cookies.items():
        client.set_cookie(name, value)
    assert client.get("/me/profile").status_code == 200  # signed in, on any page
    tries.append(client.post(f"/events/{event.id}/rsvp", data={"response": "going"}))
    for reply in tries:
        assert reply.status_code == 503, reply.request.path
        assert "Hearth is back in a moment" in reply.get_data(as_text=True)
        assert reply.headers["Retry-After"] == "30"
    assert "You're going" not in client.get(f"/events/{event.id}").get_data(True)


def test_host_messages_are_limited_per_person_and_per_client(
    make_app, make_user, make_group, make_event, add_member
):
    """Counted when sent (not the form shown again, nor "Send anyway" asked);
    per person, and per client across the people behind it."""
    maria, omar = make_user(), make_user()
    group = make_group(maria)
    add_member(group, omar, Role.CO_ORGANISER)
    events = [make_event(group, title=f"Night {n}") for n in range(3)]
    for event in events:
        scenes.answer(event, add_member(group, make_user()).user)
    cookies = {who: signed_in_cookies(make_app, who) for who in (maria, omar)}
    client = limited_client(
        make_app,
        RATELIMIT_MESSAGE="2 per minute",
        RATELIMIT_MESSAGE_CLIENT="3 per minute",
    )
    for name, value in cookies[maria].items():
        client.set_cookie(name, value)
    words = {"body": "Bring your book", "to_going": "y"}
    url = f"/events/{events[0].id}/message"
    assert client.post(url, data={"body": ""}).status_code == 200  # not counted
    replies = [client.post(f"/events/{e.id}/message", data=words) for e in events]
    assert [redirect_path(r) is not None for r in replies] == [True, True, False]
    assert replies[2].status_code == 429
    neighbour = client.application.test_client()  # same address, another organiser
    for name, value in cookies[omar].items():
        neighbour.set_cookie(name, value)
    replies = [neighbour.post(f"/events/{e.id}/message", data=words) for e in events]
    assert [r.status_code for r in replies][1:] == [429, 429]  # the client's 3 used
    assert redirect_path(replies[0]) is not None
