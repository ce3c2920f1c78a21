"""150 XSS payloads in Chromium: no dialog, no `window.__xss`, no marked element.

The organiser sees every field (address, notes, answers), so their pages are
the widest target: each event page and its attendee list is opened for every
payload staged by `tests/xss.py`. Escaping is the templates' work, not the
database's, so this runs once, on a SQLite database of its own; the
structural checks in `tests/views/test_xss.py` run on both backends.
"""

import pytest

from meetup.extensions import db
from meetup.services import accounts
from tests.browser.conftest import serving, sign_in
from tests.conftest import PASSWORD, make_test_app, migrate_database
from tests.xss import PAYLOADS, stage


@pytest.fixture
def staged_site(tmp_path):
    url = f"sqlite:///{tmp_path}/xss.db"
    migrate_database(url)
    app = make_test_app(url)
    with app.app_context():
        organiser = accounts.register("Olive Organiser", "olive@example.org", PASSWORD)
        staged = stage(organiser)
        with serving(app) as base:
            yield base, organiser, staged
        db.engine.dispose()


def test_no_payload_runs_in_the_browser(browser, staged_site):
    base, organiser, staged = staged_site
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Map tiles would wait on a network this machine does not have.
    page.route("https://**/*", lambda route: route.abort())
    dialogs, blocked = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    sign_in(page, base, organiser)
    ran, opened = [], 0
    for thing in staged:
        for path in (
            f"/events/{thing.event.id}",
            f"/events/{thing.event.id}/attendees",
        ):
            page.goto(base + path, wait_until="load")
            opened += 1
            marks = page.evaluate(
                "() => [document.querySelectorAll('[data-pwned]').length,"
                " window.__xss || 0]"
            )
            if marks != [0, 0]:
                ran.append(f"{path}: {marks} ({thing.payload!r})")
    context.close()
    assert len(staged) == len(PAYLOADS) and opened == 2 * len(PAYLOADS)
    assert not ran, "\n".join(ran)
    assert not dialogs, dialogs
    # Anything the policy had to block got past our escaping first.
    assert not blocked, blocked[:5]
