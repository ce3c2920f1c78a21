"""Faults that lose nothing: the database going away, and a request killed
half-way through its transaction.

(The other faults have their tests beside the code they exercise: a geocoder
that is down or slow in tests/services/test_geocoding.py and
tests/views/test_locations.py; an SMTP outage and a mail worker killed
mid-send in tests/services/test_outbox.py.)
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from meetup.extensions import db
from meetup.models import Event, Rsvp, VenueType
from meetup.services import accounts, events, groups, memberships
from meetup.services.events import EventDetails
from meetup.services.groups import GroupDetails
from tests.conftest import (
    NOW,
    PASSWORD,
    CSRFClient,
    free_port,
    make_test_app,
    migrate_database,
    redirect_path,
    wait_until_up,
)
from tests.tcp_proxy import TcpProxy
from tests.world import snapshot

ROOT = Path(__file__).resolve().parent.parent


class Outage:
    """Take the app's database away and give it back, per backend."""

    def __init__(self, database_url: str, tmp_path: Path):
        self.down = False
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite":
            self.file = tmp_path / "outage.db"
            self.url = f"sqlite:///{self.file}"
            migrate_database(self.url)
            self.proxy = None
        else:  # the run's PostgreSQL database, through a proxy we can cut
            self.proxy = TcpProxy((url.host, url.port or 5432))
            self.url = url.set(host="127.0.0.1", port=self.proxy.port).render_as_string(
                hide_password=False
            )

    def cut(self) -> None:
        self.down = True
        if self.proxy:
            self.proxy.cut()
        else:  # the file vanishes; a directory in its place cannot be opened
            self.file.rename(self.file.with_suffix(".away"))
            self.file.mkdir()
            db.engine.dispose()  # open handles would still reach the old file

    def restore(self) -> None:
        if not self.down:
            return
        self.down = False
        if self.proxy:
            self.proxy.restore()
        else:
            self.file.rmdir()
            self.file.with_suffix(".away").rename(self.file)


@pytest.fixture
def outage(database_url, tmp_path):
    outage = Outage(database_url, tmp_path)
    app = make_test_app(
        outage.url,
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": True,
            **({"connect_args": {"connect_timeout": 2}} if outage.proxy else {}),
        },
    )
    app.test_client_class = CSRFClient
    with app.app_context():
        yield outage, app
        outage.restore()  # if the test stopped half-way
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        db.engine.dispose()


def test_database_down_is_a_clear_503_and_recovery_is_automatic(outage):
    outage, app = outage
    olive = accounts.register("Olive", "olive@example.org", PASSWORD)
    group = groups.create_group(
        olive, GroupDetails(name="Outage Club", timezone="Europe/London")
    )
    member = accounts.register("Mo", "mo@example.org", PASSWORD)
    groups.join(member, group)
    db.session.commit()
    event = events.create_event(
        memberships.membership_of(olive, group), group, EventDetails(title="Supper",
        starts_at=NOW + timedelta(days=2), ends_at=NOW + timedelta(days=2, hours=3),
        timezone="Europe/London", venue_type=VenueType.OTHER, host_id=olive.id,
    ), NOW)  # fmt: skip
    db.session.commit()
    event_id, member_id, slug = event.id, member.id, group.slug
    db.session.remove()  # the test's own connection back to the pool, as a request's
    client = app.test_client()
    client.post("/auth/login", data={"email": "mo@example.org", "password": PASSWORD})
    assert client.get("/readyz").status_code == 200
    assert client.get(f"/events/{event_id}").status_code == 200

    outage.cut()
    replies = {
        "readyz": client.get("/readyz"),
        "home": client.get("/"),
        "event": client.get(f"/events/{event_id}"),
        "feed": client.get(f"/groups/{slug}/calendar.ics"),
        "rsvp": client.post(f"/events/{event_id}/rsvp", data={"response": "going"}),
        "missing page": client.get("/no/such/page"),  # its layout needs the database
    }
    assert {name: r.status_code for name, r in replies.items()} == dict.fromkeys(
        replies, 503
    )
    assert replies["readyz"].json == {"status": "database unavailable"}
    for name, reply in replies.items():
        page = reply.get_data(as_text=True)
        assert "Traceback" not in page and "OperationalError" not in page, name
    assert "back in a moment" in replies["home"].get_data(as_text=True)
    assert 'href="/"' in replies["home"].get_data(as_text=True)  # "Try again"
    assert "Try again" not in replies["rsvp"].get_data(as_text=True)  # go back
    assert replies["home"].headers["Retry-After"] == "30"
    assert client.get("/healthz").status_code == 200  # the process itself is fine

    outage.restore()
    assert client.get("/readyz").status_code == 200
    assert client.get(f"/events/{event_id}").status_code == 200
    assert db.session.scalar(select(Rsvp).filter_by(user_id=member_id)) is None
    reply = client.post(f"/events/{event_id}/rsvp", data={"response": "going"})
    assert redirect_path(reply) == f"/events/{event_id}"
    assert db.session.scalar(select(Rsvp).filter_by(user_id=member_id)).is_going


def browser_session(base: str, email: str, form_page: str) -> tuple:
    """Signed in as a browser would be: the opener, and the CSRF token that a
    form on `form_page` carries (signing in starts a new session, with a new one)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/auth/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    form = {"csrf_token": token, "email": email, "password": PASSWORD}
    opener.open(f"{base}/auth/login", urllib.parse.urlencode(form).encode(), timeout=30)
    page = opener.open(f"{base}{form_page}", timeout=30).read().decode()
    return opener, re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def test_a_request_killed_mid_transaction_leaves_no_half_written_rsvp(
    app, database_url, tmp_path, make_user, make_group, add_member, make_event
):
    organiser = make_user()
    group = make_group(organiser)
    member = make_user()
    add_member(group, member)
    event = make_event(group, capacity=5)
    event_id, member_id, email = event.id, member.id, member.email
    hold = tmp_path / "hold"
    hold.touch()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "fault-test",
           "GEOCODER": "none", "TEST_HOLD_FILE": str(hold)}  # fmt: skip
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "--workers", "1", "--timeout", "120",
         "--bind", f"127.0.0.1:{port}", "tests.fault_app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        opener, token = browser_session(base, email, f"/events/{event_id}")
        answer = urllib.parse.urlencode({"csrf_token": token, "response": "going"})
        url = f"{base}/events/{event_id}/rsvp"
        before = snapshot()
        killed = threading.Thread(
            target=lambda: _ignore_errors(opener.open, url, answer.encode(), 30)
        )
        killed.start()
        reached = hold.with_suffix(".reached")
        for _ in range(200):
            if reached.exists():
                break
            time.sleep(0.05)
        assert reached.exists(), "the RSVP never reached the middle of its transaction"
        os.kill(int(reached.read_text()), signal.SIGKILL)  # no goodbye, no rollback
        killed.join(timeout=30)

        assert snapshot() == before  # no RSVP row, no seat taken, no mail: nothing

        hold.unlink()  # the master has started a new worker: now it goes through
        wait_until_up(base)
        with opener.open(url, answer.encode(), timeout=30) as reply:
            assert reply.status == 200  # after the redirect to the event page
        db.session.expire_all()
        assert db.session.scalar(select(Rsvp).filter_by(user_id=member_id)).is_going
        assert db.session.get(Event, event_id).seats_taken == 1
    finally:
        server.terminate()
        server.wait(timeout=30)


def _ignore_errors(call, *args) -> None:
    try:
        call(*args)
    except (OSError, http.client.HTTPException):
        pass  # the worker died under this request: that is the point
