"""What each calendar holds and tells: the privacy rule in every feed, one UID
forever, SEQUENCE on each change that matters, and versions that move with them."""

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from meetup import times
from meetup.extensions import db
from meetup.models import EventVisibility, Rsvp, RsvpStatus, VenueType, Visibility
from meetup.services import (
    accounts,
    calendars,
    events,
    feed_cache,
    groups,
    mail_codes,
    rsvps,
    viewers,
)
from tests import mailbox
from tests.conftest import NOW
from tests.parsers import icaljs, libical
from tests.scenes import answer, edited, organiser_of

ADDRESS = "7 Quillfeather Row"
EXACT = (55.953251, -3.188267)


@pytest.fixture
def maria(make_user):
    return make_user(name="Maria", email="maria.private@example.org")


@pytest.fixture
def circle(make_group, maria):
    return make_group(maria, name="Book Circle", timezone="Europe/London")


@pytest.fixture
def supper(make_event, circle, maria):
    return make_event(
        circle,
        title="Supper at Maria's",
        description="Bring a dish.",
        venue_type=VenueType.HOME,
        venue_name="Maria's flat",
        address=ADDRESS,
        area="Leith, Edinburgh",
        access_notes="Ring twice",
        latitude=EXACT[0],
        longitude=EXACT[1],
        host_id=maria.id,
        capacity=2,  # Maria, hosting, and one more
    )


def vevents(data: bytes) -> list:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def only(data: bytes):
    (event,) = vevents(data)
    return event


def test_the_group_feed_tells_only_the_area_of_a_home(supper, circle, maria):
    for reader in (None, maria):  # even the organiser: the feed's link gets shared
        data = calendars.group_calendar(circle, reader, NOW)
        event = only(data)
        assert str(event["LOCATION"]) == "A member's home in Leith, Edinburgh"
        assert (event["GEO"].latitude, event["GEO"].longitude) == (
            round(supper.public_latitude, 6),
            round(supper.public_longitude, 6),
        )
        assert (event["GEO"].latitude, event["GEO"].longitude) != EXACT
        assert ADDRESS.encode() not in data
        assert b"Ring twice" not in data
        assert b"55.953251" not in data


def test_a_public_venue_shows_its_address_in_the_group_feed(make_event, circle):
    make_event(
        circle,
        venue_type=VenueType.CHURCH,
        venue_name="St Mary's",
        address="2 Kirk Brae",
        area="Leith",
    )
    assert str(only(calendars.group_calendar(circle, None, NOW))["LOCATION"]) == (
        "St Mary's, 2 Kirk Brae"
    )


def test_the_personal_feed_gives_the_address_to_those_going(
    supper, make_user, add_member, circle
):
    ana, bea = make_user(name="Ana"), make_user(name="Bea")
    add_member(circle, ana)
    add_member(circle, bea)
    answer(supper, ana)
    answer(supper, bea)  # capacity 1: waitlisted

    going = only(calendars.personal_calendar(ana, NOW))
    assert str(going["LOCATION"]) == f"Maria's flat, {ADDRESS}"
    assert (going["GEO"].latitude, going["GEO"].longitude) == EXACT
    assert str(going["STATUS"]) == "CONFIRMED"
    assert "Getting in: Ring twice" in str(going["DESCRIPTION"])

    waiting_data = calendars.personal_calendar(bea, NOW)
    waiting = only(waiting_data)
    assert str(waiting["STATUS"]) == "TENTATIVE"
    assert str(waiting["SUMMARY"]) == "Waitlisted: Supper at Maria's"
    assert "on the waitlist" in str(waiting["DESCRIPTION"])
    assert str(waiting["LOCATION"]) == "A member's home in Leith, Edinburgh"
    assert ADDRESS.encode() not in waiting_data
    assert b"Ring twice" not in waiting_data
    assert str(waiting["UID"]) == str(going["UID"]) == supper.uid


def test_the_personal_feed_leaves_out_declined_and_other_peoples_events(
    supper, make_event, make_user, add_member, circle
):
    ana = make_user()
    add_member(circle, ana)
    other = make_event(circle, title="Walk")
    answer(supper, ana)
    answer(other, ana, going=False)
    assert [
        str(e["SUMMARY"]) for e in vevents(calendars.personal_calendar(ana, NOW))
    ] == ["Supper at Maria's"]
    answer(supper, ana, going=False)
    assert vevents(calendars.personal_calendar(ana, NOW)) == []


def test_a_waitlisted_organiser_still_sees_the_address(
    make_event, circle, maria, make_user, add_member
):
    ana = make_user()
    add_member(circle, ana)
    # Nobody hosts (a host is always seated): one place, Ana's.
    supper = make_event(circle, venue_type=VenueType.HOME, address=ADDRESS, capacity=1)
    answer(supper, ana)
    answer(supper, maria)  # full: the organiser waits like anyone
    event = only(calendars.personal_calendar(maria, NOW))
    assert str(event["STATUS"]) == "TENTATIVE"
    assert ADDRESS in str(event["LOCATION"])


def test_one_uid_everywhere_and_sequence_grows_with_calendar_changes(
    supper, circle, maria, make_user, add_member
):
    ana = make_user()
    add_member(circle, ana)
    answer(supper, ana)
    organiser = organiser_of(circle)

    def copies():
        viewer = viewers.viewer(supper, ana)
        return [
            only(calendars.event_calendar(supper, viewer.access, viewer.rsvp)),
            only(calendars.group_calendar(circle, ana, NOW)),
            only(calendars.personal_calendar(ana, NOW)),
        ]

    before = copies()
    assert {str(c["UID"]) for c in before} == {supper.uid}
    assert {c["SEQUENCE"] for c in before} == {0}

    events.update_event(
        organiser, supper, edited(supper, description="Bring a pudding."), NOW
    )
    db.session.commit()
    assert {c["SEQUENCE"] for c in copies()} == {0}  # words only: nothing to move

    later = supper.starts_at + timedelta(hours=1)
    events.update_event(
        organiser,
        supper,
        edited(supper, starts_at=later, ends_at=later + timedelta(hours=2)),
        NOW,
    )
    db.session.commit()
    moved = copies()
    assert {str(c["UID"]) for c in moved} == {supper.uid}
    assert {c["SEQUENCE"] for c in moved} == {1}
    assert {c["DTSTART"].dt for c in moved} == {later}

    events.update_event(
        organiser, supper, edited(supper, address="9 Other Street"), NOW
    )
    db.session.commit()
    assert supper.sequence == 2
    events.update_event(organiser, supper, edited(supper, title="Supper, moved"), NOW)
    db.session.commit()
    assert supper.sequence == 3

    events.cancel_event(organiser, supper, "Maria is ill", NOW)
    db.session.commit()
    cancelled = copies()
    assert {c["SEQUENCE"] for c in cancelled} == {4}
    assert {str(c["STATUS"]) for c in cancelled} == {"CANCELLED"}
    assert {str(c["SUMMARY"]) for c in cancelled} == {"Cancelled: Supper, moved"}
    assert all("Maria is ill" in str(c["DESCRIPTION"]) for c in cancelled)


def readings(data: bytes) -> set[tuple]:
    """(UID, SEQUENCE, start instant) of the one event, as four parsers read
    it: icalendar, vobject, ical.js (Thunderbird's) and libical (Evolution's)."""
    event = only(data)
    parsed = vobject.readOne(data.decode()).vevent
    [js], [gnome] = icaljs(data), libical(data)
    found = {
        (str(event["UID"]), int(event["SEQUENCE"]), event["DTSTART"].dt),
        (parsed.uid.value, int(parsed.sequence.value), parsed.dtstart.value),
        (js["uid"], js["sequence"], js["start"]),
        (gnome["uid"], gnome["sequence"], gnome["start"]),
    }
    assert len(found) == 1, found  # the parsers agree
    return found


def test_her_sequence_agrees_on_every_surface_as_she_goes_and_comes_back(
    supper, circle, make_user, add_member
):
    """Mail, download and personal feed say one SEQUENCE for her at every step
    (a download older than the copy she holds would silently do nothing); the
    group feed, which is no one's, says the gathering's own."""
    ana = make_user()
    add_member(circle, ana)
    steps = [
        ("going", lambda: answer(supper, ana)),
        ("not going", lambda: answer(supper, ana, going=False)),
        ("back", lambda: answer(supper, ana)),
        ("cancelled", lambda: events.cancel_event(
            organiser_of(circle), supper, "", NOW)),
    ]  # fmt: skip
    seen = []
    for step, act in steps:
        act()
        db.session.commit()
        mail = mailbox.queued(ana.email)[-1]
        mailed = readings(mailbox.calendar_part(mail).get_content().encode())
        viewer = viewers.viewer(supper, ana)
        download = calendars.event_calendar(supper, viewer.access, viewer.rsvp)
        assert readings(download) == mailed, step
        if step != "not going":  # her feed holds only what she answered yes to
            assert readings(calendars.personal_calendar(ana, NOW)) == mailed, step
        shared = only(calendars.group_calendar(circle, ana, NOW))
        assert shared["SEQUENCE"] == supper.sequence, step
        seen.append({sequence for _, sequence, _ in mailed})
    assert seen == [{0}, {1}, {2}, {3}]


def test_the_wall_clock_time_survives_a_daylight_saving_change(make_group, make_event):
    """Planned in GMT for a summer evening: 19:30 BST reads back as 19:30."""
    group = make_group(timezone="Europe/London")
    typed = datetime(NOW.year + 1, 7, 2, 19, 30)
    event = make_event(group, starts_at=times.to_utc(typed, "Europe/London"))
    start = only(calendars.group_calendar(group, None, NOW))["DTSTART"].dt
    assert start.astimezone(ZoneInfo("Europe/London")).replace(tzinfo=None) == typed
    assert start.astimezone(UTC).hour == 18
    assert start == event.starts_at


def test_the_group_feed_holds_what_the_reader_may_see_for_three_months_back(
    make_group, make_event, make_user, add_member
):
    group = make_group(name="Walkers")
    past_now = NOW - timedelta(days=120)
    make_event(
        group, title="Long ago", now=past_now, starts_at=NOW - timedelta(days=100)
    )
    make_event(
        group, title="Last month", now=past_now, starts_at=NOW - timedelta(days=30)
    )
    make_event(group, title="Members", visibility=EventVisibility.MEMBERS)
    make_event(group, title="Soon")
    member = make_user()
    add_member(group, member)

    def titles(reader):
        return [
            str(e["SUMMARY"])
            for e in vevents(calendars.group_calendar(group, reader, NOW))
        ]

    assert titles(None) == ["Last month", "Soon"]
    assert titles(member) == ["Last month", "Members", "Soon"]


def test_a_private_groups_feed_is_empty_to_outsiders(make_group, make_event):
    group = make_group(visibility=Visibility.PRIVATE)
    make_event(group, title="Secret supper")
    data = calendars.group_calendar(group, None, NOW)
    assert vevents(data) == [] and b"Secret supper" not in data


def test_feeds_name_the_group_and_never_a_members_email(supper, circle, maria, app):
    data = calendars.group_calendar(circle, maria, NOW)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Book Circle (Hearth)"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/London"
    event = only(data)
    assert event["ORGANIZER"].params["CN"] == "Book Circle"
    assert str(event["ORGANIZER"]) == "mailto:" + parseaddr(app.config["MAIL_FROM"])[1]
    assert maria.email.encode() not in data
    assert b"ATTENDEE" not in data


def test_a_version_changes_exactly_when_the_feed_does(
    supper, circle, make_user, add_member
):
    """After each change, a feed's ETag moved if and only if its bytes did."""
    ana, bea = make_user(), make_user()
    add_member(circle, ana)
    add_member(circle, bea)
    organiser = organiser_of(circle)
    feeds = {
        "group (visitor)": lambda: (
            calendars.group_version(circle, None, NOW),
            calendars.group_calendar(circle, None, NOW),
        ),
        "group (member)": lambda: (
            calendars.group_version(circle, ana, NOW),
            calendars.group_calendar(circle, ana, NOW),
        ),
        "ana": lambda: (
            calendars.personal_version(ana, NOW),
            calendars.personal_calendar(ana, NOW),
        ),
        "bea": lambda: (
            calendars.personal_version(bea, NOW),
            calendars.personal_calendar(bea, NOW),
        ),
    }

    def edit(**fields):
        events.update_event(organiser, supper, edited(supper, **fields), NOW)

    def rename():
        circle.name = "Book Circle of Leith"

    changes = [
        ("nothing", lambda: None),
        ("ana goes", lambda: answer(supper, ana)),
        ("bea waits", lambda: answer(supper, bea)),
        ("new words", lambda: edit(description="Bring a pudding.")),
        ("members only", lambda: edit(visibility=EventVisibility.MEMBERS)),
        ("ana can't go, bea is promoted", lambda: answer(supper, ana, going=False)),
        ("the group is renamed", rename),
        ("nothing again", lambda: None),
    ]
    before = {name: feed() for name, feed in feeds.items()}
    moved = {}
    for change, apply in changes:
        apply()
        db.session.commit()
        for name, feed in feeds.items():
            version, body = feed()
            old_version, old_body = before[name]
            assert (version.etag != old_version.etag) == (body != old_body), (
                change,
                name,
            )
            moved[change, name] = body != old_body
            before[name] = version, body
    assert not any(moved["nothing", name] for name in feeds)
    assert moved["ana goes", "ana"] and not moved["ana goes", "group (visitor)"]
    assert moved["members only", "group (visitor)"]
    assert moved["ana can't go, bea is promoted", "bea"]
    assert all(
        moved["the group is renamed", name]
        for name in ("group (visitor)", "group (member)", "bea")
    )
    assert not moved["the group is renamed", "ana"]  # her feed is empty now


def test_a_built_feed_is_reused_until_its_version_changes_and_then_dated_later(db):
    version = feed_cache.Version("a" * 32, key="group:1:public")
    builds = []

    def build():
        builds.append(1)
        return b"BEGIN:VCALENDAR..."

    first = feed_cache.built_feed(version, build, NOW)
    assert feed_cache.built_feed(version, build, NOW + timedelta(hours=1)) is first
    assert len(builds) == 1
    assert first.built_at == NOW.replace(microsecond=0)
    # A new version in the same second still gets a later Last-Modified.
    second = feed_cache.built_feed(
        feed_cache.Version("b" * 32, key=version.key), build, NOW
    )
    assert len(builds) == 2
    assert second.built_at == NOW.replace(microsecond=0) + timedelta(seconds=1)


def test_a_version_differs_between_readers_who_see_different_events(
    make_group, make_event, make_user, add_member
):
    group = make_group()
    make_event(group, visibility=EventVisibility.MEMBERS)
    member = make_user()
    add_member(group, member)
    assert (
        calendars.group_version(group, None, NOW).etag
        != calendars.group_version(group, member, NOW).etag
    )


def test_the_host_finds_their_gathering_in_their_feed_without_answering(supper, maria):
    event = only(calendars.personal_calendar(maria, NOW))
    assert str(event["UID"]) == supper.uid
    assert str(event["STATUS"]) == "CONFIRMED"
    assert ADDRESS in str(event["LOCATION"])
    before = calendars.personal_version(maria, NOW)
    answer(supper, maria, going=False)  # the host can't make it after all
    assert vevents(calendars.personal_calendar(maria, NOW)) == []
    assert calendars.personal_version(maria, NOW).etag != before.etag


def test_a_hostile_title_cannot_add_properties_to_any_feed(make_event, circle, maria):
    event = make_event(
        circle,
        title="Tea;\nATTENDEE:mailto:all@evil.example\nSTATUS:CANCELLED",
        description="x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged",
        host_id=maria.id,
    )
    seen = viewers.viewer(event, maria)
    for data in (
        calendars.event_calendar(event, seen.access, seen.rsvp),
        calendars.group_calendar(circle, None, NOW),
        calendars.personal_calendar(maria, NOW),
    ):
        (parsed,) = vevents(data)
        assert str(parsed["UID"]) == event.uid
        assert str(parsed["STATUS"]) == "CONFIRMED"
        assert "ATTENDEE" not in parsed
        assert str(parsed["SUMMARY"]) == event.title


def test_someone_who_left_the_group_loses_the_address_of_a_past_supper(
    make_event, circle, make_user, add_member
):
    ana = make_user()
    membership = add_member(circle, ana)
    past = make_event(
        circle,
        now=NOW - timedelta(days=20),
        starts_at=NOW - timedelta(days=10),
        venue_type=VenueType.HOME,
        address=ADDRESS,
        area="Leith",
        access_notes="Code 1234",
    )
    rsvps.respond(past, ana, going=True, now=NOW - timedelta(days=15))
    db.session.commit()
    assert ADDRESS in str(only(calendars.personal_calendar(ana, NOW))["LOCATION"])

    groups.leave(membership, NOW)  # past RSVPs stay as they were
    db.session.commit()
    data = calendars.personal_calendar(ana, NOW)
    assert ADDRESS.encode() not in data and b"Code 1234" not in data


def test_a_new_email_moves_her_invitation_copies_and_not_the_street(
    supper, circle, make_user, add_member, make_event
):
    """The old address's calendar gets a CANCEL (the area only: that mailbox may
    be someone else's now), the new one a REQUEST that is newer still; a
    gathering over, cancelled or only waited for moves nothing."""
    ana = make_user(email="ana.old@example.org")
    add_member(circle, ana)
    answer(supper, ana)
    over = make_event(circle, title="Last week", now=NOW - timedelta(days=10))
    called_off = make_event(circle, title="Called off")
    for event in (over, called_off):
        db.session.add(Rsvp(event=event, user=ana, status=RsvpStatus.GOING))
    events.cancel_event(organiser_of(circle), called_off, "", NOW)
    db.session.commit()
    going = mailbox.queued(ana.email, kind="rsvp-going")[-1]
    first = only(mailbox.calendar_part(going).get_content().encode())
    code = mail_codes.issue("ana.new@example.org", mail_codes.CHANGE_EMAIL, NOW,
                            user_id=ana.id)  # fmt: skip
    accounts.change_email(ana, code.row, NOW + timedelta(minutes=5))
    db.session.commit()
    [to_old] = mailbox.queued("ana.old@example.org", kind="address-moved")
    [to_new] = mailbox.queued("ana.new@example.org", kind="address-moved")
    old, new = (mailbox.calendar_part(m) for m in (to_old, to_new))
    assert (old.get_param("method"), new.get_param("method")) == ("CANCEL", "REQUEST")
    cancel, request = only(old.get_content().encode()), only(new.get_content().encode())
    assert str(cancel["UID"]) == str(request["UID"]) == supper.uid
    assert str(cancel["ATTENDEE"]) == "mailto:ana.old@example.org"
    assert str(request["ATTENDEE"]) == "mailto:ana.new@example.org"
    assert first["SEQUENCE"] < cancel["SEQUENCE"] < request["SEQUENCE"]
    assert ADDRESS not in mailbox.text(to_old) + str(cancel["LOCATION"])
    assert ADDRESS in str(request["LOCATION"])
    # Her download and feed say the SEQUENCE her new copy has.
    viewer = viewers.viewer(supper, ana)
    download = only(calendars.event_calendar(supper, viewer.access, viewer.rsvp))
    assert download["SEQUENCE"] == request["SEQUENCE"]
