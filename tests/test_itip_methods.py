"""RFC 5546's rules for each METHOD, as Thunderbird's parser (ical.js) and
Evolution's (libical) read every invitation a person's life with a gathering
sends: going (REQUEST), updated (REQUEST, same SEQUENCE), not going (a CANCEL
that uninvites her), back (REQUEST), called off (a CANCEL of the whole event);
and the REPLYs Hearth reads, shaped as Gmail, Outlook and Apple send them.

Where REPLY_DOMAIN is unset her ATTENDEE says RSVP=FALSE: what the apps then
do with it is in the README ("Answers from calendars"); Thunderbird's own code
still shows its buttons, which is why the mail says answers are made on Hearth.
"""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from meetup.extensions import db
from meetup.services import events
from tests import itip_samples, mailbox
from tests.conftest import NOW
from tests.parsers import icaljs, libical
from tests.scenes import answer, edited, organiser_of

READERS = {"ical.js": icaljs, "libical": libical}


@pytest.fixture(params=["replies", "no replies"])
def life(request, app, make_user, make_group, make_event, add_member):
    """Ana's mails about one supper, in order, and whether answers come back."""
    replies = request.param == "replies"
    app.config.update(REPLY_DOMAIN="replies.hearth.test" if replies else None)
    group = make_group(make_user(name="Maria"), name="Book Circle")
    supper = make_event(group, title="Supper", description="Bring a dish.")
    ana = make_user(name="Ana", email="ana@example.org")
    add_member(group, ana)
    organiser = organiser_of(group)
    answer(supper, ana)
    events.update_event(organiser, supper, edited(supper, description="Soup."), NOW)
    answer(supper, ana, going=False)
    answer(supper, ana)
    events.cancel_event(organiser, supper, "", NOW)
    db.session.commit()
    parts = [mailbox.calendar_part(m) for m in mailbox.queued(ana.email)]
    return [p.get_content().encode() for p in parts if p], replies, supper


@pytest.mark.parametrize("reader", READERS)
def test_each_method_carries_what_rfc_5546_asks(life, reader):
    calendars, replies, supper = life
    read = [READERS[reader](data) for data in calendars]
    assert all(len(events) == 1 for events in read)
    steps = [(e["method"], e) for [e] in read]
    assert [method for method, _ in steps] == [
        "REQUEST", "REQUEST", "CANCEL", "REQUEST", "CANCEL"
    ]  # fmt: skip
    organizers = {e["organizer"] for _, e in steps}
    assert len(organizers) == 1  # one ORGANIZER for the gathering's lifetime
    for n, (method, e) in enumerate(steps):
        why = f"{reader}, step {n}: {method}"
        # Every method: UID, DTSTAMP, ORGANIZER (3.2.2, 3.2.5).
        assert e["uid"] == supper.uid and e["dtstamp"] and e["organizer"], why
        attendees = e["attendees"]
        if method == "REQUEST":  # 3.2.2: ATTENDEE 1+, SUMMARY 1
            [her] = attendees
            assert her["address"] == "mailto:ana@example.org", why
            assert her["partstat"] == "ACCEPTED" and e["summary"], why
            assert her["rsvp"] == ("TRUE" if replies else "FALSE"), why
            assert e["status"] != "CANCELLED", why
    uninvite, called_off = steps[2][1], steps[4][1]
    # 3.2.5: removing one attendee names her, and the event itself goes on...
    assert [a["address"] for a in uninvite["attendees"]] == ["mailto:ana@example.org"]
    assert uninvite["status"] != "CANCELLED"
    # ...while the whole event cancelled says STATUS:CANCELLED, and no answer.
    assert called_off["status"] == "CANCELLED"
    assert all(a["partstat"] is None for a in called_off["attendees"])
    sequences = [e["sequence"] for _, e in steps]
    assert sequences[1] == sequences[0]  # words only: same SEQUENCE, newer DTSTAMP
    assert sequences[2] < sequences[3] < sequences[4] and sequences[1] < sequences[2]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("client", itip_samples.CLIENTS)
def test_the_replies_hearth_reads_are_what_rfc_5546_calls_a_reply(client, reader):
    """3.2.3: one ATTENDEE, with her PARTSTAT; ORGANIZER, UID, DTSTAMP."""
    to = "reply+1-2-abc@replies.hearth.test"
    raw = itip_samples.reply(
        client, to=to, attendee="ana@example.org", uid="uid-1", sequence=2
    )
    message = message_from_bytes(raw, policy=policy.default)
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    [event] = READERS[reader](parts[0].get_payload(decode=True))
    assert event["method"] == "REPLY" and event["uid"] == "uid-1"
    assert event["organizer"] == f"mailto:{to}"
    assert event["dtstamp"] and event["sequence"] == 2
    [her] = event["attendees"]
    assert her["address"].lower() == "mailto:ana@example.org"
    assert her["partstat"] == "DECLINED"
