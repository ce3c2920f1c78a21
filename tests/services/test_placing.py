"""Whose words the area keeps: the rule, without HTTP."""

import pytest

from meetup.services.geocoding import Candidate
from meetup.services.placing import Area, area_after, same_town

YORK = Candidate("3, Bootham Terrace, Bootham, York, North Yorkshire, England, "
                 "YO30 7DH, United Kingdom", "Bootham, York", 53.97, -1.09)  # fmt: skip
STOCKBRIDGE = Candidate("12, Raeburn Place, Stockbridge, City of Edinburgh, "
                        "Scotland, EH4 1HN, United Kingdom",
                        "Stockbridge, City of Edinburgh", 55.96, -3.21)  # fmt: skip
TOWN_ONLY = Candidate("York, United Kingdom", "York, United Kingdom", 53.96, -1.08)


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Bruntsfield, Edinburgh", STOCKBRIDGE),  # the city, in other words
        ("Edinburgh, United Kingdom", STOCKBRIDGE),
        ("stockbridge", STOCKBRIDGE),  # the neighbourhood, in lower case
        ("Bootham", YORK),
        ("EH4", STOCKBRIDGE),  # a postcode says no town: nothing to ask
        ("York", TOWN_ONLY),  # the offline gazetteer's "town, country"
    ],
)
def test_the_same_town_in_other_words(typed, place):
    assert same_town(typed, place)


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("Camden, London", YORK),
        ("London, United Kingdom", TOWN_ONLY),  # the shared country is no match
        ("Leith", STOCKBRIDGE),  # a neighbourhood the lookup does not name
    ],
)
def test_another_town(typed, place):
    assert not same_town(typed, place)


def test_an_empty_area_is_filled_with_the_found_one():
    assert area_after("  ", YORK) == Area("Bootham, York")


def test_the_typed_area_stays_and_the_found_one_is_offered():
    assert area_after("Camden, London", YORK) == Area("Camden, London", "Bootham, York")


def test_an_area_already_chosen_about_is_not_asked_again():
    assert area_after("Camden, London", YORK, asked="Bootham, York") == Area(
        "Camden, London"
    )
