"""Where things are: distances, near-me radii and time zones (plain geometry).

What a reader may know of a home's spot is `meetup.privacy`'s to say.
"""

from __future__ import annotations

import math

import tzfpy

EARTH_RADIUS_KM = 6371.0088  # mean radius, as geopy's great_circle uses
#: Near-me radius bounds; the floor keeps tiny circles from narrowing a home down.
MIN_RADIUS_KM, MAX_RADIUS_KM, DEFAULT_RADIUS_KM = 2, 200, 25


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(
    lat: float, lon: float, km: float
) -> tuple[float, float, float, float]:
    """South, west, north, east of a box that holds the circle (a cheap prefilter)."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    dlon = math.degrees(km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 0.01)))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def clamp_radius(km: float | None) -> float:
    if km is None:
        return DEFAULT_RADIUS_KM
    return min(max(km, MIN_RADIUS_KM), MAX_RADIUS_KM)


def timezone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a point, offline (tzfpy: ~6 µs a lookup, 5 MB installed)."""
    return tzfpy.get_tz(lon, lat) or None
