"""Browser fixtures: the app served for real on 127.0.0.1, and Debian's Chromium.

Never downloads a browser. Without Chromium these tests are skipped with a loud
reason on a developer's machine, and fail in CI, where .ci/run installs it.
"""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import npm
from tests.conftest import IN_CI, PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "tests"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        message = "NO CHROMIUM: browser journeys NOT run (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app behind a real HTTP server on a free local port."""
    with serving(app) as base:
        yield base


@contextmanager
def serving(app):
    """Serve `app` on a free port; on leaving, wait for requests still running,
    so none holds a database connection past the test (it would leak)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # so server_close() joins the request threads
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def new_page(browser, viewport):
    """Pages in separate browser contexts: one per person, like separate phones.

    Anything the Content-Security-Policy blocked (a script, a style, a tile)
    fails the test: the policy must never break the page it protects.
    """
    contexts, blocked = [], []

    def new_page(locale: str | None = None):
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone", locale=locale
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                blocked.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert not blocked, blocked


@pytest.fixture
def shoot(request, viewport):
    """Save a screenshot under screenshots/tests/ for a person to look at."""

    def shoot(page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        test = request.node.originalname.removeprefix("test_")
        page.screenshot(
            path=SCREENSHOTS / f"{test}-{name}-{viewport}.png", full_page=True
        )

    return shoot


AXE_VERSION = "4.14.1"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from its npm package, installed once beside the virtualenv."""
    modules = npm.installed("axe", "axe-core", AXE_VERSION, "accessibility checks")
    return modules / "axe-core" / "axe.min.js"


def sign_in(page, base: str, user) -> None:
    """Through the sign-in form, as a person would, and wait for the welcome."""
    from playwright.sync_api import expect

    page.goto(f"{base}/auth/login")
    page.get_by_text("Sign in with a password instead").click()
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Welcome back, {user.display_name}.")).to_be_visible()


def type_mailed_code(page, email: str) -> None:
    """Read the code Hearth mailed (from the outbox, as her mail app would) and
    type it on the page that asks for it."""
    from playwright.sync_api import expect

    from tests.scenes import mail_code

    expect(page.locator("input[autocomplete=one-time-code]")).to_be_visible()
    code, _link = mail_code(email)
    field = page.locator("input[autocomplete=one-time-code]")
    field.fill(code)
    field.press("Enter")


def sign_up(page, base: str, name: str, email: str, labels=None) -> None:
    """Through the sign-up form and the code, as a person would."""
    from playwright.sync_api import expect

    labels = labels or {"name": "Your name", "email": "Email",
                        "send": "Email me a code",
                        "welcome": f"Welcome to Hearth, {name}!"}  # fmt: skip
    page.goto(f"{base}/auth/register")
    page.get_by_label(labels["name"]).fill(name)
    page.get_by_label(labels["email"]).fill(email)
    page.get_by_role("button", name=labels["send"]).click()
    type_mailed_code(page, email)
    expect(page.get_by_text(labels["welcome"])).to_be_visible()
