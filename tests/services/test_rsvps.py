"""RSVP rules: capacity with guests, the FIFO waitlist, promotion, closing times."""

from datetime import timedelta

import pytest

from meetup import permissions
from meetup.errors import NoRoom, NotAllowed, NotFound, RSVPClosed
from meetup.extensions import db
from meetup.models import Event, EventVisibility, Role, RsvpStatus, User, Visibility
from meetup.services import attendees, events, groups, memberships, rsvps
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of


@pytest.fixture
def people(make_user):
    """Five members' worth of users, made on demand."""
    return [make_user(name=name) for name in ("Ana", "Bea", "Cat", "Dee", "Eve")]


def states(event):
    db.session.refresh(event)
    rows = db.session.scalars(
        db.select(rsvps.Rsvp).filter_by(event_id=event.id).order_by(rsvps.Rsvp.id)
    )
    return {r.user.display_name: (r.status.value, r.guests) for r in rows}


def test_going_takes_a_place(make_event, people):
    event = make_event(capacity=2)
    rsvp = answer(event, people[0])
    assert rsvp.status is RsvpStatus.GOING
    assert event.seats_taken == 1


def test_guests_count_against_capacity(make_event, people):
    event = make_event(capacity=3, max_guests=2)
    assert answer(event, people[0], guests=2).is_going
    assert answer(event, people[1]).is_waitlisted
    assert event.seats_taken == 3


def test_more_guests_than_allowed_is_refused(make_event, people):
    event = make_event(max_guests=1)
    with pytest.raises(NoRoom, match="1 guest at most"):
        answer(event, people[0], guests=2)


def test_a_party_that_does_not_fit_is_waitlisted_whole(make_event, people):
    event = make_event(capacity=3, max_guests=3)
    answer(event, people[0], guests=1)
    rsvp = answer(event, people[1], guests=2)  # needs 3, only 1 left
    assert rsvp.is_waitlisted and event.seats_taken == 2


def test_cancel_promotes_earliest_waitlisted_party_that_fits(make_event, people):
    ana, bea, cat, dee, _ = people
    event = make_event(capacity=3, max_guests=2)
    answer(event, ana)
    answer(event, bea, guests=1)
    answer(event, cat, guests=2, now=NOW + timedelta(minutes=1))  # needs 3
    answer(event, dee, now=NOW + timedelta(minutes=2))  # needs 1
    answer(event, ana, going=False, now=NOW + timedelta(minutes=3))
    assert states(event)["Cat"] == ("waitlisted", 2)  # earliest, but too big
    assert states(event)["Dee"] == ("going", 0)
    answer(event, bea, going=False, now=NOW + timedelta(minutes=4))
    answer(event, dee, going=False, now=NOW + timedelta(minutes=5))
    assert states(event)["Cat"] == ("going", 2)
    assert event.seats_taken == 3


def test_waitlist_is_first_come_first_served(make_event, people):
    ana, bea, cat, *_ = people
    event = make_event(capacity=1)
    answer(event, ana)
    answer(event, bea, now=NOW + timedelta(minutes=1))
    answer(event, cat, now=NOW + timedelta(minutes=2))
    answer(event, ana, going=False, now=NOW + timedelta(minutes=3))
    assert states(event) == {
        "Ana": ("declined", 0),
        "Bea": ("going", 0),
        "Cat": ("waitlisted", 0),
    }


def test_fewer_guests_free_places_for_the_waitlist(make_event, people):
    ana, bea, *_ = people
    event = make_event(capacity=3, max_guests=2)
    answer(event, ana, guests=2)
    answer(event, bea)
    answer(event, ana, guests=1)
    assert states(event)["Bea"] == ("going", 0)
    assert event.seats_taken == 3


def test_more_guests_than_fit_are_refused_and_the_place_kept(make_event, people):
    ana, bea, *_ = people
    event = make_event(capacity=3, max_guests=2)
    answer(event, ana)
    answer(event, bea, guests=1)
    with pytest.raises(NoRoom, match="Your place is kept"):
        answer(event, ana, guests=2)
    db.session.rollback()
    assert states(event)["Ana"] == ("going", 0)


def test_raising_capacity_promotes_repeatedly(make_event, make_user, people):
    event = make_event(capacity=1)
    for n, person in enumerate(people[:4]):
        answer(event, person, now=NOW + timedelta(minutes=n))
    organiser = organiser_of(event.group)
    events.update_event(organiser, event, edited(event, capacity=3), NOW)
    db.session.commit()
    assert [s for s, _ in states(event).values()] == [
        "going", "going", "going", "waitlisted",
    ]  # fmt: skip


def test_lowering_capacity_demotes_no_one_and_new_answers_wait(make_event, people):
    ana, bea, cat, dee, _ = people
    event = make_event(capacity=3)
    for person in (ana, bea, cat):
        answer(event, person)
    organiser = organiser_of(event.group)
    events.update_event(organiser, event, edited(event, capacity=2), NOW)
    db.session.commit()
    assert event.seats_taken == 3
    assert answer(event, dee).is_waitlisted
    answer(event, ana, going=False)
    assert states(event)["Dee"] == ("waitlisted", 0)  # 2 taken of 2
    answer(event, bea, going=False)
    assert states(event)["Dee"] == ("going", 0)


def test_removing_a_member_frees_their_places(make_event, people):
    ana, bea, *_ = people
    event = make_event(capacity=1)
    answer(event, ana)
    answer(event, bea)
    organiser = organiser_of(event.group)
    groups.remove_member(organiser, memberships.membership_of(ana, event.group), NOW)
    db.session.commit()
    assert states(event)["Bea"] == ("going", 0)
    assert states(event)["Ana"] == ("declined", 0)


def test_leaving_the_group_frees_places(make_event, people):
    ana, bea, *_ = people
    event = make_event(capacity=1)
    answer(event, ana)
    answer(event, bea)
    groups.leave(memberships.membership_of(ana, event.group), NOW)
    db.session.commit()
    assert states(event)["Bea"] == ("going", 0)


def test_answering_a_public_groups_event_joins_the_group(make_event, people):
    event = make_event()
    answer(event, people[0])
    assert memberships.membership_of(people[0], event.group) is not None


def test_non_members_cannot_answer_members_only_events(make_group, make_event, people):
    members_only = make_event(visibility=EventVisibility.MEMBERS)
    private = make_event(make_group(visibility=Visibility.PRIVATE))
    for event in (members_only, private):
        with pytest.raises(NotFound):
            answer(event, people[0])


@pytest.mark.parametrize(
    ("change", "now", "reason"),
    [
        (
            {"rsvp_deadline_at": NOW + timedelta(days=1)},
            NOW + timedelta(days=2),
            "deadline",
        ),
        ({}, NOW + timedelta(days=3), "already started"),
        ({}, NOW + timedelta(days=3, hours=1), "already started"),
        ({}, NOW + timedelta(days=10), "is over"),
    ],
)
def test_answers_close_at_the_deadline_and_start(
    make_event, people, change, now, reason
):
    event = make_event(**change)
    with pytest.raises(RSVPClosed, match=reason):
        answer(event, people[0], now=now)


def test_answers_close_on_cancelled_events(make_event, people):
    event = make_event()
    organiser = organiser_of(event.group)
    events.cancel_event(organiser, event, "Snow", NOW)
    with pytest.raises(RSVPClosed, match="cancelled"):
        answer(event, people[0])


def test_changing_guests_on_the_waitlist_keeps_the_place_in_line(make_event, people):
    ana, bea, cat, *_ = people
    event = make_event(capacity=1, max_guests=2)
    answer(event, ana)
    answer(event, bea, now=NOW + timedelta(minutes=1))
    answer(event, cat, now=NOW + timedelta(minutes=2))
    answer(event, bea, guests=1, now=NOW + timedelta(minutes=3))
    bea_rsvp = attendees.rsvp_of(bea, event)
    assert attendees.waitlist_position(bea_rsvp) == 1


def test_saying_yes_twice_takes_places_once(make_event, people):
    event = make_event(capacity=5)
    answer(event, people[0])
    answer(event, people[0])
    assert event.seats_taken == 1


def test_declining_then_coming_back_joins_the_end_of_the_line(make_event, people):
    ana, bea, cat, *_ = people
    event = make_event(capacity=1)
    answer(event, ana)
    answer(event, bea, now=NOW + timedelta(minutes=1))
    answer(event, cat, now=NOW + timedelta(minutes=2))
    answer(event, bea, going=False, now=NOW + timedelta(minutes=3))
    answer(event, bea, now=NOW + timedelta(minutes=4))
    assert attendees.waitlist_position(attendees.rsvp_of(cat, event)) == 1
    assert attendees.waitlist_position(attendees.rsvp_of(bea, event)) == 2


def test_organiser_lets_a_party_in_by_raising_capacity(make_event, people):
    event = make_event(capacity=1, max_guests=1)
    answer(event, people[0])
    waiting = answer(event, people[1], guests=1)
    organiser = organiser_of(event.group)
    rsvps.promote_by_hand(organiser, waiting, NOW)
    db.session.commit()
    assert waiting.is_going
    assert (event.capacity, event.seats_taken) == (3, 3)


def test_organiser_removes_an_attendee_and_the_waitlist_moves(make_event, people):
    event = make_event(capacity=1)
    first = answer(event, people[0])
    answer(event, people[1])
    organiser = organiser_of(event.group)
    rsvps.remove_attendee(organiser, first, NOW)
    db.session.commit()
    assert states(event)[people[1].display_name] == ("going", 0)


def test_members_cannot_use_host_tools(make_event, people):
    event = make_event(capacity=1)
    first = answer(event, people[0])
    waiting = answer(event, people[1])
    member = memberships.membership_of(people[0], event.group)
    with pytest.raises(NotAllowed):
        rsvps.promote_by_hand(member, waiting, NOW)
    with pytest.raises(NotAllowed):
        rsvps.remove_attendee(member, first, NOW)
    with pytest.raises(NotAllowed):
        rsvps.set_checked_in(member, first, "arrived", NOW)


def test_host_checks_people_in_and_undoes_it(make_event, people):
    event = make_event(capacity=1)
    going = answer(event, people[0])
    waiting = answer(event, people[1])
    membership = organiser_of(event.group)
    events.update_event(
        membership, event, edited(event, host_id=membership.user_id), NOW
    )
    membership.role = Role.MEMBER  # hosting needs no organiser role
    rsvps.set_checked_in(membership, going, "arrived", NOW)
    assert going.checked_in_at == NOW
    rsvps.set_checked_in(membership, going, "undo", NOW)
    assert going.checked_in_at is None
    with pytest.raises(NotAllowed, match="going"):
        rsvps.set_checked_in(membership, waiting, "arrived", NOW)


def test_a_host_who_left_the_group_loses_the_host_tools(
    make_event, make_user, add_member
):
    event = make_event()
    host = make_user()
    add_member(event.group, host)
    organiser = organiser_of(event.group)
    events.update_event(organiser, event, edited(event, host_id=host.id), NOW)
    going = answer(event, make_user())
    groups.leave(memberships.membership_of(host, event.group), NOW)
    db.session.commit()
    assert not permissions.event_access(event, None, None).sees_attendee_list
    with pytest.raises(NotAllowed):
        rsvps.set_checked_in(None, going, "arrived", NOW)


def test_a_decline_on_a_stale_copy_frees_places_once(app, make_event, people):
    ana, bea, *_ = people
    event = make_event(capacity=6, max_guests=2)
    answer(event, ana, guests=2)
    answer(event, bea, guests=2)
    stale = attendees.rsvp_of(ana, event)  # loaded by this request before the other's
    with app.app_context():  # another request declines first, in its own session
        other_event = db.session.get(Event, event.id)
        rsvps.respond(other_event, db.session.get(User, ana.id), going=False, now=NOW)
        db.session.commit()
    assert stale.is_going  # our copy is out of date...
    answer(event, ana, going=False)  # ...yet the service decides on the fresh row
    assert event.seats_taken == 3


def test_hand_promotion_is_refused_on_cancelled_events(make_event, people):
    event = make_event(capacity=1)
    answer(event, people[0])
    waiting = answer(event, people[1])
    organiser = organiser_of(event.group)
    events.cancel_event(organiser, event, "Flooded", NOW)
    with pytest.raises(RSVPClosed, match="cancelled"):
        rsvps.promote_by_hand(organiser, waiting, NOW)


def test_promotion_is_mailed_only_when_the_change_commits(make_event, people):
    event = make_event(capacity=1)
    answer(event, people[0])
    answer(event, people[1])
    rsvps.respond(event, people[0], going=False, now=NOW)
    db.session.rollback()
    assert mailbox.queued(people[1].email, kind="promoted") == []
    answer(event, people[0], going=False)
    [mail] = mailbox.queued(people[1].email, kind="promoted")
    assert mail["Subject"] == f"You're in: {event.title}"


def test_hand_promotion_mail_says_room_was_made(make_event, people):
    event = make_event(capacity=1)
    answer(event, people[0])
    waiting = answer(event, people[1])
    organiser = organiser_of(event.group)
    rsvps.promote_by_hand(organiser, waiting, NOW)
    db.session.commit()
    [mail] = mailbox.queued(people[1].email, kind="promoted")
    assert "the organisers made room for you" in mailbox.text(mail)


def test_nothing_lasts_longer_than_a_week(make_event):
    from meetup.errors import InvalidInput

    start = NOW + timedelta(days=2)
    with pytest.raises(InvalidInput, match="7 days at most"):
        make_event(starts_at=start, ends_at=start + timedelta(days=7, minutes=1))
