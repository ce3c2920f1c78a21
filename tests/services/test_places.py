"""Where things are: the public point of a home, distances, near-me, time zones."""

import random
from datetime import datetime, timedelta

import pytest
from flask_babel import force_locale
from geopy.distance import geodesic

from meetup import dates, privacy, times
from meetup.models import VenueType
from meetup.permissions import NO_ACCESS
from meetup.services import events, finding, places, rsvps, viewers
from tests.conftest import NOW
from tests.scenes import edited, organiser_of

random.seed(20261125)
POINTS = [(random.uniform(-60, 60), random.uniform(-179, 179)) for _ in range(300)]


def test_great_circle_distance_agrees_with_the_geodesic():
    for (a, b), (c, d) in zip(POINTS, POINTS[1:], strict=False):
        exact = geodesic((a, b), (c, d)).km
        assert places.distance_km(a, b, c, d) == pytest.approx(exact, rel=0.006)


def test_a_homes_public_point_is_stable_near_and_never_the_home():
    for lat, lon in POINTS:
        public = privacy.public_point(VenueType.HOME, lat, lon)
        assert public == privacy.public_point(VenueType.HOME, lat, lon)
        assert public != (lat, lon)
        assert places.distance_km(lat, lon, *public) < 1.0  # inside its ~1 km cell


def test_other_places_are_public_where_they_are():
    assert privacy.public_point(VenueType.CHURCH, 55.9489, -3.195) == (55.9489, -3.195)


def test_time_zone_from_coordinates_gives_the_right_local_time_across_dst(app):
    zone = places.timezone_at(55.9580, -3.2093)  # Edinburgh
    assert zone == "Europe/London"
    assert places.timezone_at(40.7128, -74.0060) == "America/New_York"
    winter = times.to_utc(datetime(2026, 1, 15, 19, 30), zone)
    summer = times.to_utc(datetime(2026, 7, 15, 19, 30), zone)
    with force_locale("en_GB"):
        assert dates.when(winter, zone) == "Thu 15 Jan · 19:30 GMT"
        assert dates.when(summer, zone) == "Wed 15 Jul · 19:30 BST"


def test_near_search_agrees_with_exact_distances(make_event, make_group):
    group = make_group()
    spread = [(55.95 + random.uniform(-0.5, 0.5), -3.19 + random.uniform(-0.8, 0.8))
              for _ in range(40)]  # fmt: skip
    made = {}
    for lat, lon in spread:
        event = make_event(
            group, venue_type=VenueType.CHURCH, latitude=lat, longitude=lon
        )
        made[event.id] = (lat, lon)
    centre, radius = (55.95, -3.19), 25
    found = finding.near(None, NOW, *centre, radius)
    expected = {i for i, point in made.items() if geodesic(centre, point).km <= radius}
    boundary = {
        i for i, p in made.items() if abs(geodesic(centre, p).km - radius) < 0.2
    }
    assert set(found.event_ids) ^ expected <= boundary
    distances = [places.distance_km(*centre, *made[i]) for i in found.event_ids]
    assert distances == sorted(distances)


def test_tiny_radii_are_widened_and_distances_rounded(make_event):
    event = make_event(venue_type=VenueType.CHURCH, latitude=55.9489, longitude=-3.195)
    found = finding.near(None, NOW, 55.9400, -3.1950, within_km=0.1)
    assert found.event_ids == [event.id]  # 1 km away: inside the 2 km floor
    assert found.km[event.id] == 1


def test_three_searches_cannot_pin_a_home_within_its_cell(make_group, make_event):
    """Two homes in the same cell look identical from anywhere: no trilateration."""
    group = make_group()
    a = make_event(group, venue_type=VenueType.HOME, address="1 A St",
                   latitude=55.95810, longitude=-3.20930)  # fmt: skip
    b = make_event(group, venue_type=VenueType.HOME, address="9 B St",
                   latitude=55.95190, longitude=-3.20400)  # fmt: skip
    assert places.distance_km(55.95810, -3.20930, 55.95190, -3.20400) > 0.7
    for centre in ((55.99, -3.25), (55.90, -3.15), (55.96, -3.30)):
        found = finding.near(None, NOW, *centre, 30)
        assert found.km[a.id] == found.km[b.id]
    assert (a.public_latitude, a.public_longitude) == (
        b.public_latitude, b.public_longitude
    )  # fmt: skip


def test_map_shows_the_cell_to_strangers_and_the_spot_to_those_going(
    make_event, make_user
):
    event = make_event(venue_type=VenueType.HOME, address="1 A St",
                       latitude=55.95810, longitude=-3.20930)  # fmt: skip
    stranger = privacy.map_point(event, NO_ACCESS)
    assert (stranger.lat, stranger.lon, stranger.exact) == (
        event.public_latitude, event.public_longitude, False
    )  # fmt: skip
    ana = make_user()
    rsvps.respond(event, ana, going=True, now=NOW)
    going = privacy.map_point(event, viewers.viewer(event, ana).access)
    assert (going.lat, going.lon, going.exact) == (55.95810, -3.20930, True)


def test_moving_the_pin_or_changing_the_kind_of_place_moves_the_public_point(
    make_event,
):
    event = make_event(venue_type=VenueType.HOME, address="1 A St",
                       latitude=55.95810, longitude=-3.20930)  # fmt: skip
    organiser = organiser_of(event.group)
    events.update_event(
        organiser, event, edited(event, venue_type=VenueType.CHURCH), NOW
    )
    assert (event.public_latitude, event.public_longitude) == (55.95810, -3.20930)
    events.update_event(
        organiser,
        event,
        edited(event, venue_type=VenueType.HOME, latitude=40.7128, longitude=-74.0060),
        NOW,
    )
    assert event.public_latitude == privacy.grid_cell_centre(40.7128, -74.0060)[0]
    assert event.starts_at > NOW + timedelta(days=1)
