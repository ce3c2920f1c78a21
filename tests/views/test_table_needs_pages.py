"""Children and dietary needs wired up: the RSVP form (behind "more", without
JavaScript), prefilled from the profile; the profile's own fields; the
gathering and series forms' word to parents; who sees the counts line and who
the names."""

from __future__ import annotations

import re

import pytest

from meetup.extensions import db
from meetup.models import Children, Diet, Event, Rsvp, Series, User
from meetup.services import attendees
from tests.conftest import redirect_path
from tests.scenes import answer, mail_code
from tests.views.test_events import form_data
from tests.views.test_series_pages import BOOK_NIGHT


@pytest.fixture
def supper(make_user, make_group, add_member, make_event):
    """Olga's supper for six (she hosts), Ana and Bea members."""
    olga = make_user(name="Olga")
    group = make_group(olga, name="Supper Club")
    ana, bea = make_user(name="Ana"), make_user(name="Bea")
    add_member(group, ana)
    add_member(group, bea)
    event = make_event(group, capacity=6, max_guests=2, host_id=olga.id,
                       title="Soup night")  # fmt: skip
    return event, olga, ana, bea


def page_of(client, event) -> str:
    reply = client.get(f"/events/{event.id}")
    assert reply.status_code == 200
    return reply.text


def test_an_answer_takes_children_and_diets_and_her_profile_keeps_them(
    client, login, supper
):
    event, _olga, ana, _bea = supper
    login(ana)
    reply = client.post(
        f"/events/{event.id}/rsvp",
        data={"response": "going", "guests": "1", "children": "2",
              "diets": ["vegetarian", "nut-allergy"], "diet_note": "no pork"},
    )  # fmt: skip
    assert redirect_path(reply) == f"/events/{event.id}"
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=ana.id))
    assert (rsvp.guests, rsvp.children) == (1, 2)
    assert rsvp.diets == {Diet.VEGETARIAN, Diet.NUT_ALLERGY}
    assert db.session.get(User, ana.id).diet_note == "no pork"
    assert db.session.get(Event, event.id).seats_taken == 3  # Olga, Ana, guest


def test_a_bad_children_count_changes_nothing(client, login, supper):
    event, _olga, ana, _bea = supper
    login(ana)
    for bad in ("11", "-1", "two", "9" * 30):
        client.post(f"/events/{event.id}/rsvp",
                    data={"response": "going", "children": bad})  # fmt: skip
    assert db.session.scalar(db.select(Rsvp).filter_by(user_id=ana.id)) is None


def test_the_form_sits_behind_more_and_is_prefilled_from_her_profile(
    client, login, supper
):
    event, _olga, ana, _bea = supper
    ana.diets, ana.diet_note = frozenset({Diet.VEGAN}), "oat milk"
    db.session.commit()
    login(ana)
    page = page_of(client, event)
    more = re.search(r'<details class="rsvp-more"[^>]*>.*?</details>', page, re.S)[0]
    assert more.startswith('<details class="rsvp-more" id="rsvp-more" open>')
    assert re.search(r'value="vegan"\s+checked', more)
    assert not re.search(r'value="vegetarian"\s+checked', more)
    assert 'value="oat milk"' in more and 'name="children"' in more
    assert "I'm going" in page  # still one tap


def test_closed_when_nothing_is_said(client, login, supper):
    event, _olga, ana, _bea = supper
    login(ana)
    assert '<details class="rsvp-more" id="rsvp-more">' in page_of(client, event)


def test_adults_only_hides_the_children_and_childcare_says_so(client, login, supper):
    event, _olga, ana, _bea = supper
    event.children = Children.ADULTS_ONLY
    db.session.commit()
    login(ana)
    page = page_of(client, event)
    assert 'name="children"' not in page and 'id="adults-only"' in page
    assert "Adults only" in page  # the gathering's facts
    event.children = Children.CHILDCARE
    db.session.commit()
    page = page_of(client, event)
    assert 'name="children"' in page
    assert "There's childcare in the next room." in page


def test_adults_only_refuses_children_with_a_clear_message(client, login, supper):
    event, _olga, ana, _bea = supper
    event.children = Children.ADULTS_ONLY
    db.session.commit()
    login(ana)
    reply = client.post(f"/events/{event.id}/rsvp",
                        data={"response": "going", "children": "1"})  # fmt: skip
    assert redirect_path(reply) == f"/events/{event.id}"
    assert "for adults only" in page_of(client, event)
    assert db.session.scalar(db.select(Rsvp).filter_by(user_id=ana.id)) is None


def test_going_members_see_counts_the_host_sees_names(
    client, login, supper, make_user, add_member
):
    event, olga, ana, bea = supper
    answer(event, ana, guests=1, children=2,
           diets=frozenset({Diet.VEGETARIAN}), diet_note="no pork")  # fmt: skip
    answer(event, bea, diets=frozenset({Diet.VEGETARIAN, Diet.NUT_ALLERGY}))
    line = "4 coming · 2 children · 2 vegetarian · 1 nut allergy"
    login(bea)
    page = page_of(client, event)
    assert line in page
    assert "no pork" not in page
    assert client.get(f"/events/{event.id}/attendees").status_code == 404
    client.post("/auth/logout")
    login(olga)
    page = page_of(client, event)
    assert line in page
    listed = client.get(f"/events/{event.id}/attendees").text
    assert line in listed
    row = re.search(r'<li class="row[^"]*" id="rsvp-\d+">\s*<div>\s*'
                    r"<strong>Ana</strong>.*?</li>", listed, re.S)[0]  # fmt: skip
    assert "2 children" in row and "Vegetarian" in row and "no pork" in row


def test_others_see_no_counts(client, login, supper, make_user, add_member):
    event, _olga, ana, bea = supper
    answer(event, ana, children=2, diets=frozenset({Diet.VEGETARIAN}))
    login(bea)  # a member, not going
    assert 'id="table-counts"' not in page_of(client, event)
    client.post("/auth/logout")
    assert 'id="table-counts"' not in page_of(client, event)  # a visitor
    event.capacity = 2  # Olga and Ana: full
    db.session.commit()
    answer(event, bea, children=1)
    assert attendees.rsvp_of(bea, event).is_waitlisted
    login(bea)
    assert 'id="table-counts"' not in page_of(client, event)


def test_her_profile_changes_her_diets(client, login, supper):
    _event, _olga, ana, _bea = supper
    login(ana)
    page = client.get("/me/profile").text
    assert 'name="profile-diets"' in page and 'name="profile-diet_note"' in page
    reply = client.post("/me/profile", data={
        "profile-display_name": "Ana", "profile-email": ana.email,
        "profile-diets": ["gluten-free"], "profile-diet_note": "coeliac",
    })  # fmt: skip
    assert redirect_path(reply) == "/me/profile"
    ana = db.session.get(User, ana.id)
    assert ana.diets == {Diet.GLUTEN_FREE} and ana.diet_note == "coeliac"
    assert re.search(r'checked[^>]*value="gluten-free"|value="gluten-free"[^>]*checked',
                     client.get("/me/profile").text)  # fmt: skip


def test_a_long_note_on_the_profile_comes_back_with_the_typing_kept(
    client, login, supper
):
    _event, _olga, ana, _bea = supper
    login(ana)
    reply = client.post("/me/profile", data={
        "profile-display_name": "Ana", "profile-email": ana.email,
        "profile-diet_note": "x" * 121,
    })  # fmt: skip
    assert reply.status_code == 200 and "x" * 121 in reply.text
    assert db.session.get(User, ana.id).diet_note == ""


def test_the_gathering_form_says_what_it_offers_children(
    client, login, make_user, make_group
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    page = client.get(f"/groups/{group.slug}/events/new").text
    assert 'id="children" name="children"><option selected value="welcome">' in page
    data = form_data(host_id=str(maria.id), children="childcare")
    client.post(f"/groups/{group.slug}/events/new", data=data)
    event = db.session.scalar(db.select(Event).filter_by(group_id=group.id))
    assert event.children is Children.CHILDCARE
    edit = client.get(f"/events/{event.id}/edit").text
    assert re.search(r'<option selected value="childcare">', edit)


def test_the_series_form_says_it_for_every_date(client, login, make_user, make_group):
    olive = make_user(name="Olive")
    group = make_group(olive)
    login(olive)
    client.post(f"/groups/{group.slug}/series/new",
                data={**BOOK_NIGHT, "children": "adults-only"})  # fmt: skip
    made = db.session.scalar(db.select(Series).filter_by(group_id=group.id))
    assert made.children is Children.ADULTS_ONLY
    dates = db.session.scalars(db.select(Event).filter_by(series_id=made.id)).all()
    assert dates and all(d.children is Children.ADULTS_ONLY for d in dates)


def test_a_visitor_answers_with_children_and_diets(client, supper):
    """The answer given before the code: its children and diets are placed
    once the code is used."""
    event, _olga, _ana, _bea = supper
    visitor = client
    reply = visitor.post(f"/events/{event.id}/rsvp", data={
        "response": "going", "display_name": "Vi", "email": "vi@example.org",
        "children": "3", "diets": ["vegan"], "diet_note": "oat milk",
    })  # fmt: skip
    assert 300 <= reply.status_code < 400, reply.text
    code, _link = mail_code("vi@example.org")
    visitor.post("/auth/code/check", data={"code": code})
    vi = db.session.scalar(db.select(User).filter_by(email="vi@example.org"))
    rsvp = attendees.rsvp_of(vi, event)
    assert (rsvp.children, rsvp.diets, rsvp.diet_note) == (3, {Diet.VEGAN}, "oat milk")


@pytest.mark.parametrize("bad", [[""], ["vegan", ""], ["meat"]])
def test_a_diet_not_in_the_list_is_refused(client, login, supper, bad):
    event, _olga, ana, _bea = supper
    login(ana)
    reply = client.post(f"/events/{event.id}/rsvp",
                        data={"response": "going", "diets": bad})  # fmt: skip
    assert redirect_path(reply) == f"/events/{event.id}"
    assert db.session.scalar(db.select(Rsvp).filter_by(user_id=ana.id)) is None
    reply = client.post("/me/profile", data={
        "profile-display_name": "Ana", "profile-email": ana.email,
        "profile-diets": bad,
    })  # fmt: skip
    assert reply.status_code == 200
    assert db.session.get(User, ana.id).diets == frozenset()
