"""Command-line tasks: `flask seed-demo`, `flask worker`, `flask send-reminders`,
`flask inbound`."""

from __future__ import annotations

import os
import signal
import socket
import time

import click
from flask import Flask

from meetup.extensions import db
from meetup.models.base import utcnow

#: How often an idle worker looks for mail, and how often it does its chores
#: (reminders, hosts' daily digests, forgetting old sent mail).
POLL_SECONDS = 2.0
REMINDER_SECONDS = 60.0


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(worker)
    app.cli.add_command(send_reminders)
    app.cli.add_command(inbound)


@click.command("seed-demo")
@click.option(
    "--if-empty", is_flag=True, help="Only seed a database with no users yet."
)
def seed_demo(if_empty: bool) -> None:
    """Load believable demo groups and people; running it twice changes nothing."""
    from meetup import demo

    created = demo.seed(only_if_empty=if_empty)
    db.session.commit()
    if created:
        click.echo("Demo data loaded.")
    click.echo(
        f"Sign in as the demo organiser: {demo.ORGANISER_EMAIL} / {demo.PASSWORD}\n"
        f"(every demo member uses the same password)"
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
def worker(once: bool) -> None:
    """Deliver queued mail and send reminders and hosts' daily digests; run one
    or several beside the app."""
    from meetup.services import devices, mail_codes, outbox

    name = f"{socket.gethostname()}:{os.getpid()}"
    stopping = []
    # Finish the message in hand, then stop: a deploy never cuts a send in half.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.append(True))
    click.echo(f"Mail worker {name} started ({'once' if once else 'until stopped'}).")
    next_chores = 0.0
    while not stopping:
        try:
            if time.monotonic() >= next_chores:
                _rhythm_and_reminders(utcnow())
                _requests(utcnow())
                _bring_news(utcnow())
                outbox.forget_sent(utcnow() - outbox.KEEP_SENT)
                mail_codes.purge(utcnow())
                devices.purge(utcnow())
                db.session.commit()
                next_chores = time.monotonic() + REMINDER_SECONDS
            delivery = outbox.deliver_due(
                utcnow(), name, stopping=lambda: bool(stopping)
            )
        except Exception as error:  # noqa: BLE001 - a worker must outlive a hiccup
            # The database restarting, a locked SQLite file: try again shortly.
            # A message sent just before the failure may go once more when its
            # claim runs out; it keeps its Message-ID, so mail apps drop the copy.
            db.session.rollback()
            click.echo(f"worker error, retrying: {error!r}", err=True)
            time.sleep(POLL_SECONDS)
            continue
        if delivery.claimed:
            click.echo(
                f"sent {delivery.sent}, retrying {delivery.retrying}, "
                f"failed {delivery.failed}"
            )
        if once and (delivery.claimed == 0 or delivery.retrying):
            break
        if delivery.claimed == 0 or delivery.retrying:
            time.sleep(POLL_SECONDS)
    db.session.remove()


@click.command("inbound")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP (Postfix's lmtp transport).")
def inbound(host: str, port: int, lmtp: bool) -> None:
    """Take replies from calendar apps, handed over by the domain's MTA."""
    from flask import current_app

    from meetup.inbound import receiver

    if not current_app.config.get("REPLY_DOMAIN"):
        raise click.UsageError("Set REPLY_DOMAIN: the domain whose mail comes here.")
    server = receiver(current_app._get_current_object(), host, port, lmtp)
    stopping = []
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.append(True))
    server.start()
    click.echo(f"Taking replies for {current_app.config['REPLY_DOMAIN']} "
               f"over {'LMTP' if lmtp else 'SMTP'} on {host}:{port}.")  # fmt: skip
    try:
        while not stopping:
            time.sleep(0.5)
    finally:
        server.stop()


@click.command("send-reminders")
def send_reminders() -> None:
    """Open series dates up to their horizon, ask for hosts, queue reminders
    for gatherings about a day away and the daily digests of hosts and
    organisers who chose one, close requests at the RSVP deadline and remind
    hosts of requests a day old; safe to run from cron, twice or more."""
    opened, waiting, count, digests = _rhythm_and_reminders(utcnow())
    lapsed, nudged = _requests(utcnow())
    let_go = _bring_news(utcnow())
    db.session.commit()
    click.echo(f"Series dates opened: {opened}. Dates needing a host: {waiting}.")
    click.echo(f"Reminders queued: {count}. Hosts' daily digests queued: {digests}.")
    click.echo(f"Requests lapsed: {lapsed}. Hosts reminded of requests: {nudged}.")
    click.echo(f"Hosts told of bring-list gaps: {let_go}.")


def _rhythm_and_reminders(now) -> tuple[int, int, int, int]:
    """The periodic chores, each idempotent: series topped up, hosts asked for
    (once per date and person), reminders (once per answer), hosts' digests
    (once a day each)."""
    from meetup.services import host_digest, reminders, rota, series

    return (
        series.top_up_all(now),
        rota.nudge(now),
        reminders.send_reminders(now),
        host_digest.send_digests(now),
    )


def _requests(now) -> tuple[int, int]:
    """Requests to come: lapsed at the deadline; hosts reminded once a day."""
    from meetup.services import approvals

    return approvals.expire_requests(now), approvals.remind_hosts(now)


def _bring_news(now) -> int:
    """Bring-list claims let go within the hour after a host's last such mail:
    told now that the hour is up."""
    from meetup.services import bring_news

    return bring_news.send_due(now)
