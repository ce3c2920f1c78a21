"""The "Find on the map" step of forms with a place: fill the pin, save nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import request
from flask_wtf import FlaskForm

from meetup.services import geocoding, places, placing


@dataclass(frozen=True)
class Found:
    """What a lookup found, for the form: the candidates, what to say, and the
    one the pin went on ("Pin placed on: …"; None when it went nowhere)."""

    candidates: list[geocoding.Candidate]
    notice: str
    pinned: geocoding.Candidate | None


def lookup_step(form: FlaskForm, query: str, own_words: bool = False) -> Found | None:
    """Handle the Find and "Use this place" buttons; None for any other request.

    The pin goes on the first match (or the chosen one) and the time zone
    follows it. With `own_words` (a gathering's area) the area is only filled
    when empty, and a pin in another town asks which area to show; otherwise
    (a group, whose area is what was looked up) the found area replaces it.
    """
    if request.method != "POST" or not (
        request.form.get("find") or request.form.get("use")
    ):
        return None
    lookup = geocoding.find(query)
    chosen = request.form.get("use", "0")
    index = int(chosen) if re.fullmatch(r"[0-4]", chosen) else 0
    if index >= len(lookup.candidates):
        return Found(lookup.candidates, str(lookup.notice), None)
    place = lookup.candidates[index]
    _place_pin(form, place)
    if own_words:
        area = placing.area_after(form.area.data or "", place)
        _show(form.area, area.shown)
        form.offer_area(area.offer)
    # The area is public: never leave a typed street address in it.
    elif not form.area.data or form.area.data.strip() == query.strip():
        _show(form.area, place.area)
    return Found(lookup.candidates, str(lookup.notice), place)


def ask_area(form: FlaskForm, located: placing.Located) -> Found | None:
    """Saving found the pin in another town than the area says: put the pin on
    the form and ask which area to show (nothing is saved); None if no question."""
    if not located.offer:
        return None
    _place_pin(form, located.place, zone=False)
    form.offer_area(located.offer, asking=True)
    return Found([located.place], located.notice, located.place)


def _place_pin(form: FlaskForm, place: geocoding.Candidate, zone: bool = True) -> None:
    _show(form.latitude, place.lat)
    _show(form.longitude, place.lon)
    found_zone = places.timezone_at(place.lat, place.lon) if zone else None
    if found_zone and found_zone in {choice.value for choice in form.timezone.choices}:
        _show(form.timezone, found_zone)


def _show(field, value) -> None:
    """Replace what was posted: WTForms would otherwise redisplay the raw input."""
    field.data = value
    field.raw_data = None
