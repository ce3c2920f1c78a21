"""What each state of a gathering means on every surface: a draft is the
organisers' alone (no list, feed, mail or answer); a date that needs a host is
listed for members but not answerable and in no feed or reminder; publishing
opens a draft, telling members or not."""

from datetime import timedelta

import icalendar
import pytest

from meetup import permissions
from meetup.errors import AlreadyPlanned, NotAllowed, NotFound, RSVPClosed
from meetup.extensions import db
from meetup.models import EventState, OutboxMail, Role, VenueType
from meetup.services import (
    calendars,
    events,
    finding,
    memberships,
    personal_data,
    reminders,
    rsvps,
)
from meetup.services.events import EventDetails
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of

LEITH = (55.9760, -3.1700)


@pytest.fixture
def circle(make_user, make_group, add_member):
    """A group with an organiser, a co-organiser, a member and a host who is a
    member only."""
    group = make_group(make_user(name="Olive"), name="Book Circle")
    people = {"organiser": organiser_of(group).user}
    for name, role in (("co", Role.CO_ORGANISER), ("member", Role.MEMBER),
                       ("host", Role.MEMBER)):  # fmt: skip
        people[name] = make_user(name=name.title())
        add_member(group, people[name], role)
    people["stranger"] = make_user(name="Stranger")
    return group, people


def details(people, **changes) -> EventDetails:
    starts_at = NOW + timedelta(days=3)
    values = dict(
        title="Zqxdraft supper",
        venue_type=VenueType.HOME,
        address="3 Quiet Lane",
        area="Leith, Edinburgh",
        latitude=LEITH[0],
        longitude=LEITH[1],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        timezone="Europe/London",
        capacity=6,
        host_id=people["host"].id,
    )
    return EventDetails(**{**values, **changes})


def plan(group, people, draft=True, tell_members=True, **changes):
    event = events.create_event(
        organiser_of(group), group, details(people, **changes), NOW,
        draft=draft, tell_members=tell_members,
    )  # fmt: skip
    db.session.commit()
    return event


def membership(person, group):
    return memberships.membership_of(person, group)


def in_lists(person, event) -> dict[str, bool]:
    """Whether each list holds the event for this person."""
    found = {
        "search": finding.search(person, NOW),
        "group page": finding.search(person, NOW, group=event.group),
    }
    listed = {
        name: event in db.session.scalars(query).all() for name, query in found.items()
    }
    near = finding.near(person, NOW, *LEITH, within_km=5)
    listed["near me"] = event.id in near.event_ids
    if person is not None:
        listed["my rsvps"] = any(
            rsvp.event_id == event.id for rsvp in finding.my_rsvps(person, NOW, False)
        )
    return listed


def in_feeds(person, event) -> dict[str, bool]:
    def uids(data: bytes) -> set[str]:
        calendar = icalendar.Calendar.from_ical(data)
        return {str(vevent["UID"]) for vevent in calendar.walk("VEVENT")}

    shown = {
        "group": event.uid in uids(calendars.group_calendar(event.group, person, NOW))
    }
    if person is not None:
        shown["personal"] = event.uid in uids(calendars.personal_calendar(person, NOW))
    return shown


def test_a_draft_is_seen_by_its_groups_organisers_only(circle):
    group, people = circle
    draft = plan(group, people)
    assert draft.is_draft
    for who in ("organiser", "co"):
        assert permissions.can_view_event(draft, membership(people[who], group)), who
    # The host who is not an organiser waits for it like everyone else.
    for who in ("member", "host", "stranger"):
        assert not permissions.can_view_event(draft, membership(people[who], group))
        access = permissions.event_access(draft, membership(people[who], group), None)
        assert access == permissions.NO_ACCESS, who
    assert not permissions.can_view_event(draft, None)


def test_a_draft_is_in_no_list_even_for_its_organisers(circle):
    group, people = circle
    draft = plan(group, people)
    for who in ("organiser", "co", "member", "host", "stranger"):
        assert not any(in_lists(people[who], draft).values()), who
    assert not any(in_lists(None, draft).values())
    # Her own work list (/me/events, "organising") is where she finds it again.
    assert draft in finding.organising(people["organiser"], NOW)
    assert draft not in finding.organising(people["host"], NOW)


def test_a_draft_is_in_no_feed_and_changes_no_feed(circle):
    group, people = circle
    before = {
        who: (calendars.group_version(group, people[who], NOW).etag,
              calendars.personal_version(people[who], NOW).etag)
        for who in ("organiser", "host")
    }  # fmt: skip
    draft = plan(group, people, host_id=people["organiser"].id)
    for who in ("organiser", "co", "host", "member"):
        assert not any(in_feeds(people[who], draft).values()), who
    assert not any(in_feeds(None, draft).values())
    for who in ("organiser", "host"):
        after = (calendars.group_version(group, people[who], NOW).etag,
                 calendars.personal_version(people[who], NOW).etag)  # fmt: skip
        assert after == before[who], who


def test_a_draft_mails_no_one_when_planned_or_edited(circle):
    group, people = circle
    draft = plan(group, people)
    events.update_event(
        organiser_of(group), draft,
        edited(draft, title="Zqxdraft supper, later", host_id=people["co"].id,
               starts_at=draft.starts_at + timedelta(hours=1),
               ends_at=draft.ends_at + timedelta(hours=1)),
        NOW,
    )  # fmt: skip
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)) == 0
    assert draft.seats_taken == 0  # nobody is seated, the host neither


def test_a_draft_takes_no_answer(circle):
    group, people = circle
    draft = plan(group, people)
    assert "draft" in rsvps.closed_reason(draft, NOW)
    with pytest.raises(RSVPClosed):
        rsvps.respond(draft, people["organiser"], going=True, now=NOW)
    db.session.rollback()
    # Those who may not see it are told what a missing gathering tells them.
    with pytest.raises(NotFound):
        rsvps.respond(draft, people["member"], going=True, now=NOW)


def test_a_draft_is_not_in_its_hosts_data_export(circle):
    group, people = circle
    plan(group, people)
    hosted = personal_data.collect(people["host"], NOW)["gatherings_hosted"]
    assert hosted == []
    plan(group, people, title="Hosted by Olive", host_id=people["organiser"].id)
    mine = personal_data.collect(people["organiser"], NOW)["gatherings_hosted"]
    assert [row["gathering"] for row in mine] == ["Hosted by Olive"]


def test_publishing_opens_it_seats_the_host_and_tells_members(circle):
    group, people = circle
    draft = plan(group, people)
    events.publish(organiser_of(group), draft, tell_members=True, now=NOW)
    db.session.commit()
    assert draft.is_open
    assert rsvps.closed_reason(draft, NOW) is None
    assert in_lists(people["member"], draft)["group page"]
    assert in_lists(None, draft)["search"]
    assert in_feeds(people["host"], draft) == {"group": True, "personal": True}
    told = {m["To"].addresses[0].addr_spec for m in mailbox.queued(kind="announcement")}
    # The author and the host (she has her own mail) are not announced to.
    assert told == {people["co"].email, people["member"].email}
    assert [
        m["To"].addresses[0].addr_spec for m in mailbox.queued(kind="rsvp-going")
    ] == [people["host"].email]


def test_publishing_without_telling_mails_no_member(circle):
    group, people = circle
    draft = plan(group, people)
    events.publish(organiser_of(group), draft, tell_members=False, now=NOW)
    db.session.commit()
    assert draft.is_open
    assert mailbox.queued(kind="announcement") == []
    # The host is still seated, and hears that she is hosting.
    assert [m["To"].addresses[0].addr_spec for m in mailbox.queued()] == [
        people["host"].email
    ]


def test_planning_open_without_telling_mails_no_member(circle):
    group, people = circle
    event = plan(group, people, draft=False, tell_members=False)
    assert event.is_open and event.seats_taken == 1
    assert mailbox.queued(kind="announcement") == []
    later = NOW + timedelta(days=4)
    plan(group, people, draft=False, title="Told", starts_at=later,
         ends_at=later + timedelta(hours=2))  # fmt: skip
    told = {m["To"].addresses[0].addr_spec for m in mailbox.queued(kind="announcement")}
    assert told == {people["co"].email, people["member"].email}


def test_publishing_twice_opens_once_and_tells_once(circle):
    group, people = circle
    draft = plan(group, people)
    for _ in range(2):
        events.publish(organiser_of(group), draft, tell_members=True, now=NOW)
        db.session.commit()
    assert len(mailbox.queued(kind="announcement")) == 2
    assert len(mailbox.queued(kind="rsvp-going")) == 1
    assert draft.seats_taken == 1


def test_only_organisers_publish_and_not_after_the_start(circle):
    group, people = circle
    draft = plan(group, people)
    with pytest.raises(NotAllowed):
        events.publish(membership(people["member"], group), draft, True, NOW)
    db.session.rollback()
    with pytest.raises(NotAllowed):
        events.publish(organiser_of(group), draft, True, draft.starts_at)
    db.session.rollback()
    assert db.session.get(type(draft), draft.id).is_draft


def test_a_draft_sent_twice_is_one_draft(circle):
    group, people = circle
    events.create_event(organiser_of(group), group, details(people), NOW,
                        once="a" * 32, draft=True)  # fmt: skip
    db.session.commit()
    with pytest.raises(AlreadyPlanned):
        events.create_event(organiser_of(group), group, details(people), NOW,
                            once="a" * 32, draft=True)  # fmt: skip


# --- a date that needs a host ---------------------------------------------------


def needing_a_host(group, people):
    """What the series code makes: an ordinary gathering, host needed (set here
    by hand; the series services set it in their own way)."""
    event = plan(group, people, draft=False, host_id=None)
    event.state = EventState.HOST_NEEDED
    db.session.commit()
    return event


def test_a_date_that_needs_a_host_is_listed_for_members_only(circle):
    group, people = circle
    event = needing_a_host(group, people)
    for who in ("organiser", "member", "host"):
        assert permissions.can_view_event(event, membership(people[who], group))
        listed = in_lists(people[who], event)
        assert listed["group page"] and listed["search"], who
    assert not permissions.can_view_event(event, None)
    assert not permissions.can_view_event(event, membership(people["stranger"], group))
    assert not any(in_lists(people["stranger"], event).values())
    assert not any(in_lists(None, event).values())


def test_a_date_that_needs_a_host_takes_no_answer_and_is_in_no_feed(circle):
    group, people = circle
    event = needing_a_host(group, people)
    assert rsvps.closed_reason(event, NOW) == "This date needs a host first."
    with pytest.raises(RSVPClosed):
        rsvps.respond(event, people["member"], going=True, now=NOW)
    db.session.rollback()
    for who in ("organiser", "member"):
        assert not any(in_feeds(people[who], event).values()), who


def test_no_reminder_for_a_date_without_a_host(circle):
    group, people = circle
    event = plan(group, people, draft=False, host_id=None)
    answer(event, people["member"])
    event.state = EventState.HOST_NEEDED  # a host gave it up (the series' rule)
    db.session.commit()
    assert reminders.send_reminders(event.starts_at - timedelta(hours=20)) == 0
    event.state = EventState.OPEN
    db.session.commit()
    assert reminders.send_reminders(event.starts_at - timedelta(hours=20)) == 1
