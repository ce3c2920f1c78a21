"""A "No" tapped in a calendar app frees the seat, end to end: the invitation's
own ORGANIZER address, a REPLY shaped as Gmail, Outlook and Apple send it,
through `flask inbound` (a real process, over SMTP and over LMTP) and through
the webhook; the waitlist moves up and is mailed. Forged and replayed replies
change nothing at all."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from meetup.extensions import db
from meetup.models import OutboxMail, Rsvp, RsvpStatus
from meetup.services import blocking, calendar_replies, events, reply_addresses
from meetup.services.calendar_replies import Outcome
from tests import itip_samples, mailbox
from tests.conftest import NOW, free_port
from tests.scenes import answer, organiser_of
from tests.views.test_fuzz import FUZZ

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "replies.hearth.test"
SECRET = "a-webhook-secret-of-some-length"


@pytest.fixture
def replying(app):
    app.config.update(REPLY_DOMAIN=DOMAIN, INBOUND_MAIL_SECRET=SECRET)
    return app


@pytest.fixture
def full(replying, make_user, make_group, make_event, add_member):
    """Maria hosts four places: Ana, Cai and Eve take three; Bea, Dan and Fay wait."""
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle")
    supper = make_event(group, title="Supper", capacity=4, host_id=maria.id)
    people = {}
    for name in ("Ana", "Cai", "Eve", "Bea", "Dan", "Fay"):
        people[name] = make_user(name=name, email=f"{name.lower()}@example.org")
        add_member(group, people[name])
        answer(supper, people[name], now=NOW)
    db.session.commit()
    return supper, people


def organizer_of(person) -> str:
    """The ORGANIZER her last invitation named: where her calendar app replies."""
    parts = [mailbox.calendar_part(mail) for mail in mailbox.queued(person.email)]
    cal = icalendar.Calendar.from_ical([p for p in parts if p][-1].get_content())
    [event] = cal.walk("VEVENT")
    return str(event["ORGANIZER"]).removeprefix("mailto:")


def statuses(supper) -> dict[str, RsvpStatus]:
    rows = db.session.scalars(db.select(Rsvp).filter_by(event_id=supper.id))
    return {row.user.display_name: row.status for row in rows}


def her_reply(client, supper, person, **fields) -> bytes:
    """Stamped a minute after NOW unless said: after the answers the scene gave."""
    values = dict(to=organizer_of(person), attendee=person.email, uid=supper.uid,
                  name=person.display_name,
                  stamp=NOW + timedelta(minutes=1))  # fmt: skip
    return itip_samples.reply(client, **{**values, **fields})


@contextmanager
def flask_inbound(database_url: str, *options: str):
    """`flask inbound` as a deployer runs it, on a port of its own."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "REPLY_DOMAIN": DOMAIN, "PUBLIC_URL": "http://127.0.0.1:5000",
           "GEOCODER": "none", "FLASK_APP": "meetup"}  # fmt: skip
    with subprocess.Popen(
        [Path(sys.executable).parent / "flask", "inbound", "--port", str(port),
         *options],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ) as process:  # fmt: skip
        try:
            _wait_for(process, port)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode()) from None
            time.sleep(0.2)
    raise AssertionError("flask inbound did not start")


def test_a_no_from_any_calendar_frees_the_seat_and_the_waitlist_moves_up(
    full, database_url, client
):
    supper, people = full
    assert statuses(supper)["Bea"] is RsvpStatus.WAITLISTED
    with (
        flask_inbound(database_url) as port,
        smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp,
    ):
        ana = her_reply("gmail", supper, people["Ana"])
        smtp.sendmail("ana@example.org", [organizer_of(people["Ana"])], ana)
        # Not one of ours: refused at RCPT, before any data.
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("x@example.org", [f"someone@{DOMAIN}"], ana)
    with (
        flask_inbound(database_url, "--lmtp") as port,
        smtplib.LMTP("127.0.0.1", port, timeout=10) as lmtp,
    ):
        cai = her_reply("outlook", supper, people["Cai"])
        lmtp.sendmail("cai@example.org", [organizer_of(people["Cai"])], cai)
    eve = her_reply("apple", supper, people["Eve"])
    answered = client.post("/inbound/mail", data=eve, csrf=False,
                           headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    assert answered.status_code == 202 and answered.json == {"outcome": "declined"}
    db.session.expire_all()
    now = statuses(supper)
    assert [now[name] for name in ("Ana", "Cai", "Eve")] == [RsvpStatus.DECLINED] * 3
    going = mailbox.queued(people["Bea"].email, kind="promoted")[-1]
    assert b"RSVP=TRUE" in mailbox.calendar_part(going).get_content().encode()
    assert [now[name] for name in ("Bea", "Dan", "Fay")] == [RsvpStatus.GOING] * 3
    for name in ("Bea", "Dan", "Fay"):
        assert mailbox.queued(people[name].email, kind="promoted"), name
    for name in ("Ana", "Cai", "Eve"):  # the usual "not going", with its CANCEL
        assert mailbox.queued(people[name].email, kind="not-going"), name


def forgeries(supper, people, other) -> list[tuple[str, bytes, list[str]]]:
    """Twenty replies that must change nothing, each with why."""
    ana, bea = people["Ana"], people["Bea"]
    hers = organizer_of(ana)
    event_id, user_id, mac = hers.split("@")[0].removeprefix("reply+").split("-")
    flipped = mac[:-1] + ("a" if mac[-1] != "a" else "b")

    def gmail(**fields):
        return her_reply("gmail", supper, ana, **fields)

    def apple():  # its one calendar part, in 7 bits: easy to spoil
        return her_reply("apple", supper, ana)

    request = apple().replace(b"METHOD:REPLY", b"METHOD:REQUEST")
    two = apple().replace(
        b"\r\nDTEND:",
        b"\r\nATTENDEE;PARTSTAT=DECLINED:mailto:bea@example.org\r\nDTEND:",
    )

    def to(local: str) -> bytes:
        return gmail(to=f"reply+{local}@{DOMAIN}")

    return [
        ("tampered mac", to(f"{event_id}-{user_id}-{flipped}"), []),
        ("another domain", gmail(to=hers.replace(DOMAIN, "evil.test")), []),
        ("no reply address", gmail(to=f"hello@{DOMAIN}"), []),
        ("another person's id", to(f"{event_id}-{bea.id}-{mac}"), []),
        ("another gathering's id", to(f"{other.id}-{user_id}-{mac}"), []),
        ("an id too big", to(f"{event_id}-{10**30}-{mac}"), []),
        ("not digits", to(f"x-{user_id}-{mac}"), []),
        ("cut short", to(f"{event_id}-{user_id}"), []),
        ("attendee is bea", gmail(attendee=bea.email), []),
        ("uid of another gathering", gmail(uid=other.uid), []),
        ("an older sequence", gmail(sequence=-1), []),
        ("stamped before her answer", gmail(stamp=NOW - timedelta(days=3)), []),
        ("a request, not a reply", request, []),
        ("two attendees", two, []),
        ("an out-of-office", b"Auto-Submitted: auto-replied\r\nSubject: Away\r\n"
         b"\r\nBack on Monday.\r\n", [hers]),
        ("a calendar part that is not iCalendar", apple().replace(
            b"BEGIN:VCALENDAR", b"BEGIN:NONSENSE"), []),
        ("an envelope to another address", gmail(), [f"reply+1-1-{mac}@{DOMAIN}"]),
        ("a maybe", gmail(partstat="TENTATIVE"), []),
        ("an answer no app sends", gmail(partstat="DELEGATED"), []),
        ("a yes she already gave", gmail(partstat="ACCEPTED"), []),
    ]  # fmt: skip


def test_forged_and_replayed_replies_change_nothing(full, make_event, client):
    supper, people = full
    other = make_event(supper.group, title="Another supper")
    db.session.commit()
    before = (
        statuses(supper),
        db.session.scalar(db.select(db.func.count(OutboxMail.id))),
    )
    cases = forgeries(supper, people, other)
    assert len(cases) == 20
    outcomes = {}
    for why, raw, recipients in cases:
        outcomes[why] = calendar_replies.receive(raw, recipients, NOW)
        db.session.commit()
        assert not outcomes[why].changed, why
    after = statuses(supper), db.session.scalar(db.select(db.func.count(OutboxMail.id)))
    assert after == before
    assert outcomes["tampered mac"] is Outcome.FORGED
    assert outcomes["attendee is bea"] is Outcome.MISMATCHED
    assert outcomes["an older sequence"] is Outcome.STALE
    assert outcomes["a maybe"] is Outcome.UNCHANGED
    assert outcomes["an out-of-office"] is Outcome.NOT_A_REPLY
    # The real one still works after all that, once; its replay does nothing.
    real = her_reply("gmail", supper, people["Ana"])
    assert calendar_replies.receive(real, [], NOW + timedelta(minutes=1)).changed
    db.session.commit()
    assert calendar_replies.receive(real, [], NOW + timedelta(minutes=2)) in (
        Outcome.STALE, Outcome.UNCHANGED
    )  # fmt: skip


def test_an_old_no_replayed_after_she_came_back_is_stale(full):
    supper, people = full
    ana = people["Ana"]
    no = her_reply("outlook", supper, ana)
    assert calendar_replies.receive(no, [], NOW + timedelta(minutes=1)).changed
    answer(supper, ana, now=NOW + timedelta(minutes=2))  # back, on Hearth
    db.session.commit()
    assert calendar_replies.receive(no, [], NOW + timedelta(minutes=3)) is Outcome.STALE
    assert statuses(supper)["Ana"] is not RsvpStatus.DECLINED


def test_a_yes_from_the_calendar_asks_the_normal_way(full):
    """Declined on Hearth, then Accept tapped on the (new) invitation: in line."""
    supper, people = full
    cai = people["Cai"]
    answer(supper, cai, going=False, now=NOW + timedelta(minutes=1))
    db.session.commit()  # Bea moves up; the gathering is full again
    # Her CANCEL's SEQUENCE is what a client that kept the entry replies with.
    cancel = mailbox.queued(cai.email, kind="not-going")[-1]
    [event] = icalendar.Calendar.from_ical(
        mailbox.calendar_part(cancel).get_content()
    ).walk("VEVENT")
    yes = her_reply("gmail", supper, cai, partstat="ACCEPTED",
                    sequence=int(event["SEQUENCE"]), stamp=NOW + timedelta(minutes=2),
                    to=reply_addresses.address(cai, supper))  # fmt: skip
    assert calendar_replies.receive(yes, [], NOW + timedelta(minutes=2)) is (
        Outcome.ACCEPTED
    )
    db.session.commit()
    assert statuses(supper)["Cai"] is RsvpStatus.WAITLISTED


@pytest.mark.parametrize("why", ["cancelled", "over", "blocked"])
def test_a_reply_for_a_closed_gathering_changes_nothing(full, why):
    supper, people = full
    ana = people["Ana"]
    no = her_reply("gmail", supper, ana)
    organiser = organiser_of(supper.group)
    when = NOW + timedelta(minutes=1)
    if why == "cancelled":
        events.cancel_event(organiser, supper, "", NOW)
        no = her_reply("gmail", supper, ana, sequence=supper.sequence + 9)
    elif why == "over":
        when = supper.ends_at + timedelta(minutes=1)
    else:
        blocking.block(organiser, ana, supper.group, NOW)
        no = her_reply("gmail", supper, ana, sequence=99)  # past her CANCEL
    db.session.commit()
    before = statuses(supper)
    assert calendar_replies.receive(no, [], when) is Outcome.CLOSED
    db.session.commit()
    assert statuses(supper) == before


def test_the_webhook_needs_its_secret_and_a_reply_domain(app, client, full):
    supper, people = full
    raw = her_reply("gmail", supper, people["Ana"])
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": SECRET[:-1]},
    ):
        assert client.post("/inbound/mail", data=raw, csrf=False,
                           headers=headers).status_code == 401  # fmt: skip
    empty = client.post("/inbound/mail", data=b"", csrf=False,
                        headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    assert empty.status_code == 400
    app.config["INBOUND_MAIL_SECRET"] = None
    assert client.post("/inbound/mail", data=raw, csrf=False).status_code == 404
    db.session.expire_all()
    assert statuses(supper)["Ana"] is RsvpStatus.GOING


def test_flask_inbound_says_what_it_needs(app):
    app.config["REPLY_DOMAIN"] = None
    result = app.test_cli_runner().invoke(args=["inbound"])
    assert result.exit_code == 2 and "Set REPLY_DOMAIN" in result.output


@settings(FUZZ, max_examples=60)
@example(client="outlook", cut=1741, noise=b"\0\0\0\0", partstat="DECLINED")
@example(client="outlook", cut=58, noise=b"\x80", partstat="DECLINED")
@given(
    client=st.sampled_from(itip_samples.CLIENTS),
    cut=st.integers(min_value=0, max_value=4000),
    noise=st.binary(max_size=60),
    partstat=st.sampled_from(["DECLINED", "ACCEPTED", "TENTATIVE", "", "D\x00"]),
)
def test_spoiled_replies_are_no_error_and_no_change(full, client, cut, noise, partstat):
    """A real reply, cut anywhere and spliced with junk, or for someone not
    asked: never an exception, and never a change but her own answer."""
    supper, people = full
    eve = people["Eve"]
    raw = her_reply(client, supper, eve, partstat=partstat)
    spoiled = raw[:cut] + noise + raw[cut + len(noise) :]
    before = statuses(supper)
    outcome = calendar_replies.receive(spoiled, [], NOW + timedelta(minutes=1))
    after = statuses(supper)
    db.session.rollback()  # nothing is kept: the next example meets the same scene
    if outcome.changed:  # the junk missed what matters: her No, and Bea moves up
        assert outcome is Outcome.DECLINED and after["Eve"] is RsvpStatus.DECLINED
        changed = {name for name in after if after[name] != before[name]}
        assert changed == {"Eve", "Bea"}
    else:
        assert after == before
