"""One copy per calendar: invitations by mail or her personal feed, never both;
and the ORGANIZER a gathering's invitations carry, fixed at the first."""

from datetime import timedelta

import icalendar
import pytest

from meetup.extensions import db
from meetup.models import Rsvp, RsvpStatus, User, VenueType
from meetup.services import (
    accounts,
    calendar_links,
    calendars,
    mail_codes,
    reply_addresses,
    viewers,
)
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer

ADDRESS = "7 Quillfeather Row"


@pytest.fixture
def circle(make_group, make_user):
    return make_group(make_user(name="Maria"), name="Book Circle")


@pytest.fixture
def ana(make_user, add_member, circle):
    ana = make_user(name="Ana", email="ana@example.org")
    add_member(circle, ana)
    return ana


@pytest.fixture
def supper(make_event, circle):
    return make_event(
        circle, title="Supper", venue_type=VenueType.HOME, address=ADDRESS,
        area="Leith", latitude=55.95, longitude=-3.18,
    )  # fmt: skip


def only(message):
    part = mailbox.calendar_part(message)
    (event,) = icalendar.Calendar.from_ical(part.get_content().encode()).walk("VEVENT")
    return part.get_param("method"), event


def test_choosing_the_feed_cancels_each_coming_copy_and_stops_invitations(
    ana, supper, make_event, circle
):
    later = make_event(circle, title="Picnic", now=NOW + timedelta(days=3))
    over = make_event(circle, title="Last week", now=NOW - timedelta(days=10))
    for event in (supper, later):
        answer(event, ana)
    db.session.add(Rsvp(event=over, user=ana, status=RsvpStatus.GOING))
    db.session.commit()
    sent = {m["Subject"]: only(m) for m in mailbox.queued(ana.email, "rsvp-going")}

    accounts.set_calendar_copy(ana, by_mail=False, now=NOW)
    db.session.commit()

    cancels = [only(m) for m in mailbox.queued(ana.email, "calendar-choice")]
    assert sorted(str(e["SUMMARY"]) for _, e in cancels) == ["Picnic", "Supper"]
    for method, entry in cancels:
        before = next(e for _, e in sent.values() if e["UID"] == entry["UID"])
        assert method == "CANCEL" and entry["SEQUENCE"] > before["SEQUENCE"]
    assert db.session.get(User, ana.id).wants_invitations is False
    assert calendar_links.feed_token(ana) is not None  # the feed she chose, ready

    # Her feed says the SEQUENCE the cancel did; her later mail carries no copy.
    feed = icalendar.Calendar.from_ical(calendars.personal_calendar(ana, NOW))
    supper_in_feed = next(e for e in feed.walk("VEVENT") if e["UID"] == supper.uid)
    supper_cancel = next(e for _, e in cancels if e["UID"] == supper.uid)
    assert supper_in_feed["SEQUENCE"] == supper_cancel["SEQUENCE"]
    third = make_event(circle, title="Quiz", now=NOW + timedelta(days=5))
    answer(third, ana)
    db.session.commit()
    [going] = [
        m for m in mailbox.queued(ana.email, "rsvp-going") if "Quiz" in m["Subject"]
    ]
    assert mailbox.calendar_part(going) is None
    assert not any(p.get_filename() for p in going.walk())
    assert "It's in your Hearth calendar feed" in mailbox.text(going)
    assert "invitation is attached" not in mailbox.text(going)


def test_choosing_mail_again_sends_each_coming_copy(ana, supper):
    answer(supper, ana)
    accounts.set_calendar_copy(ana, by_mail=False, now=NOW)
    db.session.commit()
    accounts.set_calendar_copy(ana, by_mail=True, now=NOW + timedelta(minutes=1))
    db.session.commit()
    [cancel, request] = mailbox.queued(ana.email, "calendar-choice")
    (cancelled, first), (requested, second) = only(cancel), only(request)
    assert (cancelled, requested) == ("CANCEL", "REQUEST")
    assert second["SEQUENCE"] > first["SEQUENCE"] and ADDRESS in str(second["LOCATION"])
    assert "invitation is attached" in mailbox.text(request)
    # Asked twice, nothing is sent twice.
    accounts.set_calendar_copy(ana, by_mail=True, now=NOW + timedelta(minutes=2))
    assert len(mailbox.queued(ana.email, "calendar-choice")) == 2


def test_a_feed_chooser_who_changes_her_email_is_sent_no_copies(ana, supper):
    answer(supper, ana)
    accounts.set_calendar_copy(ana, by_mail=False, now=NOW)
    code = mail_codes.issue("ana.new@example.org", mail_codes.CHANGE_EMAIL, NOW,
                            user_id=ana.id)  # fmt: skip
    accounts.change_email(ana, code.row, NOW + timedelta(minutes=5))
    db.session.commit()
    assert not mailbox.queued(kind="address-moved")


def test_the_first_invitation_fixes_the_organizer_for_good(
    app, ana, supper, make_event, circle
):
    """Google and Outlook ignore an update whose ORGANIZER moved: a new
    MAIL_FROM or REPLY_DOMAIN is for gatherings not yet told of."""
    app.config.update(MAIL_FROM="Hearth <hearth@old.example>", REPLY_DOMAIN=None)
    answer(supper, ana)
    app.config.update(MAIL_FROM="Hearth <hi@new.example>", REPLY_DOMAIN="reply.example")
    viewer = viewers.viewer(supper, ana)
    again = calendars.invitation(supper, viewer.rsvp, viewer.access, NOW, "REQUEST")
    (entry,) = icalendar.Calendar.from_ical(again.ics).walk("VEVENT")
    assert str(entry["ORGANIZER"]) == "mailto:hearth@old.example"
    assert entry["ATTENDEE"].params["RSVP"] == "FALSE" and not again.takes_answers
    download = calendars.event_calendar(supper, viewer.access, viewer.rsvp)
    assert b"mailto:hearth@old.example" in download

    picnic = make_event(circle, title="Picnic")
    answer(picnic, ana)
    viewer = viewers.viewer(picnic, ana)
    new = calendars.invitation(picnic, viewer.rsvp, viewer.access, NOW, "REQUEST")
    (entry,) = icalendar.Calendar.from_ical(new.ics).walk("VEVENT")
    address = str(entry["ORGANIZER"]).removeprefix("mailto:")
    assert address.endswith("@reply.example") and new.takes_answers
    app.config.update(REPLY_DOMAIN="elsewhere.example")  # the deployer moves on
    assert reply_addresses.read(address) == (ana, picnic)  # issued there, still read
    moved = address.replace("@reply.example", "@elsewhere.example")
    assert reply_addresses.read(moved) is None  # never issued at that domain


def test_an_address_mailed_before_domains_were_kept_is_still_read(app, ana, supper):
    """Gatherings told of before migration 0014 have no domain kept: the setting
    then says which domain their addresses were issued at."""
    app.config.update(REPLY_DOMAIN="reply.example")
    supper.reply_domain = None  # announced before REPLY_DOMAIN was set
    address = reply_addresses.address(ana, supper)
    supper.reply_domain = None  # as the migration leaves every older gathering
    assert reply_addresses.read(address) == (ana, supper)
    app.config.update(REPLY_DOMAIN="elsewhere.example")
    assert reply_addresses.read(address) is None
