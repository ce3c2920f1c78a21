"""Who's eating, who's little: children counted apart from the places, a
gathering for adults only, dietary needs remembered on the profile, who sees
them counted or named, and the CSV's columns (safe for spreadsheets)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from meetup import permissions
from meetup.errors import InvalidInput, NotAllowed
from meetup.extensions import db
from meetup.models import Admission, Children, Diet, GuestList, Role, RsvpStatus
from meetup.services import accounts, attendees, events, memberships, rsvps
from meetup.services.accounts import ProfileDetails
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited

VEG, VEGAN, GLUTEN, NUTS = (Diet.VEGETARIAN, Diet.VEGAN, Diet.GLUTEN_FREE,
                            Diet.NUT_ALLERGY)  # fmt: skip


@pytest.fixture
def table(make_user, make_group, add_member, make_event):
    """A gathering of four places in Olga's group, Olga hosting (one place),
    Ana, Bea and Cat members; a guest each allowed."""
    olga = make_user(name="Olga")
    group = make_group(olga)
    people = {name: make_user(name=name) for name in ("Ana", "Bea", "Cat")}
    for user in people.values():
        add_member(group, user)
    event = make_event(group, capacity=4, max_guests=1, host_id=olga.id)
    return event, olga, people


def access_of(event, user):
    membership = memberships.membership_of(user, event.group)
    return permissions.event_access(
        event, membership, attendees.rsvp_of(user, event), NOW
    )


# -- children never take a place ---------------------------------------------


def test_children_never_take_a_place(table):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1, children=3)
    db.session.refresh(event)
    assert event.seats_taken == 3  # Olga, Ana and her guest: not the children


def test_a_full_gathering_still_takes_a_party_with_children(table):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1)
    rsvp = answer(event, people["Bea"], children=4)  # the last place
    db.session.refresh(event)
    assert rsvp.is_going and rsvp.children == 4
    assert event.seats_taken == event.capacity == 4


def test_more_children_at_a_full_gathering_keeps_her_seat(table):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1)
    answer(event, people["Bea"], children=1)
    rsvp = answer(event, people["Bea"], children=5, diets=frozenset({VEG}))
    db.session.refresh(event)
    assert rsvp.is_going and rsvp.children == 5 and rsvp.diets == {VEG}
    assert event.seats_taken == 4


def test_a_waitlisted_party_with_children_goes_in_when_its_adults_fit(table):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1)
    answer(event, people["Bea"])  # full
    assert answer(event, people["Cat"], children=3).is_waitlisted
    answer(event, people["Bea"], going=False)  # one place: Cat fits, alone
    cat = attendees.rsvp_of(people["Cat"], event)
    db.session.refresh(event)
    assert cat.is_going and cat.children == 3 and event.seats_taken == 4


def test_changing_children_or_diets_keeps_the_place_in_line(table):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1)
    answer(event, people["Bea"])  # full
    first = answer(event, people["Cat"])
    assert first.is_waitlisted
    since = first.waitlisted_at
    later = answer(event, people["Cat"], children=2, diets=frozenset({NUTS}),
                   now=NOW + timedelta(hours=1))  # fmt: skip
    assert later.is_waitlisted and later.waitlisted_at == since
    assert attendees.waitlist_position(later) == 1
    assert later.children == 2 and later.diets == {NUTS}


def test_a_request_keeps_its_children_and_diets(table):
    event, _olga, people = table
    event.admission = Admission.EACH
    db.session.commit()
    rsvp = answer(event, people["Ana"], children=2, diets=frozenset({VEGAN}))
    assert rsvp.is_requested and rsvp.children == 2 and rsvp.diets == {VEGAN}


# -- adults only, and the shape of what is said -------------------------------


def test_adults_only_refuses_children_and_keeps_nothing(table):
    event, _olga, people = table
    event.children = Children.ADULTS_ONLY
    db.session.commit()
    with pytest.raises(NotAllowed, match="adults only"):
        rsvps.respond(event, people["Ana"], going=True, children=1, now=NOW)
    db.session.rollback()
    assert attendees.rsvp_of(people["Ana"], event) is None
    assert answer(event, people["Ana"], diets=frozenset({VEG})).is_going


def test_adults_only_still_takes_a_no(table):
    event, _olga, people = table
    answer(event, people["Ana"], children=2)
    event.children = Children.ADULTS_ONLY  # changed after she answered
    db.session.commit()
    assert answer(event, people["Ana"], going=False).children == 0


def test_a_gathering_turns_adults_only_only_when_no_answer_brings_a_child(table):
    event, olga, people = table
    answer(event, people["Ana"], children=2)
    organiser = memberships.membership_of(olga, event.group)
    adults_only = edited(event, children=Children.ADULTS_ONLY)
    with pytest.raises(InvalidInput, match="1 answer brings children") as refused:
        events.update_event(organiser, event, adults_only, NOW)
    assert refused.value.field == "children"
    db.session.rollback()
    assert event.children is Children.WELCOME
    answer(event, people["Ana"], going=False)  # her no clears her children
    events.update_event(organiser, event, adults_only, NOW)
    assert event.children is Children.ADULTS_ONLY


@pytest.mark.parametrize("children", [-1, 11, 1000])
def test_children_out_of_range_are_refused(table, children):
    event, _olga, people = table
    with pytest.raises(InvalidInput) as refused:
        rsvps.respond(event, people["Ana"], going=True, children=children, now=NOW)
    assert refused.value.field == "children"
    db.session.rollback()


def test_ten_children_are_taken(table):
    event, _olga, people = table
    assert answer(event, people["Ana"], children=10).children == 10


def test_a_note_is_trimmed_and_at_most_120_characters(table):
    event, _olga, people = table
    rsvp = answer(event, people["Ana"], diet_note="  no pork  ")
    assert rsvp.diet_note == "no pork"
    with pytest.raises(InvalidInput) as refused:
        rsvps.respond(event, people["Bea"], going=True, diet_note="x" * 121, now=NOW)
    assert refused.value.field == "diet_note"
    db.session.rollback()


def test_only_known_diets_are_taken(table):
    event, _olga, people = table
    with pytest.raises(InvalidInput):
        rsvps.respond(event, people["Ana"], going=True,
                      diets=frozenset({"vegetarian"}), now=NOW)  # fmt: skip
    db.session.rollback()


# -- remembered on the profile; a no clears the answer -------------------------


def test_a_yes_remembers_her_diets_on_her_profile(table):
    event, _olga, people = table
    ana = people["Ana"]
    answer(event, ana, diets=frozenset({VEG, NUTS}), diet_note="no pork")
    db.session.refresh(ana)
    assert ana.diets == {VEG, NUTS} and ana.diet_note == "no pork"


def test_a_no_clears_children_and_diets_but_her_profile_keeps_them(table):
    event, _olga, people = table
    ana = people["Ana"]
    answer(event, ana, guests=1, children=2, diets=frozenset({VEG}), diet_note="x")
    rsvp = answer(event, ana, going=False)
    assert (rsvp.children, rsvp.diets, rsvp.diet_note) == (0, frozenset(), "")
    db.session.refresh(ana)
    assert ana.diets == {VEG} and ana.diet_note == "x"


def test_being_taken_off_the_list_clears_them(table):
    event, olga, people = table
    rsvp = answer(event, people["Ana"], children=2, diets=frozenset({VEG}))
    boss = memberships.membership_of(olga, event.group)
    rsvps.remove_attendee(boss, rsvp, NOW)
    db.session.commit()
    assert (rsvp.children, rsvp.diets) == (0, frozenset())


def test_her_profile_changes_her_diets(table):
    _event, _olga, people = table
    ana = people["Ana"]
    accounts.update_profile(
        ana,
        ProfileDetails(display_name=ana.display_name, email=ana.email,
                       diets=frozenset({GLUTEN}), diet_note=" coeliac "),
    )  # fmt: skip
    db.session.commit()
    db.session.refresh(ana)
    assert ana.diets == {GLUTEN} and ana.diet_note == "coeliac"


def test_an_answer_given_before_signing_in_brings_its_diets(table):
    event, _olga, people = table
    then = {"event_id": event.id, "children": 2, "diets": ["vegan", "nonsense"],
            "diet_note": "oat milk"}  # fmt: skip
    rsvp = rsvps.respond_as_asked(people["Ana"], then, NOW)
    assert (rsvp.children, rsvp.diets, rsvp.diet_note) == (2, {VEGAN}, "oat milk")


def test_an_answer_given_before_without_diets_keeps_what_she_eats(table):
    event, _olga, people = table
    ana = people["Ana"]
    ana.diets, ana.diet_note = frozenset({NUTS}), "cashews too"
    db.session.commit()
    rsvp = rsvps.respond_as_asked(ana, {"event_id": event.id}, NOW)
    assert rsvp.diets == {NUTS} and rsvp.diet_note == "cashews too"


# -- counted, and who sees what ----------------------------------------------


def test_the_counts_read_counts_going_parties_only(table, count_queries):
    event, _olga, people = table
    answer(event, people["Ana"], guests=1, children=2, diets=frozenset({VEG, NUTS}))
    answer(event, people["Bea"], children=1, diets=frozenset({VEG}))
    answer(event, people["Cat"], children=5, diets=frozenset({VEGAN}))  # waits
    assert attendees.rsvp_of(people["Cat"], event).is_waitlisted
    with count_queries() as statements:
        counts = attendees.table_counts(event)
    assert len(statements) == 1
    assert counts == attendees.TableCounts(
        coming=4, children=3, diets=((VEG, 2), (NUTS, 1))
    )


def test_nothing_said_counts_nothing_but_who_is_coming(table):
    event, _olga, _people = table
    assert attendees.table_counts(event) == attendees.TableCounts(1, 0, ())


@pytest.mark.parametrize("guest_list", list(GuestList))
def test_who_sees_the_counts_and_who_the_names(
    table, make_user, add_member, guest_list
):
    """Host and organisers: counts and names; going: counts only, whoever
    sees the guest list; waitlisted, asking, declined, visitors: nothing."""
    event, olga, people = table
    event.guest_list = guest_list
    co = make_user(name="Co")
    add_member(event.group, co, Role.CO_ORGANISER)
    db.session.commit()
    answer(event, people["Ana"], guests=1)
    answer(event, people["Bea"])  # the last place
    answer(event, people["Cat"])  # waits
    outsider = make_user(name="Out")
    quiet = make_user(name="Quiet")
    add_member(event.group, quiet)
    asking = make_user(name="Asking")
    add_member(event.group, asking)
    event.admission = Admission.EACH
    db.session.commit()
    answer(event, asking)
    assert attendees.rsvp_of(asking, event).status is RsvpStatus.REQUESTED
    seen = {
        user.display_name: (access_of(event, user).sees_table_counts,
                            access_of(event, user).sees_attendee_list)
        for user in (olga, co, people["Ana"], people["Bea"], people["Cat"],
                     quiet, asking, outsider)
    }  # fmt: skip
    assert seen == {
        "Olga": (True, True), "Co": (True, True),
        "Ana": (True, False), "Bea": (True, False),
        "Cat": (False, False), "Quiet": (False, False),
        "Asking": (False, False), "Out": (False, False),
    }  # fmt: skip
    visitor = permissions.event_access(event, None, None, NOW)
    assert not visitor.sees_table_counts and not visitor.sees_attendee_list


def test_someone_who_left_the_group_sees_no_counts(table):
    event, _olga, people = table
    answer(event, people["Ana"])
    rsvp = attendees.rsvp_of(people["Ana"], event)
    assert permissions.event_access(event, None, rsvp, NOW).sees_table_counts is False


# -- the CSV --------------------------------------------------------------------


def test_the_csv_has_children_diets_and_note_safe_for_spreadsheets(table):
    event, _olga, people = table
    answer(event, people["Ana"], children=2, diets=frozenset({NUTS, VEG}),
           diet_note="=1+1")  # fmt: skip
    answer(event, people["Bea"], diet_note="@SUM(A1)")
    rows = list(csv.reader(io.StringIO(
        attendees.to_csv(event, attendees.attendee_list(event)).lstrip("\ufeff")
    )))  # fmt: skip
    header = rows[0]
    cell = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert {"children", "dietary needs", "diet note"} <= set(header)
    ana, bea = cell["Ana"], cell["Bea"]
    assert ana["children"] == "2"
    assert ana["dietary needs"] == "Vegetarian, Nut allergy"
    assert ana["diet note"] == "'=1+1"
    assert bea["diet note"] == "'@SUM(A1)" and bea["dietary needs"] == ""
    assert cell["Olga"]["children"] == "0"


# -- the host hears of the children ---------------------------------------------


def test_the_host_hears_of_the_children(table):
    event, olga, people = table
    answer(event, people["Ana"], guests=1, children=2)
    letter = mailbox.text(mailbox.queued(olga.email, kind="host-news")[-1])
    assert "Ana is going, with 1 guest." in letter
    assert "Bringing 2 children (not counted in the places)." in letter


def test_a_gathering_for_adults_only_says_so_in_its_mail(table):
    event, _olga, people = table
    event.children = Children.ADULTS_ONLY
    db.session.commit()
    answer(event, people["Ana"])
    letter = mailbox.text(mailbox.queued(people["Ana"].email)[-1])
    assert "Adults only" in letter
