"""Link-preview cards: 1200×630 PNGs read back, with every string drawn on
them listed and checked; drawn once per version; 304 when unchanged."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from meetup import cards
from meetup.extensions import db
from meetup.models import EventVisibility, VenueType
from meetup.services import events, preview_cards
from tests.conftest import NOW
from tests.scenes import edited, organiser_of

STREET, NOTES = "7 Quillfeather Row", "Door code 4417"
EXACT = ("55.953251", "-3.188267", "55.95", "-3.18")


@pytest.fixture
def supper(make_user, make_group, make_event):
    maria = make_user(name="Maria Host")
    group = make_group(maria, name="Book Circle", area="Edinburgh")
    return make_event(
        group, title="Soup night", venue_type=VenueType.HOME, venue_name="Maria's",
        address=STREET, area="Stockbridge", access_notes=NOTES,
        latitude=55.953251, longitude=-3.188267, capacity=6, host_id=maria.id,
    )  # fmt: skip


def masked(reply, path: str) -> bytes:
    """The 404's body with its own path and the time-signed CSRF tokens masked."""
    body = reply.data.replace(path.encode(), b"PATH")
    return re.sub(rb'(name="csrf_token" value=")[^"]+"', rb"\1", body)


def read_back(reply) -> Image.Image:
    assert reply.status_code == 200 and reply.mimetype == "image/png"
    image = Image.open(io.BytesIO(reply.data))
    image.load()
    return image


def test_each_card_is_1200_by_630_and_draws_no_street(client, supper):
    for path, card in (
        (f"/events/{supper.id}/card.png", preview_cards.event_card(supper)),
        (
            f"/groups/{supper.group.slug}/card.png",
            preview_cards.group_card(supper.group),
        ),
    ):
        assert read_back(client.get(path)).size == (1200, 630)
        drawn = cards.draw(card).strings
        said = " ".join(drawn)
        for secret in (STREET, NOTES, "Quillfeather", *EXACT, "Maria's"):
            assert secret not in said, (path, secret, drawn)
    drawn = cards.draw(preview_cards.event_card(supper)).strings
    assert drawn[:2] == ["Book Circle", "Soup night"]
    assert "A member's home in Stockbridge" in drawn and "5 places left" in drawn


def test_a_card_is_drawn_once_per_version_and_answers_304(client, supper, monkeypatch):
    path = f"/events/{supper.id}/card.png"
    drawn = []
    real = cards.draw
    monkeypatch.setattr(
        cards,
        "draw",
        lambda card, picture=None: drawn.append(card) or real(card, picture),
    )
    first = client.get(path)
    assert client.get(path).data == first.data and len(drawn) == 1
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert "public" in first.headers["Cache-Control"]
    events.update_event(organiser_of(supper.group), supper,
                        edited(supper, title="Soup and bread night"), NOW)  # fmt: skip
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert (
        changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    )
    assert "Soup and bread night" in drawn[-1].title


def test_a_members_only_gathering_has_no_card_but_its_groups(
    client, supper, make_event
):
    hidden = make_event(supper.group, title="Quiet night",
                        visibility=EventVisibility.MEMBERS)  # fmt: skip
    there = client.get(f"/events/{hidden.id}/card.png")
    missing = client.get("/events/999999/card.png")
    assert there.status_code == missing.status_code == 404
    assert masked(there, f"/events/{hidden.id}/") == masked(missing, "/events/999999/")
    page = client.get(f"/s/{hidden.share_code}").get_data(as_text=True)
    assert f"/groups/{supper.group.slug}/card.png" in page


def test_pages_point_chat_apps_at_their_card(client, supper):
    page = client.get(f"/events/{supper.id}").get_data(as_text=True)
    assert f'content="http://127.0.0.1:5000/events/{supper.id}/card.png"' in page
    assert '<meta property="og:type" content="event">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    for path in ("/", "/groups/"):
        assert 'property="og:title"' in client.get(path).get_data(as_text=True), path
