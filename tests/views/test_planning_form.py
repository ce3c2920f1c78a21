"""The planning form on a phone: the rarely changed things behind "More options",
an end that follows the start, and limits said before they bite."""

import re
from datetime import timedelta

import pytest

from meetup.models import Event
from tests.conftest import form_errors
from tests.views.test_events import form_data


@pytest.fixture
def organiser(client, make_user, make_group, login):
    maria = make_user()
    group = make_group(maria, timezone="America/New_York", area="Astoria, New York")
    login(maria)
    return maria, group


def plan(client, group, maria, **overrides):
    data = form_data(host_id=str(maria.id), **overrides)
    return client.post(f"/groups/{group.slug}/events/new", data=data)


def more_options(page: str) -> str:
    return re.search(r'<details class="more-options[^>]*>.*?</details>', page, re.S)[0]


def test_the_pin_and_the_zone_sit_behind_more_options(client, organiser):
    _maria, group = organiser
    page = client.get(f"/groups/{group.slug}/events/new").get_data(as_text=True)
    behind = more_options(page)
    assert re.search(
        r"<details class=\"more-options form-section\"\s*>", page
    )  # closed
    for name in ("latitude", "longitude", "timezone", "rsvp_deadline"):
        assert f'id="{name}"' in behind
    assert 'id="title"' not in behind and 'id="starts_at"' not in behind
    assert '<option selected value="America/New_York">' in behind  # the group's


def test_more_options_opens_when_something_in_it_needs_fixing(client, organiser, db):
    maria, group = organiser
    page = plan(client, group, maria, latitude="95", longitude="-3").get_data(True)
    assert re.search(r'<details class="more-options form-section" open>', page)
    assert db.session.scalar(db.select(Event)) is None


def test_an_empty_end_is_two_and_a_half_hours_after_the_start(client, organiser, db):
    maria, group = organiser
    plan(client, group, maria, ends_at="")
    event = db.session.scalar(db.select(Event))
    assert event.ends_at - event.starts_at == timedelta(hours=2, minutes=30)


def test_the_end_still_has_to_come_after_the_start(client, organiser, db):
    maria, group = organiser
    start = form_data()["starts_at"]
    page = plan(client, group, maria, ends_at=start).get_data(as_text=True)
    assert "The end must come after the start." in form_errors(page)


def test_limits_are_said_by_the_field_and_never_cut_text(client, organiser):
    _maria, group = organiser
    page = client.get(f"/groups/{group.slug}/events/new").get_data(as_text=True)
    assert '<p class="hint" id="title-hint">Up to 120 characters.</p>' in page
    assert "Neighbourhood and city, e.g. Stockbridge, Edinburgh. Up to 120" in page
    assert "Up to 10,000 characters." in page
    assert 'aria-describedby="title-hint"' in page
    assert "maxlength" not in page.split('<form method="post" novalidate')[1]


def test_a_title_too_long_is_refused_by_the_field_and_kept_whole(client, organiser, db):
    maria, group = organiser
    title = "Our big summer supper " * 23  # 506 characters, as if pasted
    page = plan(client, group, maria, title=title).get_data(as_text=True)
    assert db.session.scalar(db.select(Event)) is None
    assert any("That is 505 characters; up to 120 fit here." in e
               for e in form_errors(page))  # fmt: skip
    assert title.strip() in page  # every word typed is still there
    assert 'value="Any dietary needs?"' in page  # and the rest of the form
