"""Calendar feeds as last built: reused while nothing in them changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from meetup.models.base import Base, UTCDateTime


class BuiltFeed(Base):
    __tablename__ = "built_feeds"

    #: Whose feed: "group:12:public", "group:12:members" or "personal:7".
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The version it was built for; a different one means build it again.
    etag: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    #: The feed's Last-Modified: a new version always gets a later second, so
    #: a client that only sends If-Modified-Since never keeps a stale copy.
    built_at: Mapped[datetime] = mapped_column(UTCDateTime())
