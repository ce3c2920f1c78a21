"""Words written back: a reply she types to a mail about a gathering ("can't
come, sorry!") reaches its host as she wrote it. Nothing is guessed from the
words: her answer changes only where she gives it (a tap, her calendar app),
and the host is told so.

Only mail from her own address counts (the reply address is in every mail
she was sent: a forwardee, or her old mailbox's next owner, has it too). Only
her new words go, without the quoted mail below them (mail-parser-reply
knows how English, Spanish and French mail apps quote); never her address.
Automatic mail (out-of-office, bounces, RFC 3834, what a calendar app
wrote around an answer it sent) is dropped, so two robots cannot write to
each other through Hearth; the same message delivered twice is passed on once
(the outbox's once key); and at most `PER_DAY` go per person and gathering.
"""

from __future__ import annotations

import enum
import hashlib
import html
from datetime import datetime, timedelta
from email.message import EmailMessage

import nh3
from flask_babel import gettext as _
from mailparser_reply import EmailReplyParser

from meetup import i18n
from meetup.extensions import db
from meetup.models import Event, OutboxMail, User
from meetup.services import letter_parts, memberships, outbox, reply_addresses
from meetup.services.mail import Letter

#: As long as a message from the host may be (`host_messages`).
MAX_CHARS = 1000
PER_DAY = 5
KIND = "written-reply"
#: Quoting styles of every language Hearth speaks, and English always.
_PARSER = EmailReplyParser(languages=["en", "es", "fr"])


class Passed(enum.StrEnum):
    ON = "passed-on"  # the host has it
    AUTOMATIC = "automatic"  # an out-of-office, a bounce: dropped
    EMPTY = "empty"  # no words of her own
    TOO_MANY = "too-many"  # PER_DAY reached, or already passed on
    NO_ONE = "no-one"  # she is the one who would read it, or blocked
    NOT_HERS = "not-hers"  # from an address that is not hers


def pass_on(message: EmailMessage, user: User, event: Event, now: datetime) -> Passed:
    if _automatic(message):
        return Passed.AUTOMATIC
    senders = getattr(message.get("From"), "addresses", ())
    if not any(reply_addresses.is_hers(user, each.addr_spec) for each in senders):
        return Passed.NOT_HERS  # a forwarded mail, or her old address's new owner
    words = _words(message)
    if not words:
        return Passed.EMPTY
    if memberships.is_blocked(user, event.group):
        return Passed.NO_ONE
    readers = [host for host in memberships.deciders(event) if host.id != user.id]
    if not readers:
        return Passed.NO_ONE
    key = f"{KIND}-{event.id}-{user.id}-{_fingerprint(message, words)}"
    if _sent_today(key, event, user, now) >= PER_DAY:
        return Passed.TOO_MANY
    for host in readers:
        with i18n.as_reader(host):
            outbox.send_letter(host, _letter(host, user, event, words), event, now,
                               KIND, once_key=f"{key}-{host.id}")  # fmt: skip
    return Passed.ON


def _automatic(message: EmailMessage) -> bool:
    """RFC 3834's marks, the older ones mail servers still use, and bounces."""
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "junk", "list"):
        return True
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if message.get_content_type() == "multipart/report":
        return True
    if any(part.get_content_type() in ("text/calendar", "application/ics")
           for part in message.walk()):  # fmt: skip
        return True  # a calendar app's, even one it spoiled: its words are its own
    sender = str(message.get("From", "")).lower()
    return "mailer-daemon@" in sender or "postmaster@" in sender


def _words(message: EmailMessage) -> str:
    """Her new words, without the mail she answered, cut to MAX_CHARS."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, UnicodeError, AttributeError):
        return ""
    if body.get_content_type() == "text/html":
        text = _html_to_text(text)
    text = _unquoted(_PARSER.parse_reply(text=text.replace("\r\n", "\n")))
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip() + "…"
    return text


def _unquoted(text: str) -> str:
    """What comes before the first quoted line and the line that says who wrote
    it: mail-parser-reply 1.36 misses Gmail's Spanish "El …, X escribió:" (its
    pattern wants two spaces), and apps in languages it lacks quote this way too."""
    lines = text.splitlines()
    quoted = next((n for n, line in enumerate(lines) if line.lstrip().startswith(">")),
                  len(lines))  # fmt: skip
    kept = lines[:quoted]
    while kept and not kept[-1].strip():
        kept.pop()
    if quoted < len(lines) and kept and kept[-1].rstrip().endswith(":"):
        kept.pop()  # "On Tue, … wrote:", folded onto a second line or not
        if kept and "@" in kept[-1] and not kept[-1].rstrip().endswith((".", "!", "?")):
            kept.pop()
    return "\n".join(kept)


def _html_to_text(markup: str) -> str:
    for block in ("</p>", "<br>", "<br/>", "<br />", "</div>", "</blockquote>"):
        markup = markup.replace(block, block + "\n")
    return html.unescape(nh3.clean(markup, tags=set()))


def _fingerprint(message: EmailMessage, words: str) -> str:
    said = str(message.get("Message-ID", "")).strip() or words
    return hashlib.sha256(said.encode()).hexdigest()[:16]


def _sent_today(key: str, event: Event, user: User, now: datetime) -> int:
    """Her messages passed on about this gathering in the last day (each went
    to one host or several: counted once)."""
    keys = db.session.scalars(
        db.select(OutboxMail.once_key).where(
            OutboxMail.kind == KIND,
            OutboxMail.once_key.startswith(f"{KIND}-{event.id}-{user.id}-"),
            OutboxMail.created_at > now - timedelta(days=1),
        )
    )
    return len({k.rsplit("-", 1)[0] for k in keys})


def _letter(host: User, user: User, event: Event, words: str) -> Letter:
    return Letter(
        subject=_(
            "%(name)s wrote about %(title)s", name=user.display_name, title=event.title
        ),  # fmt: skip
        greeting=letter_parts.hello(host),
        paragraphs=[
            _(
                "%(name)s replied to a mail from Hearth about %(title)s. Words "
                "change no answer, so here they are as written:",
                name=user.display_name,
                title=event.title,
            ),
            f"“{words}”",
            _(
                "Hearth does not give out addresses: to answer, use your group's "
                "usual chat, or see her answer on the gathering's page."
            ),
        ],  # fmt: skip
        facts=[(_("When"), letter_parts.when(event))],
        action=(_("See who's coming"), letter_parts.link(event)),
        signature=letter_parts.signed(event),
    )
