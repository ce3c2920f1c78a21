"""One-tap answer links: signed for one person, one gathering and one answer,
valid until the gathering ends; answering through them happens once, by the
normal rules."""

from datetime import timedelta

import pytest
from flask import current_app
from itsdangerous import URLSafeSerializer

from meetup.errors import NotFound, RSVPClosed
from meetup.extensions import db
from meetup.models import OutboxMail, RsvpStatus, Visibility
from meetup.services import answer_links, attendees, events, groups, one_tap
from tests.conftest import NOW
from tests.scenes import answer, organiser_of


def token_of(url: str) -> str:
    return url.rsplit("/a/", 1)[1]


def mails_to(user) -> int:
    return len(
        db.session.scalars(db.select(OutboxMail).filter_by(recipient=user.email)).all()
    )


@pytest.fixture
def ana(make_user, add_member, home_event):
    user = make_user(name="Ana")
    add_member(home_event.group, user)
    return user


@pytest.fixture
def ben(make_user, add_member, home_event):
    user = make_user(name="Ben")
    add_member(home_event.group, user)
    return user


def test_a_link_reads_back_as_its_person_gathering_and_answer(home_event, ana):
    for answer_, going in (("going", True), ("declined", False)):
        link = answer_links.read(token_of(answer_links.link(ana, home_event, answer_)))
        assert (link.user, link.event, link.going) == (ana, home_event, going)


def test_the_two_choices_are_going_and_cant_make_it(home_event, ana):
    (yes_label, yes), (no_label, no) = answer_links.choices(ana, home_event)
    assert (yes_label, no_label) == ("I'm going", "Can't make it")
    assert answer_links.read(token_of(yes)).going is True
    assert answer_links.read(token_of(no)).going is False


def test_a_tampered_link_is_refused(home_event, ana, ben):
    yes = token_of(answer_links.link(ana, home_event, "going"))
    no = token_of(answer_links.link(ana, home_event, "declined"))
    bens = token_of(answer_links.link(ben, home_event, "going"))
    payload, signature = yes.split(".")
    forged = [
        no.split(".")[0] + "." + signature,  # another answer under ana's signature
        bens.split(".")[0] + "." + signature,  # another person
        payload + "." + signature[:-2] + "xx",
        payload,
        "",
        "not-a-token",
    ]
    for token in forged:
        assert answer_links.read(token) is None, token


def test_a_link_signed_with_another_salt_or_key_is_refused(home_event, ana):
    """The unsubscribe links' salt and another key sign the same words in vain."""
    words = [ana.id, int(ana.created_at.timestamp()), home_event.uid, "going"]
    key = current_app.config["SECRET_KEY"]
    assert answer_links.read(URLSafeSerializer(key, salt="answer-link").dumps(words))
    for signer in (
        URLSafeSerializer(key, salt="unsubscribe"),
        URLSafeSerializer("another-key", salt="answer-link"),
    ):
        assert answer_links.read(signer.dumps(words)) is None


def test_words_the_link_never_says_are_refused_even_when_signed(home_event, ana):
    signer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="answer-link")
    born = int(ana.created_at.timestamp())
    for words in (
        [ana.id, born, home_event.uid, "maybe"],
        [str(ana.id), born, home_event.uid, "going"],
        [ana.id, born, home_event.id, "going"],
        [ana.id, born, home_event.uid],
        {"user": ana.id},
    ):
        assert answer_links.read(signer.dumps(words)) is None, words


def test_a_link_for_a_gathering_since_deleted_reads_as_forged(home_event, ana):
    token = token_of(answer_links.link(ana, home_event, "going"))
    db.session.delete(home_event)
    db.session.commit()
    assert answer_links.read(token) is None


def test_a_link_does_not_pass_to_an_account_that_took_a_freed_id(home_event, ana):
    """Same id, another account (SQLite may reuse a deleted row's id)."""
    token = token_of(answer_links.link(ana, home_event, "going"))
    ana.created_at = ana.created_at + timedelta(seconds=5)
    db.session.commit()
    assert answer_links.read(token) is None


def test_a_link_works_until_the_gathering_ends_and_follows_a_move(home_event, ana):
    link = answer_links.read(token_of(answer_links.link(ana, home_event, "going")))
    end = home_event.ends_at
    assert not link.is_expired(end - timedelta(seconds=1))
    assert link.is_expired(end)
    home_event.ends_at = end + timedelta(hours=1)  # the evening runs longer
    db.session.commit()
    assert not link.is_expired(end)


def test_tapping_going_answers_going_once_and_mails_once(home_event, ana):
    link = answer_links.read(token_of(answer_links.link(ana, home_event, "going")))
    rsvp, changed = one_tap.answer(link, NOW)
    db.session.commit()
    assert changed and rsvp.status is RsvpStatus.GOING
    assert mails_to(ana) == 1
    seats, responded = home_event.seats_taken, rsvp.responded_at
    again, changed = one_tap.answer(link, NOW + timedelta(minutes=5))
    db.session.commit()
    assert not changed and again.status is RsvpStatus.GOING
    assert mails_to(ana) == 1  # no second confirmation
    db.session.refresh(home_event)
    assert home_event.seats_taken == seats
    assert again.responded_at == responded  # nothing at all was written


def test_tapping_going_keeps_guests_and_the_answer_to_the_question(home_event, ana):
    answer(home_event, ana, guests=1, answer="Soup")
    link = answer_links.read(token_of(answer_links.link(ana, home_event, "going")))
    rsvp, changed = one_tap.answer(link, NOW)
    assert not changed and (rsvp.guests, rsvp.answer) == (1, "Soup")


def test_cant_make_it_frees_the_place_for_the_waitlist(home_event, ana, ben):
    answer(home_event, ana, guests=1)  # Ana and her guest fill both places
    answer(home_event, ben)
    assert attendees.rsvp_of(ben, home_event).is_waitlisted
    link = answer_links.read(token_of(answer_links.link(ana, home_event, "declined")))
    rsvp, changed = one_tap.answer(link, NOW)
    db.session.commit()
    assert changed and rsvp.status is RsvpStatus.DECLINED
    assert attendees.rsvp_of(ben, home_event).is_going
    again, changed = one_tap.answer(link, NOW)
    assert not changed


def test_going_when_full_waitlists_and_a_second_tap_keeps_the_place_in_line(
    home_event, ana, ben
):
    answer(home_event, ana, guests=1)  # both places
    link = answer_links.read(token_of(answer_links.link(ben, home_event, "going")))
    rsvp, changed = one_tap.answer(link, NOW)
    db.session.commit()
    assert changed and rsvp.is_waitlisted
    queued_at = rsvp.waitlisted_at
    again, changed = one_tap.answer(link, NOW + timedelta(minutes=1))
    assert not changed and again.waitlisted_at == queued_at


def test_answers_close_at_the_deadline_and_on_cancelled_gatherings(home_event, ana):
    link = answer_links.read(token_of(answer_links.link(ana, home_event, "going")))
    with pytest.raises(RSVPClosed):
        one_tap.answer(link, home_event.starts_at)
    events.cancel_event(organiser_of(home_event.group), home_event, "Ill", NOW)
    db.session.commit()
    with pytest.raises(RSVPClosed):
        one_tap.answer(link, NOW)
    assert attendees.rsvp_of(ana, home_event) is None


def test_a_member_who_left_a_private_group_cannot_answer_by_link(
    make_user, make_group, make_event, add_member
):
    group = make_group(name="Quiet Readers", visibility=Visibility.PRIVATE)
    event = make_event(group)
    ana = make_user(name="Ana")
    membership = add_member(group, ana)
    link = answer_links.read(token_of(answer_links.link(ana, event, "going")))
    groups.leave(membership, NOW)
    db.session.commit()
    with pytest.raises(NotFound):
        one_tap.answer(link, NOW)
    assert attendees.rsvp_of(ana, event) is None
