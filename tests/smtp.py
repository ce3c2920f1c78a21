"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it is given."""

from __future__ import annotations

import asyncio
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.conftest import free_port


class Inbox:
    """The server's handler: messages received, and knobs to misbehave with."""

    def __init__(self):
        self.messages = []
        #: The same, as the bytes that came over the wire.
        self.raw: list[bytes] = []
        #: Recipients refused for good (550), and for now (451, greylisting).
        self.refused: set[str] = set()
        self.greylisted: set[str] = set()
        #: Seconds to wait before accepting each recipient (a slow server).
        self.slow = 0.0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.slow:
            await asyncio.sleep(self.slow)
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        if address in self.greylisted:
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.inbox = Inbox()
        self.port = port or free_port()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def start(self) -> SmtpServer:
        """Listen; until then, connecting is refused (a server that is down)."""
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
