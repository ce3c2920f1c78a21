"""No secret in a link (calendar feed, reset, invite, sign-in, answer,
unsubscribe) reaches a log: gunicorn's access log, werkzeug's or Flask's."""

import logging
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from meetup import create_app
from meetup.extensions import db
from meetup.log_privacy import LOGGERS, HideSecrets
from meetup.services import accounts, calendar_links
from tests.conftest import PASSWORD, free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorns_access_log_hides_feed_secrets(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/hearth.db", "SECRET_KEY": "x" * 32}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "flask", "--app", "meetup", "db", "upgrade"],
        cwd=ROOT, env={"PATH": str(bin_dir), **env}, check=True, capture_output=True,
    )  # fmt: skip
    app = create_app("development", env=env)
    with app.app_context():
        user = accounts.register("Ana", "ana@example.org", PASSWORD)
        token = calendar_links.new_feed_token(user)
        db.session.commit()
    secret = token.partition(".")[2]

    port = free_port()
    log_path = tmp_path / "access.log"
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(log_path), "meetup:create_app()"],
        cwd=ROOT, env={"PATH": str(bin_dir), **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with urllib.request.urlopen(f"{base}/calendar/{token}.ics") as response:
            assert response.status == 200
        try:
            urllib.request.urlopen(f"{base}/calendar/{token}x.ics").close()
        except urllib.error.HTTPError as error:
            error.close()
            assert error.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log_path.read_text()
    assert logged.count("GET /calendar/[secret].ics") == 2
    assert secret not in logged


#: Every kind of link whose path holds a secret, including routes still being
#: written: the filter goes by the path's shape, so they are covered first.
SECRET_LINKS = [
    ("/calendar/12.{secret}.ics", "/calendar/[secret].ics"),
    ("/auth/reset/{secret}", "/auth/reset/[secret]"),
    ("/auth/code/{secret}", "/auth/code/[secret]"),
    ("/groups/book-club/invite/{secret}", "/groups/book-club/invite/[secret]"),
    ("/a/{secret}", "/a/[secret]"),
    ("/s/{secret}", "/s/[secret]"),
    ("/unsubscribe/{secret}", "/unsubscribe/[secret]"),
]
SECRET = "eyJ1IjoxMn0.aXb-Qz_9"


@pytest.mark.parametrize(("path", "shown"), SECRET_LINKS)
@pytest.mark.parametrize("logger_name", LOGGERS + ("flask.app",))
def test_every_secret_link_is_redacted_from_every_log(path, shown, logger_name):
    secret_path = path.format(secret=SECRET)
    lines = [  # gunicorn's access line, werkzeug's, Flask's "Exception on"
        ('%s - - [01/Jan/2026] "%s" %s',
         ("10.0.0.1", f"GET {secret_path}?x=1 HTTP/1.1", 200)),
        ('%(h)s "%(r)s"', {"h": "10.0.0.1", "r": f"POST {secret_path} HTTP/1.1"}),
        ("Exception on %s [%s]", (secret_path, "POST")),
    ]  # fmt: skip
    for message, args in lines:
        record = logging.LogRecord(logger_name, logging.INFO, __file__, 1, message,
                                   args, None)  # fmt: skip
        assert HideSecrets().filter(record)
        logged = record.getMessage()
        assert SECRET not in logged
        assert shown in logged


def test_other_paths_are_logged_as_they_are():
    for path in ("/groups/book-club", "/groups/book-club/members", "/events/12",
                 "/auth/reset", "/auth/code", "/about/a/b"):  # fmt: skip
        record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                                   '"GET %s HTTP/1.1" 200', (path,), None)  # fmt: skip
        HideSecrets().filter(record)
        assert record.getMessage() == f'"GET {path} HTTP/1.1" 200'


def test_the_filter_is_on_every_logger(app):
    for logger in (app.logger, *map(logging.getLogger, LOGGERS)):
        assert any(isinstance(f, HideSecrets) for f in logger.filters), logger.name
