"""Finding places: the database cache, then the Nominatim server, then the gazetteer.

Lookups happen only on an explicit action (a Find button, saving a form, a
near-me search), never while a page renders. Failures never raise: the caller
gets what could be found and a notice saying what to do next. Typed addresses
are never logged.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from meetup import gazetteer
from meetup.extensions import db
from meetup.models import GeocodeCache, GeocoderThrottle
from meetup.models.base import utcnow

log = logging.getLogger(__name__)
# geopy logs every request URL, typed address included, at DEBUG: never let it.
logging.getLogger("geopy").setLevel(logging.INFO)

TIMEOUT = 5  # seconds; geopy's default of 1 s fails on a slow day
MAX_CANDIDATES = 5
#: The OpenStreetMap policy: at most one request a second, for the whole site.
MIN_INTERVAL = timedelta(seconds=1)
THROTTLE_WAIT = 3.0  # seconds a request may wait for its turn before giving up


@dataclass(frozen=True)
class Candidate:
    label: str  # the full display name, for the organiser to choose from
    area: str  # neighbourhood and city: what strangers may be told
    lat: float
    lon: float


@dataclass(frozen=True)
class Lookup:
    candidates: list[Candidate]
    #: Why there are no (or only approximate) results, in words; "" when all went well.
    notice: str = ""


NOT_FOUND = (
    "We couldn't find that address. Check the spelling, add the town, or place "
    "the pin on the map yourself."
)
UNAVAILABLE = (
    "The address finder isn't answering right now. Everything you typed is kept: "
    "save and place the pin by hand, or try Find again in a minute."
)
OFF = "Address lookup is switched off here. Place the pin on the map yourself."


def find(query: str) -> Lookup:
    """Up to five places matching what was typed."""
    query = " ".join(query.split())
    if not query:
        return Lookup([], NOT_FOUND)
    mode = current_app.config["GEOCODER"]
    if mode == "none":
        return Lookup([], OFF)
    cached = _from_cache(query)
    if cached is not None:
        return Lookup(cached)
    if mode == "nominatim":
        try:
            found = _ask_nominatim(query)
        except (GeocoderServiceError, Busy) as error:
            log.warning("geocoder unavailable: %s", type(error).__name__)
        else:
            _remember(query, found)
            return Lookup(found, "" if found else NOT_FOUND)
        return _from_gazetteer(query, UNAVAILABLE)
    return _from_gazetteer(query, NOT_FOUND)


def _from_gazetteer(query: str, notice_if_empty: str) -> Lookup:
    cities = gazetteer.search(query, limit=MAX_CANDIDATES)
    found = [Candidate(c.label, c.label, c.lat, c.lon) for c in cities]
    if not found:
        return Lookup([], notice_if_empty)
    return Lookup(found, "Only the town was found; move the pin to the exact spot.")


def _ask_nominatim(query: str) -> list[Candidate]:
    _wait_for_turn()
    places = _client().geocode(
        query, exactly_one=False, limit=MAX_CANDIDATES, addressdetails=True
    )
    return [_candidate(place.raw) for place in places or []]


def _client() -> Nominatim:
    url = urlsplit(current_app.config["NOMINATIM_URL"])
    client = Nominatim(
        domain=url.netloc,
        scheme=url.scheme,
        user_agent=current_app.config["GEOCODER_USER_AGENT"],
        timeout=TIMEOUT,
        # Chosen explicitly: geopy would silently switch to requests (other
        # exceptions, other retries) whenever that package happens to be installed.
        adapter_factory=URLLibAdapter,
    )
    client.api = f"{url.scheme}://{url.netloc}{url.path}/search"
    client.reverse_api = f"{url.scheme}://{url.netloc}{url.path}/reverse"
    return client


def _candidate(raw: dict) -> Candidate:
    address = raw.get("address") or {}
    near = next(
        (address[k] for k in ("neighbourhood", "suburb", "quarter", "village")
         if address.get(k)),
        "",
    )  # fmt: skip
    town = next(
        (
            address[k]
            for k in ("city", "town", "municipality", "county")
            if address.get(k)
        ),
        "",
    )
    area = ", ".join(part for part in (near, town) if part)
    return Candidate(
        label=raw.get("display_name", ""),
        area=area or raw.get("display_name", "").split(",")[-1].strip(),
        lat=float(raw["lat"]),
        lon=float(raw["lon"]),
    )


class Busy(Exception):
    """Another worker holds the geocoder's turn for longer than we may wait."""


def _wait_for_turn() -> None:
    """Take the next one-second slot, shared through the database by all workers."""
    deadline = time.monotonic() + THROTTLE_WAIT
    while True:
        now = utcnow()
        # Its own short transaction: the slot is taken even if the request rolls back.
        with db.engine.begin() as connection:
            taken = connection.execute(
                update(GeocoderThrottle)
                .where(GeocoderThrottle.id == 1)
                .where(GeocoderThrottle.next_request_at <= now)
                .values(next_request_at=now + MIN_INTERVAL)
            ).rowcount
            if not taken and not _throttle_exists(connection):
                taken = _create_throttle(connection, now)
        if taken:
            return
        if time.monotonic() >= deadline:
            raise Busy
        time.sleep(0.05)


def _throttle_exists(connection) -> bool:
    return connection.scalar(db.select(GeocoderThrottle.id)) is not None


def _create_throttle(connection, now) -> bool:
    try:
        with connection.begin_nested():
            connection.execute(
                insert(GeocoderThrottle).values(
                    id=1, next_request_at=now + MIN_INTERVAL
                )
            )
    except IntegrityError:  # another worker created it first
        return False
    return True


def _key(query: str) -> str:
    return hashlib.sha256(query.casefold().encode()).hexdigest()


def _from_cache(query: str) -> list[Candidate] | None:
    row = db.session.get(GeocodeCache, _key(query))
    return None if row is None else [Candidate(**item) for item in row.results]


def _remember(query: str, found: list[Candidate]) -> None:
    """Cache in a transaction of its own: a Find that saves nothing still caches."""
    if not found:
        return  # a miss may be a typo fixed upstream tomorrow: ask again next time
    row = {"query_key": _key(query), "results": [asdict(c) for c in found]}
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(GeocodeCache).values(created_at=utcnow(), **row))
    except IntegrityError:
        pass  # another request cached the same query a moment ago
