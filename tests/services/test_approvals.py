"""The host decides who comes: requests, yes and no, newcomers and regulars,
lapsed requests, the host's reminder, approval turned off; the street the day
before; who sees who's going; a waitlisted party passed over, told so."""

from datetime import timedelta

import icalendar
import pytest

from meetup import permissions
from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import Admission, GuestList, Role, RsvpStatus, VenueType
from meetup.services import (
    approvals,
    attendees,
    calendars,
    events,
    memberships,
    reminders,
    rsvps,
    viewers,
)
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW
from tests.scenes import answer, edited, organiser_of


@pytest.fixture
def maria(make_user):
    return make_user(name="Maria")


@pytest.fixture
def circle(make_group, maria):
    return make_group(maria, name="Book Circle", area="Leith, Edinburgh")


@pytest.fixture
def people(make_user, add_member, circle):
    return [add_member(circle, make_user(name=n)).user for n in ("Ana", "Bea", "Cat")]


@pytest.fixture
def at_home(make_event, circle, maria):
    """Maria's flat, approving each person; she hosts and takes one of 3 places."""

    def make(**fields):
        values = dict(
            title="Book night", host_id=maria.id, venue_type=VenueType.HOME,
            address=HOME_ADDRESS, area="Leith, Edinburgh",
            access_notes="Ring flat 2", capacity=3, max_guests=2,
            admission=Admission.EACH,
        )  # fmt: skip
        return make_event(circle, **{**values, **fields})

    return make


def host_of(event):
    return memberships.membership_of(event.host, event.group)


def sees_street(event, user, now=NOW):
    rsvp = attendees.rsvp_of(user, event)
    return viewers.access_of(event, user, rsvp, now).sees_address


def test_a_yes_is_a_request_without_a_seat_or_the_street(at_home, people):
    event = at_home()
    rsvp = answer(event, people[0], guests=1)
    assert rsvp.status is RsvpStatus.REQUESTED and rsvp.requested_at == NOW
    assert event.seats_taken == 1  # Maria alone
    assert not sees_street(event, people[0])
    [asked] = mailbox.queued(people[0].email, kind="rsvp-requested")
    words = mailbox.text(asked)
    assert "Waiting for Maria to say yes" in words
    assert HOME_ADDRESS not in words and "Ring flat 2" not in words
    assert mailbox.calendar_part(asked) is None  # no invitation until the yes


def test_the_host_and_organisers_never_ask(at_home, maria, make_user, add_member):
    event = at_home(host_id=None)
    co = add_member(event.group, make_user(name="Cora"), role=Role.CO_ORGANISER)
    assert answer(event, maria).is_going  # the organiser
    assert answer(event, co.user).is_going


def test_anyone_in_the_group_goes_as_before(at_home, people):
    event = at_home(admission=Admission.ANYONE)
    assert answer(event, people[0]).is_going


def newcomer_to(make_event, circle, person, checked_in=False, missed=False):
    """An earlier gathering of the group, over by NOW, that `person` went to."""
    past = make_event(circle, now=NOW - timedelta(days=30))
    rsvp = answer(past, person, now=NOW - timedelta(days=30))
    rsvp.checked_in_at = past.starts_at if checked_in else None
    rsvp.did_not_come = missed
    db.session.commit()
    return past


def test_regulars_go_straight_in_where_only_newcomers_ask(
    at_home, people, make_event, circle
):
    ana, bea, cat = people
    newcomer_to(make_event, circle, ana, checked_in=True)
    newcomer_to(make_event, circle, bea)  # going, and nobody said she didn't come
    newcomer_to(make_event, circle, cat, missed=True)
    event = at_home(admission=Admission.NEWCOMERS, capacity=10)
    assert answer(event, ana).is_going
    assert answer(event, bea).is_going
    assert answer(event, cat).is_requested  # "didn't come" does not count


def test_a_cancelled_earlier_gathering_makes_no_one_a_regular(
    at_home, people, make_event, circle
):
    past = newcomer_to(make_event, circle, people[0], checked_in=True)
    past.cancelled_at = past.starts_at
    db.session.commit()
    event = at_home(admission=Admission.NEWCOMERS)
    assert answer(event, people[0]).is_requested


def test_a_yes_seats_her_with_the_invitation_and_the_street(at_home, people):
    event = at_home()
    rsvp = answer(event, people[0], guests=1)
    approvals.approve(host_of(event), rsvp, NOW)
    db.session.commit()
    assert rsvp.is_going and event.seats_taken == 3
    assert sees_street(event, people[0])
    [mail] = mailbox.queued(people[0].email, kind="rsvp-approved")
    assert HOME_ADDRESS in mailbox.text(mail) and "Ring flat 2" in mailbox.text(mail)
    invitation = icalendar.Calendar.from_ical(mailbox.calendar_part(mail).get_content())
    assert invitation["METHOD"] == "REQUEST"
    assert HOME_ADDRESS in str(invitation.walk("VEVENT")[0]["LOCATION"])


def test_yes_when_full_waitlists_in_the_order_they_asked(at_home, people):
    ana, bea, cat = people
    event = at_home(capacity=2)
    first = answer(event, ana, now=NOW)
    second = answer(event, bea, now=NOW + timedelta(minutes=1))
    third = answer(event, cat, now=NOW + timedelta(minutes=2))
    host = host_of(event)
    approvals.approve(host, third, NOW + timedelta(hours=1))  # the last seat
    approvals.approve(host, second, NOW + timedelta(hours=1))
    approvals.approve(host, first, NOW + timedelta(hours=2))
    db.session.commit()
    assert third.is_going and event.seats_taken == 2
    assert [attendees.waitlist_position(r) for r in (first, second)] == [1, 2]
    [mail] = mailbox.queued(ana.email, kind="rsvp-approved")
    assert "number 1 on the waitlist" in mailbox.text(mail)
    assert HOME_ADDRESS not in mailbox.text(mail)


def test_only_the_host_and_organisers_answer_requests(at_home, people, circle):
    event = at_home()
    rsvp = answer(event, people[0])
    bea = memberships.membership_of(people[1], circle)
    with pytest.raises(NotAllowed):
        approvals.approve(bea, rsvp, NOW)
    with pytest.raises(NotAllowed):
        approvals.decline(bea, rsvp, "", NOW)
    approvals.approve(organiser_of(circle), rsvp, NOW)  # Maria runs the group too
    assert rsvp.is_going


def test_a_kind_no_is_told_and_holds_for_that_gathering(at_home, people):
    event = at_home()
    rsvp = answer(event, people[0])
    approvals.decline(host_of(event), rsvp, "  We're full of old friends!  ", NOW)
    db.session.commit()
    assert rsvp.status is RsvpStatus.DECLINED and rsvp.is_refused
    [mail] = mailbox.queued(people[0].email, kind="rsvp-declined-by-host")
    words = mailbox.text(mail)
    assert "“We're full of old friends!”" in words and HOME_ADDRESS not in words
    with pytest.raises(NotAllowed, match="said no"):
        answer(event, people[0])
    assert answer(event, people[0], going=False).is_refused  # a no is still fine
    other = at_home(title="Next book night")
    assert answer(other, people[0]).is_requested  # she may ask for the next one


def test_withdrawing_a_request_is_a_plain_no(at_home, people):
    event = at_home()
    answer(event, people[0])
    rsvp = answer(event, people[0], going=False)
    assert rsvp.status is RsvpStatus.DECLINED and not rsvp.is_refused
    assert answer(event, people[0]).is_requested  # and she may ask again


def test_a_second_yes_or_no_to_the_same_request_changes_nothing(at_home, people):
    event = at_home()
    rsvp = answer(event, people[0])
    approvals.approve(host_of(event), rsvp, NOW)
    approvals.decline(organiser_of(event.group), rsvp, "", NOW)
    approvals.approve(host_of(event), rsvp, NOW)
    db.session.commit()
    assert rsvp.is_going and not rsvp.is_refused and event.seats_taken == 2
    assert len(mailbox.queued(people[0].email, kind="rsvp-approved")) == 1


def test_requests_lapse_at_the_deadline_with_a_mail(at_home, people):
    deadline = NOW + timedelta(days=1)
    event = at_home(rsvp_deadline_at=deadline)
    rsvp = answer(event, people[0])
    assert approvals.expire_requests(deadline - timedelta(minutes=1)) == 0
    assert approvals.expire_requests(deadline) == 1
    db.session.commit()
    assert rsvp.status is RsvpStatus.DECLINED and not rsvp.is_refused
    [mail] = mailbox.queued(people[0].email, kind="rsvp-request-lapsed")
    assert "has lapsed" in mailbox.text(mail)
    assert approvals.expire_requests(deadline) == 0


def test_the_host_is_reminded_of_requests_a_day_old_once_a_day(at_home, people, maria):
    event = at_home()
    answer(event, people[0], now=NOW)
    answer(event, people[1], now=NOW + timedelta(hours=2))
    assert approvals.remind_hosts(NOW + timedelta(hours=23)) == 0
    later = NOW + timedelta(hours=25)
    approvals.remind_hosts(later)
    approvals.remind_hosts(later + timedelta(minutes=30))
    db.session.commit()
    reminders_ = mailbox.queued(maria.email, kind="requests-waiting")
    assert len(reminders_) == 1
    assert "2 people are waiting for your answer" in str(reminders_[0]["Subject"])


def test_runs_either_side_of_midnight_remind_the_host_once(at_home, people, maria):
    event = at_home()
    asked = NOW.replace(hour=23, minute=40) - timedelta(days=1)
    answer(event, people[0], now=asked)
    approvals.remind_hosts(asked + timedelta(days=1, minutes=10))  # 23:50
    approvals.remind_hosts(asked + timedelta(days=1, minutes=30))  # 00:10
    db.session.commit()
    assert len(mailbox.queued(maria.email, kind="requests-waiting")) == 1
    approvals.remind_hosts(asked + timedelta(days=2, minutes=10))
    db.session.commit()
    assert len(mailbox.queued(maria.email, kind="requests-waiting")) == 2


def test_turning_approval_off_lets_requests_in_in_order_as_room_allows(at_home, people):
    ana, bea, cat = people
    event = at_home(capacity=3)
    for minute, person in enumerate((cat, ana, bea)):
        answer(event, person, now=NOW + timedelta(minutes=minute))
    events.update_event(
        organiser_of(event.group), event, edited(event, admission=Admission.ANYONE),
        NOW + timedelta(hours=1),
    )  # fmt: skip
    db.session.commit()
    states = {p.display_name: attendees.rsvp_of(p, event).status for p in people}
    assert states == {"Cat": RsvpStatus.GOING, "Ana": RsvpStatus.GOING,
                      "Bea": RsvpStatus.WAITLISTED}  # fmt: skip
    assert event.seats_taken == 3


def test_only_newcomers_ask_after_each_person_asked(
    at_home, people, make_event, circle
):
    ana, bea, _ = people
    newcomer_to(make_event, circle, ana, checked_in=True)
    event = at_home(capacity=10)
    answer(event, ana)
    answer(event, bea)
    events.update_event(
        organiser_of(circle), event, edited(event, admission=Admission.NEWCOMERS),
        NOW + timedelta(hours=1),
    )  # fmt: skip
    assert attendees.rsvp_of(ana, event).is_going
    assert attendees.rsvp_of(bea, event).is_requested


def test_a_party_passed_over_by_a_smaller_one_is_told(
    make_event, circle, people, make_user, add_member
):
    ana, bea, cat = people
    event = make_event(circle, capacity=3, max_guests=2)
    answer(event, ana, guests=1)
    answer(event, bea)
    waiting_three = answer(event, cat, guests=2)
    dee = add_member(circle, make_user(name="Dee")).user
    answer(event, dee)
    answer(event, ana, going=False)  # 2 places free: Cat's 3 don't fit, Dee's 1 does
    db.session.refresh(waiting_three)
    assert attendees.rsvp_of(dee, event).is_going
    assert waiting_three.is_waitlisted and waiting_three.passed_over == 2
    [mail] = mailbox.queued(cat.email, kind="passed-over")
    assert (
        "2 places came free; your party of 3 is first in line for the next places."
        in mailbox.text(mail)
    )
    answer(event, bea, going=False)  # still 1 short of her 3: not told again
    assert len(mailbox.queued(cat.email, kind="passed-over")) == 1


def test_the_street_the_day_before(at_home, people):
    event = at_home(admission=Admission.ANYONE, street_day_before=True)
    ana = people[0]
    answer(event, ana)
    day_before = event.starts_at - permissions.STREET_AHEAD
    assert not sees_street(event, ana, now=day_before - timedelta(seconds=1))
    assert sees_street(event, ana, now=day_before)
    assert sees_street(event, event.host)  # the host always
    [going] = mailbox.queued(ana.email, kind="rsvp-going")
    assert HOME_ADDRESS not in mailbox.text(going)
    assert "Ring flat 2" not in mailbox.text(going)
    reminders.send_reminders(day_before + timedelta(minutes=5))
    db.session.commit()
    [reminder] = mailbox.queued(ana.email, kind="reminder")
    assert HOME_ADDRESS in mailbox.text(reminder)


def test_who_sees_who_is_going(at_home, people, make_user):
    ana, bea, _ = people
    names = {}
    for choice in GuestList:
        event = at_home(
            title=choice.value, admission=Admission.ANYONE, guest_list=choice
        )
        answer(event, ana)
        names[choice] = [
            viewers.access_of(
                event, who, attendees.rsvp_of(who, event)
            ).sees_attendee_names
            for who in (event.host, ana, bea, make_user())
        ]  # the host, going, a member, a stranger
    assert names == {
        GuestList.MEMBERS: [True, True, True, False],
        GuestList.GOING: [True, True, False, False],
        GuestList.COUNT: [True, False, False, False],
    }


def test_asked_in_the_personal_feed_tentative_with_the_area_only(at_home, people):
    event = at_home()
    answer(event, people[0])
    feed = icalendar.Calendar.from_ical(calendars.personal_calendar(people[0], NOW))
    [entry] = feed.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Asked: Book night"
    assert str(entry["STATUS"]) == "TENTATIVE"
    assert HOME_ADDRESS not in entry.to_ical().decode()
    assert "Ring flat 2" not in entry.to_ical().decode()


def test_people_who_asked_hear_of_a_cancellation(at_home, people):
    event = at_home()
    answer(event, people[0])
    events.cancel_event(organiser_of(event.group), event, "", NOW)
    db.session.commit()
    [mail] = mailbox.queued(people[0].email, kind="cancelled")
    assert mailbox.calendar_part(mail) is None
    assert HOME_ADDRESS not in mailbox.text(mail)


def test_didnt_come_is_marked_after_the_start_only(at_home, people):
    event = at_home(admission=Admission.ANYONE)
    rsvp = answer(event, people[0])
    with pytest.raises(NotAllowed):
        rsvps.set_checked_in(host_of(event), rsvp, "absent", NOW)
    rsvps.set_checked_in(host_of(event), rsvp, "absent", event.starts_at)
    assert rsvp.did_not_come and rsvp.checked_in_at is None
    rsvps.set_checked_in(host_of(event), rsvp, "arrived", event.starts_at)
    assert not rsvp.did_not_come and rsvp.checked_in_at == event.starts_at
