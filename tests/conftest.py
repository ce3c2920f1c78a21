"""Fixtures: an app per test on each database backend, a CSRF-aware client, factories.

Every test that asks for `app` runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set. Each backend gets a database of its own for the run,
built by the migrations (not create_all), and emptied after every test.
"""

from __future__ import annotations

import contextvars
import gc
import itertools
import os
import re
import socket
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from meetup import create_app
from meetup.extensions import db as _db
from meetup.models import User

PASSWORD = "correct horse battery"
#: The street of `home_event`: only the host, organisers and people going see it.
HOME_ADDRESS = "14 Canary Wharf Lane, Flat 2"
#: "Now" for service tests: explicit, and near the real clock so that what they
#: create is still upcoming when view tests look at it.
NOW = (
    datetime.now(UTC) - timedelta(minutes=int(os.environ.get("TEST_NOW_LAG", "0")))
).replace(microsecond=0)
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
IN_CI = os.environ.get("CI") == "true"
pytest_plugins = ["tests.factories"]


def pytest_sessionstart(session):
    """Catalogs are compiled by make; a stale or missing .mo would test English."""
    for po in (
        Path(__file__)
        .resolve()
        .parent.parent.glob("meetup/translations/*/LC_MESSAGES/messages.po")
    ):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.exit(f"{mo} is missing or older than its .po: run `make test`", 2)


#: Every this many tests, what was frozen is looked at again (see below).
THAW_EVERY = 200
_tests_run = itertools.count(1)


@pytest.fixture(autouse=True)
def collect_garbage():
    """Collect after every test, so an unclosed connection fails the test that
    left it open (warnings are errors), not whichever test the collector
    happens to run in. What outlives the test is frozen: the next collection
    looks only at what the next test made, not at the whole run's heap again
    (collecting everything after every test had become most of the suite's
    time). Now and then all is thawed and collected, so what died after it was
    frozen is freed: the run's memory stays flat."""
    yield
    if next(_tests_run) % THAW_EVERY == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


def make_test_app(database_url: str, **overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    return create_app(
        "testing",
        settings,
        env={
            "SECRET_KEY": "test-secret",
            "GEOCODER": "none",
            "PUBLIC_URL": "http://127.0.0.1:5000",
        },
    )


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for this run on one backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite')}/hearth.db"
        migrate_database(url)
        yield url
        return
    server = make_url(os.environ["TEST_DATABASE_URL"]).set(
        drivername="postgresql+psycopg"
    )
    name = f"hearth_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        migrate_database(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate_database(url: str) -> None:
    app = make_test_app(url)
    with app.app_context():
        upgrade()
        _db.engine.dispose()


@pytest.fixture
def app(database_url):
    app = make_test_app(database_url)
    with app.app_context():
        yield app
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
        _db.engine.dispose()


@pytest.fixture
def make_app(database_url):
    """Apps with settings of their own; their connections are closed afterwards."""
    apps = []

    def make(**overrides):
        apps.append(make_test_app(database_url, **overrides))
        return apps[-1]

    yield make
    for app in apps:
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture
def nominatim(app):
    """A local Nominatim-speaking server, and the app pointed at it."""
    from tests.nominatim import FakeNominatim

    with FakeNominatim() as server:
        app.config.update(GEOCODER="nominatim", NOMINATIM_URL=server.url)
        yield server


@pytest.fixture
def db(app):
    return _db


class CSRFClient(FlaskClient):
    """A test client that behaves like a browser against a real server.

    Each request runs in a fresh context, so it gets its own app context, `g`
    and database session instead of sharing the test's; afterwards the test's
    session forgets what it loaded, so the test re-reads rows. Every POST sends
    a valid CSRF token unless csrf=False (to test that such requests fail).
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response

    def session_transaction(self, *args, **kwargs):
        return _FreshContext(super().session_transaction(*args, **kwargs))

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)

    def csrf_token(self) -> str:
        # The same token Flask-WTF's generate_csrf() makes: a signed random value
        # kept in the session.
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", uuid.uuid4().hex)
        serializer = URLSafeTimedSerializer(
            self.application.secret_key, salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)


class _FreshContext:
    """Enter and leave a context manager outside the test's app context."""

    def __init__(self, manager):
        self.manager, self.context = manager, contextvars.Context()

    def __enter__(self):
        return self.context.run(self.manager.__enter__)

    def __exit__(self, *exc):
        return self.context.run(self.manager.__exit__, *exc)


@pytest.fixture
def client(app):
    app.test_client_class = CSRFClient
    return app.test_client()


@pytest.fixture
def login(client):
    def login(user: User, password: str = PASSWORD, **extra):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": password, **extra}
        )
        assert redirect_path(response) is not None, "sign-in failed"
        return response

    return login


def redirect_path(reply) -> str | None:
    """Where a redirect goes (its Location's path), or None if it is none.

    Tests check where an answer sends people, not which 3xx it is: Flask 3.2
    moves redirect() from 302 to 303.
    """
    if not 300 <= reply.status_code < 400:
        return None
    return urlsplit(reply.headers["Location"]).path


@pytest.fixture
def count_queries(db):
    """`with count_queries() as statements:` lists the SQL sent meanwhile, for
    tests that a page's queries do not grow with its data (no N+1)."""

    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        sa_event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", record)

    return counting


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, seconds: float = 30) -> None:
    """Until a server we started answers /healthz (or the time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)


def form_errors(html: str) -> list[str]:
    """The messages shown by fields, for asserting on what the user reads."""
    return re.findall(r'<p class="error" id="[^"]+">([^<]+)</p>', html)


def pytest_report_header(config):
    return f"database backends: {', '.join(BACKENDS)}"


def pytest_terminal_summary(terminalreporter):
    """Say plainly how many tests passed on each database, for the CI log."""
    passed = terminalreporter.stats.get("passed", [])
    for backend in BACKENDS:
        count = sum(
            1 for report in passed if re.search(rf"\[{backend}\b", report.nodeid)
        )
        terminalreporter.write_line(f"{backend}: {count} database tests passed")


@pytest.fixture
def smtp(app):
    """A local SMTP server, started, with the app's mail pointed at it."""
    from tests.smtp import SmtpServer

    server = SmtpServer().start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()
