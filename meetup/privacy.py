"""Address privacy, applied: what a reader is told of where a gathering is.

`permissions.event_access` decides what one person may see; this module turns
that decision into what every surface shows: the place in words, the point on a
map, the public point of a home, the searchable text and the distances shown.
No queries; callers pass what they loaded.

A home's public point is the centre of the ~1 km grid cell it falls in. It is
computed from the exact spot whenever that is set, and is the same every time:
no per-request jitter to average away, and no circle centred on the home.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement

from meetup.models import Event, Group, VenueType
from meetup.permissions import EventAccess

#: Cell height in degrees of latitude (~1.1 km); widths shrink with latitude so
#: cells stay roughly square.
GRID_DEGREES = 0.01


def place(event: Event, access: EventAccess) -> str:
    """Where, as this person may be told it: the address, or only the area."""
    if not (event.address or event.area or event.venue_name):
        return _("Place to be confirmed")  # a series date whose host gave it up
    name = event.venue_name or event.venue_type.label
    if access.sees_address and event.address:
        return f"{name}, {event.address}"
    if event.is_home:
        if event.area:
            return _("A member's home in %(area)s", area=event.area)
        return _("A member's home")
    return f"{name}, {event.area}" if event.area else name


def place_before(before: Event, access: EventAccess) -> str:
    """The old place of a gathering that moved, as this reader could see it then:
    a home stays its area unless they are entitled, even if the new venue is public."""
    then = dataclasses.replace(
        access, sees_address=not before.is_home or access.is_entitled
    )
    return place(before, then)


@dataclass(frozen=True)
class MapPoint:
    """A point a map may show this reader."""

    lat: float
    lon: float
    exact: bool  # False: the centre of the home's grid cell, shown as the cell


def map_point(event: Event, access: EventAccess) -> MapPoint | None:
    """What this person may see on a map: the spot, the cell, or nothing."""
    if access.sees_address and event.latitude is not None:
        return MapPoint(event.latitude, event.longitude, True)
    if event.public_latitude is None:
        return None
    return MapPoint(event.public_latitude, event.public_longitude, not event.is_home)


def public_point(
    venue_type: VenueType, lat: float | None, lon: float | None
) -> tuple[float | None, float | None]:
    """The point anyone who may see the event may know."""
    if lat is None or lon is None:
        return None, None
    if venue_type is VenueType.HOME:
        return grid_cell_centre(lat, lon)
    return lat, lon


def grid_cell_centre(lat: float, lon: float) -> tuple[float, float]:
    """The centre of the ~1 km cell the spot falls in: a home's public point."""
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


def cell_shown(point: MapPoint | None) -> tuple | None:
    """The ~1 km square drawn instead of a pin for a home the viewer may not see."""
    if point is None or point.exact:
        return None
    return grid_cell_bounds(point.lat, point.lon)


def searchable_text() -> tuple[ColumnElement, ...]:
    """What a text search may match. Never the address: a search must not
    answer "is there a home at ...?"."""
    return (Event.title, Event.area, Event.description, Group.name)


def shown_km(km: float) -> int:
    """Distances from a public point, in whole kilometres (at least 1), so that
    searching from three places cannot pin a home down."""
    return max(1, round(km))
