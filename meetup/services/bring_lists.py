"""Bring lists, read: the organisers' text as lines with quantities, who
claimed what, the page's board, the list to suggest for a new gathering, and
the check that an edit keeps every claim.

The text is one thing per line, its quantity written "Dessert ×2" (or "x2",
"x 2", "*2", or leading: "2 × Dessert", "2x Dessert"); no quantity is one.
Blank lines are ignored and the same thing twice is one line (quantities
added). Claims name a line's thing; they match it whatever its case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from meetup.errors import InvalidInput
from meetup.extensions import db
from meetup.models import BringClaim, Event, Group, Rsvp, Series, User
from meetup.text import first_name

MOST_LINES = 30
MOST_UNITS = 20
LONGEST_THING = 80
LONGEST_NOTE = 120
#: The whole list as typed: 30 lines of 80 characters with room for "×2".
LONGEST_LIST = 4000
#: "Something else": how many things of her own one person may add.
MOST_OWN = 3

_TRAILING = re.compile(r"^(?P<thing>.*?)(?:\s*[×*]|\s+[xX])\s*(?P<n>\d+)$")
_LEADING = re.compile(r"^(?P<n>\d+)\s*(?:[×*]|[xX](?=\s))\s*(?P<thing>.+)$")
_BULLET = re.compile(r"^[-•·]\s+")


@dataclass(frozen=True)
class Line:
    thing: str
    quantity: int


def key(thing: str) -> str:
    """What makes two spellings the same thing: "Dessert" is "dessert "."""
    return " ".join(thing.split()).casefold()


def check(text: str) -> None:
    """Refuse a list that is not one thing per line with a quantity of 1–20."""
    _parse(text or "", strict=True)


def read(text: str) -> list[Line]:
    """The list's lines, in the order typed, never refusing: what was stored
    before the rules (or by hand) is read as best it can be."""
    return _parse(text or "", strict=False)


def _parse(text: str, strict: bool) -> list[Line]:
    merged: dict[str, Line] = {}
    for raw in text.splitlines():
        thing, quantity = _split(_BULLET.sub("", raw.strip()))
        if not thing:
            if quantity is not None and strict:
                raise InvalidInput("bring_list", _("Each line needs a thing to bring."))
            continue
        quantity = 1 if quantity is None else quantity
        if len(thing) > LONGEST_THING:
            if strict:
                raise InvalidInput(
                    "bring_list",
                    _("“%(thing)s…” is too long: %(num)d characters at most.",
                      thing=thing[:20], num=LONGEST_THING),
                )  # fmt: skip
            thing = thing[:LONGEST_THING].rstrip()
        seen = merged.get(key(thing))
        total = quantity + (seen.quantity if seen else 0)
        if not 1 <= total <= MOST_UNITS:
            if strict:
                raise InvalidInput(
                    "bring_list",
                    _("%(thing)s: ask for 1 to %(num)d.", thing=thing, num=MOST_UNITS),
                )
            total = min(max(total, 1), MOST_UNITS)
        merged[key(thing)] = Line(seen.thing if seen else thing, total)
    if len(merged) > MOST_LINES:
        if strict:
            raise InvalidInput(
                "bring_list",
                _("%(num)d things at most, one per line.", num=MOST_LINES),
            )
        return list(merged.values())[:MOST_LINES]
    return list(merged.values())


def _split(line: str) -> tuple[str, int | None]:
    for pattern in (_TRAILING, _LEADING):
        found = pattern.match(line)
        if found and found["thing"].strip():
            return " ".join(found["thing"].split()), int(found["n"])
        if found:
            return "", int(found["n"])
    return " ".join(line.split()), None


def line_for(event: Event, thing: str) -> Line | None:
    return next(
        (ln for ln in read(event.bring_list) if key(ln.thing) == key(thing)), None
    )


def claims(event: Event) -> list[BringClaim]:
    """Every claim at the gathering, first made first, with who made it."""
    return list(
        db.session.scalars(
            select(BringClaim)
            .where(BringClaim.event_id == event.id)
            .options(db.joinedload(BringClaim.rsvp).joinedload(Rsvp.user))
            .order_by(BringClaim.created_at, BringClaim.id)
        )
    )


def claims_of(rsvp: Rsvp) -> list[BringClaim]:
    """Hers, first made first."""
    return list(
        db.session.scalars(
            select(BringClaim)
            .where(BringClaim.rsvp_id == rsvp.id)
            .order_by(BringClaim.created_at, BringClaim.id)
        )
    )


def claimed_count(event: Event, thing: str) -> int:
    """Units of `thing` claimed, as the database has it now (call it after
    the event lock)."""
    things = db.session.scalars(
        select(BringClaim.thing).where(
            BringClaim.event_id == event.id, BringClaim.is_own.is_(False)
        )
    )
    return sum(1 for each in things if key(each) == key(thing))


def gaps(event: Event) -> list[Line]:
    """What is still needed: each line with the units no one claimed."""
    taken: dict[str, int] = {}
    for claim in claims(event):
        if not claim.is_own:
            taken[key(claim.thing)] = taken.get(key(claim.thing), 0) + 1
    return [
        Line(ln.thing, ln.quantity - taken.get(key(ln.thing), 0))
        for ln in read(event.bring_list)
        if ln.quantity > taken.get(key(ln.thing), 0)
    ]


def said(lines: list[Line]) -> str:
    """'Ice, dessert ×1': a list in one line of a letter or a calendar."""
    return ", ".join(
        ln.thing if ln.quantity == 1 else f"{ln.thing} ×{ln.quantity}" for ln in lines
    )


def brings(rsvp: Rsvp | None) -> str:
    """What she said she'd bring, in one line ('Salad (a big one), ice'); ''
    for none."""
    if rsvp is None or rsvp.id is None:
        return ""
    return ", ".join(
        f"{c.thing} ({c.note})" if c.note else c.thing for c in claims_of(rsvp)
    )


def brings_by_rsvp(event: Event) -> dict[int, str]:
    """What each person brings, in one line, by answer id: one query."""
    return _in_lines(claims(event))


def brings_of(rsvp_ids: list[int]) -> dict[int, str]:
    """The same for answers across gatherings (her personal feed): one query."""
    return _in_lines(
        db.session.scalars(
            select(BringClaim)
            .where(BringClaim.rsvp_id.in_(rsvp_ids))
            .order_by(BringClaim.created_at, BringClaim.id)
        )
    )


def _in_lines(found_claims) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for c in found_claims:
        found.setdefault(c.rsvp_id, []).append(
            f"{c.thing} ({c.note})" if c.note else c.thing
        )
    return {rsvp_id: ", ".join(things) for rsvp_id, things in found.items()}


def kept_claims(event: Event, text: str, refuse: bool) -> str:
    """The list an edit may store, given what people already said they'd bring
    (call it under the event lock). A thing dropped or lowered below its claims
    is refused (`refuse`, a gathering edited on its own), naming the thing; a
    series change copied to its dates instead keeps each date's claimed units:
    the line stays, raised to what was claimed, so no one's claim goes silently.
    """
    lines = read(text)
    wanted = {key(ln.thing): ln for ln in lines}
    counts: dict[str, tuple[str, int]] = {}
    for claim in claims(event):
        if not claim.is_own:
            thing, n = counts.get(key(claim.thing), (claim.thing, 0))
            counts[key(claim.thing)] = (thing, n + 1)
    extra = []
    for k, (thing, n) in counts.items():
        line = wanted.get(k)
        if line is not None and line.quantity >= n:
            continue
        if refuse:
            raise InvalidInput(
                "bring_list",
                ngettext(
                    "%(num)d person brings %(thing)s: keep at least %(num)d.",
                    "%(num)d people bring %(thing)s: keep at least %(num)d.",
                    n,
                    thing=thing,
                ),
            )
        if line is None:
            extra.append(f"{thing} ×{n}")
        else:
            wanted[k] = Line(line.thing, n)
    if extra or any(wanted[key(ln.thing)] != ln for ln in lines):
        return "\n".join([_line(wanted[key(ln.thing)]) for ln in lines] + extra)
    return text


def _line(line: Line) -> str:
    return line.thing if line.quantity == 1 else f"{line.thing} ×{line.quantity}"


def suggested(group: Group) -> str:
    """A new gathering's list: the group's latest gathering's that had one."""
    return (
        db.session.scalar(
            select(Event.bring_list)
            .where(Event.group_id == group.id, Event.bring_list != "")
            .order_by(Event.starts_at.desc(), Event.id.desc())
            .limit(1)
        )
        or ""
    )


def suggested_for_series(group: Group) -> str:
    """A new series' list: the group's latest series' that had one, else the
    latest gathering's."""
    return db.session.scalar(
        select(Series.bring_list)
        .where(Series.group_id == group.id, Series.bring_list != "")
        .order_by(Series.id.desc())
        .limit(1)
    ) or suggested(group)


@dataclass(frozen=True)
class Taken:
    """Someone's unit: her first name (only for those who may see names)."""

    name: str
    note: str
    is_mine: bool


@dataclass(frozen=True)
class Need:
    thing: str
    quantity: int
    taken: list[Taken]
    mine: bool

    @property
    def left(self) -> int:
        return self.quantity - len(self.taken)


@dataclass(frozen=True)
class Board:
    """The page's bring list for one reader."""

    needs: list[Need]
    own: list[Need] = field(default_factory=list)
    #: Hers: "You bring: …".
    mine: list[BringClaim] = field(default_factory=list)
    shows_names: bool = False
    #: Why she may not claim, in one line; "" when she may.
    why_not: str = ""
    may_add: bool = False

    @property
    def still_needed(self) -> list[Need]:
        return [need for need in self.needs if need.left > 0]

    @property
    def covered(self) -> list[Need]:
        return [need for need in self.needs + self.own if need.taken]


def board(
    event: Event, user: User | None, rsvp: Rsvp | None, shows_names: bool, why_not: str
) -> Board | None:
    """What the page shows of the list to this reader; None without a list or
    claims. Names only for those who may see who's coming."""
    everything = claims(event)
    lines = read(event.bring_list)
    if not lines and not everything:
        return None
    mine_id = rsvp.id if rsvp is not None else None

    def taken(claim: BringClaim) -> Taken:
        first = first_name(claim.rsvp.user.display_name) if shows_names else ""
        return Taken(first, claim.note if shows_names else "", claim.rsvp_id == mine_id)

    by_thing: dict[str, list[Taken]] = {}
    own = []
    for claim in everything:
        if claim.is_own:
            own.append(Need(claim.thing, 1, [taken(claim)], claim.rsvp_id == mine_id))
        else:
            by_thing.setdefault(key(claim.thing), []).append(taken(claim))
    needs = []
    for ln in lines:
        people = by_thing.get(key(ln.thing), [])
        needs.append(
            Need(ln.thing, ln.quantity, people, any(t.is_mine for t in people))
        )
    mine = [c for c in everything if c.rsvp_id == mine_id]
    return Board(
        needs=needs,
        own=own,
        mine=mine,
        shows_names=shows_names,
        why_not=why_not,
        may_add=not why_not and sum(c.is_own for c in mine) < MOST_OWN,
    )


def updated(rsvp: Rsvp, now: datetime) -> None:
    """Her claims changed: her personal feed's version moves, so her calendar
    app reads what she brings. (A claim sends no mail: the next invitation
    mailed to her, for a change of time or place, carries it.)"""
    rsvp.updated_at = now
