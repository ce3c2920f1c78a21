"""Mail goes through one function; SMTP is tested against a real local server."""

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from meetup.services.mail import send_mail
from tests.conftest import free_port


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_send_mail_over_smtp(app, smtp_server):
    controller, inbox = smtp_server
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app.config["MAIL_FROM"] = "Hearth <hello@hearth.example>"
    send_mail("ana@example.org", "Reset your password", "Hello Ana — here's the link")
    [message] = inbox.messages
    assert message["To"] == "ana@example.org"
    assert message["From"] == "Hearth <hello@hearth.example>"
    assert "Hello Ana — here's the link" in message.get_payload(decode=True).decode()


def test_console_mail_prints_a_readable_message(app, capsys):
    send_mail("ana@example.org", "Hi", "Café at 7 — see you")
    out = capsys.readouterr().out
    assert "To: ana@example.org" in out and "Café at 7 — see you" in out
