"""Composing mail: text and HTML from one letter, invitations as RFC 6047 wants
them, headers nobody can inject into; and sending over real SMTP."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import icalendar
import pytest

from meetup import ical
from meetup.extensions import db
from meetup.models import OutboxMail
from meetup.services import mail, reminders
from meetup.services.mail import Invitation, Letter
from tests.smtp import SmtpServer
from tests.world import build

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)


@pytest.fixture
def letter():
    return Letter(
        subject="You're going: Soup night",
        greeting="Hello Ana,",
        paragraphs=["You're going to Soup night."],
        facts=[
            ("When", "Thu 12 Mar, 7:30 pm – 10 pm GMT"),
            ("Where", "3 Secret Close"),
        ],
        action=("See the gathering", "http://127.0.0.1:5000/events/1"),
        signature="— Thursday Suppers, on Hearth",
    )


def invitation(method="REQUEST") -> Invitation:
    start = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)
    entry = ical.Entry(
        uid="uid-1", sequence=3, summary="Soup night", description="x",
        starts_at=start, ends_at=start + timedelta(hours=2), timezone="Europe/London",
        location="3 Secret Close", geo=None, url="http://127.0.0.1:5000/events/1",
        status="CONFIRMED", organizer_name="Thursday Suppers",
        organizer_email="noreply@localhost", created_at=NOW, updated_at=NOW,
        attendee=ical.Attendee("Ana", "ana@example.org", "ACCEPTED"), stamp=NOW,
    )  # fmt: skip
    return Invitation(ical.calendar([entry], method=method), method)


def reparse(message):
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def test_a_letter_reads_the_same_as_text_and_html(app, letter):
    message = reparse(mail.compose("Ana", "ana@example.org", letter, NOW))
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    for part in (text, html):
        assert "Hello Ana," in part
        assert "3 Secret Close" in part
        assert "http://127.0.0.1:5000/events/1" in part
    assert "When:" in text and "<th" in html
    assert message["Subject"] == "You're going: Soup night"
    assert message["Message-ID"].endswith("@localhost>")
    assert message["Date"] == "Mon, 01 Mar 2027 09:00:00 +0000"


def test_an_invitation_is_a_calendar_part_and_an_attachment(app, letter):
    message = reparse(mail.compose("Ana", "ana@example.org", letter, NOW, invitation()))
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = list(alternative.iter_parts())[2]
    assert calendar_part.get_param("method") == "REQUEST"
    parsed = icalendar.Calendar.from_ical(calendar_part.get_content())
    assert str(parsed["METHOD"]) == "REQUEST"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content() == calendar_part.get_content().encode()
    (event,) = parsed.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:ana@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert event["DTSTAMP"].dt == NOW


def test_a_cancel_says_cancel_in_both_places(app, letter):
    message = reparse(
        mail.compose("Ana", "ana@example.org", letter, NOW, invitation("CANCEL"))
    )
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "CANCEL"
    assert str(icalendar.Calendar.from_ical(part.get_content())["METHOD"]) == "CANCEL"


@pytest.mark.parametrize(
    "name, subject",
    [
        ("Ana\r\nBcc: everyone@evil.example", "Hi"),
        ("Ana", "Soup\r\nBcc: everyone@evil.example"),
        ("Ana\nX-Injected: 1", "Soup\u2028X-Injected: 1"),
        ('Ana "the host", <b@evil.example>', "Soup\x00night"),
    ],
)
def test_names_and_subjects_cannot_add_headers(app, letter, name, subject):
    hostile = Letter(**{**letter.__dict__, "subject": subject})
    message = reparse(mail.compose(name, "ana@example.org", hostile, NOW))
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert [a.addr_spec for a in message["To"].addresses] == ["ana@example.org"]
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]


def test_optional_mail_can_be_stopped_in_one_click(app, letter):
    link = "http://127.0.0.1:5000/unsubscribe/abc"
    message = reparse(
        mail.compose("Ana", "ana@example.org", letter, NOW, unsubscribe=link)
    )
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = reparse(mail.compose("Ana", "ana@example.org", letter, NOW))
    assert plain["List-Unsubscribe"] is None


#: RFC 2369 and 8058 as Gmail and Yahoo read them: one `<https://…>` on its own
#: line, never an encoded-word, and the one-click line exactly.
ONE_CLICK = re.compile(
    rb"\r\nList-Unsubscribe: <https?://[!-=?-~]+>\r\n"
    rb"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
)


def test_a_long_unsubscribe_link_goes_out_whole_over_real_smtp(app, letter):
    link = "http://127.0.0.1:5000/unsubscribe/" + "Ab0_-" * 40  # as long as ours
    message = mail.compose("Ana", "ana@example.org", letter, NOW, unsubscribe=link)
    server = SmtpServer().start()
    try:
        app.config["MAIL_URL"] = server.url
        with mail.connection() as send:
            send("ana@example.org", message.as_bytes(policy=mail.POLICY))
    finally:
        server.stop()
    [raw] = server.inbox.raw
    assert b"=?" not in raw.partition(b"\r\n\r\n")[0]
    assert ONE_CLICK.search(raw).group(0) == (
        f"\r\nList-Unsubscribe: <{link}>\r\n".encode()
        + b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
    )
    assert reparse(message)["List-Unsubscribe"] == f"<{link}>"


def test_mail_goes_over_real_smtp(app, letter):
    server = SmtpServer().start()
    try:
        app.config["MAIL_URL"] = server.url
        app.config["MAIL_FROM"] = "Hearth <hello@hearth.example>"
        message = mail.compose("Ana", "ana@example.org", letter, NOW, invitation())
        with mail.connection() as send:
            send("ana@example.org", message.as_bytes())
    finally:
        server.stop()
    [received] = server.inbox.messages
    assert received["Message-ID"] == message["Message-ID"]
    assert received["From"] == "Hearth <hello@hearth.example>"
    part = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    assert "BEGIN:VEVENT" in part.get_content()


def test_console_mail_prints_what_a_person_reads(app, letter, capsys):
    message = mail.compose("Ana", "ana@example.org", letter, NOW, invitation())
    with mail.connection() as send:
        send("ana@example.org", message.as_bytes())
    out = capsys.readouterr().out
    assert "To: Ana <ana@example.org>" in out
    assert "You're going to Soup night." in out
    assert "[text/calendar; method=REQUEST]" in out


def test_every_mail_that_can_be_stopped_says_so_byte_by_byte(app):
    """The leak hunt's world mails every kind there is; with the reminders sent,
    each announcement, reminder and host's news carries the two lines exactly."""
    world = build()
    for event in world.events.values():  # each one's day before
        reminders.send_reminders(event.starts_at - timedelta(hours=20))
    db.session.commit()
    rows = db.session.scalars(db.select(OutboxMail)).all()
    stoppable = [row for row in rows if b"\r\nList-Unsubscribe:" in row.message]
    assert {"announcement", "reminder", "host-news"} <= {row.kind for row in stoppable}
    for row in stoppable:
        head = row.message.partition(b"\r\n\r\n")[0]
        assert ONE_CLICK.search(head + b"\r\n"), (row.kind, head)
        assert head.count(b"\r\nList-Unsubscribe") == 2, row.kind
    assert all(
        b"List-Unsubscribe" not in row.message.partition(b"\r\n\r\n")[0]
        for row in rows
        if row.kind in ("going", "changed", "cancelled", "sign-in-code")
    )


def test_every_part_is_seven_bit_for_relays_without_8bitmime(app, letter):
    accented = Letter(**{**letter.__dict__, "paragraphs": ["Café à la maison ✓"]})
    data = invitation().ics.replace(b"Soup night", "Soupe à l'oignon".encode())
    message = mail.compose("Ana", "ana@example.org", accented, NOW,
                           Invitation(data, "REQUEST"))  # fmt: skip
    raw = message.as_bytes(policy=mail.POLICY)
    assert raw.isascii()
    parts = [part for part in reparse(message).walk() if not part.is_multipart()]
    assert {part["Content-Transfer-Encoding"] for part in parts} <= {
        "7bit", "quoted-printable", "base64"
    }  # fmt: skip
    calendar = next(p for p in parts if p.get_content_type() == "text/calendar")
    assert "Soupe à l'oignon" in calendar.get_content()
    assert "Café à la maison ✓" in reparse(message).get_body(("plain",)).get_content()
