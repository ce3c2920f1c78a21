"""What the geocoder found before, and when it may next be asked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from meetup.models.base import Base, UTCDateTime, utcnow


class GeocodeCache(Base):
    __tablename__ = "geocode_cache"

    #: sha256 of the normalised query: typed addresses are not kept in the clear.
    query_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Candidates as [{"label", "area", "lat", "lon"}, ...].
    results: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GeocoderThrottle(Base):
    """One row: the earliest moment the shared geocoding server may be asked again.

    Shared by every worker and process through the database, so the whole
    deployment keeps to the OpenStreetMap policy of one request a second.
    """

    __tablename__ = "geocoder_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    next_request_at: Mapped[datetime] = mapped_column(UTCDateTime())
