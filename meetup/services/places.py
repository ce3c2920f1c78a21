"""Where things are: the public point of a home, distances, and time zones.

A home's public point is the centre of the ~1 km grid cell it falls in. It is
computed from the exact spot whenever that is set, and is the same every time:
no per-request jitter to average away, and no circle centred on the home.
"""

from __future__ import annotations

import math

import tzfpy

from meetup.models import VenueType

#: Cell height in degrees of latitude (~1.1 km); widths shrink with latitude so
#: cells stay roughly square.
GRID_DEGREES = 0.01
EARTH_RADIUS_KM = 6371.0088  # mean radius, as geopy's great_circle uses
#: Near-me radius bounds; the floor keeps tiny circles from narrowing a home down.
MIN_RADIUS_KM, MAX_RADIUS_KM, DEFAULT_RADIUS_KM = 2, 200, 25


def grid_cell_centre(lat: float, lon: float) -> tuple[float, float]:
    row = math.floor(lat / GRID_DEGREES)
    centre_lat = (row + 0.5) * GRID_DEGREES
    width = GRID_DEGREES / max(math.cos(math.radians(centre_lat)), 0.01)
    column = math.floor(lon / width)
    return round(centre_lat, 6), round((column + 0.5) * width, 6)


def grid_cell_bounds(lat: float, lon: float) -> tuple[float, float, float, float]:
    """South, west, north, east of the cell whose centre is (lat, lon)."""
    width = GRID_DEGREES / max(math.cos(math.radians(lat)), 0.01)
    edges = (lat - GRID_DEGREES / 2, lon - width / 2, lat + GRID_DEGREES / 2,
             lon + width / 2)  # fmt: skip
    return tuple(round(edge, 6) for edge in edges)


def public_point(
    venue_type: VenueType, lat: float | None, lon: float | None
) -> tuple[float | None, float | None]:
    """The point anyone who may see the event may know."""
    if lat is None or lon is None:
        return None, None
    if venue_type is VenueType.HOME:
        return grid_cell_centre(lat, lon)
    return lat, lon


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
