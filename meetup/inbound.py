"""`flask inbound`: the mail receiver a deployer's MTA hands replies to, over
SMTP or LMTP (aiosmtpd). Only reply addresses at REPLY_DOMAIN are taken; each
message is acted on in its own transaction (`calendar_replies.receive`).

Postfix, for instance, hands a domain to it with a transport map line
`replies.example.org lmtp:inet:127.0.0.1:8025` (README, "Answers from calendars").
"""

from __future__ import annotations

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask

from meetup.extensions import db
from meetup.models.base import utcnow
from meetup.services import calendar_replies, reply_addresses


class Replies:
    """The receiver's handler: which recipients it takes, and what it does."""

    def __init__(self, app: Flask):
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, options):
        with self.app.app_context():
            ours = reply_addresses.read(address) is not None
            db.session.remove()
        if not ours:
            return "550 5.1.1 No such reply address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.app.app_context():
            try:
                calendar_replies.receive(
                    envelope.original_content or envelope.content,
                    list(envelope.rcpt_tos),
                    utcnow(),
                )
                db.session.commit()
            except Exception:
                db.session.rollback()
                self.app.logger.exception("inbound mail not taken")
                return "451 4.3.0 Not taken this time; try again later"
            finally:
                db.session.remove()
        # LMTP answers once per recipient; every one of ours was taken together.
        return (
            "\r\n".join(["250 OK"] * len(envelope.rcpt_tos))
            if isinstance(server, LMTP)
            else "250 OK"
        )


class _LmtpController(Controller):
    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def receiver(app: Flask, host: str, port: int, lmtp: bool = False) -> Controller:
    """The receiver, not yet started (`.start()`, `.stop()`)."""
    kind = _LmtpController if lmtp else Controller
    return kind(Replies(app), hostname=host, port=port)
