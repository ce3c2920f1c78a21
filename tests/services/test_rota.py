"""The host rota: claiming a date (one host, however many tap), placing it,
giving it up with and without answers, organisers assigning, and the nudges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetup.errors import Conflict, NotAllowed
from meetup.extensions import db
from meetup.models import EventState, Membership, RsvpStatus, VenueType
from meetup.services import memberships, rota, series
from tests import mailbox
from tests.scenes import answer, organiser_of
from tests.services.test_series import NOW, circle, make_series  # noqa: F401

ELM_ROW = rota.Place(venue_type=VenueType.HOME, address="2 Elm Row",
                     area="Leith, Edinburgh", access_notes="Ring twice",
                     latitude=55.96, longitude=-3.18)  # fmt: skip


def member(group, user) -> Membership:
    return memberships.membership_of(user, group)


@pytest.fixture
def first_date(circle):  # noqa: F811
    group, people = circle
    made = make_series(group)
    return group, people, series.coming_dates(made, NOW)[0]


def test_the_first_claim_wins_and_the_second_is_told_who(first_date):
    group, (fiona, aisha, _), date = first_date
    rota.claim(member(group, fiona), date, NOW)
    with pytest.raises(Conflict, match="Fiona is hosting this one."):
        rota.claim(member(group, aisha), date, NOW)
    rota.claim(member(group, fiona), date, NOW)  # her own second tap: fine
    assert date.host_id == fiona.id and date.needs_host  # until she says where


def test_placing_opens_the_date_and_seats_nobody_but_standing_members(first_date):
    group, (fiona, aisha, _), date = first_date
    rota.claim(member(group, fiona), date, NOW)
    rota.place(member(group, fiona), date, ELM_ROW, NOW)
    db.session.commit()
    assert date.state is EventState.OPEN
    assert (date.address, date.area) == ("2 Elm Row", "Leith, Edinburgh")
    assert date.public_latitude != date.latitude  # a home: the public point is a cell
    assert mailbox.queued(to=aisha.email, kind="announcement")


def test_only_members_claim_and_only_the_host_or_organisers_place(
    first_date, make_user
):
    group, (fiona, aisha, _), date = first_date
    with pytest.raises(NotAllowed):
        rota.claim(None, date, NOW)
    rota.claim(member(group, fiona), date, NOW)
    with pytest.raises(NotAllowed):
        rota.place(member(group, aisha), date, ELM_ROW, NOW)
    rota.place(organiser_of(group), date, ELM_ROW, NOW)
    assert date.is_open


def test_giving_up_a_date_nobody_answered_needs_a_host_again(first_date):
    group, (fiona, *_), date = first_date
    rota.claim(member(group, fiona), date, NOW)
    rota.place(member(group, fiona), date, ELM_ROW, NOW)
    rota.give_up(member(group, fiona), date, NOW)
    db.session.commit()
    assert date.state is EventState.HOST_NEEDED and date.host_id is None
    assert (date.address, date.access_notes, date.latitude) == ("", "", None)
    assert not mailbox.queued(kind="host-gave-up")


def test_giving_up_an_answered_date_keeps_it_open_place_to_be_confirmed(first_date):
    group, (fiona, aisha, _), date = first_date
    rota.claim(member(group, fiona), date, NOW)
    rota.place(member(group, fiona), date, ELM_ROW, NOW)
    answer(date, aisha, now=NOW)
    sequence = date.sequence
    rota.give_up(member(group, fiona), date, NOW)
    db.session.commit()
    assert date.is_open and date.host_id is None
    assert date.sequence > sequence
    changed = mailbox.text(mailbox.queued(to=aisha.email, kind="changed")[-1])
    assert "Place to be confirmed" in changed and "Elm Row" not in changed
    told = mailbox.queued(kind="host-gave-up")
    assert {m["To"].addresses[0].addr_spec for m in told} == {
        organiser_of(group).user.email
    }
    # Another member can take it over; the date stays answerable throughout.
    rota.claim(member(group, aisha), date, NOW)
    rota.place(member(group, aisha), date, ELM_ROW, NOW)
    assert date.host_id == aisha.id and date.address == "2 Elm Row"


def test_organisers_assign_and_take_a_date_off_its_host(first_date):
    group, (fiona, aisha, _), date = first_date
    with pytest.raises(NotAllowed):
        rota.assign(member(group, aisha), date, fiona, NOW)
    rota.assign(organiser_of(group), date, fiona, NOW)
    assert date.host_id == fiona.id
    rota.give_up(organiser_of(group), date, NOW)
    assert date.host_id is None


def test_her_where_starts_from_her_last_place(first_date):
    group, (fiona, *_), date = first_date
    assert rota.last_place(fiona, group.id) == rota.NOWHERE
    rota.claim(member(group, fiona), date, NOW)
    rota.place(member(group, fiona), date, ELM_ROW, NOW)
    assert rota.last_place(fiona, group.id).address == "2 Elm Row"


def test_nudges_go_once_two_weeks_and_ten_days_out(first_date):
    group, (fiona, aisha, _), date = first_date
    member(group, aisha).is_asked_to_host = True
    fifteen_days_before = date.starts_at - timedelta(days=15)
    assert rota.nudge(fifteen_days_before) == 0
    twelve = date.starts_at - timedelta(days=12)
    rota.nudge(twelve)
    rota.nudge(twelve + timedelta(minutes=5))
    assert len(mailbox.queued(kind="host-needed-organiser")) == 1
    assert not mailbox.queued(kind="host-needed-member")
    nine = date.starts_at - timedelta(days=9)
    rota.nudge(nine)
    rota.nudge(nine)
    asked = mailbox.queued(kind="host-needed-member")
    assert [m["To"].addresses[0].addr_spec for m in asked] == [aisha.email]
    assert len(mailbox.queued(kind="host-needed-organiser")) == 1


def test_a_host_who_gives_up_is_no_longer_going(first_date):
    group, (fiona, aisha, _), date = first_date
    rota.claim(member(group, fiona), date, NOW)
    rota.place(member(group, fiona), date, ELM_ROW, NOW)
    answer(date, aisha, now=NOW)
    rota.give_up(member(group, fiona), date, NOW)
    own = series.rsvps_of(fiona, date)
    assert own is None or own.status is RsvpStatus.DECLINED
