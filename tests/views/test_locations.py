"""Finding the place on the event form, maps within the privacy rule, near-me search."""

import re

import pytest

from meetup.extensions import db
from meetup.models import Event, Group, VenueType
from meetup.services import rsvps
from tests.conftest import NOW
from tests.views.test_events import form_data

EXACT = ("55.9580213", "-3.2093134")


@pytest.fixture
def organiser(client, make_user, make_group, login):
    maria = make_user()
    group = make_group(maria, timezone="America/New_York")
    login(maria)
    return maria, group


def plan(client, group, maria, **overrides):
    data = form_data(
        **{"host_id": str(maria.id), "timezone": "Europe/London", **overrides}
    )
    return client.post(f"/groups/{group.slug}/events/new", data=data)


def move(client, event, maria, address):
    """Edit the address, leaving the pin where it was."""
    data = form_data(
        host_id=str(maria.id),
        timezone="Europe/London",
        address=address,
        latitude=str(event.latitude),
        longitude=str(event.longitude),
    )
    client.post(f"/events/{event.id}/edit", data=data)


def test_find_puts_the_pin_on_the_first_match_and_saves_nothing(
    client, organiser, nominatim, db
):
    maria, group = organiser
    page = plan(client, group, maria, address="Raeburn Place", find="1",
                timezone="America/New_York").get_data(as_text=True)  # fmt: skip
    assert "Raeburn Place, Stockbridge, Edinburgh" in page  # the second candidate
    assert f'value="{EXACT[0]}"' in page and f'value="{EXACT[1]}"' in page
    assert re.search(r'<option selected value="Europe/London">', page)  # from the pin
    assert db.session.scalar(db.select(Event)) is None


def test_use_this_place_takes_another_candidate(client, organiser, nominatim):
    maria, group = organiser
    page = plan(client, group, maria, address="Raeburn Place", use="1").get_data(True)
    assert 'value="55.958"' in page and 'value="-3.2101"' in page


def test_saving_without_a_pin_looks_the_address_up(client, organiser, nominatim, db):
    maria, group = organiser
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh")
    event = db.session.scalar(db.select(Event))
    assert (event.latitude, event.longitude) == (55.9580213, -3.2093134)


def test_a_failed_lookup_still_saves_and_says_what_next(
    client, organiser, nominatim, db
):
    maria, group = organiser
    nominatim.mode = "503"
    response = plan(client, group, maria, address="1 Nowhere Lane", title="Kept")
    event = db.session.scalar(db.select(Event))
    assert (event.title, event.address, event.latitude) == (
        "Kept",
        "1 Nowhere Lane",
        None,
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "isn&#39;t on the map yet" in page or "isn't on the map yet" in page


def test_editing_the_address_looks_it_up_again(client, organiser, nominatim, db):
    maria, group = organiser
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh")
    event = db.session.scalar(db.select(Event))
    move(client, event, maria, "14 Johnston Terrace, Edinburgh")
    db.session.refresh(event)
    assert (event.latitude, event.longitude) == (55.9489446, -3.1950381)


def test_a_page_view_never_looks_anything_up(client, make_event, nominatim):
    event = make_event(address="12 Raeburn Place, Edinburgh")
    client.get(f"/events/{event.id}")
    assert nominatim.requests == []


@pytest.fixture
def home(make_event):
    return make_event(
        venue_type=VenueType.HOME,
        address="12 Raeburn Place",
        area="Stockbridge",
        latitude=55.9580213,
        longitude=-3.2093134,
    )


def test_strangers_get_the_cell_on_the_map_never_the_spot(client, home):
    html = client.get(f"/events/{home.id}").get_data(as_text=True)
    assert "data-cell=" in html and f'data-lat="{home.public_latitude}"' in html
    assert "55.958" not in html and "3.2093" not in html


def test_those_going_get_the_exact_pin(client, home, make_user, login):
    ana = make_user()
    rsvps.respond(home, ana, going=True, now=NOW)
    db.session.commit()
    login(ana)
    html = client.get(f"/events/{home.id}").get_data(as_text=True)
    assert f'data-lat="{EXACT[0]}"' in html and "data-cell" not in html


def test_near_me_by_coordinates_shows_rounded_distances(client, home, make_event):
    far = make_event(title="Glasgow gig", venue_type=VenueType.CHURCH,
                     latitude=55.8642, longitude=-4.2518)  # fmt: skip
    html = client.get("/events/?near=55.9533,-3.1883&within_km=10").get_data(True)
    assert home.title in html and far.title not in html
    assert re.search(r"\b[12] km away", html)
    assert "data-pins=" in html and "cell" in html  # the home as its square
    assert "55.958" not in html and "3.2093" not in html  # never the spot
    wide = client.get("/events/?near=55.9533,-3.1883&within_km=100").get_data(True)
    assert wide.index(home.title) < wide.index(far.title)  # nearest first


def test_near_a_place_by_name_and_a_place_not_found(client, app, home):
    app.config["GEOCODER"] = "offline"
    assert home.title in client.get("/events/?near=Edinburgh").get_data(True)
    missing = client.get("/events/?near=Xyzzyville").get_data(as_text=True)
    assert "couldn&#39;t find" in missing or "couldn't find" in missing


def test_bad_near_me_values_get_a_message(client):
    page = client.get("/events/?near=55,-3&within_km=9999")
    assert page.status_code == 200 and "2 to 200 km" in page.get_data(True)


def test_a_group_finds_its_area_the_same_way(client, make_user, login, nominatim, db):
    login(make_user())
    data = {"name": "Stockbridge Readers", "area": "Raeburn Place",
            "timezone": "America/New_York", "visibility": "public"}  # fmt: skip
    page = client.post("/groups/new", data={**data, "find": "1"}).get_data(True)
    assert f'value="{EXACT[0]}"' in page
    assert re.search(r'<option selected value="Europe/London">', page)
    client.post(
        "/groups/new", data={**data, "latitude": EXACT[0], "longitude": EXACT[1]}
    )
    group = db.session.scalar(db.select(Group))
    assert (group.latitude, group.longitude) == (55.9580213, -3.2093134)


def test_searches_never_see_what_organisers_looked_up(
    client, organiser, app, nominatim
):
    maria, group = organiser
    nominatim.places["7 hidden row"] = nominatim.places["12 raeburn place, edinburgh"]
    plan(client, group, maria, venue_type="home", address="7 Hidden Row")
    client.post("/auth/logout")
    app.config["GEOCODER"] = "offline"  # only the cache could answer now
    typed = client.get("/events/?near=7 Hidden Row").get_data(as_text=True)
    other = client.get("/events/?near=9 Hidden Row").get_data(as_text=True)
    assert ("couldn" in typed) == ("couldn" in other) == True  # noqa: E712


@pytest.mark.parametrize("raw", [{"lat": None}, {"lat": "abc"}, {"lon": "nan"}])
def test_a_broken_geocoder_answer_is_no_500(client, organiser, nominatim, raw):
    maria, group = organiser
    broken = {**nominatim.places["12 raeburn place, edinburgh"][0], **raw}
    if raw.get("lat", "") is None:
        del broken["lat"]
    nominatim.places["odd street"] = [broken]
    for extra in ({"find": "1"}, {"use": "²"}, {"use": "9" * 5000}):
        assert (
            plan(client, group, maria, address="odd street", **extra).status_code == 200
        )


def test_a_failed_lookup_of_a_changed_address_takes_the_old_pin_away(
    client, organiser, nominatim, db
):
    maria, group = organiser
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh")
    event = db.session.scalar(db.select(Event))
    move(client, event, maria, "1 Nowhere Lane")
    db.session.refresh(event)
    assert (event.address, event.latitude, event.public_latitude) == (
        "1 Nowhere Lane", None, None
    )  # fmt: skip


def test_a_case_change_keeps_the_pin(client, organiser, nominatim, db):
    maria, group = organiser
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh",
         latitude="55.9601", longitude="-3.2111")  # fmt: skip
    event = db.session.scalar(db.select(Event))
    data = form_data(host_id=str(maria.id), timezone="Europe/London",
                     address="12 raeburn place,  Edinburgh",
                     latitude="55.9601", longitude="-3.2111")  # fmt: skip
    client.post(f"/events/{event.id}/edit", data=data)
    db.session.refresh(event)
    assert (event.latitude, event.longitude) == (55.9601, -3.2111)


def test_a_latitude_alone_is_refused(client, organiser, db):
    maria, group = organiser
    page = plan(client, group, maria, latitude="55.95").get_data(as_text=True)
    assert "Give both latitude and longitude" in page
    assert db.session.scalar(db.select(Event)) is None


def test_a_group_area_never_keeps_a_street_address(client, make_user, login, nominatim):
    login(make_user())
    data = {"name": "Readers", "area": "12 Raeburn Place, Edinburgh", "find": "1",
            "timezone": "Europe/London", "visibility": "public"}  # fmt: skip
    page = client.post("/groups/new", data=data).get_data(as_text=True)
    assert 'value="Stockbridge, City of Edinburgh"' in page
