"""The "Find on the map" step of forms with a place: fill the pin, save nothing."""

from __future__ import annotations

import re

from flask import request
from flask_wtf import FlaskForm

from meetup.services import geocoding, places


def lookup_step(form: FlaskForm, query: str) -> geocoding.Lookup | None:
    """Handle the Find and "Use this place" buttons; None for any other request.

    The pin goes on the first match (or the chosen one), the time zone follows
    the pin and the area is filled if empty; the organiser sees all of it on the
    form and can change any of it before saving.
    """
    if request.method != "POST" or not (
        request.form.get("find") or request.form.get("use")
    ):
        return None
    lookup = geocoding.find(query)
    chosen = request.form.get("use", "0")
    index = int(chosen) if re.fullmatch(r"[0-4]", chosen) else 0
    if index < len(lookup.candidates):
        _place_pin(form, lookup.candidates[index], query)
    return lookup


def _place_pin(form: FlaskForm, place: geocoding.Candidate, query: str) -> None:
    _show(form.latitude, place.lat)
    _show(form.longitude, place.lon)
    # The area is public: never leave a typed street address in it.
    if not form.area.data or form.area.data.strip() == query.strip():
        _show(form.area, place.area)
    zone = places.timezone_at(place.lat, place.lon)
    if zone and zone in {choice.value for choice in form.timezone.choices}:
        _show(form.timezone, zone)


def _show(field, value) -> None:
    """Replace what was posted: WTForms would otherwise redisplay the raw input."""
    field.data = value
    field.raw_data = None
