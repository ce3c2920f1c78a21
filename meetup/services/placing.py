"""Placing a gathering from its address: the pin from a lookup, the area in the
organiser's words.

The area is what strangers read on every surface, so a lookup never rewrites
it: it fills an empty one, and when the pin lands in another town than the
area says (the group's area prefilled, a home in another town) the organiser
is asked which to show instead of either being saved silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from meetup.gazetteer import normalise
from meetup.models import Event
from meetup.services import geocoding
from meetup.services.events import EventDetails

#: Words that name no particular town: "City of Edinburgh" is Edinburgh.
GENERIC = frozenset(
    "city of the county borough district town upon on and royal greater "
    "metropolitan saint st le la les de del di".split()
)
WORD = re.compile(r"[^\W\d_]{3,}")  # letters only: postcodes and numbers say no town


@dataclass(frozen=True)
class Area:
    """The area to keep in the form, and the found one to offer instead ("" if none)."""

    shown: str
    offer: str = ""


@dataclass(frozen=True)
class Located:
    """A gathering placed before saving: its details, what to say, where the pin
    went, and the found area to ask about before anything is saved ("" if none)."""

    details: EventDetails
    notice: str = ""
    place: geocoding.Candidate | None = None
    offer: str = ""


def area_after(typed: str, place: geocoding.Candidate, asked: str = "") -> Area:
    """Fill the area only when it is empty; keep the organiser's words; offer the
    found area when the pin is in another town than they say (unless `asked`,
    the found area they already chose about)."""
    if not typed.strip():
        return Area(place.area)
    if same_town(typed, place) or place.area == asked:
        return Area(typed)
    return Area(typed, place.area)


def same_town(typed: str, place: geocoding.Candidate) -> bool:
    """Does the typed area name the place's neighbourhood or town? When either
    says too little to tell (only a country, a postcode), it counts as yes: ask
    only when they clearly disagree."""
    country = _words(place.label.rsplit(",", 1)[-1])
    found = _words(place.area) - country
    said = _words(typed) - country
    return not found or not said or bool(found & said)


def locate(details: EventDetails, previous: Event | None, asked: str = "") -> Located:
    """Look up a new or changed address whose pin the organiser did not move.

    A failed lookup never stops the save: the address is kept as typed, with a
    notice, and an old pin is taken away rather than left at the old door. A
    pin in another town than the area says is a question, not a save.
    """

    def same(a: str, b: str) -> bool:
        return " ".join(a.casefold().split()) == " ".join(b.casefold().split())

    moved = previous is None or not same(details.address, previous.address)
    pinned = details.latitude is not None and (
        previous is None
        or (details.latitude, details.longitude)
        != (previous.latitude, previous.longitude)
    )
    if not details.address or not moved or pinned:
        return Located(details)
    lookup = geocoding.find(details.address)
    if not lookup.candidates:
        return Located(
            replace(details, latitude=None, longitude=None),
            _(
                "Saved with the address as typed, but it isn't on the map yet: "
                "edit the gathering and use Find, or place the pin yourself."
            ),
        )
    place = lookup.candidates[0]
    area = area_after(details.area, place, asked)
    located = replace(details, latitude=place.lat, longitude=place.lon, area=area.shown)
    return Located(located, str(lookup.notice), place, area.offer)


def _words(text: str) -> set[str]:
    return set(WORD.findall(normalise(text))) - GENERIC
