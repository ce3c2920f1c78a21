"""The host is going and counted in capacity: seated when the gathering opens
with her (planned, published, or made host on an edit), always, even when full;
she may step back from attending and count herself in again."""

from datetime import timedelta

import icalendar
import pytest

from meetup.extensions import db
from meetup.models import EventState, RsvpStatus, VenueType
from meetup.services import attendees, events, groups, memberships, rsvps
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of


@pytest.fixture
def people(make_user):
    return [make_user(name=n) for n in ("Maria", "Ana", "Bea", "Cat", "Dee", "Eve",
                                          "Fay", "Gus")]  # fmt: skip


@pytest.fixture
def group(make_group, add_member, people):
    group = make_group(people[0], name="Book Circle")
    for person in people[1:]:
        add_member(group, person)
    return group


def status(event, person):
    rsvp = attendees.rsvp_of(person, event)
    return rsvp.status.value if rsvp else None


def test_a_six_place_night_at_her_flat_has_five_places_for_the_others(
    make_event, group, people
):
    """Issue 17: "0 going · 6 of 6 places left", and a 7th guest got in."""
    maria = people[0]
    night = make_event(group, venue_type=VenueType.HOME, address="2 Elm Row",
                       capacity=6, host_id=maria.id)  # fmt: skip
    assert (night.seats_taken, night.seats_left) == (1, 5)
    assert status(night, maria) == "going"
    for guest in people[1:6]:
        assert answer(night, guest).is_going
    assert answer(night, people[6]).is_waitlisted  # the 7th person waits
    assert night.seats_taken == night.capacity == 6


def test_a_new_host_of_a_full_gathering_is_seated_raising_capacity(
    make_event, group, people
):
    event = make_event(group, capacity=2)  # nobody hosts yet
    answer(event, people[1])
    answer(event, people[2])
    answer(event, people[3])  # waitlisted
    events.update_event(
        organiser_of(group), event, edited(event, host_id=people[4].id), NOW
    )
    db.session.commit()
    assert status(event, people[4]) == "going"
    assert (event.capacity, event.seats_taken) == (3, 3)
    assert status(event, people[3]) == "waitlisted"  # the room was for the host


def test_a_waitlisted_member_made_host_is_seated_with_her_party(
    make_event, group, people
):
    event = make_event(group, capacity=1, max_guests=1)
    answer(event, people[1])
    answer(event, people[2], guests=1)  # waitlisted, a party of two
    events.update_event(
        organiser_of(group), event, edited(event, host_id=people[2].id), NOW
    )
    db.session.commit()
    assert status(event, people[2]) == "going"
    assert (event.capacity, event.seats_taken) == (3, 3)
    assert len(mailbox.queued(people[2].email, kind="promoted")) == 1


def test_the_old_host_keeps_her_place_as_a_guest(make_event, group, people):
    event = make_event(group, capacity=4, host_id=people[1].id)
    events.update_event(
        organiser_of(group), event, edited(event, host_id=people[2].id), NOW
    )
    db.session.commit()
    assert status(event, people[1]) == status(event, people[2]) == "going"
    assert event.seats_taken == 2


def test_seating_the_host_twice_seats_her_once_and_mails_once(
    make_event, group, people
):
    event = make_event(group, capacity=3, host_id=people[1].id)
    again = rsvps.seat_host(event, NOW)
    db.session.commit()
    assert again.is_going and event.seats_taken == 1
    assert len(mailbox.queued(people[1].email, kind="rsvp-going")) == 1


@pytest.mark.parametrize("why", ["no host", "draft", "host needed", "cancelled",
                                 "started", "left the group"])  # fmt: skip
def test_seat_host_seats_no_one_unless_open_and_ahead(make_event, group, people, why):
    event = make_event(group, capacity=3)
    if why != "no host":
        event.host_id = people[1].id
    if why == "draft":
        event.state = EventState.DRAFT
    elif why == "host needed":
        event.state = EventState.HOST_NEEDED
    elif why == "cancelled":
        events.cancel_event(organiser_of(group), event, "", NOW)
    elif why == "left the group":
        groups.leave(memberships.membership_of(people[1], group), NOW)
    db.session.commit()
    now = event.starts_at if why == "started" else NOW
    assert rsvps.seat_host(event, now) is None
    assert event.seats_taken == 0


def test_seat_host_on_a_series_date_that_just_got_its_host(make_event, group, people):
    """The series code's call: a date that needed a host opens with one."""
    event = make_event(group, capacity=4)
    event.state, event.host_id = EventState.OPEN, people[3].id
    db.session.commit()
    seated = rsvps.seat_host(event, NOW)
    db.session.commit()
    assert seated.user_id == people[3].id and seated.is_going
    assert event.seats_taken == 1


def test_stepping_back_frees_her_place_and_she_stays_the_host(
    make_event, group, people
):
    maria = people[0]
    event = make_event(group, capacity=2, host_id=maria.id)
    answer(event, people[1])
    answer(event, people[2])  # waitlisted: Maria and Ana fill it
    stepped = answer(event, maria, going=False)
    assert stepped.status is RsvpStatus.DECLINED
    assert event.host_id == maria.id
    assert status(event, people[2]) == "going"  # her place went to the next
    assert [p.display_name for p in attendees.going_list(event)] == ["Ana", "Bea"]


def test_counting_herself_in_again_always_seats_the_host(make_event, group, people):
    maria = people[0]
    event = make_event(group, capacity=2, host_id=maria.id)
    answer(event, maria, going=False)
    answer(event, people[1])
    answer(event, people[2])  # full without her
    again = answer(event, maria)
    assert again.is_going
    assert (event.capacity, event.seats_taken) == (3, 3)
    answer(event, people[3])
    assert status(event, people[3]) == "waitlisted"  # for guests, full is full


def test_publishing_a_draft_seats_its_host(make_event, group, people):
    organiser = organiser_of(group)
    starts_at = NOW + timedelta(days=2)
    draft = events.create_event(
        organiser, group,
        edited(make_event(group), title="Draft", host_id=people[5].id,
               starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
               capacity=4),
        NOW, draft=True,
    )  # fmt: skip
    db.session.commit()
    assert draft.seats_taken == 0 and status(draft, people[5]) is None
    events.publish(organiser, draft, tell_members=False, now=NOW)
    db.session.commit()
    assert status(draft, people[5]) == "going" and draft.seats_taken == 1


def test_the_hosts_confirmation_says_she_is_hosting_with_the_invitation(
    make_event, group, people
):
    make_event(group, title="Supper", capacity=6, host_id=people[1].id)
    [mail] = mailbox.queued(people[1].email, kind="rsvp-going")
    assert mail["Subject"] == "You're hosting: Supper"
    assert "You're hosting Supper" in mailbox.text(mail)
    invitation = icalendar.Calendar.from_ical(mailbox.calendar_part(mail).get_content())
    assert str(invitation["METHOD"]) == "REQUEST"
    # She is not also asked "Are you coming?" to her own gathering.
    assert mailbox.queued(people[1].email, kind="announcement") == []


def test_the_hosts_guests_must_fit_like_anyones(make_event, group, people):
    maria = people[0]
    event = make_event(group, capacity=2, max_guests=1, host_id=maria.id)
    answer(event, maria, going=False)
    answer(event, people[1])
    answer(event, people[2])  # full without her
    assert answer(event, maria, guests=1).is_waitlisted  # no room made for guests
    assert event.capacity == 2
    assert answer(event, maria).is_going  # alone, she is always seated
