"""Her data, to take away: what Hearth holds about one person, gathered for
the ZIP on /me/export.

Only her own rows, and only what she may see today: places go through the
privacy decision as on every other surface (a home's street only while she is
entitled to it), and nobody else's email or answers are in it. Hearth does not
record who wrote a group's or gathering's description, so "what she wrote" is
the groups she runs and the gatherings she hosts.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from sqlalchemy import select

from meetup import privacy
from meetup.extensions import db
from meetup.models import Event, Group, JoinRequest, Membership, Rsvp, User
from meetup.services import devices, viewers
from meetup.urls import public_url

JSON_NAME = "hearth-data.json"
HTML_NAME = "hearth-data.html"


def collect(user: User, now: datetime) -> dict:
    """Everything about her, as plain values (times stay datetimes)."""
    memberships, rsvps = _memberships(user), _rsvps(user)
    runs = [m.group for m in memberships if m.is_organiser]
    answered = {rsvp.event_id: rsvp for rsvp in rsvps}
    return {
        "exported_at": now,
        "account": {
            "name": user.display_name,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "language": user.locale,
            "clock": user.clock,
            "diets": sorted(diet.value for diet in user.diets),
            "diet_note": user.diet_note,
            "has_password": user.password_hash is not None,
            "has_calendar_feed": user.calendar_secret is not None,
            "mail": {
                "reminders": user.wants_reminders,
                "announcements": user.wants_announcements,
                "calendar_invitations": user.wants_invitations,
            },
            "created_at": user.created_at,
        },
        "memberships": [
            {
                "group": m.group.name,
                "url": public_url("groups.show", slug=m.group.slug),
                "role": m.role.value,
                "since": m.joined_at,
            }
            for m in memberships
        ],
        "join_requests": [
            {"group": r.group.name, "message": r.message, "asked_at": r.created_at}
            for r in _join_requests(user)
        ],
        "rsvps": [_rsvp(rsvp, user) for rsvp in rsvps],
        "groups_organised": [_group(group) for group in runs],
        "gatherings_hosted": [
            _hosted(event, user, answered.get(event.id))
            for event in _hosted_events(user)
            # A draft is the organisers' until published, even to its host.
            if not event.is_draft or viewers.access_of(event, user, None).can_view
        ],
        "devices": [
            {
                "browser": device.user_agent,
                "signed_in_at": device.created_at,
                "last_seen_at": device.last_seen_at,
            }
            for device in devices.of(user, now)
        ],
    }


def archive(data: dict, page: str) -> bytes:
    """The ZIP: the data as JSON, and the same as a page anyone can read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(JSON_NAME, to_json(data))
        zipped.writestr(HTML_NAME, page)
    return buffer.getvalue()


def to_json(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_iso) + "\n"


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _gathering(event: Event, access) -> dict:
    """What both her answers and the gatherings she hosts say of a gathering."""
    return {
        "gathering": event.title,
        "group": event.group.name,
        "url": public_url("events.show", event_id=event.id),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "timezone": event.timezone,
        "place": privacy.place(event, access) if access.can_view else "",
        "question": event.question,
        "cancelled": event.is_cancelled,
    }


def _rsvp(rsvp: Rsvp, user: User) -> dict:
    return {
        **_gathering(rsvp.event, viewers.access_of(rsvp.event, user, rsvp)),
        "status": rsvp.status.value,
        "guests": rsvp.guests,
        "children": rsvp.children,
        "diets": sorted(diet.value for diet in rsvp.diets),
        "diet_note": rsvp.diet_note,
        "answer": rsvp.answer,
        "answered_at": rsvp.responded_at,
        "checked_in_at": rsvp.checked_in_at,
    }


def _group(group: Group) -> dict:
    return {
        "name": group.name,
        "url": public_url("groups.show", slug=group.slug),
        "area": group.area,
        "online_url": group.online_url,
        "visibility": group.visibility.value,
        "description": group.description,
        "created_at": group.created_at,
    }


def _hosted(event: Event, user: User, rsvp: Rsvp | None) -> dict:
    access = viewers.access_of(event, user, rsvp)
    return {
        **_gathering(event, access),
        "getting_in": event.access_notes if access.sees_address else "",
        "description": event.description,
    }


def _memberships(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.group)
            .options(db.contains_eager(Membership.group))
            .where(Membership.user_id == user.id)
            .order_by(Group.name, Group.id)
        )
    )


def _join_requests(user: User) -> list[JoinRequest]:
    return list(
        db.session.scalars(
            select(JoinRequest)
            .filter_by(user_id=user.id)
            .order_by(JoinRequest.created_at, JoinRequest.id)
        )
    )


def _rsvps(user: User) -> list[Rsvp]:
    return list(
        db.session.scalars(
            select(Rsvp)
            .join(Rsvp.event)
            .options(db.contains_eager(Rsvp.event).joinedload(Event.group))
            .where(Rsvp.user_id == user.id)
            .order_by(Event.starts_at.desc(), Event.id)
        )
    )


def _hosted_events(user: User) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .options(db.joinedload(Event.group))
            .where(Event.host_id == user.id)
            .order_by(Event.starts_at.desc(), Event.id)
        )
    )
