"""The outbox against a real SMTP server: mail commits with its change, goes
exactly once however many workers race, waits out an outage, survives a worker
killed mid-batch, and gives up visibly."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from meetup.extensions import db
from meetup.models import MailStatus, OutboxMail
from meetup.services import outbox
from meetup.services.mail import Letter, compose
from tests.conftest import NOW
from tests.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]


def queue(count: int, group_id=None, to="member{}@example.org") -> list[str]:
    """Queue `count` messages and commit; their Message-IDs."""
    ids = []
    for n in range(count):
        letter = Letter(subject=f"Note {n}", greeting="Hello,", paragraphs=[f"#{n}"])
        message = compose(f"Member {n}", to.format(n), letter, NOW)
        outbox.enqueue(message, "test", NOW, group_id=group_id)
        ids.append(message["Message-ID"])
    db.session.commit()
    return ids


def statuses() -> list[MailStatus]:
    db.session.commit()  # a fresh look at what workers in other processes did
    return list(
        db.session.scalars(db.select(OutboxMail.status).order_by(OutboxMail.id))
    )


def test_mail_rolls_back_with_its_change(app, smtp):
    letter = Letter(subject="Hi", greeting="Hello,", paragraphs=["x"])
    outbox.enqueue(compose("Ana", "ana@example.org", letter, NOW), "test", NOW)
    db.session.rollback()
    assert outbox.deliver_due(NOW, "w1").claimed == 0
    assert smtp.inbox.messages == []


def test_due_mail_goes_once_and_is_marked_sent(app, smtp):
    ids = queue(3)
    delivery = outbox.deliver_due(NOW, "w1")
    assert (delivery.sent, delivery.retrying, delivery.failed) == (3, 0, 0)
    assert smtp.inbox.message_ids() == ids
    assert statuses() == [MailStatus.SENT] * 3
    assert outbox.deliver_due(NOW + timedelta(hours=1), "w1").claimed == 0
    assert len(smtp.inbox.messages) == 3


def test_an_smtp_outage_loses_nothing(app):
    ids = queue(4)
    server = SmtpServer()  # not started: nothing listens on its port
    app.config["MAIL_URL"] = server.url
    down = outbox.deliver_due(NOW, "w1")
    assert (down.sent, down.retrying) == (0, 4)
    rows = db.session.scalars(db.select(OutboxMail)).all()
    assert {row.attempts for row in rows} == {1}
    assert {row.next_attempt_at for row in rows} == {NOW + outbox.FIRST_WAIT}
    assert all(
        "Connection" in row.last_error or "refused" in row.last_error for row in rows
    )
    assert outbox.deliver_due(NOW + timedelta(seconds=5), "w1").claimed == 0  # waits

    server.start()
    try:
        back = outbox.deliver_due(NOW + outbox.FIRST_WAIT, "w1")
    finally:
        server.stop()
    assert back.sent == 4
    assert server.inbox.message_ids() == ids


def test_waits_grow_and_a_lost_cause_is_marked_failed_for_organisers(app, make_group):
    group = make_group()
    queue(1, group_id=group.id)
    app.config["MAIL_URL"] = SmtpServer().url  # down for good
    waits, moment = [], NOW
    while statuses() == [MailStatus.PENDING]:
        outbox.deliver_due(moment, "w1")
        row = db.session.scalar(db.select(OutboxMail))
        waits.append(row.next_attempt_at - moment)
        moment = row.next_attempt_at
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert max(waits) == outbox.LONGEST_WAIT
    assert moment - NOW >= outbox.GIVE_UP_AFTER
    [failed] = outbox.failed_for(group.id)
    assert failed.status is MailStatus.FAILED and failed.last_error


def test_a_refused_address_fails_at_once_and_the_rest_still_go(app, smtp):
    smtp.inbox.refused.add("member1@example.org")
    queue(3)
    delivery = outbox.deliver_due(NOW, "w1")
    assert (delivery.sent, delivery.failed) == (2, 1)
    assert statuses() == [MailStatus.SENT, MailStatus.FAILED, MailStatus.SENT]


def test_a_claim_keeps_others_off_until_it_runs_out(app, smtp):
    queue(2)
    # A worker claimed the mail and died before sending it.
    db.session.execute(
        db.update(OutboxMail).values(
            claimed_until=NOW + outbox.LEASE, claimed_by="dead"
        )
    )
    db.session.commit()
    assert outbox.deliver_due(NOW + timedelta(minutes=1), "w2").claimed == 0
    later = outbox.deliver_due(NOW + outbox.LEASE + timedelta(seconds=1), "w2")
    assert later.sent == 2


def test_two_workers_racing_send_each_mail_once(make_app, smtp):
    app = make_app(MAIL_URL=smtp.url)
    with app.app_context():
        ids = queue(60)
    smtp.inbox.slow = 0.01
    errors = []

    def work(name):
        try:
            with app.app_context():
                while outbox.deliver_due(NOW, name, limit=5).claimed:
                    pass
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(f"w{n}",)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert errors == []
    received = smtp.inbox.message_ids()
    assert sorted(received) == sorted(ids)  # every one, none twice
    assert len(received) == len(set(received)) == 60


def start_worker(database_url: str, smtp) -> subprocess.Popen:
    """A real `flask worker` process on the test's database and SMTP server."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "MAIL_URL": smtp.url,
        "GEOCODER": "none",
    }
    return subprocess.Popen(
        [Path(sys.executable).parent / "flask", "--app", "meetup", "worker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(app, smtp, database_url):
    ids = queue(8)
    smtp.inbox.slow = 0.4  # each send waits at the server before it is taken
    worker = start_worker(database_url, smtp)
    try:
        deadline = time.monotonic() + 60
        while statuses().count(MailStatus.SENT) < 3:
            assert time.monotonic() < deadline, "the worker sent nothing"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)  # no goodbye: mid-batch, claims held
        worker.wait(timeout=30)
    sent_before = statuses().count(MailStatus.SENT)
    assert 3 <= sent_before < 8
    rows = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.status == MailStatus.PENDING)
    ).all()
    assert rows and all(row.claimed_by for row in rows)  # still claimed by the dead

    smtp.inbox.slow = 0
    after = max(row.claimed_until for row in rows) + timedelta(seconds=1)
    outbox.deliver_due(after, "rescuer")
    received = smtp.inbox.message_ids()
    assert sorted(received) == sorted(ids)
    assert len(received) == len(set(received))


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_worker_finishes_the_message_in_hand(
    app, smtp, database_url, signal_number
):
    ids = queue(3)
    smtp.inbox.slow = 0.5
    worker = start_worker(database_url, smtp)
    deadline = time.monotonic() + 60
    while not smtp.inbox.messages and worker.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    worker.send_signal(signal_number)
    assert worker.wait(timeout=30) == 0
    received = smtp.inbox.message_ids()
    assert received == ids[: len(received)] and len(received) == len(set(received))
    assert statuses().count(MailStatus.SENT) == len(received) < 3
    waiting = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.status == MailStatus.PENDING)
    ).all()
    assert waiting and all(row.claimed_by is None for row in waiting)  # handed back


def test_a_greylisted_address_is_tried_again_not_given_up(app, smtp):
    smtp.inbox.greylisted.add("member0@example.org")
    queue(2)
    first = outbox.deliver_due(NOW, "w1")
    assert (first.sent, first.retrying, first.failed) == (1, 1, 0)
    assert statuses() == [MailStatus.PENDING, MailStatus.SENT]
    smtp.inbox.greylisted.clear()
    assert outbox.deliver_due(NOW + outbox.FIRST_WAIT, "w1").sent == 1


def test_a_slow_server_never_outlasts_the_claim(app, smtp, monkeypatch):
    """A worker stops sending under a claim well before it could run out."""
    ids = queue(6)
    smtp.inbox.slow = 0.2
    monkeypatch.setattr(outbox, "HOLD", timedelta(seconds=0.3))
    first = outbox.deliver_due(NOW, "w1")
    assert 1 <= first.sent < 6
    waiting = db.session.scalars(
        db.select(OutboxMail).where(OutboxMail.status == MailStatus.PENDING)
    ).all()
    assert all(row.claimed_by is None for row in waiting)
    while outbox.deliver_due(NOW, "w2").claimed:
        pass
    assert sorted(smtp.inbox.message_ids()) == sorted(ids)


def test_sent_mail_is_forgotten_after_a_while(app, smtp):
    queue(2)
    outbox.deliver_due(NOW, "w1")
    assert outbox.forget_sent(NOW - timedelta(days=1)) == 0
    assert outbox.forget_sent(NOW + timedelta(seconds=1)) == 2
    db.session.commit()
    assert statuses() == []
