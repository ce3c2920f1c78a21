"""Measure location lookup and near-me search; prints figures, asserts nothing.

    .venv/bin/python -m bench.locations [DATABASE_URL]

Seeds 100,000 upcoming events spread over five metro areas (a fifth of them at
homes) into a fresh database, then times: uncached lookups against a local
Nominatim-speaking server (throttle off, to see the client's own cost), cache
hits, and near-me searches of 25 km around a dense city centre.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import timedelta

from sqlalchemy import insert

from meetup import privacy
from meetup.extensions import db
from meetup.models import Event, Group, Membership, Role, User, Visibility
from meetup.models.base import utcnow
from meetup.services import finding, geocoding
from tests.conftest import make_test_app
from tests.nominatim import FakeNominatim

EVENTS = 100_000
METROS = [(51.5074, -0.1278), (53.4808, -2.2426), (55.9533, -3.1883),
          (52.4862, -1.8904), (53.8008, -1.5491)]  # fmt: skip


def median_ms(run, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def seed(now) -> None:
    user = User(display_name="Bench", email="bench@example.org", password_hash="x")
    group = Group(slug="bench", name="Bench", timezone="Europe/London",
                  visibility=Visibility.PUBLIC)  # fmt: skip
    db.session.add_all(
        [user, group, Membership(group=group, user=user, role=Role.ORGANISER)]
    )
    db.session.flush()
    rows, rng = [], random.Random(8)
    for n in range(EVENTS):
        lat0, lon0 = METROS[n % len(METROS)]
        lat, lon = lat0 + rng.gauss(0, 0.15), lon0 + rng.gauss(0, 0.25)
        home = n % 5 == 0
        public = privacy.grid_cell_centre(lat, lon) if home else (lat, lon)
        starts = now + timedelta(days=1 + n % 300, hours=n % 12)
        rows.append(dict(
            group_id=group.id, title=f"Gathering {n}", description="", area="",
            venue_type="home" if home else "church", venue_name="", address="",
            access_notes="", starts_at=starts, ends_at=starts + timedelta(hours=3),
            timezone="Europe/London", max_guests=0, visibility="public", question="",
            seats_taken=0, cancel_reason="", created_at=now, updated_at=now,
            latitude=lat, longitude=lon, public_latitude=public[0],
            public_longitude=public[1],
        ))  # fmt: skip
    for start in range(0, EVENTS, 5000):
        db.session.execute(insert(Event), rows[start : start + 5000])
    db.session.commit()


def main(url: str) -> None:
    app = make_test_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        now = utcnow()
        started = time.perf_counter()
        seed(now)
        print(f"seeded {EVENTS} events in {time.perf_counter() - started:.1f} s")
        centre = METROS[2]
        found = finding.near(None, now, *centre, 25)
        ms = median_ms(lambda: finding.near(None, now, *centre, 25), 20)
        print(f"near-me 25 km, {len(found.event_ids)} matches: median {ms:.1f} ms")
        with FakeNominatim() as server:
            app.config.update(GEOCODER="nominatim", NOMINATIM_URL=server.url)
            geocoding.MIN_INTERVAL = timedelta(0)
            server.places = {
                f"street {n}": server.places["raeburn place"] for n in range(200)
            }
            count = iter(range(200))
            ms = median_ms(lambda: geocoding.find(f"Street {next(count)}"), 200)
            rate = 1000 / ms
            print(f"uncached lookup (throttle off): median {ms:.2f} ms = {rate:.0f}/s")
            ms = median_ms(lambda: geocoding.find("Street 1"), 1000)
            print(f"cache hit: median {ms * 1000:.0f} µs")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite:////tmp/hearth-bench.db")
