"""`make screenshots`: every main page from the demo data, desktop and phone,
in every shipped language (the browser asks for it, as a visitor's would).

Seeds a throwaway SQLite database, serves the app on 127.0.0.1, and drives
Debian's Chromium (never a downloaded browser). PNGs go to screenshots/; the
two the README shows are copied to docs/screenshots/.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import threading
from itertools import product
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from meetup import create_app, demo
from meetup.extensions import db
from meetup.models import Event, Group

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
README_SHOTS = {"event-organiser-phone.png", "group-visitor-desktop.png"}
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
#: What each run's browser asks for; en_US shots carry no suffix (the README's).
LANGUAGES = {"en_US": "en-US", "en_GB": "en-GB", "es": "es-ES", "fr": "fr-FR"}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
]  # fmt: skip


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("No Chromium: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "development",
            env={
                "DATABASE_URL": f"sqlite:///{folder}/demo.db",
                "SECRET_KEY": "screenshots",
                "GEOCODER": "none",
            },
        )
        with app.app_context():
            upgrade()
            demo.seed()
            db.session.commit()
            pages = _pages()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request lines
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            _shoot(chromium, f"http://127.0.0.1:{server.server_port}", pages)
        finally:
            server.shutdown()
    for name in README_SHOTS:
        shutil.copy(OUT / name, ROOT / "docs" / "screenshots" / name)
    print(f"Screenshots in {OUT.relative_to(ROOT)}/")
    return 0


def _pages() -> dict[str, list[tuple[str, str]]]:
    book = db.session.scalar(db.select(Group).filter_by(name=demo.GROUPS[0]["name"]))
    home = db.session.scalar(db.select(Event).filter_by(title=demo.EVENTS[0]["title"]))
    return {
        "visitor": [
            ("home", "/"),
            ("groups", "/groups/"),
            ("group", f"/groups/{book.slug}"),
            ("gatherings", "/events/"),
            ("near-me", "/events/?near=55.95,-3.19&within_km=25"),
            ("event", f"/events/{home.id}"),
            ("sign-up", "/auth/register"),
        ],
        "organiser": [
            ("home", "/"),
            ("event", f"/events/{home.id}"),
            ("attendees", f"/events/{home.id}/attendees"),
            ("plan", f"/groups/{book.slug}/events/new"),
            ("members", f"/groups/{book.slug}/members"),
            ("my-rsvps", "/me/events"),
            ("calendar", "/me/calendar"),
        ],
    }


def _shoot(chromium: str, base: str, pages: dict) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        for (locale, asked), (viewport, size), (who, paths) in product(
            LANGUAGES.items(), VIEWPORTS.items(), pages.items()
        ):
            context = browser.new_context(
                viewport={"width": size[0], "height": size[1]},
                is_mobile=viewport == "phone",
                locale=asked,
            )
            page = context.new_page()
            if who == "organiser":
                page.goto(f"{base}/auth/login")
                page.locator("#email").fill(demo.ORGANISER_EMAIL)
                page.locator("#password").fill(demo.PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_url(f"{base}/")
                # A member's language is her own choice: make it, as she would.
                page.select_option("#language", locale)
                page.locator(".language-form button").click()
                page.wait_for_url(f"{base}/")
            suffix = "" if locale == "en_US" else f"-{locale}"
            for name, path in paths:
                page.goto(base + path)
                page.screenshot(
                    path=OUT / f"{name}-{who}-{viewport}{suffix}.png", full_page=True
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
