"""`make screenshots`: every main page from the demo data, desktop and phone,
in every shipped language (the browser asks for it, as a visitor's would).

Seeds a throwaway SQLite database, serves the app on 127.0.0.1, and drives
Debian's Chromium (never a downloaded browser). PNGs go to screenshots/; the
two the README shows are copied to docs/screenshots/.
"""

from __future__ import annotations

import logging
import os
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
from meetup.models import Group, Series
from meetup.models.base import utcnow
from meetup.services import series

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
        if (OUT / name).exists():  # not in a run of some viewports only
            shutil.copy(OUT / name, ROOT / "docs" / "screenshots" / name)
    print(f"Screenshots in {OUT.relative_to(ROOT)}/")
    return 0


def _pages() -> dict[str, list[tuple[str, str]]]:
    book = db.session.scalar(db.select(Group).filter_by(name=demo.GROUPS[0]["name"]))
    rhythm = db.session.scalar(db.select(Series).filter_by(group_id=book.id))
    hosted, _, waiting = series.coming_dates(rhythm, utcnow())
    home = hosted
    return {
        "visitor": [
            ("home", "/"),
            ("groups", "/groups/"),
            ("group", f"/groups/{book.slug}"),
            ("gatherings", "/events/"),
            ("near-me", "/events/?near=55.95,-3.19&within_km=25"),
            ("event", f"/events/{home.id}"),
            ("series", f"/series/{rhythm.id}"),
            ("sign-up", "/auth/register"),
        ],
        "organiser": [
            ("home", "/"),
            ("event", f"/events/{home.id}"),
            ("attendees", f"/events/{home.id}/attendees"),
            ("edit", f"/events/{home.id}/edit"),
            ("plan", f"/groups/{book.slug}/events/new"),
            ("plan-series", f"/groups/{book.slug}/series/new"),
            ("series", f"/series/{rhythm.id}"),
            ("rota", f"/series/{rhythm.id}/rota"),
            ("host-needed", f"/events/{waiting.id}"),
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
            _chosen(LANGUAGES, "SHOTS_LANGUAGES"),
            _chosen(VIEWPORTS, "SHOTS_VIEWPORTS"),
            pages.items(),
        ):
            context = browser.new_context(
                viewport={"width": size[0], "height": size[1]},
                is_mobile=viewport == "phone",
                locale=asked,
            )
            page = context.new_page()
            if who == "organiser":
                page.goto(f"{base}/auth/login?with=password")
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


def _chosen(options: dict, variable: str) -> list:
    """All of them, or those named in the variable (SHOTS_VIEWPORTS=phone)."""
    names = os.environ.get(variable, "").split(",")
    return [item for item in options.items() if item[0] in names or names == [""]]


if __name__ == "__main__":
    sys.exit(main())
