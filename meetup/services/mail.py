"""Mail: composing a message (plain text, HTML, a calendar invitation) and handing
finished messages to the transport MAIL_URL picks.

Nothing here is sent from a request: `notices` composes, `outbox` queues with the
change and delivers from `flask worker`.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template
from flask_babel import gettext as _

_BREAKS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


class _Policy(EmailPolicy):
    """SMTP's policy, but for List-Unsubscribe: a header without spaces that is
    longer than 78 characters would go out as RFC 2047 encoded-words, which
    Gmail and Yahoo cannot read as the link RFC 2369 and 8058 want. Its `<…>`
    URLs are ASCII; they are folded only after a comma, never encoded."""

    def fold_binary(self, name: str, value) -> bytes:
        if name.lower() != "list-unsubscribe":
            return super().fold_binary(name, value)
        urls = [url.strip() for url in str(value).split(",")]
        return f"{name}: {(',' + self.linesep + ' ').join(urls)}{self.linesep}".encode(
            "ascii"
        )

    def fold(self, name: str, value) -> str:
        if name.lower() != "list-unsubscribe":
            return super().fold(name, value)
        return self.fold_binary(name, value).decode("ascii")


#: How every message is written out, in the outbox and on the wire. 7-bit
#: parts (quoted-printable or base64 where there are accents): a relay without
#: 8BITMIME would refuse 8-bit ones, or re-encode them and break the signature.
POLICY = _Policy(linesep="\r\n", cte_type="7bit")


@dataclass(frozen=True)
class Letter:
    """What a message says, once: rendered as plain text and as HTML."""

    subject: str
    greeting: str
    paragraphs: list[str]
    #: ("When", "Thu, Mar 12 · 7:30 – 10:00 PM GMT"), ("Where", ...)
    facts: list[tuple[str, str]] = field(default_factory=list)
    #: The one thing to do: (label, absolute URL).
    action: tuple[str, str] | None = None
    #: One-tap answers, [(label, absolute URL), ...], signed for the recipient.
    answers: list[tuple[str, str]] = field(default_factory=list)
    signature: str = "— Hearth"
    #: Why this came, and how to stop it (non-essential mail only).
    footer: str = ""


@dataclass(frozen=True)
class Invitation:
    """An iCalendar invitation (RFC 6047): the .ics and its METHOD."""

    ics: bytes
    method: str  # REQUEST or CANCEL
    #: Its ORGANIZER is her reply address: a Yes or No in her calendar app
    #: reaches Hearth (else the invitation says RSVP=FALSE).
    takes_answers: bool = False


def compose(
    to_name: str,
    to_email: str,
    letter: Letter,
    now: datetime,
    invitation: Invitation | None = None,
    unsubscribe: str | None = None,
    reply_to: tuple[str, str] | None = None,
) -> EmailMessage:
    """The whole message. Names and subjects lose line breaks, so nothing a
    member types can add a header. `reply_to` (name, address): replies reach that
    person (a host who asked for them), else no Reply-To at all."""
    message = EmailMessage(policy=POLICY)
    sender = current_app.config["MAIL_FROM"]
    message["From"] = sender
    message["To"] = formataddr((_one_line(to_name), _ascii_address(to_email)))
    message["Subject"] = _one_line(letter.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].partition("@")[2])
    if reply_to is not None:
        try:
            address = _ascii_address(reply_to[1])
        except Unmailable:
            pass  # an address replies cannot reach: no Reply-To, the mail still goes
        else:
            message["Reply-To"] = formataddr((_one_line(reply_to[0]), address))
    if unsubscribe:
        # RFC 8058: mail apps show "Unsubscribe" and POST to it in one click.
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if invitation is not None and invitation.method == "REQUEST":
        answers = (
            _("You can also answer in your calendar app: its Yes or No reaches "
              "the host.")
            if invitation.takes_answers
            else _("To change your answer, use Hearth: a Yes or No tapped in your "
                   "calendar app does not reach the host.")
        )  # fmt: skip
        attached = _("The invitation is attached, ready for your calendar.")
        said = f"{attached} {answers}"
        letter = replace(letter, paragraphs=[*letter.paragraphs, said])
    message.set_content(render_template("emails/letter.txt", letter=letter))
    message.add_alternative(
        render_template("emails/letter.html", letter=letter), subtype="html"
    )
    if invitation is not None:
        # The part calendar apps act on, then the same file to open by hand.
        message.add_alternative(
            invitation.ics.decode(),
            subtype="calendar",
            params={"method": invitation.method},
        )
        message.add_attachment(
            invitation.ics,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    return message


def in_feed(letter: Letter, method: str) -> Letter:
    """The letter that would have carried an invitation, to someone whose
    calendar takes her Hearth feed instead (one copy per calendar)."""
    if method != "REQUEST":
        return letter  # the feed drops it by itself
    said = _("It's in your Hearth calendar feed: your calendar app shows it, and "
             "any change, when it next checks the feed.")  # fmt: skip
    return replace(letter, paragraphs=[*letter.paragraphs, said])


@contextmanager
def connection() -> Iterator[Callable[[str, bytes], None]]:
    """A way to send finished messages, open for one batch."""
    url = current_app.config["MAIL_URL"]
    if url == "console":
        yield _print
        return
    sender = parseaddr(current_app.config["MAIL_FROM"])[1]
    with _smtp(url) as client:
        yield lambda recipient, data: client.sendmail(sender, [recipient], data)


def _print(recipient: str, data: bytes) -> None:
    """Show the mail as a person would read it: headers, then the text part."""
    message = message_from_bytes(data, policy=policy.default)
    headers = "".join(
        f"{name}: {message[name]}\n"
        for name in ("From", "To", "Subject", "List-Unsubscribe")
        if message[name]
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    extras = [
        f"[{part.get_content_type()}"
        + (f"; method={part.get_param('method')}" if part.get_param("method") else "")
        + "]"
        for part in message.walk()
        if part.get_content_type() in ("text/calendar", "application/ics")
    ]
    print(
        f"--- mail (MAIL_URL=console) ---\n{headers}\n{text}"
        + ("\n" + " ".join(extras) if extras else "")
        + "\n--- end of mail ---",
        flush=True,
    )


def _smtp(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    timeout = float(options.get("timeout", ["10"])[0])
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    client = client_class(parts.hostname, parts.port or 0, timeout=timeout)
    if options.get("starttls", ["0"])[0] == "1":
        client.starttls()
    if parts.username:
        client.login(unquote(parts.username), unquote(parts.password or ""))
    return client


class Unmailable(ValueError):
    """An address plain SMTP cannot carry (accents before the @)."""


def _ascii_address(address: str) -> str:
    """A domain with accents goes in its ASCII (IDNA) form; a local part with
    them cannot go at all (sign-up refuses those now; older ones may exist)."""
    local, _, domain = _one_line(address).rpartition("@")
    if not local.isascii():
        raise Unmailable(f"cannot send to {address!r} without SMTPUTF8")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as error:
        raise Unmailable(f"cannot send to {address!r}: {error}") from None


def _one_line(text: str) -> str:
    return " ".join(_BREAKS.sub(" ", text).split())
