"""The organiser's words are never overwritten by the address lookup: the area
is filled only when empty, and a pin in another town asks which area to show."""

import re

import pytest

from meetup.extensions import db
from meetup.models import Event
from tests.conftest import form_errors
from tests.views.test_events import form_data

YORK_HOME = "3 Bootham Terrace, York"


@pytest.fixture
def london(client, make_user, make_group, login):
    """An organiser of a London group, on the planning form."""
    maria = make_user()
    group = make_group(maria, area="Camden, London")
    login(maria)
    return maria, group


def plan(client, group, maria, **overrides):
    data = form_data(
        **{"host_id": str(maria.id), "timezone": "Europe/London",
           "venue_type": "home", "venue_name": "", **overrides}
    )  # fmt: skip
    return client.post(f"/groups/{group.slug}/events/new", data=data)


def area_in(page: str) -> str:
    return re.search(r'<input [^>]*id="area"[^>]*value="([^"]*)"', page)[1]


def saved() -> Event | None:
    return db.session.scalar(db.select(Event))


def test_find_keeps_the_area_the_organiser_typed_and_says_where_the_pin_is(
    client, london, nominatim
):
    maria, group = london
    page = plan(client, group, maria, address="", area="Bruntsfield, Edinburgh",
                find="1").get_data(as_text=True)  # fmt: skip
    assert area_in(page) == "Bruntsfield, Edinburgh"  # not "…, City of Edinburgh"
    assert "Pin placed on:" in page
    assert "Bruntsfield, City of Edinburgh, Scotland, United Kingdom" in page
    assert 'name="area_choice"' not in page  # the same town: nothing to ask


def test_find_fills_an_empty_area(client, london, nominatim):
    maria, group = london
    page = plan(client, group, maria, address="12 Raeburn Place, Edinburgh", area="",
                find="1").get_data(as_text=True)  # fmt: skip
    assert area_in(page) == "Stockbridge, City of Edinburgh"
    assert 'name="area_choice"' not in page


def test_find_of_a_home_in_another_town_asks_which_area_to_show(
    client, london, nominatim
):
    maria, group = london
    page = plan(client, group, maria, address=YORK_HOME, area=group.area,
                find="1").get_data(as_text=True)  # fmt: skip
    assert area_in(page) == "Camden, London"  # kept until she chooses
    assert "Which area should people see?" in page
    assert "“Camden, London”, as written" in page
    assert "“Bootham, York”, where the pin is" in page
    assert 'name="found_area" type="hidden" value="Bootham, York"' in page
    assert saved() is None


def test_saving_a_home_in_another_town_asks_first_and_saves_nothing(
    client, london, nominatim
):
    maria, group = london
    reply = plan(client, group, maria, address=YORK_HOME, area=group.area)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200 and saved() is None
    assert "Which area should people see?" in page
    assert any("The pin is in Bootham, York" in e for e in form_errors(page))
    assert 'value="53.9663497"' in page  # the pin is on the form, found once
    assert "Pin placed on:" in page


@pytest.mark.parametrize(
    ("choice", "area"), [("found", "Bootham, York"), ("typed", "Camden, London")]
)
def test_the_area_she_chooses_is_the_one_saved(client, london, nominatim, choice, area):
    maria, group = london
    plan(client, group, maria, address=YORK_HOME, area=group.area,
         latitude="53.9663497", longitude="-1.0907281",
         found_area="Bootham, York", area_choice=choice)  # fmt: skip
    event = saved()
    assert (event.area, event.address) == (area, YORK_HOME)
    assert len(nominatim.requests) == 0  # the pin came from the form


def test_the_question_left_unanswered_saves_nothing_and_keeps_everything(
    client, london, nominatim
):
    maria, group = london
    page = plan(client, group, maria, address=YORK_HOME, area=group.area,
                latitude="53.9663497", longitude="-1.0907281",
                found_area="Bootham, York").get_data(as_text=True)  # fmt: skip
    assert saved() is None
    assert any("choose which area people see" in e for e in form_errors(page))
    assert area_in(page) == "Camden, London" and YORK_HOME in page


def test_the_same_town_in_other_words_is_saved_as_typed(client, london, nominatim):
    maria, group = london
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh",
         area="Bruntsfield, Edinburgh")  # fmt: skip
    event = saved()
    assert event.area == "Bruntsfield, Edinburgh"
    assert (event.latitude, event.longitude) == (55.9580213, -3.2093134)


def test_moving_a_gathering_to_another_town_asks_before_changing_it(
    client, london, nominatim
):
    maria, group = london
    plan(client, group, maria, address="12 Raeburn Place, Edinburgh",
         area="Stockbridge, Edinburgh")  # fmt: skip
    event = saved()
    data = form_data(
        host_id=str(maria.id), timezone="Europe/London", venue_type="home",
        address=YORK_HOME, area="Stockbridge, Edinburgh",
        latitude=str(event.latitude), longitude=str(event.longitude),
    )  # fmt: skip
    page = client.post(f"/events/{event.id}/edit", data=data).get_data(True)
    assert "Which area should people see?" in page
    db.session.refresh(event)
    assert event.address == "12 Raeburn Place, Edinburgh"  # nothing changed yet
