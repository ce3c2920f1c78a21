"""The host's tools: the attendee list, its CSV export, and check-in at the door."""

from __future__ import annotations

import csv
import io

from sqlalchemy import case, select

from meetup import times
from meetup.extensions import db
from meetup.models import Event, Rsvp, RsvpStatus

#: Spreadsheets run cells starting with these as formulas (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "name",
    "email",
    "state",
    "guests",
    "answer",
    "responded at",
    "checked in",
]


def attendee_list(event: Event) -> list[Rsvp]:
    """Going first (by answer time), then the waitlist in order, then declined."""
    order = case(
        (Rsvp.status == RsvpStatus.GOING, 0),
        (Rsvp.status == RsvpStatus.WAITLISTED, 1),
        else_=2,
    )
    return list(
        db.session.scalars(
            select(Rsvp)
            .filter_by(event_id=event.id)
            .join(Rsvp.user)
            .options(db.contains_eager(Rsvp.user))
            .order_by(order, Rsvp.waitlisted_at, Rsvp.responded_at, Rsvp.id)
        )
    )


def safe_cell(value: object) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(event: Event, rows: list[Rsvp]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so Excel reads "González" as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for rsvp in rows:
        writer.writerow(
            safe_cell(value)
            for value in (
                rsvp.user.display_name,
                rsvp.user.email,
                rsvp.status.value,
                rsvp.guests,
                rsvp.answer,
                _local(rsvp.responded_at, event),
                _local(rsvp.checked_in_at, event) if rsvp.checked_in_at else "",
            )
        )
    return buffer.getvalue()


def _local(moment, event: Event) -> str:
    return times.local(moment, event.timezone).strftime("%Y-%m-%d %H:%M %Z")
