"""Noticeboard posters: a PDF whose QR code, read back from the printed page,
leads to the right place; the right paper; only what a stranger may be told."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from meetup.extensions import db
from meetup.models import EventVisibility, VenueType
from meetup.services import events
from tests.conftest import NOW
from tests.scenes import organiser_of

STREET, NOTES = "7 Quillfeather Row", "Door code 4417"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "tests"
POINTS = {"a4": (595, 842), "letter": (612, 792)}


@pytest.fixture
def circle(make_user, make_group):
    return make_group(make_user(name="Maria"), name="Book Circle", area="Leith",
                      locale="en_US")  # fmt: skip


@dataclass(frozen=True)
class Printed:
    size: tuple[int, int]  # points
    codes: list[str]  # what a phone's camera reads off the page
    text: str


def printed(reply, look: str = "") -> list[Printed]:
    """Each page as a printer and a phone's camera see it; `look` saves the
    first under screenshots/tests/ for a person to look at."""
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    document = pypdfium2.PdfDocument(reply.data)
    try:
        found = []
        for page in document:
            image = page.render(scale=2).to_pil()
            if look and not found:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                image.save(SCREENSHOTS / f"poster-{look}.png")
            textpage = page.get_textpage()
            found.append(Printed(
                tuple(round(x) for x in page.get_size()),
                [code.text for code in zxingcpp.read_barcodes(image)],
                textpage.get_text_range(),
            ))  # fmt: skip
            textpage.close()
            page.close()
        return found
    finally:
        document.close()


def test_a_gatherings_poster_scans_to_its_link_and_names_no_street(
    client, login, circle, make_event
):
    event = make_event(circle, title="Soup night", venue_type=VenueType.HOME,
                       address=STREET, area="Stockbridge", access_notes=NOTES,
                       visibility=EventVisibility.MEMBERS)  # fmt: skip
    login(organiser_of(circle).user)
    [page] = printed(client.get(f"/events/{event.id}/poster.pdf"), look="gathering")
    assert page.size == POINTS["letter"]  # an en_US group
    assert page.codes == [f"http://127.0.0.1:5000/s/{event.share_code}"]
    said = " ".join(page.text.split())
    # Only members may see it: as its share link, the poster names only the group.
    assert "A gathering of Book Circle" in said and "Soup night" not in said
    assert "Stockbridge" not in said and STREET not in said and NOTES not in said
    open_one = make_event(circle, title="Open supper", venue_type=VenueType.HOME,
                          address=STREET, area="Stockbridge")  # fmt: skip
    [public] = printed(client.get(f"/events/{open_one.id}/poster.pdf"))
    assert public.codes == [f"http://127.0.0.1:5000/events/{open_one.id}"]
    words = " ".join(public.text.split())
    assert "Open supper" in words and "home in Stockbridge" in words
    assert STREET not in words and "Scan to join" in words
    [a4] = printed(client.get(f"/events/{event.id}/poster.pdf?size=a4"))
    assert a4.size == POINTS["a4"]


def test_a_groups_poster_lists_its_next_dates_and_scans_to_its_page(
    client, login, circle, make_event
):
    picnic = make_event(circle, title="Picnic on the links")
    off = make_event(circle, title="Called off")
    events.cancel_event(organiser_of(circle), off, "", NOW)
    make_event(circle, title="Members only", visibility=EventVisibility.MEMBERS)
    db.session.commit()
    login(organiser_of(circle).user)
    [page] = printed(client.get(f"/groups/{circle.slug}/poster.pdf"), look="group")
    assert page.codes == [f"http://127.0.0.1:5000/groups/{circle.slug}"]
    said = page.text
    assert picnic.title in said
    assert "Called off" not in said and "Members only" not in said


def test_only_organisers_print_posters(client, login, circle, make_event, make_user,
                                       add_member):  # fmt: skip
    event = make_event(circle, title="Soup night")
    member = make_user(name="Mo")
    add_member(circle, member)
    login(member)
    assert client.get(f"/events/{event.id}/poster.pdf").status_code == 403
    assert client.get(f"/groups/{circle.slug}/poster.pdf").status_code == 403


def test_the_attendee_list_shows_a_qr_code_of_the_gathering_for_the_door(
    client, login, circle, make_event
):
    from meetup import qr

    event = make_event(circle, title="Soup night", visibility=EventVisibility.MEMBERS)
    login(organiser_of(circle).user)
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    link = f"http://127.0.0.1:5000/s/{event.share_code}"
    assert f'src="{qr.data_uri(link)}"' in page
    assert "A QR code for the door" in page
