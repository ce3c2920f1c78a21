"""Who is told what, by mail: each message's words, its invitation, and the
home address only for those entitled to it."""

from datetime import timedelta

import icalendar
import pytest

from meetup.errors import NotAllowed
from meetup.extensions import db
from meetup.models import Role, VenueType, Visibility
from meetup.services import (
    account_mail,
    accounts,
    attendees,
    events,
    groups,
    news,
    reminders,
    rsvps,
)
from meetup.services.events import EventDetails
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of

ADDRESS = "7 Quillfeather Row"


@pytest.fixture
def maria(make_user):
    return make_user(name="Maria", email="maria@example.org")


@pytest.fixture
def circle(make_group, maria):
    return make_group(maria, name="Book Circle")


@pytest.fixture
def supper(make_event, circle):
    return make_event(
        circle,
        title="Supper at Maria's",
        venue_type=VenueType.HOME,
        venue_name="Maria's flat",
        address=ADDRESS,
        area="Leith, Edinburgh",
        access_notes="Ring twice",
        capacity=1,
        starts_at=NOW + timedelta(days=3),
    )


@pytest.fixture
def ana(make_user, add_member, circle):
    user = make_user(name="Ana", email="ana@example.org")
    add_member(circle, user)
    return user


@pytest.fixture
def bea(make_user, add_member, circle):
    user = make_user(name="Bea", email="bea@example.org")
    add_member(circle, user)
    return user


def invitation(message):
    part = mailbox.calendar_part(message)
    if part is None:
        return None, None
    cal = icalendar.Calendar.from_ical(part.get_content())
    (event,) = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == part.get_param("method")
    return str(cal["METHOD"]), event


def whole(message) -> bytes:
    return message.as_bytes()


def test_going_is_confirmed_with_the_address_and_an_invitation(supper, ana, app):
    answer(supper, ana)
    [mail] = mailbox.queued("ana@example.org")
    assert mail["Subject"] == "You're going: Supper at Maria's"
    for body in (mailbox.text(mail), mailbox.html(mail)):
        assert ADDRESS in body and "Ring twice" in body
        assert f"/events/{supper.id}" in body
        assert "Book Circle" in body
    method, event = invitation(mail)
    assert method == "REQUEST"
    assert str(event["UID"]) == supper.uid
    assert event["SEQUENCE"] == supper.sequence
    assert ADDRESS in str(event["LOCATION"])
    [attendee] = [event["ATTENDEE"]]  # one: the reader, never the others
    assert str(attendee) == "mailto:ana@example.org"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert "maria@example.org" not in whole(mail).decode(errors="ignore")


def test_the_waitlisted_hear_their_place_in_line_and_only_the_area(supper, ana, bea):
    answer(supper, ana)
    answer(supper, bea)
    [mail] = mailbox.queued("bea@example.org")
    assert mail["Subject"] == "You're on the waitlist: Supper at Maria's"
    assert "number 1 on the waitlist" in mailbox.text(mail)
    assert mailbox.calendar_part(mail) is None
    assert ADDRESS.encode() not in whole(mail) and b"Ring twice" not in whole(mail)
    assert "A member's home in Leith, Edinburgh" in mailbox.text(mail)


def test_the_promoted_get_the_address_and_the_invitation(supper, ana, bea):
    answer(supper, ana)
    answer(supper, bea)
    answer(supper, ana, going=False)
    [promoted] = mailbox.queued("bea@example.org", kind="promoted")
    assert "a place freed up" in mailbox.text(promoted)
    assert ADDRESS in mailbox.text(promoted)
    method, event = invitation(promoted)
    assert method == "REQUEST" and str(event["UID"]) == supper.uid

    [cancelled] = mailbox.queued("ana@example.org", kind="not-going")
    method, event = invitation(cancelled)
    assert method == "CANCEL" and str(event["UID"]) == supper.uid
    assert event["ATTENDEE"].params["PARTSTAT"] == "DECLINED"
    assert "STATUS" not in event  # only Ana is off; the supper goes on


def test_a_change_says_what_changed_and_moves_the_calendar_entry(supper, ana, bea):
    answer(supper, ana)
    answer(supper, bea)
    later = supper.starts_at + timedelta(hours=1)
    events.update_event(
        organiser_of(supper.group),
        supper,
        edited(supper, starts_at=later, ends_at=later + timedelta(hours=2)),
        NOW,
    )
    db.session.commit()
    [going] = mailbox.queued("ana@example.org", kind="changed")
    assert "New time:" in mailbox.text(going)
    method, event = invitation(going)
    assert method == "REQUEST"
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt == later
    [waiting] = mailbox.queued("bea@example.org", kind="changed")
    assert "New time:" in mailbox.text(waiting)
    assert mailbox.calendar_part(waiting) is None
    assert ADDRESS.encode() not in whole(waiting)


def test_a_new_street_is_news_only_to_those_who_may_know_it(supper, ana, bea):
    answer(supper, ana)
    answer(supper, bea)
    events.update_event(
        organiser_of(supper.group), supper, edited(supper, address="9 New Street"), NOW
    )
    db.session.commit()
    [going] = mailbox.queued("ana@example.org", kind="changed")
    assert f"New place: Maria's flat, 9 New Street (was Maria's flat, {ADDRESS})" in (
        mailbox.text(going)
    )
    # Bea may only know the area, which did not change: nothing to tell her.
    assert mailbox.queued("bea@example.org", kind="changed") == []


def test_a_description_edit_sends_nothing(supper, ana):
    answer(supper, ana)
    events.update_event(
        organiser_of(supper.group), supper, edited(supper, description="New words"), NOW
    )
    db.session.commit()
    assert mailbox.queued("ana@example.org", kind="changed") == []


def test_a_cancellation_cancels_the_entry_and_gives_the_reason(supper, ana, bea):
    answer(supper, ana)
    answer(supper, bea)
    events.cancel_event(organiser_of(supper.group), supper, "Maria is ill", NOW)
    db.session.commit()
    [going] = mailbox.queued("ana@example.org", kind="cancelled")
    assert "Maria is ill" in mailbox.text(going)
    method, event = invitation(going)
    assert method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == supper.uid and event["SEQUENCE"] == 1
    [waiting] = mailbox.queued("bea@example.org", kind="cancelled")
    assert mailbox.calendar_part(waiting) is None
    assert ADDRESS.encode() not in whole(waiting)


def test_a_member_taken_off_the_list_gets_a_cancel(supper, ana):
    rsvp = answer(supper, ana)
    rsvps.remove_attendee(organiser_of(supper.group), rsvp, NOW)
    db.session.commit()
    [mail] = mailbox.queued("ana@example.org", kind="not-going")
    assert "organisers took you off the list" in mailbox.text(mail)
    assert invitation(mail)[0] == "CANCEL"


def test_join_requests_reach_the_organisers_and_approval_the_member(
    make_group, make_user, add_member, maria
):
    group = make_group(maria, name="Quiet Knitters", visibility=Visibility.PRIVATE)
    co = make_user(email="co@example.org")
    add_member(group, co, Role.CO_ORGANISER)
    plain = make_user(email="plain@example.org")
    add_member(group, plain)
    asker = make_user(name="Zoe", email="zoe@example.org")
    request = groups.join(asker, group, "I'm in the Facebook group")
    db.session.commit()
    asked = mailbox.queued(kind="join-request")
    assert sorted(m["To"].addresses[0].addr_spec for m in asked) == [
        "co@example.org",
        "maria@example.org",
    ]
    assert "I'm in the Facebook group" in mailbox.text(asked[0])
    groups.approve(organiser_of(group), request, NOW)
    db.session.commit()
    [welcome] = mailbox.queued("zoe@example.org", kind="join-approved")
    assert welcome["Subject"] == "Welcome to Quiet Knitters"


def test_a_new_gathering_is_announced_to_members_who_want_it(
    make_event, circle, ana, bea, maria
):
    bea.wants_announcements = False
    db.session.commit()
    event = make_event(
        circle, title="Picnic", venue_type=VenueType.HOME, address=ADDRESS, area="Leith"
    )
    [mail] = mailbox.queued(kind="announcement")
    assert mail["To"].addresses[0].addr_spec == "ana@example.org"
    assert mail["Subject"] == "New gathering: Picnic"
    assert ADDRESS.encode() not in whole(mail)
    assert mail["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/unsubscribe/")
    assert f"/events/{event.id}" in mailbox.text(mail)


def test_reminders_go_once_however_often_the_command_runs(supper, ana, bea, app):
    answer(supper, ana, now=NOW - timedelta(days=2))
    bea.wants_reminders = False
    supper.capacity = 5
    db.session.commit()
    answer(supper, bea, now=NOW - timedelta(days=2))
    day_before = supper.starts_at - timedelta(hours=23)
    assert reminders.send_reminders(supper.starts_at - timedelta(days=2)) == 0
    assert reminders.send_reminders(day_before) == 1
    db.session.commit()
    assert reminders.send_reminders(day_before) == 0
    assert reminders.send_reminders(day_before + timedelta(hours=1)) == 0
    db.session.commit()
    [mail] = mailbox.queued(kind="reminder")
    assert mail["To"].addresses[0].addr_spec == "ana@example.org"
    assert mail["Subject"] == "Reminder: Supper at Maria's, tomorrow"
    assert ADDRESS in mailbox.text(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_reminder_for_an_answer_given_within_the_day(supper, ana):
    answer(supper, ana, now=supper.starts_at - timedelta(hours=10))
    assert reminders.send_reminders(supper.starts_at - timedelta(hours=9)) == 0


def test_two_runs_racing_past_the_check_still_queue_one_reminder(supper, ana):
    """Both runs saw no reminder yet; the outbox's once-key keeps the second out."""
    answer(supper, ana, now=NOW - timedelta(days=2))
    rsvp = attendees.rsvp_of(ana, supper)
    day_before = supper.starts_at - timedelta(hours=23)
    news.reminder(rsvp, day_before)
    news.reminder(rsvp, day_before)
    db.session.commit()
    assert len(mailbox.queued(kind="reminder")) == 1


def test_an_unsubscribe_token_names_its_owner_and_cannot_be_forged(ana, app):
    link = account_mail.unsubscribe_link(ana, "reminders")
    token = link.rsplit("/", 1)[1]
    assert account_mail.unsubscriber(token) == (ana, "reminders")
    assert account_mail.unsubscriber(token[:-2] + "xx") is None
    assert account_mail.unsubscriber("nonsense") is None


def test_a_moved_gathering_is_worth_a_new_reminder(supper, ana):
    answer(supper, ana, now=NOW - timedelta(days=2))
    assert reminders.send_reminders(supper.starts_at - timedelta(hours=23)) == 1
    db.session.commit()
    later = supper.starts_at + timedelta(days=1)
    events.update_event(
        organiser_of(supper.group),
        supper,
        edited(supper, starts_at=later, ends_at=later + timedelta(hours=2)),
        NOW,
    )
    db.session.commit()
    assert reminders.send_reminders(later - timedelta(hours=23)) == 1


def test_going_again_after_a_cancel_is_always_newer_in_the_calendar(supper, ana):
    answer(supper, ana)
    answer(supper, ana, going=False)
    answer(supper, ana)
    sequences = [
        (invitation(mail)[0], invitation(mail)[1]["SEQUENCE"])
        for mail in mailbox.queued("ana@example.org")
    ]
    assert sequences == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]
    events.cancel_event(organiser_of(supper.group), supper, "", NOW)
    db.session.commit()
    last = mailbox.queued("ana@example.org", kind="cancelled")[-1]
    assert invitation(last)[0] == "CANCEL" and invitation(last)[1]["SEQUENCE"] == 3


def test_a_promotion_by_fewer_guests_is_one_mail(supper, ana, bea):
    supper.max_guests = 2
    supper.capacity = 2
    db.session.commit()
    answer(supper, ana)
    rsvps.respond(supper, bea, going=True, guests=2, now=NOW)  # 3 > 1 left: waits
    db.session.commit()
    rsvps.respond(supper, bea, going=True, guests=0, now=NOW)  # fits now
    db.session.commit()
    kinds = [m["Subject"].split(":")[0] for m in mailbox.queued("bea@example.org")]
    assert kinds == ["You're on the waitlist", "You're in"]


def test_a_home_that_moves_to_a_cafe_keeps_its_street_from_the_waitlisted(
    supper, ana, bea
):
    answer(supper, ana)
    answer(supper, bea)
    events.update_event(
        organiser_of(supper.group),
        supper,
        edited(
            supper,
            venue_type=VenueType.RESTAURANT,
            venue_name="Cafe X",
            address="1 Main St",
        ),
        NOW,
    )
    db.session.commit()
    [waiting] = mailbox.queued("bea@example.org", kind="changed")
    assert "New place: Cafe X, 1 Main St (was A member's home in Leith" in (
        mailbox.text(waiting)
    )
    assert ADDRESS.encode() not in whole(waiting)
    [going] = mailbox.queued("ana@example.org", kind="changed")
    assert f"(was Maria's flat, {ADDRESS})" in mailbox.text(going)


def test_a_cancelled_gathering_cannot_be_edited_back_into_calendars(supper, ana):
    answer(supper, ana)
    events.cancel_event(organiser_of(supper.group), supper, "", NOW)
    db.session.commit()
    with pytest.raises(NotAllowed, match="cancelled"):
        events.update_event(
            organiser_of(supper.group), supper, edited(supper, title="Back on?"), NOW
        )
    db.session.rollback()
    assert mailbox.queued("ana@example.org", kind="changed") == []


def test_an_address_plain_smtp_cannot_carry_does_not_stop_the_change(
    supper, make_user, add_member, ana
):
    odd = accounts.register("Jöhn", "jöhn@example.org", "long enough password")
    add_member(supper.group, odd)
    idn = make_user(name="Bü", email="bu@bücher.de")
    add_member(supper.group, idn)
    events.cancel_event(organiser_of(supper.group), supper, "", NOW)  # no 500
    start = NOW + timedelta(days=5)
    events.create_event(
        organiser_of(supper.group),
        supper.group,
        EventDetails(
            title="Next",
            venue_type=VenueType.PARK,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            timezone="Europe/London",
        ),
        NOW,
    )
    db.session.commit()
    recipients = [
        m["To"].addresses[0].addr_spec for m in mailbox.queued(kind="announcement")
    ]
    assert "bu@xn--bcher-kva.de" in recipients
    assert not any("jöhn" in r for r in recipients)


def test_new_words_reach_the_calendar_copies_of_those_going(supper, ana, bea):
    """A new door code: those going get it with a REQUEST of the same SEQUENCE
    and a newer DTSTAMP, so their calendar's copy takes it; the waitlisted, who
    hold no copy and no street, get nothing; a time change is one mail, not two."""
    answer(supper, ana)
    answer(supper, bea)  # full: waits
    sent = mailbox.queued(ana.email)[-1]
    organiser = organiser_of(supper.group)
    later = NOW + timedelta(hours=2)
    events.update_event(organiser, supper, edited(supper, access_notes="Code 4521"),
                        later)  # fmt: skip
    db.session.commit()
    [updated] = mailbox.queued(ana.email, kind="updated")
    assert "Getting in, now: Code 4521" in mailbox.text(updated)
    method, entry = invitation(updated)
    assert method == "REQUEST" and entry["SEQUENCE"] == invitation(sent)[1]["SEQUENCE"]
    assert entry["DTSTAMP"].dt > invitation(sent)[1]["DTSTAMP"].dt
    assert "Code 4521" in str(entry["DESCRIPTION"])
    assert supper.sequence == 0
    assert not mailbox.queued(bea.email, kind="updated")
    # A typo fixed, said to be minor: no mail at all.
    events.update_event(organiser, supper, edited(supper, description="Bring a dish"),
                        later, minor=True)  # fmt: skip
    db.session.commit()
    assert len(mailbox.queued(ana.email, kind="updated")) == 1
    # New words and a new time together: the one "changed" mail says it all.
    moved = supper.starts_at + timedelta(hours=1)
    events.update_event(organiser, supper, edited(
        supper, description="Bring two dishes", starts_at=moved,
        ends_at=moved + timedelta(hours=2)), later)  # fmt: skip
    db.session.commit()
    assert len(mailbox.queued(ana.email, kind="updated")) == 1
    assert mailbox.queued(ana.email, kind="changed")


def test_a_door_code_she_may_not_see_yet_sends_her_nothing(supper, ana):
    """The street the day before: three days out, new getting-in notes are not
    hers yet, so neither is a mail about them."""
    supper.street_day_before = True
    db.session.commit()
    answer(supper, ana)
    events.update_event(organiser_of(supper.group), supper,
                        edited(supper, access_notes="Code 4521"), NOW)  # fmt: skip
    db.session.commit()
    assert not mailbox.queued(ana.email, kind="updated")
    events.update_event(organiser_of(supper.group), supper,
                        edited(supper, description="Bring a pudding"), NOW)  # fmt: skip
    db.session.commit()
    [updated] = mailbox.queued(ana.email, kind="updated")
    assert "Code 4521" not in mailbox.text(updated)
    assert "Code 4521" not in invitation(updated)[1]["DESCRIPTION"]
