"""The devices someone is signed in on: started at sign-in, ended at sign-out.

The cookie carries a random token and the table keeps only its hash, so a
copied cookie stops working the moment its row is gone, and a copy of the table
signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update

from meetup.extensions import db
from meetup.models import Device, User

#: "Keep me signed in": 30 days after the device was last seen, sliding.
REMEMBER_FOR = timedelta(days=30)
#: Without it, a day after it was last seen (and when the browser closes).
FORGET_AFTER = timedelta(days=1)
#: Last seen is written at most this often, not on every page.
TOUCH_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, remember: bool, user_agent: str, now: datetime) -> str:
    """A new device session; returns the token for the cookie (a new one at
    every sign-in, so a session fixed by someone else is worthless)."""
    token = secrets.token_urlsafe(32)
    db.session.execute(
        delete(Device).where(
            Device.user_id == user.id, Device.last_seen_at < now - REMEMBER_FOR
        )
    )
    db.session.add(
        Device(
            user_id=user.id,
            token_hash=_hash(token),
            remember=remember,
            user_agent=user_agent[:200],
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.flush()
    return token


def _alive(device: Device, now: datetime) -> bool:
    lasts = REMEMBER_FOR if device.remember else FORGET_AFTER
    return device.last_seen_at > now - lasts


def find(token: str, now: datetime) -> Device | None:
    """The live device this token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    device = db.session.scalar(db.select(Device).filter_by(token_hash=_hash(token)))
    return device if device is not None and _alive(device, now) else None


def needs_touch(device: Device, now: datetime) -> bool:
    return device.last_seen_at < now - TOUCH_EVERY


def touch(device_id: int, now: datetime) -> None:
    """Written on its own connection, outside the request's transaction, so a
    page that only reads still slides the 30 days on."""
    with db.engine.begin() as connection:
        connection.execute(
            update(Device).where(Device.id == device_id).values(last_seen_at=now)
        )


def end(token: str) -> None:
    db.session.execute(delete(Device).where(Device.token_hash == _hash(token)))


def end_all(user: User) -> int:
    """Sign her out everywhere; how many devices that was."""
    return db.session.execute(delete(Device).where(Device.user_id == user.id)).rowcount


def purge(now: datetime) -> int:
    """Devices not seen for REMEMBER_FOR are signed out already; their rows
    (and the browser named in them) go."""
    gone = delete(Device).where(Device.last_seen_at < now - REMEMBER_FOR)
    return db.session.execute(gone).rowcount


def of(user: User, now: datetime) -> list[Device]:
    """Her live devices, the most recently seen first."""
    devices = db.session.scalars(
        db.select(Device)
        .filter_by(user_id=user.id)
        .order_by(Device.last_seen_at.desc(), Device.id.desc())
    )
    return [device for device in devices if _alive(device, now)]


def is_current(device: Device, token: str | None) -> bool:
    return token is not None and device.token_hash == _hash(token)


def describe(user_agent: str) -> tuple[str, str]:
    """(browser, system) from a User-Agent, enough to recognise one's phone."""
    browsers = [("Edg/", "Edge"), ("Firefox/", "Firefox"),
                ("SamsungBrowser", "Samsung Internet"), ("OPR/", "Opera"),
                ("Chrome/", "Chrome"), ("Safari/", "Safari")]  # fmt: skip
    systems = [("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
               ("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"),
               ("Linux", "Linux")]  # fmt: skip
    browser = next((name for mark, name in browsers if mark in user_agent), "")
    system = next((name for mark, name in systems if mark in user_agent), "")
    return browser, system
