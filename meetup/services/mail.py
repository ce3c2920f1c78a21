"""Sending mail: the one function every message goes through.

MAIL_URL picks the transport: `console` prints the message (development), an
smtp:// or smtps:// URL sends it. The outbox and worker come with the mail issue.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app


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
        if options.get("starttls", ["0"])[0] in ("1", "true", "yes"):
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(message)
