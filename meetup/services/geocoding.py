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
from flask_babel import lazy_gettext as _l
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from sqlalchemy import insert, select, update
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
THROTTLE_WAIT = 5.0  # seconds a request may wait for its turn before giving up


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


NOT_FOUND = _l(
    "We couldn't find that address. Check the spelling, add the town, or place "
    "the pin on the map yourself."
)
UNAVAILABLE = _l(
    "The address finder isn't answering right now. Everything you typed is kept: "
    "save and place the pin by hand, or try Find again in a minute."
)
TOWN_ONLY = _l("Only the town was found; move the pin to the exact spot.")
OFF = _l("Address lookup is switched off here. Place the pin on the map yourself.")


def find(query: str, scope: str = "places") -> Lookup:
    """Up to five places matching what was typed.

    `scope` keeps caches apart: organisers' lookups ("places", which include home
    addresses) are never answered to near-me searches ("search"), so a search
    cannot tell whether someone looked an address up.
    """
    query = " ".join(query.split())
    if not query:
        return Lookup([], NOT_FOUND)
    mode = current_app.config["GEOCODER"]
    if mode == "none":
        return Lookup([], OFF)
    key = _key(scope, query)
    cached = _from_cache(key)
    if cached is not None:
        return Lookup(cached)
    if mode == "nominatim":
        try:
            found = _ask_nominatim(query)
        # A broken answer (no lat, "abc") is as unusable as no answer.
        except (GeocoderServiceError, Busy, ValueError, TypeError, KeyError) as error:
            log.warning("geocoder unavailable: %s", type(error).__name__)
            return _from_gazetteer(query, UNAVAILABLE)
        if found:
            _remember(key, found)
            return Lookup(found)
    return _from_gazetteer(query, NOT_FOUND)


def _from_gazetteer(query: str, notice_if_empty: str) -> Lookup:
    cities = gazetteer.search(query, limit=MAX_CANDIDATES)
    found = [Candidate(c.label, c.label, c.lat, c.lon) for c in cities]
    if not found:
        return Lookup([], notice_if_empty)
    return Lookup(found, TOWN_ONLY)


def _ask_nominatim(query: str) -> list[Candidate]:
    _wait_for_turn()
    places = _client().geocode(
        query, exactly_one=False, limit=MAX_CANDIDATES, addressdetails=True
    )
    found = (_candidate(place.raw) for place in places or [])
    return [c for c in found if -90 <= c.lat <= 90 and -180 <= c.lon <= 180]


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
    """Reserve the next free one-second slot, first come first served, and wait.

    The slot is kept in the database so every worker and process shares it. A
    slot further ahead than any real reservation can be is a clock that ran
    fast somewhere: it is ignored rather than waited for.
    """
    now = utcnow()
    # Its own short transaction: the slot is taken even if the request rolls back.
    with db.engine.begin() as connection:
        _lock_throttle(connection, now)
        next_free = connection.scalar(select(GeocoderThrottle.next_request_at))
        if next_free - now > MIN_INTERVAL + timedelta(seconds=THROTTLE_WAIT):
            next_free = now
        wait = max((next_free - now).total_seconds(), 0.0)
        if wait > THROTTLE_WAIT:
            raise Busy
        connection.execute(
            update(GeocoderThrottle).values(
                next_request_at=max(next_free, now) + MIN_INTERVAL
            )
        )
    time.sleep(wait)


def _lock_throttle(connection, now) -> None:
    """Create the one row if needed, then lock it with a no-op write (a row lock
    on PostgreSQL, the write lock on SQLite) so reservations queue up."""
    if connection.scalar(select(GeocoderThrottle.id)) is None:
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(GeocoderThrottle).values(id=1, next_request_at=now)
                )
        except IntegrityError:
            pass  # another worker created it first
    connection.execute(update(GeocoderThrottle).values(id=GeocoderThrottle.id))


def _key(scope: str, query: str) -> str:
    return hashlib.sha256(f"{scope}\0{query.casefold()}".encode()).hexdigest()


def _from_cache(key: str) -> list[Candidate] | None:
    row = db.session.get(GeocodeCache, key)
    return None if row is None else [Candidate(**item) for item in row.results]


def _remember(key: str, found: list[Candidate]) -> None:
    """Cache in a transaction of its own: a Find that saves nothing still caches.
    Misses are not cached: a typo fixed upstream tomorrow should be asked again."""
    row = {"query_key": key, "results": [asdict(c) for c in found]}
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(GeocodeCache).values(created_at=utcnow(), **row))
    except IntegrityError:
        pass  # another request cached the same query a moment ago
