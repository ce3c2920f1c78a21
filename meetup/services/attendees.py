"""Who answered a gathering: one person's answer, the going list, the waitlist's
length and order, and the host's attendee list with its CSV export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from meetup import times
from meetup.extensions import db
from meetup.models import Diet, Event, Rsvp, RsvpStatus, User
from meetup.services import bring_lists

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
    "didn't come",
    "brings",
]
#: Who's eating, who's little (services.at_table), after the columns above.
TABLE_HEADER = ["children", "dietary needs", "diet note"]


def rsvp_of(user: User | None, event: Event) -> Rsvp | None:
    """The person's answer, as the database has it now (not a copy loaded earlier)."""
    if user is None:
        return None
    return db.session.scalar(
        select(Rsvp)
        .filter_by(event_id=event.id, user_id=user.id)
        .execution_options(populate_existing=True)
    )


def going_list(event: Event) -> list:
    """Who is going, first answers first: rows of `display_name` and `guests`.

    Only the two columns the page shows, not whole people: loading 200 RSVP
    and User objects took 5.3 ms of a 15 ms page (docs/PERFORMANCE.md).
    """
    return list(
        db.session.execute(
            select(User.display_name, Rsvp.guests)
            .join(Rsvp.user)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING)
            .order_by(Rsvp.responded_at, Rsvp.id)
        )
    )


def waitlist_count(event: Event) -> int:
    """How many parties wait for a place."""
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .filter_by(event_id=event.id, status=RsvpStatus.WAITLISTED)
    )


def waitlist_position(rsvp: Rsvp) -> int:
    """1 for the first in line."""
    return 1 + db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.status == RsvpStatus.WAITLISTED,
            or_(
                Rsvp.waitlisted_at < rsvp.waitlisted_at,
                (Rsvp.waitlisted_at == rsvp.waitlisted_at) & (Rsvp.id < rsvp.id),
            ),
        )
    )


def attendee_list(event: Event) -> list[Rsvp]:
    """Going first (by answer time), then the waitlist in order, then those
    asking (in the order they asked), then declined."""
    order = case(
        (Rsvp.status == RsvpStatus.GOING, 0),
        (Rsvp.status == RsvpStatus.WAITLISTED, 1),
        (Rsvp.status == RsvpStatus.REQUESTED, 2),
        else_=3,
    )
    return list(
        db.session.scalars(
            select(Rsvp)
            .filter_by(event_id=event.id)
            .join(Rsvp.user)
            .options(db.contains_eager(Rsvp.user))
            .order_by(
                order,
                Rsvp.waitlisted_at,
                Rsvp.requested_at,
                Rsvp.responded_at,
                Rsvp.id,
            )
        )
    )


@dataclass(frozen=True)
class TableCounts:
    """Who is coming, counted: adults (places), children apart, and how many
    answers name each dietary need (in the order of `Diet`, none left at 0)."""

    coming: int
    children: int
    diets: tuple[tuple[Diet, int], ...]


def table_counts(event: Event) -> TableCounts:
    """The going parties' adults, children and dietary needs, in one query."""
    rows = db.session.execute(
        select(Rsvp.guests, Rsvp.children, Rsvp.diets).where(
            Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING
        )
    ).all()
    needs = Counter(diet for row in rows for diet in row.diets)
    return TableCounts(
        coming=sum(1 + row.guests for row in rows),
        children=sum(row.children for row in rows),
        diets=tuple((diet, needs[diet]) for diet in Diet if needs[diet]),
    )


def parties_with_children(event: Event) -> int:
    """Answers still standing (going, waiting, asking) that bring children."""
    return db.session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.event_id == event.id,
            Rsvp.status != RsvpStatus.DECLINED,
            Rsvp.children > 0,
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
    writer.writerow(CSV_HEADER + TABLE_HEADER)
    brings = bring_lists.brings_by_rsvp(event)
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
                "yes" if rsvp.did_not_come else "",
                brings.get(rsvp.id, ""),
                *_table_cells(rsvp),
            )
        )
    return buffer.getvalue()


def _table_cells(rsvp: Rsvp) -> tuple:
    """Children, dietary needs (their labels, in the reader's language) and
    the note, for the host's spreadsheet."""
    labels = ", ".join(diet.label for diet in Diet if diet in rsvp.diets)
    return rsvp.children, labels, rsvp.diet_note


def _local(moment, event: Event) -> str:
    return times.local(moment, event.timezone).strftime("%Y-%m-%d %H:%M %Z")
