"""Deleting an account: the usual rules for her answers and groups, then no row
anywhere that names her."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import LargeBinary, func, select

from meetup.errors import LastOrganiser
from meetup.models import (
    BuiltFeed,
    Event,
    Group,
    MailStatus,
    Membership,
    OutboxMail,
    Role,
    Rsvp,
    RsvpStatus,
    User,
)
from meetup.services import (
    account_deletion,
    account_mail,
    accounts,
    devices,
    groups,
    mail_codes,
)
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, organiser_of
from tests.world import build, snapshot


def delete(db, user: User, now=NOW) -> None:
    account_deletion.delete_account(user, now)
    db.session.commit()


def test_leaving_a_full_gathering_promotes_the_waitlist(
    db, make_user, make_group, add_member, make_event
):
    group = make_group()
    ann, bea = make_user(name="Ann"), make_user(name="Bea")
    add_member(group, ann)
    add_member(group, bea)
    event = make_event(group, capacity=1)
    answer(event, ann)
    assert answer(event, bea).status is RsvpStatus.WAITLISTED

    delete(db, ann)

    rsvp = db.session.scalar(select(Rsvp).filter_by(user_id=bea.id))
    assert rsvp.status is RsvpStatus.GOING
    assert db.session.get(Event, event.id).seats_taken == 1
    assert mailbox.queued(bea.email, kind="promoted")


def test_the_last_organiser_of_a_group_with_members_is_refused_and_nothing_changes(
    db, make_user, make_group, add_member, make_event
):
    olive = make_user(name="Olive")
    supper = make_group(olive, name="Leith Supper Club")
    walkers = make_group(olive, name="Glasgow Walkers")
    add_member(supper, make_user())
    add_member(walkers, make_user(), Role.CO_ORGANISER)  # not an organiser
    make_event(supper)
    before = snapshot()

    with pytest.raises(LastOrganiser) as refused:
        account_deletion.delete_account(olive, NOW)

    assert "Leith Supper Club" in str(refused.value)
    assert "Glasgow Walkers" in str(refused.value)
    db.session.flush()
    assert snapshot() == before
    assert account_deletion.groups_to_hand_on(olive) == [walkers, supper]


def test_an_organiser_who_is_not_the_last_may_go(db, make_user, make_group, add_member):
    olive, otto = make_user(), make_user()
    group = make_group(olive)
    add_member(group, otto, Role.ORGANISER)

    delete(db, olive)

    assert db.session.get(Group, group.id) is not None
    assert [m.user_id for m in db.session.scalars(select(Membership))] == [otto.id]


def test_a_group_she_alone_is_in_goes_with_its_gatherings_and_those_going_hear(
    db, make_user, make_group, add_member, make_event
):
    olive, ned = make_user(name="Olive"), make_user(name="Ned")
    group = make_group(olive, name="Solo Supper")
    later = make_event(group)
    # Started an hour ago: Ned left during it, so his answer outlived his
    # membership (leaving frees only places at gatherings still to come).
    now_on = make_event(
        group, now=NOW - timedelta(days=1), starts_at=NOW - timedelta(hours=1)
    )
    add_member(group, ned)
    answer(now_on, ned, now=NOW - timedelta(days=1))
    answer(later, olive)
    groups.leave(db.session.scalar(select(Membership).filter_by(user_id=ned.id)), NOW)
    db.session.commit()
    assert account_deletion.groups_to_close(olive) == [group]
    group_id = group.id

    delete(db, olive)

    assert db.session.get(Group, group_id) is None
    assert db.session.scalars(select(Event)).all() == []
    assert db.session.scalars(select(Rsvp)).all() == []
    [cancelled] = mailbox.queued(ned.email, kind="cancelled")
    assert "METHOD:CANCEL" in mailbox.calendar_part(cancelled).get_content()
    rows = db.session.scalars(select(OutboxMail).filter_by(kind="cancelled")).all()
    assert [row.group_id for row in rows] == [None]  # the group is gone


def test_mail_to_her_is_dropped_whatever_its_state_and_others_mail_stays(
    db, make_user, make_group, add_member, make_event
):
    group = make_group()
    ann, bea = make_user(email="Ann@Example.org"), make_user()
    add_member(group, ann)
    add_member(group, bea)
    event = make_event(group)
    answer(event, ann)
    answer(event, bea)
    mail_codes.issue(ann.email, mail_codes.SIGN_IN, NOW)
    sent = db.session.scalars(select(OutboxMail).filter_by(recipient=ann.email)).first()
    sent.status, sent.sent_at = MailStatus.SENT, NOW
    db.session.commit()
    theirs = {row.id for row in db.session.scalars(select(OutboxMail))} - {
        row.id
        for row in db.session.scalars(select(OutboxMail).filter_by(recipient=ann.email))
    }

    delete(db, ann)

    to_her = (
        select(func.count())
        .select_from(OutboxMail)
        .where(func.lower(OutboxMail.recipient) == "ann@example.org")
    )
    assert db.session.scalar(to_her) == 0
    assert theirs <= {row.id for row in db.session.scalars(select(OutboxMail))}


def test_gatherings_she_hosts_stay_with_no_host_named(
    db, make_user, make_group, add_member, make_event
):
    group = make_group()
    hana = make_user()
    add_member(group, hana)
    event = make_event(group, host_id=hana.id)

    delete(db, hana)

    assert db.session.get(Event, event.id).host_id is None


@pytest.mark.parametrize("who", ["going", "host", "pending", "waitlisted"])
def test_afterwards_no_row_anywhere_holds_her_id_or_address(db, app, who):
    world = build()
    person = world.people[who]
    devices.start(person, True, "Mozilla/5.0 (iPhone) Safari/605", NOW)
    issued = mail_codes.issue(person.email, mail_codes.SIGN_IN, NOW)
    account_mail.mail_code(person.email, issued.code, None, 15, NOW)
    db.session.add(BuiltFeed(key=f"personal:{person.id}", etag="e", body=b"ics",
                             built_at=NOW))  # fmt: skip
    db.session.commit()
    person_id, email = person.id, person.email.lower()
    named = _rows_naming(db, person_id, email)
    # The control: before, the scan finds her everywhere she is.
    tables = {hit.split(".")[0].split(":")[0] for hit in named}
    assert {"users", "devices", "mail_codes", "outbox", "built_feeds"} <= tables
    assert tables & {"memberships", "join_requests"}, named

    delete(db, person)

    assert db.session.get(User, person_id) is None
    assert not _rows_naming(db, person_id, email)
    for event in db.session.scalars(select(Event)):
        going = db.session.scalars(
            select(Rsvp).filter_by(event_id=event.id, status=RsvpStatus.GOING)
        )
        assert event.seats_taken == sum(rsvp.party for rsvp in going), event


def _rows_naming(db, person_id: int, email: str) -> list[str]:
    """Every table, every column: a key to her, or her address in any text."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            to_users = {
                column.name
                for column in table.columns
                for key in column.foreign_keys
                if key.column.table.name == "users"
            }
            for row in connection.execute(table.select()).mappings():
                for name, value in row.items():
                    if name in to_users and value == person_id:
                        found.append(f"{table.name}.{name} = her id")
                    elif table.name == "users" and name == "id" and value == person_id:
                        found.append("users: her row")
                    elif isinstance(table.c[name].type, LargeBinary) and value:
                        if email.encode() in bytes(value).lower():
                            found.append(f"{table.name}.{name} holds her address")
                    elif value is not None and email in str(value).lower():
                        found.append(f"{table.name}.{name} holds her address")
                    elif name == "key" and value == f"personal:{person_id}":
                        found.append(f"{table.name}: her feed")
    return found


def test_the_organisers_view_of_who_must_hand_on_is_the_groups_with_others(
    db, make_user, make_group, add_member
):
    olive = make_user()
    alone, shared = make_group(olive, name="Alone"), make_group(olive, name="Shared")
    add_member(shared, make_user())

    assert account_deletion.groups_to_hand_on(olive) == [shared]
    assert account_deletion.groups_to_close(olive) == [alone]
    assert organiser_of(shared).user_id == olive.id


def test_the_cancel_to_the_address_she_had_goes_with_her(
    db, make_user, make_group, add_member, make_event
):
    group = make_group()
    ann = make_user(email="ann.before@example.org")
    add_member(group, ann)
    answer(make_event(group), ann)
    code = mail_codes.issue("ann.now@example.org", mail_codes.CHANGE_EMAIL, NOW,
                            user_id=ann.id)  # fmt: skip
    accounts.change_email(ann, code.row, NOW)
    db.session.commit()
    assert mailbox.queued("ann.before@example.org", kind="address-moved")

    delete(db, ann)

    assert not mailbox.queued("ann.before@example.org", kind="address-moved")
