"""Location lookup through geopy's real Nominatim client, against a local server."""

import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import GeocodeCache, GeocoderThrottle
from meetup.models.base import utcnow
from meetup.services import geocoding
from tests.nominatim import FakeNominatim

ADDRESS = "12 Raeburn Place, Edinburgh"


def test_finds_candidates_through_nominatim(app, nominatim):
    lookup = geocoding.find(ADDRESS)
    [place] = lookup.candidates
    assert lookup.notice == ""
    assert (place.lat, place.lon) == (55.9580213, -3.2093134)
    assert place.area == "Stockbridge, City of Edinburgh"
    assert place.label.startswith("12, Raeburn Place")
    [request] = nominatim.requests
    assert request["path"] == "/search"
    assert request["query"]["addressdetails"] == "1"
    assert request["user_agent"] == app.config["GEOCODER_USER_AGENT"]


def test_up_to_five_candidates_to_choose_from(app, nominatim):
    assert len(geocoding.find("Raeburn Place").candidates) == 2
    assert nominatim.requests[0]["query"]["limit"] == "5"


def test_a_cached_lookup_skips_the_server(app, nominatim):
    first = geocoding.find(ADDRESS)
    again = geocoding.find("  12 raeburn place,   EDINBURGH ")
    assert again == first
    assert len(nominatim.requests) == 1
    [row] = db.session.scalars(db.select(GeocodeCache)).all()
    assert "raeburn" not in row.query_key.lower()  # a hash, not the address


def test_nothing_found_says_what_to_do_and_is_not_cached(app, nominatim):
    lookup = geocoding.find("1 Nowhere Street, Xyzzyville")
    assert lookup.candidates == [] and "place the pin" in lookup.notice
    geocoding.find("1 Nowhere Street, Xyzzyville")
    assert len(nominatim.requests) == 2


@pytest.mark.parametrize("mode", ["503", "429", "garbage", "slow"])
def test_a_failing_server_falls_back_to_the_gazetteer(
    app, nominatim, monkeypatch, mode
):
    monkeypatch.setattr(geocoding, "TIMEOUT", 0.5)
    nominatim.mode = mode
    lookup = geocoding.find(ADDRESS)
    assert [c.label for c in lookup.candidates] == ["Edinburgh, United Kingdom"]
    assert "move the pin" in lookup.notice
    unknown = geocoding.find("1 Nowhere Street, Xyzzyville")
    assert unknown.candidates == [] and "isn't answering" in unknown.notice


def test_offline_mode_uses_only_the_gazetteer(app, nominatim):
    app.config["GEOCODER"] = "offline"
    assert geocoding.find("Munich").candidates[0].label == "Munich, Germany"
    assert geocoding.find("São Paulo").candidates[0].label == "São Paulo, Brazil"
    assert nominatim.requests == []


def test_none_mode_looks_nothing_up(app, nominatim):
    app.config["GEOCODER"] = "none"
    lookup = geocoding.find(ADDRESS)
    assert lookup.candidates == [] and "switched off" in lookup.notice
    assert nominatim.requests == []


def test_typed_addresses_never_reach_the_logs(app, nominatim, caplog):
    caplog.set_level(logging.DEBUG)
    geocoding.find(ADDRESS)
    nominatim.mode = "503"
    geocoding.find("7 Other Street, Edinburgh")
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "Raeburn" not in text and "Other Street" not in text


def test_one_request_a_second_within_a_process(app, nominatim):
    for street in ("Raeburn Place", "12 Raeburn Place, Edinburgh", "1 Nowhere St"):
        geocoding.find(street)
    times = [r["at"] for r in nominatim.requests]
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:], strict=False)), times


LOOKUPS_IN_A_PROCESS = """
import sys
from tests.conftest import make_test_app
from meetup.services import geocoding
app = make_test_app(sys.argv[1], GEOCODER="nominatim", NOMINATIM_URL=sys.argv[2])
with app.app_context():
    for n in range(2):
        geocoding.find(f"{sys.argv[3]} {n} Street")
"""


def test_the_throttle_holds_across_processes(app, database_url):
    with FakeNominatim() as server:
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    LOOKUPS_IN_A_PROCESS,
                    database_url,
                    server.url,
                    name,
                ],
                cwd=os.getcwd(),
            )
            for name in ("first", "second")
        ]
        assert [w.wait(timeout=60) for w in workers] == [0, 0]
    times = sorted(r["at"] for r in server.requests)
    assert len(times) == 4
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:], strict=False)), times


def test_a_clock_that_ran_ahead_does_not_block_lookups(app, nominatim):
    db.session.add(
        GeocoderThrottle(id=1, next_request_at=utcnow() + timedelta(hours=1))
    )
    db.session.commit()
    assert geocoding.find(ADDRESS).candidates
    assert len(nominatim.requests) == 1
