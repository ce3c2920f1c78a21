"""Built calendar feeds, kept until their version changes: in this process's
memory for the last few, and in the database for every worker."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from meetup.extensions import db
from meetup.models import BuiltFeed


@dataclass(frozen=True)
class Version:
    """What a conditional request is answered with, known before building.

    Feeds have a `key` under which they are kept once built (their Last-Modified
    is when that was); a single event is cheap to build and knows its own time.
    """

    etag: str
    key: str | None = None
    last_modified: datetime | None = None


@dataclass(frozen=True)
class Built:
    """A feed's bytes for one version, and when that version was first built."""

    etag: str
    body: bytes
    built_at: datetime


#: How many feeds each app process keeps in memory (see `built_feed`).
RECENT_FEEDS = 64


def built_feed(version: Version, build: Callable[[], bytes], now: datetime) -> Built:
    """The feed for this version: as built before, or built and kept now.

    Each new version is stamped at least a second after the one it replaces, so
    Last-Modified always moves forward at HTTP's one-second resolution.
    """
    # The last feeds this process served: a hit skips reading the body back
    # from the database. Checked against the version first, so an edit is never
    # served stale; small, so a worker's memory stays flat.
    recent = current_app.extensions.setdefault("hearth.recent_feeds", OrderedDict())
    built = recent.get(version.key)
    if built is None or built.etag != version.etag:
        built = _stored(version, build, now)
    recent[version.key] = built
    recent.move_to_end(version.key)
    while len(recent) > RECENT_FEEDS:
        recent.popitem(last=False)
    return built


def _stored(version: Version, build: Callable[[], bytes], now: datetime) -> Built:
    feed = db.session.get(BuiltFeed, version.key)
    if feed is None or feed.etag != version.etag:
        feed = _store(version, build(), now, feed)
    return Built(feed.etag, feed.body, feed.built_at)


def _store(
    version: Version, body: bytes, now: datetime, feed: BuiltFeed | None
) -> BuiltFeed:
    if feed is None:
        feed = BuiltFeed(key=version.key, etag=version.etag, body=body)
        feed.built_at = now.replace(microsecond=0)
        try:
            with db.session.begin_nested():
                db.session.add(feed)
            return feed
        except IntegrityError:  # another request built it a moment ago
            feed = db.session.get(BuiltFeed, version.key, populate_existing=True)
    feed.built_at = max(
        now.replace(microsecond=0), feed.built_at + timedelta(seconds=1)
    )
    feed.etag, feed.body = version.etag, body
    db.session.flush()
    return feed
