"""Keeping someone out: a block holds at every door until it is lifted, and
takes her places by the normal rules; reports reach the organisers."""

from datetime import timedelta

import pytest

from meetup import i18n
from meetup.errors import InvalidInput, MeetupError, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Block,
    JoinRequest,
    Membership,
    Report,
    Role,
    RsvpStatus,
    StandingRsvp,
    VenueType,
    Visibility,
)
from meetup.services import (
    answer_links,
    blocking,
    groups,
    memberships,
    one_tap,
    reports,
    rsvps,
    series,
)
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW
from tests.scenes import answer, organiser_of
from tests.services.test_series import make_series

CLOSED = "have closed it to you"


@pytest.fixture
def club(make_user, make_group, add_member):
    """A public supper club: Maria organises, Ana and Bea are members."""
    maria = make_user(name="Maria")
    group = make_group(maria, name="Supper Club")
    ana, bea = make_user(name="Ana"), make_user(name="Bea")
    add_member(group, ana)
    add_member(group, bea)
    return group, maria, ana, bea


def block(group, user, now=NOW):
    made = blocking.block(organiser_of(group), user, group, now)
    db.session.commit()
    return made


def test_block_removes_the_member_and_holds(club):
    group, _maria, ana, _bea = club
    made = block(group, ana)
    assert memberships.membership_of(ana, group) is None
    assert memberships.is_blocked(ana, group)
    assert made.blocked_by_id == organiser_of(group).user_id
    assert [b.user for b in blocking.blocked(group)] == [ana]


def test_blocking_twice_changes_nothing(club):
    group, _maria, ana, _bea = club
    first = block(group, ana)
    assert block(group, ana).id == first.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Block)) == 1


def test_blocked_cannot_rejoin_a_public_group(club):
    group, _maria, ana, _bea = club
    block(group, ana)
    with pytest.raises(NotAllowed, match=CLOSED):
        groups.join(ana, group)
    assert memberships.membership_of(ana, group) is None


def test_blocked_cannot_ask_to_join_a_private_group(make_user, make_group):
    maria, ana = make_user(), make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    groups.join(ana, group, "please")
    block(group, ana)
    assert memberships.pending_request(ana, group) is None  # her request went
    with pytest.raises(NotAllowed, match=CLOSED):
        groups.join(ana, group, "please, again")
    assert db.session.scalar(db.select(JoinRequest.id)) is None


def test_blocked_cannot_use_the_invite_link(club):
    group, _maria, ana, _bea = club
    block(group, ana)
    with pytest.raises(NotAllowed, match=CLOSED):
        groups.join_with_invite(ana, group, group.invite_token)
    assert memberships.membership_of(ana, group) is None


def test_a_request_approved_after_a_block_is_refused(make_user, make_group):
    maria, ana = make_user(), make_user(name="Ana")
    group = make_group(maria, visibility=Visibility.PRIVATE)
    request = groups.join(ana, group)
    db.session.commit()
    # Blocked by another tab, her request still on the organiser's screen:
    db.session.add(Block(group_id=group.id, user_id=ana.id))
    db.session.flush()
    with pytest.raises(NotAllowed, match="Ana is blocked"):
        groups.approve(organiser_of(group), request, NOW)


def test_opening_a_group_up_lets_no_blocked_requester_in(make_user, make_group):
    from tests.scenes import edited_group

    maria, ana = make_user(), make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    groups.join(ana, group)
    db.session.add(Block(group_id=group.id, user_id=ana.id))
    db.session.flush()
    groups.update_group(
        organiser_of(group), group, edited_group(group, visibility=Visibility.PUBLIC)
    )
    assert memberships.membership_of(ana, group) is None


def test_blocked_cannot_answer_yes_or_no(club, make_event):
    group, _maria, ana, _bea = club
    event = make_event(group)
    block(group, ana)
    for going in (True, False):  # a "no" would make her a member again
        with pytest.raises(NotAllowed, match=CLOSED):
            rsvps.respond(event, ana, going=going, now=NOW)
    assert memberships.membership_of(ana, group) is None


def test_blocked_cannot_arrive_from_the_gatherings_page(club, make_event):
    group, _maria, ana, _bea = club
    event = make_event(group)
    block(group, ana)
    with pytest.raises(NotAllowed, match=CLOSED):
        groups.arrive(ana, group, {"event_id": event.id}, NOW)


def test_blocked_cannot_answer_with_a_one_tap_link(club, make_event):
    group, _maria, ana, _bea = club
    event = make_event(group)
    link = answer_links.read(answer_links.link(ana, event, "going").rsplit("/a/", 1)[1])
    block(group, ana)
    with pytest.raises(NotAllowed, match=CLOSED):
        one_tap.answer(link, NOW)
    assert memberships.membership_of(ana, group) is None


def test_block_withdraws_her_places_and_promotes_the_waitlist(
    club, make_event, make_user, add_member
):
    group, _maria, ana, bea = club
    event = make_event(group, capacity=1)
    later = make_event(group, capacity=1, starts_at=NOW + timedelta(days=9))
    answer(event, ana)
    answer(event, bea)  # waitlisted behind Ana
    answer(later, bea)
    answer(later, ana)  # waitlisted behind Bea
    block(group, ana)
    db.session.expire_all()
    assert rsvps_status(event, ana) is RsvpStatus.DECLINED
    assert rsvps_status(event, bea) is RsvpStatus.GOING  # promoted
    assert rsvps_status(later, ana) is RsvpStatus.DECLINED
    assert rsvps_status(later, bea) is RsvpStatus.GOING
    assert event.seats_taken == 1
    assert mailbox.queued(bea.email, kind="promoted")


def rsvps_status(event, user):
    from meetup.services import attendees

    return attendees.rsvp_of(user, event).status


def test_block_ends_her_standing_answers_for_the_groups_series(club):
    group, _maria, ana, _bea = club
    made = make_series(group, horizon=1)
    series.stand(ana, made, NOW)
    db.session.commit()
    block(group, ana)
    assert db.session.scalar(db.select(StandingRsvp.id)) is None
    with pytest.raises(NotAllowed, match=CLOSED):
        series.stand(ana, made, NOW)


def test_unblock_lets_her_join_again(club):
    group, _maria, ana, _bea = club
    made = block(group, ana)
    blocking.unblock(organiser_of(group), made, group)
    db.session.commit()
    assert not memberships.is_blocked(ana, group)
    assert isinstance(groups.join(ana, group), Membership)


def test_unblock_by_the_person(club):
    group, _maria, ana, _bea = club
    block(group, ana)
    blocking.unblock(organiser_of(group), ana, group)
    assert blocking.blocked(group) == []


def test_only_full_organisers_block_and_unblock(club, make_user, add_member):
    group, _maria, ana, bea = club
    co = add_member(group, make_user(), Role.CO_ORGANISER)
    for actor in (memberships.membership_of(bea, group), co, None):
        with pytest.raises(NotAllowed):
            blocking.block(actor, ana, group, NOW)
    made = block(group, ana)
    for actor in (memberships.membership_of(bea, group), co, None):
        with pytest.raises(NotAllowed):
            blocking.unblock(actor, made, group)
    assert memberships.is_blocked(ana, group)


def test_an_organiser_of_another_group_cannot_block_here(club, make_group):
    group, maria, ana, _bea = club
    elsewhere = make_group(maria)
    with pytest.raises(NotAllowed):
        blocking.block(organiser_of(elsewhere), ana, group, NOW)


def test_an_organiser_cannot_block_herself(club):
    group, maria, _ana, _bea = club
    with pytest.raises(NotAllowed, match="yourself"):
        blocking.block(organiser_of(group), maria, group, NOW)
    assert memberships.membership_of(maria, group) is not None


# --- reports -----------------------------------------------------------------


def test_a_report_reaches_each_organiser_once_without_the_street(
    club, make_event, make_user, add_member
):
    group, maria, ana, bea = club
    co = add_member(group, make_user(name="Cora"), Role.CO_ORGANISER)
    event = make_event(group, address=HOME_ADDRESS, venue_type=VenueType.HOME,
                       area="Leith", title="Supper at Bea's")  # fmt: skip
    made = reports.report(ana, group, "  He was rude at the door. ", event=event,
                          now=NOW)  # fmt: skip
    db.session.commit()
    assert made.text == "He was rude at the door."
    for organiser in (maria, co.user):
        [mail] = mailbox.queued(organiser.email, kind="report")
        words = mailbox.text(mail)
        assert "He was rude at the door." in words and "Supper at Bea's" in words
        assert HOME_ADDRESS not in words and HOME_ADDRESS not in mailbox.html(mail)
    assert mailbox.queued(ana.email, kind="report") == []
    assert mailbox.queued(bea.email, kind="report") == []


def test_a_report_about_an_organiser_is_not_sent_to_her(club, make_user, add_member):
    group, maria, ana, _bea = club
    co = add_member(group, make_user(name="Cora"), Role.CO_ORGANISER)
    reports.report(ana, group, "Shouted at me.", person=co.user, now=NOW)
    assert mailbox.queued(co.user.email, kind="report") == []
    assert len(mailbox.queued(maria.email, kind="report")) == 1
    assert reports.open_reports(co, group) == []
    assert len(reports.open_reports(organiser_of(group), group)) == 1


def test_open_reports_are_for_the_organisers_until_dealt_with(club):
    group, _maria, ana, bea = club
    made = reports.report(ana, group, "Asked for my number.", person=bea, now=NOW)
    organiser = organiser_of(group)
    assert reports.open_reports(organiser, group) == [made]
    assert reports.open_reports(memberships.membership_of(bea, group), group) == []
    assert reports.open_reports(None, group) == []
    with pytest.raises(NotAllowed):
        reports.close(memberships.membership_of(ana, group), made, NOW)
    reports.close(organiser, made, NOW)
    assert made.closed_at == NOW
    assert reports.open_reports(organiser, group) == []


def test_only_members_report_and_never_themselves(club, make_user, make_event):
    group, _maria, ana, bea = club
    with pytest.raises(NotAllowed):
        reports.report(make_user(), group, "Spam", person=bea, now=NOW)
    with pytest.raises(NotAllowed):
        reports.report(ana, group, "Me", person=ana, now=NOW)
    with pytest.raises(InvalidInput):
        reports.report(ana, group, "   ", person=bea, now=NOW)
    with pytest.raises(InvalidInput):
        reports.report(ana, group, "x" * 1001, person=bea, now=NOW)
    with pytest.raises(InvalidInput):
        reports.report(ana, group, "About nothing", now=NOW)
    blocked = make_user()
    groups.join(blocked, group)
    block(group, blocked)
    with pytest.raises(MeetupError):
        reports.report(blocked, group, "Let me back", person=bea, now=NOW)
    assert db.session.scalar(db.select(Report.id)) is None


def test_the_one_write_that_makes_a_member_refuses_the_blocked(club):
    group, _maria, ana, _bea = club
    block(group, ana)
    with pytest.raises(NotAllowed, match=CLOSED):
        memberships.add_member(ana, group)


@pytest.mark.parametrize(
    ("locale", "subject", "about", "closed"),
    [
        ("es", "Un aviso para quienes organizan Supper Club",
         "Ana ha enviado un aviso sobre Bea.",
         "Quienes organizan Supper Club te han cerrado el acceso."),
        ("fr", "Un signalement pour l'équipe d'organisation de Supper Club",
         "Ana a signalé Bea.",
         "L'équipe d'organisation de Supper Club vous en a fermé l'accès."),
    ],
)  # fmt: skip
def test_a_report_and_a_block_speak_each_readers_language(
    club, locale, subject, about, closed, app
):
    group, maria, ana, bea = club
    maria.locale = bea.locale = locale
    db.session.commit()
    reports.report(ana, group, "Ha sido grosera.", person=bea, now=NOW)
    db.session.commit()
    [mail] = mailbox.queued(maria.email, kind="report")
    assert str(mail["Subject"]) == subject
    assert about in mailbox.text(mail).replace("\r\n", " ")
    block(group, bea)
    with i18n.as_reader(bea), pytest.raises(NotAllowed, match=closed):
        groups.join(bea, group)
