"""Reading the outbox in tests: messages as a mail app would parse them."""

from email import message_from_bytes, policy
from email.message import EmailMessage

from meetup.extensions import db
from meetup.models import OutboxMail


def queued(to: str | None = None, kind: str | None = None) -> list[EmailMessage]:
    rows = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id))
    return [
        message_from_bytes(row.message, policy=policy.default)
        for row in rows
        if (to is None or row.recipient == to) and (kind is None or row.kind == kind)
    ]


def text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def calendar_part(message: EmailMessage) -> EmailMessage | None:
    return next(
        (p for p in message.walk() if p.get_content_type() == "text/calendar"), None
    )
