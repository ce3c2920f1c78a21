"""Journey: a church's website frames the group's widget, and Chromium shows
it. (That every other page refuses to be framed is checked on its headers, in
tests/views/test_sharing.py: here a refusal would fail the CSP watch.)"""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from meetup.models import VenueType
from tests.conftest import free_port


def test_a_website_frames_the_groups_next_gatherings(
    live_server, new_page, shoot, make_user, make_group, make_event
):
    group = make_group(make_user(name="Maria"), name="St Mary's Knitters")
    make_event(group, title="Knit and natter", venue_type=VenueType.HOME,
               address="12 Secret Wynd", area="Leith")  # fmt: skip
    make_event(group, title="Wool swap")
    page = new_page()
    church = (
        "<h1>St Mary's Church</h1><p>Our groups:</p>"
        f'<iframe src="{live_server}/groups/{group.slug}/embed" title="widget" '
        'width="100%" height="420" style="border:0"></iframe>'
    )
    # The church's site, a server of its own on another port (so another origin).
    with church_site(church) as url:
        page.goto(url)
        widget = page.frame_locator('iframe[title="widget"]')
        expect(widget.get_by_role("link", name="Knit and natter")).to_be_visible()
        expect(widget.get_by_text("A member's home in Leith")).to_be_visible()
        assert "Secret Wynd" not in widget.locator("body").inner_text()
        shoot(page, "1-framed-on-a-website")


@contextmanager
def church_site(html: str):
    class Church(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Church)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
