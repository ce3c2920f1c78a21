"""A word from the host: who may write, to whom it goes, what each mail says
(and keeps to itself), how often, until when; and never a calendar."""

from datetime import timedelta

import pytest

from meetup.errors import InvalidInput, LooksLikeAMove, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Block,
    HostMessage,
    HostMessageReader,
    Membership,
    OutboxMail,
    Role,
    Rsvp,
    RsvpStatus,
    User,
    VenueType,
)
from meetup.services import blocking, host_message_reads, host_messages, memberships
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW
from tests.scenes import answer, organiser_of


@pytest.fixture
def night(make_user, make_group, add_member, make_event):
    """Book night at Aisha's home (she is a member who hosts): Olga organises,
    Cora co-organises; Gina is going, Walt waitlisted, Rita waits for a yes,
    Dee said no, Mo never answered; Sam is no member."""
    olga = make_user(name="Olga Petrova")
    group = make_group(olga, name="Book Circle", area="Leith, Edinburgh")
    people = {"olga": olga}
    for key, name in [("cora", "Cora"), ("aisha", "Aisha Khan"), ("gina", "Gina"),
                      ("walt", "Walt"), ("rita", "Rita"), ("dee", "Dee"),
                      ("mo", "Mo")]:  # fmt: skip
        people[key] = make_user(name=name)
        add_member(
            group, people[key], Role.CO_ORGANISER if key == "cora" else Role.MEMBER
        )
    people["sam"] = make_user(name="Sam")
    event = make_event(
        group,
        host_id=people["aisha"].id,
        title="Book night",
        venue_type=VenueType.HOME,
        address=HOME_ADDRESS,
        area="Leith, Edinburgh",
        access_notes="Ring the bell for flat 2",
        capacity=2,  # Aisha and Gina
    )
    answer(event, people["gina"])
    answer(event, people["walt"])  # full: waitlisted
    answer(event, people["dee"], going=False)
    db.session.add(
        Rsvp(
            event=event,
            user=people["rita"],
            status=RsvpStatus.REQUESTED,
            requested_at=NOW,
            responded_at=NOW,
        )  # fmt: skip
    )
    db.session.commit()
    db.session.execute(db.delete(OutboxMail))  # the answers' own mail
    db.session.commit()
    return event, people


def member(event, user) -> Membership | None:
    return memberships.membership_of(user, event.group)


def send(event, user, body="Bring your book!", *, now=NOW, going=True,
         waitlisted=False, requested=False, reply=False, confirmed=False):  # fmt: skip
    message = host_messages.send(
        member(event, user), event, user, body, going, waitlisted, requested,
        reply, now, confirmed=confirmed,
    )  # fmt: skip
    db.session.commit()
    return message


def readers(message) -> set[str]:
    return set(
        db.session.scalars(
            db.select(User.display_name)
            .join(HostMessageReader, HostMessageReader.user_id == User.id)
            .where(HostMessageReader.message_id == message.id)
        )
    )


def mailed(kind="host-message") -> list[str]:
    return sorted(
        db.session.scalars(db.select(OutboxMail.recipient).filter_by(kind=kind))
    )


@pytest.mark.parametrize("who", ["olga", "cora", "aisha"])
def test_the_organisers_and_the_host_may_write(night, who):
    event, people = night
    message = send(event, people[who])
    assert message.sender_id == people[who].id
    assert message.body == "Bring your book!"


@pytest.mark.parametrize("who", ["gina", "walt", "rita", "mo", "sam"])
def test_members_waitlisted_and_strangers_may_not(night, who):
    event, people = night
    with pytest.raises(NotAllowed):
        send(event, people[who])
    assert db.session.scalar(db.select(db.func.count(HostMessage.id))) == 0


def test_one_may_not_write_as_someone_else(night):
    event, people = night
    with pytest.raises(NotAllowed):
        host_messages.send(
            member(event, people["olga"]), event, people["gina"], "Hi", True,
            False, False, False, NOW,
        )  # fmt: skip


def test_a_host_who_left_the_group_may_not_write(night):
    event, people = night
    aisha = people["aisha"]
    db.session.delete(member(event, aisha))
    db.session.commit()
    assert not host_messages.permissions.can_write_to_attendees(event, None)
    with pytest.raises(NotAllowed):
        send(event, aisha)


@pytest.mark.parametrize(
    "boxes, who",
    [
        ({"going": True}, {"Gina"}),
        ({"going": False, "waitlisted": True}, {"Walt"}),
        ({"going": False, "requested": True}, {"Rita"}),
        ({"going": True, "waitlisted": True, "requested": True},
         {"Gina", "Walt", "Rita"}),
    ],
)  # fmt: skip
def test_each_box_reaches_its_answer_never_the_sender_nor_a_no(night, boxes, who):
    event, people = night
    message = send(event, people["aisha"], **boxes)  # Aisha is going: not told
    assert readers(message) == who
    expected = sorted(people[name.lower()].email for name in who)
    assert mailed() == expected  # one mail each, none to Dee (declined)


def test_an_organiser_writing_reaches_the_host_going(night):
    event, people = night
    message = send(event, people["olga"])
    assert readers(message) == {"Aisha Khan", "Gina"}


def test_blocked_people_get_nothing_even_holding_an_answer(night):
    event, people = night
    gina = people["gina"]
    blocking.block(organiser_of(event.group), gina, event.group, NOW)
    # As if something had left her membership and her answer behind:
    if member(event, gina) is None:
        db.session.add(Membership(group=event.group, user=gina))
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=gina.id))
    rsvp.status = RsvpStatus.GOING
    db.session.commit()
    assert db.session.scalar(db.select(Block).filter_by(user_id=gina.id))
    message = send(event, people["aisha"], waitlisted=True, requested=True)
    assert "Gina" not in readers(message) and readers(message)
    assert gina.email not in mailed()
    counts = host_message_reads.audience_counts(event, people["aisha"].id)
    assert sum(counts.values()) == len(readers(message))


def test_a_former_member_with_an_old_answer_gets_nothing(night, make_group, add_member):
    event, people = night
    add_member(make_group(name="Another circle"), people["gina"])  # a member elsewhere
    db.session.delete(member(event, people["gina"]))
    db.session.commit()
    message = send(event, people["aisha"], waitlisted=True)
    assert readers(message) == {"Walt"}


def test_nobody_to_write_to_is_refused(night):
    event, people = night
    db.session.execute(db.delete(Rsvp).filter_by(user_id=people["rita"].id))
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        send(event, people["olga"], going=False, requested=True)
    assert refused.value.field == "to_going"


def test_the_mail_subject_body_and_link(night):
    event, people = night
    send(event, people["aisha"], "Park on the next street,\nours is dug up.")
    [mail] = mailbox.queued(people["gina"].email, kind="host-message")
    assert mail["Subject"] == "Aisha about Book night"
    text = mailbox.text(mail).replace("\r\n", "\n")
    assert "Park on the next street,\nours is dug up." in text
    assert f"/events/{event.id}" in text
    assert "because you're going to Book night" in text
    html = mailbox.html(mail).replace("\r\n", "\n")
    assert "Park on the next street,\nours is dug up." in html  # pre-line keeps it
    assert "white-space:pre-line" in html


def test_the_text_is_escaped_in_html_mail(night):
    event, people = night
    send(event, people["aisha"], '<script>alert("x")</script> & <b>bold</b>')
    [mail] = mailbox.queued(people["gina"].email, kind="host-message")
    html = mailbox.html(mail)
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in html


def test_the_footer_names_the_street_only_to_the_entitled(night):
    event, people = night
    send(event, people["olga"], waitlisted=True, requested=True)
    for name, sees in [("gina", True), ("walt", False), ("rita", False)]:
        [mail] = mailbox.queued(people[name].email, kind="host-message")
        body = mailbox.text(mail) + mailbox.html(mail)
        assert (HOME_ADDRESS in body) is sees, name
        assert ("Ring the bell" in body) is sees, name
        assert sees or "A member's home in Leith, Edinburgh" in mailbox.text(mail)


def test_the_day_before_rule_holds_in_the_footer(night):
    event, people = night
    event.street_day_before = True
    db.session.commit()
    send(event, people["aisha"])
    [early] = mailbox.queued(people["gina"].email, kind="host-message")
    assert HOME_ADDRESS not in mailbox.text(early) + mailbox.html(early)
    send(
        event,
        people["aisha"],
        "See you tomorrow",
        now=event.starts_at - timedelta(hours=2),
    )
    late = mailbox.queued(people["gina"].email, kind="host-message")[-1]
    assert HOME_ADDRESS in mailbox.text(late)


def test_reply_to_the_sender_only_if_ticked(night):
    event, people = night
    send(event, people["aisha"])
    [quiet] = mailbox.queued(people["gina"].email, kind="host-message")
    assert quiet["Reply-To"] is None
    assert "Replies to this mail reach no one." in mailbox.text(quiet)
    send(event, people["aisha"], "Any questions?", reply=True)
    asked = mailbox.queued(people["gina"].email, kind="host-message")[-1]
    assert asked["Reply-To"].addresses[0].addr_spec == people["aisha"].email
    assert "Reply to this mail to write to Aisha." in mailbox.text(asked)


def test_a_message_touches_no_calendar(night):
    event, people = night
    sequence = event.sequence
    offsets = {r.id: r.sequence_offset for r in db.session.scalars(db.select(Rsvp))}
    send(event, people["aisha"], waitlisted=True, requested=True)
    for mail in mailbox.queued(kind="host-message"):
        assert mailbox.calendar_part(mail) is None
        types = {part.get_content_type() for part in mail.walk()}
        assert not types & {"text/calendar", "application/ics"}
    db.session.refresh(event)
    assert event.sequence == sequence
    assert {
        r.id: r.sequence_offset for r in db.session.scalars(db.select(Rsvp))
    } == offsets


def test_five_a_day_then_refused_then_again_after_24_hours(night):
    event, people = night
    for n in range(5):
        send(event, people["aisha"], f"Note {n}", now=NOW + timedelta(hours=n))
    with pytest.raises(NotAllowed) as refused:
        send(event, people["olga"], "Sixth", now=NOW + timedelta(hours=6))
    assert "You can write again" in str(refused.value)
    db.session.rollback()
    with pytest.raises(NotAllowed):
        send(event, people["olga"], "Still", now=NOW + timedelta(hours=23, minutes=59))
    db.session.rollback()
    send(event, people["olga"], "Next day", now=NOW + timedelta(hours=24, seconds=1))
    assert db.session.scalar(db.select(db.func.count(HostMessage.id))) == 6


def test_the_count_is_per_gathering(night, make_event):
    event, people = night
    other = make_event(event.group, host_id=people["aisha"].id, title="Other night")
    answer(other, people["gina"])
    for n in range(5):
        send(event, people["aisha"], f"Note {n}")
    send(other, people["aisha"])  # another gathering's five are its own


def test_writing_closes_a_week_after_the_end(night):
    event, people = night
    closes = event.ends_at + timedelta(days=7)
    send(event, people["aisha"], "Thanks for coming", now=closes - timedelta(seconds=1))
    with pytest.raises(NotAllowed) as refused:
        send(event, people["aisha"], "Too late", now=closes)
    assert "a week after the end" in str(refused.value)


def test_a_cancelled_gathering_may_still_say_sorry(night):
    event, people = night
    event.cancelled_at = NOW
    db.session.commit()
    send(event, people["olga"], "So sorry, see you next month")
    with pytest.raises(NotAllowed):
        send(event, people["olga"], "Sorry again",
             now=event.ends_at + timedelta(days=7))  # fmt: skip


def test_a_draft_has_nobody_to_write_to(night):
    event, people = night
    event.state = host_messages.permissions.EventState.DRAFT
    db.session.commit()
    with pytest.raises(NotAllowed):
        send(event, people["olga"])


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_is_refused(night, body):
    event, people = night
    with pytest.raises(InvalidInput) as refused:
        send(event, people["aisha"], body)
    assert refused.value.field == "body"


def test_up_to_a_thousand_characters_after_stripping(night):
    event, people = night
    send(event, people["aisha"], "  " + "a" * HostMessage.LONGEST + "\n")
    with pytest.raises(InvalidInput):
        send(event, people["aisha"], "a" * (HostMessage.LONGEST + 1))


def test_at_least_one_box(night):
    event, people = night
    with pytest.raises(InvalidInput) as refused:
        send(event, people["aisha"], going=False)
    assert refused.value.field == "to_going"


@pytest.mark.parametrize(
    "body",
    [
        "We start at 19:30 now",
        "Come at 7pm",
        "Come at 7.30 p.m.",
        "On commence à 19h",
        "À 19h30 chez moi",
        "We've moved to the café",
        "New address: 3 Elm Row",
        "Meet at the park instead",
        "The time has changed",
        "Hemos cambiado el sitio",
        "Nueva dirección: Calle Mayor 3",
        "La soirée est déplacée",
        "Nouvelle adresse : 3 rue Haute",
    ],
)
def test_a_new_time_or_place_asks_first(night, body):
    event, people = night
    with pytest.raises(LooksLikeAMove) as asked:
        send(event, people["aisha"], body)
    assert "Messages don't move calendars" in str(asked.value)
    assert db.session.scalar(db.select(db.func.count(HostMessage.id))) == 0
    send(event, people["aisha"], body, confirmed=True)
    assert mailed() == [people["gina"].email]


@pytest.mark.parametrize(
    "body",
    ["Bring your book!", "Park on the next street, ours is dug up.",
     "Chapter 12 to 19, please", "Traed vuestro libro", "Apportez du vin"],
)  # fmt: skip
def test_an_ordinary_message_goes_at_once(night, body):
    event, people = night
    assert not host_messages.looks_like_a_move(body)
    send(event, people["aisha"], body)


def test_audience_counts_people_not_seats(night):
    event, people = night
    counts = host_message_reads.audience_counts(event, people["olga"].id)
    assert counts == {
        RsvpStatus.GOING: 2,  # Aisha and Gina
        RsvpStatus.WAITLISTED: 1,
        RsvpStatus.REQUESTED: 1,
    }
    assert (
        host_message_reads.audience_counts(event, people["aisha"].id)[RsvpStatus.GOING]
        == 1
    )


def test_from_the_host_shows_readers_their_own_and_writers_all(night):
    event, people = night
    first = send(event, people["aisha"], "To the going")
    send(event, people["aisha"], "To the waitlist", going=False, waitlisted=True)
    from meetup.services import viewers

    def shown(name):
        seen = host_message_reads.from_host(event, viewers.viewer(event, people[name]))
        return [s.message.body for s in seen.messages], seen

    assert shown("gina")[0] == ["To the going"]
    assert shown("walt")[0] == ["To the waitlist"]
    assert shown("mo")[0] == []
    assert shown("sam")[0] == []
    bodies, olga = shown("olga")
    assert bodies == ["To the waitlist", "To the going"]  # newest first
    assert olga.may_write and olga.messages[1].reached == 1
    assert olga.messages[1].sender == "Aisha"
    assert not shown("gina")[1].may_write
    assert first.id


@pytest.mark.parametrize(
    "locale, hello, when",
    [("en_US", "Hello Gina,", "When:"), ("en_GB", "Hello Gina,", "When:"),
     ("es", "Hola, Gina:", "Cuándo:"), ("fr", "Bonjour Gina,", "Quand :")],
)  # fmt: skip
def test_each_reader_gets_it_in_her_language(night, locale, hello, when):
    """Composed inside her language, never the sender's: the words around the
    text (hello, when, where), her dates; the text itself as typed."""
    event, people = night
    people["gina"].locale = locale
    people["aisha"].locale = "fr"  # the sender's own language never leaks
    db.session.commit()
    send(event, people["aisha"], "Bring your book!")
    [mail] = mailbox.queued(people["gina"].email, kind="host-message")
    text = mailbox.text(mail)
    assert hello in text
    assert when in text or when.replace(" :", ":") in text
    assert "Bring your book!" in text
    assert "Aisha" in mail["Subject"] and "Book night" in mail["Subject"]
