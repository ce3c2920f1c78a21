"""The outbox: mail is written in the same transaction as the change that causes
it, and `flask worker` delivers it.

No change commits without its mail, and no mail goes for a change that rolled
back. Workers claim rows for a while (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so
several run side by side without sending anything twice), mark each row sent as
soon as the server takes it, retry with growing waits when the server is down,
and give up after GIVE_UP_AFTER, leaving the row `failed` for organisers to see.
A worker that dies mid-send leaves its claim to run out; the mail is retried.
"""

from __future__ import annotations

import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from meetup.extensions import db
from meetup.models import Event, Group, MailStatus, OutboxMail, User
from meetup.services import mail, reply_addresses

#: How long a worker may hold a claim before others may take the mail over,
#: and how long it goes on sending under one claim (half, to be safe).
LEASE = timedelta(minutes=5)
HOLD = LEASE / 2
#: Sent mail is kept this long (to look into a complaint), then deleted.
KEEP_SENT = timedelta(days=30)
#: Waits between tries: 30 s, 1 min, 2 min ... at most 30 min.
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=30)
GIVE_UP_AFTER = timedelta(days=2)
BATCH = 20
#: All an address that is not verified yet gets: the code its owner just asked
#: for (sign-in codes go to addresses, not accounts, through send_to_address).
ASKED_FOR = frozenset({"mail-code"})


def enqueue(
    message: EmailMessage,
    kind: str,
    now: datetime,
    group_id: int | None = None,
    once_key: str | None = None,
) -> OutboxMail | None:
    """Queue a message with the current transaction, due at once. With
    `once_key`, a second message under the same key is dropped (None)."""
    row = OutboxMail(
        created_at=now,
        next_attempt_at=now,
        kind=kind,
        recipient=message["To"].addresses[0].addr_spec,
        subject=str(message["Subject"]),
        message=message.as_bytes(policy=mail.POLICY),
        group_id=group_id,
        once_key=once_key,
    )
    if once_key is None:
        db.session.add(row)
        return row
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


#: Mail to the hosts and organisers of a gathering: a reply to it would be
#: theirs to themselves, so it carries no reply address.
TO_RUNNERS = frozenset({"written-reply", "host-news", "requests-waiting",
                        "host-needed-organiser"})  # fmt: skip


def send_letter(
    user: User,
    letter: mail.Letter,
    event: Event | None,
    now: datetime,
    kind: str,
    invitation: mail.Invitation | None = None,
    unsubscribe: str | None = None,
    once_key: str | None = None,
    group: Group | None = None,
    reply_to: tuple[str, str] | None = None,
) -> OutboxMail | None:
    """Compose a letter to one person and queue it with the current change
    (None: not queued, or already queued under `once_key`)."""
    if not user.is_verified and kind not in ASKED_FOR:
        return None  # she may not be whoever typed this address
    if invitation is not None and not user.wants_invitations:
        letter, invitation = mail.in_feed(letter, invitation.method), None
    if reply_to is None and event is not None and kind not in TO_RUNNERS:
        # A reply she types reaches the host (`written_replies`), not a void.
        if (address := reply_addresses.address(user, event)) is not None:
            reply_to = (event.group.name, address)
    return send_to_address(
        user.email, letter, now, kind, user.display_name,
        invitation=invitation, unsubscribe=unsubscribe, once_key=once_key,
        group_id=group.id if group else event.group_id if event else None,
        reply_to=reply_to,
    )  # fmt: skip


def send_to_address(
    address: str,
    letter: mail.Letter,
    now: datetime,
    kind: str,
    name: str = "",
    *,
    invitation: mail.Invitation | None = None,
    unsubscribe: str | None = None,
    once_key: str | None = None,
    group_id: int | None = None,
    reply_to: tuple[str, str] | None = None,
) -> OutboxMail | None:
    """Queue a letter to an address that may have no account (a code)."""
    try:
        message = mail.compose(
            name, address, letter, now, invitation, unsubscribe, reply_to
        )
    except mail.Unmailable as error:
        # One address we cannot mail must not stop the change or others' mail.
        current_app.logger.warning("mail not queued: %s", error)
        return None
    return enqueue(message, kind, now, group_id=group_id, once_key=once_key)


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_due(
    now: datetime,
    worker: str,
    limit: int = BATCH,
    stopping: Callable[[], bool] = lambda: False,
) -> Delivery:
    """Claim what is due and send it, committing after each message.

    Claims not yet sent are handed back when `stopping` says so, and before
    half the lease is used up, so a slow server never lets a second worker
    take over mail this one is still sending.
    """
    rows = _claim(now, worker, limit)
    if not rows:
        return Delivery()
    started = time.monotonic()
    sent = failed = retrying = 0
    try:
        with mail.connection() as send:
            for row in list(rows):
                if stopping() or time.monotonic() - started > HOLD.total_seconds():
                    break
                try:
                    send(row.recipient, row.message)
                except smtplib.SMTPRecipientsRefused as error:
                    codes = [code for code, _ in error.recipients.values()]
                    if min(codes) >= 500:
                        _fail(row, f"refused: {error.recipients}")
                        failed += 1
                    else:  # greylisted, mailbox busy: this one tries again later
                        _retry(row, now, f"refused for now: {error.recipients}")
                        retrying += row.status is MailStatus.PENDING
                        failed += row.status is MailStatus.FAILED
                except smtplib.SMTPDataError as error:
                    if error.smtp_code < 500:
                        raise  # temporary: the whole batch waits
                    _fail(row, f"{error.smtp_code} {error.smtp_error!r}")
                    failed += 1
                else:
                    row.status, row.sent_at = MailStatus.SENT, now
                    row.claimed_until = None
                    sent += 1
                db.session.commit()
                rows.remove(row)
    except (OSError, smtplib.SMTPException) as error:
        # The server is down, busy or refuses us: nothing is lost, all waits.
        for row in rows:
            _retry(row, now, f"{type(error).__name__}: {error}")
        db.session.commit()
        gave_up = sum(row.status is MailStatus.FAILED for row in rows)
        return Delivery(sent, retrying + len(rows) - gave_up, failed + gave_up)
    for unsent in rows:  # stopped early: others may take these at once
        unsent.claimed_until = unsent.claimed_by = None
    db.session.commit()
    return Delivery(sent, retrying, failed)


def forget_sent(before: datetime) -> int:
    """Drop sent mail older than `before`: it holds addresses and reset links."""
    result = db.session.execute(
        delete(OutboxMail).where(
            OutboxMail.status == MailStatus.SENT, OutboxMail.sent_at < before
        )
    )
    return result.rowcount


def _claim(now: datetime, worker: str, limit: int) -> list[OutboxMail]:
    due = (
        OutboxMail.status == MailStatus.PENDING,
        OutboxMail.next_attempt_at <= now,
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now),
    )
    ids = db.session.scalars(
        select(OutboxMail.id)
        .where(*due)
        .order_by(OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        db.session.rollback()
        return []
    claim = f"{worker[:80]}:{uuid.uuid4().hex}"
    # Conditional, so a row another worker claimed meanwhile is left alone even
    # where there is no SKIP LOCKED (SQLite, where one worker is the rule).
    db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(ids), *due)
        .values(claimed_until=now + LEASE, claimed_by=claim)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.claimed_by == claim)
            .order_by(OutboxMail.id)
        )
    )


def _retry(row: OutboxMail, now: datetime, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:1000]
    row.claimed_until = None
    if now - row.created_at >= GIVE_UP_AFTER:
        row.status = MailStatus.FAILED
        return
    wait = min(FIRST_WAIT * 2 ** min(row.attempts - 1, 16), LONGEST_WAIT)
    row.next_attempt_at = now + wait


def _fail(row: OutboxMail, error: str) -> None:
    row.attempts += 1
    row.status = MailStatus.FAILED
    row.last_error = error[:1000]
    row.claimed_until = None


def failed_for(group_id: int) -> list[OutboxMail]:
    """Mail about a group that could not be delivered, newest first."""
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(
                OutboxMail.group_id == group_id,
                OutboxMail.status == MailStatus.FAILED,
            )
            .order_by(OutboxMail.id.desc())
            .limit(50)
        )
    )
