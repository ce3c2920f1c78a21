"""Sending mail: the one function every message goes through.

MAIL_URL picks the transport: `console` prints the message (development), an
smtp:// or smtps:// URL sends it. Mail caused by a change is queued on the
database session and sent only once that change commits (dropped on rollback);
a durable outbox and worker come with the mail issue.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session


def queue_mail(session: Session, to: str, subject: str, body: str) -> None:
    """Send this mail when (and only if) the session's transaction commits."""
    session.info.setdefault("mail", []).append((to, subject, body))


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    for to, subject, body in session.info.pop("mail", []):
        send_mail(to, subject, body)


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop("mail", None)


def send_mail(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    url = current_app.config["MAIL_URL"]
    if url == "console":
        _print(message, body)
        return
    _send_smtp(url, message)


def _print(message: EmailMessage, body: str) -> None:
    """Show the mail as a person would read it (not transfer-encoded)."""
    headers = "".join(
        f"{name}: {message[name]}\n" for name in ("From", "To", "Subject")
    )
    print(
        f"--- mail (MAIL_URL=console) ---\n{headers}\n{body}\n--- end of mail ---",
        flush=True,
    )


def _send_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    timeout = float(options.get("timeout", ["10"])[0])
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client_class(parts.hostname, parts.port or 0, timeout=timeout) as client:
        if options.get("starttls", ["0"])[0] == "1":
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
