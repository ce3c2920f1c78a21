"""Messages caused by changes: rendered here, sent after the change commits."""

from __future__ import annotations

from flask import render_template

from meetup import permissions, times
from meetup.extensions import db
from meetup.models import Rsvp
from meetup.services import events, groups
from meetup.services.mail import queue_mail
from meetup.urls import public_url


def promoted(rsvp: Rsvp, made_room: bool = False) -> None:
    """Tell a waitlisted member they are going: a place freed up, or the
    organisers made room."""
    event = rsvp.event
    membership = groups.membership_of(rsvp.user, event.group)
    access = permissions.event_access(event, rsvp.user, membership, rsvp)
    body = render_template(
        "emails/promoted.txt",
        rsvp=rsvp,
        event=event,
        where=events.place(event, access),
        access=access,
        made_room=made_room,
        when=times.when_range(event.starts_at, event.ends_at, event.timezone),
        link=public_url("events.show", event_id=event.id),
    )
    queue_mail(db.session, rsvp.user.email, f"You're in: {event.title}", body)
