"""A reply typed to a mail about a gathering reaches its host as written: her
words only (not the mail she quoted, not her address), no answer guessed from
them, robots dropped, each message once, a few a day."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from meetup.extensions import db
from meetup.models import Rsvp, RsvpStatus
from meetup.services import calendar_replies, reply_addresses, written_replies
from meetup.services.calendar_replies import Outcome
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer
from tests.test_inbound_replies import DOMAIN, SECRET

#: How mail apps put the mail she answers below her words.
QUOTED = {
    "gmail": "On Tue, 1 Dec 2026 at 10:00, Book Circle <{to}> wrote:\n"
             "> You're going to Supper.\n> Ring twice.",
    "gmail-es": "El mar, 1 dic 2026 a las 10:00, Book Circle (<{to}>)\n"
                "escribió:\n> You're going to Supper.\n> Ring twice.",
    "apple-fr": "Le 1 déc. 2026 à 10:00, Book Circle <{to}> a écrit :\n\n"
                "> You're going to Supper.\n> Ring twice.",
    "outlook": "________________________________\nFrom: Book Circle <{to}>\n"
               "Sent: Tuesday, December 1, 2026 10:00 AM\nTo: Ana\n"
               "Subject: You're going: Supper\n\nYou're going to Supper.\nRing twice.",
    "outlook-es": "De: Book Circle <{to}>\nEnviado: martes, 1 de diciembre de 2026 "
                  "10:00\nPara: Ana\nAsunto: Vas: Supper\n\nVas a Supper.\nRing twice.",
}  # fmt: skip


@pytest.fixture
def supper(app, make_user, make_group, make_event, add_member):
    app.config.update(REPLY_DOMAIN=DOMAIN, INBOUND_MAIL_SECRET=SECRET)
    maria = make_user(name="Maria", email="maria@example.org")
    group = make_group(maria, name="Book Circle")
    supper = make_event(group, title="Supper", host_id=maria.id,
                        address="7 Quillfeather Row")  # fmt: skip
    ana = make_user(name="Ana", email="ana.private@example.org")
    add_member(group, ana)
    answer(supper, ana)
    db.session.commit()
    return supper, maria, ana


def reply_to_of(ana) -> str:
    """Where her mail app sends a reply: the Reply-To of her last mail."""
    return str(mailbox.queued(ana.email)[-1]["Reply-To"].addresses[0].addr_spec)


def typed(to: str, words: str, style: str = "gmail",
          sender: str = "Ana <ana.private@example.org>",
          **headers) -> bytes:  # fmt: skip
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: You're going: Supper"
    message["Message-ID"] = make_msgid()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(f"{words}\n\n{QUOTED[style].format(to=to)}\n")
    return message.as_bytes()


def host_mail(maria):
    return mailbox.queued(maria.email, kind=written_replies.KIND)


@pytest.mark.parametrize("style", QUOTED)
def test_her_words_reach_the_host_and_change_no_answer(supper, style):
    supper, maria, ana = supper
    to = reply_to_of(ana)
    assert to.startswith("reply+") and to.endswith(f"@{DOMAIN}")
    raw = typed(to, "Can't come, sorry!\nSee you next month.", style)
    assert calendar_replies.receive(raw, [to], NOW) is Outcome.WRITTEN
    db.session.commit()
    [letter] = host_mail(maria)
    said = mailbox.text(letter)
    assert "Can't come, sorry!" in said and "See you next month." in said
    assert "Ring twice" not in said and "Book Circle <" not in said
    assert not any(word in said for word in ("wrote", "escribió", "écrit", "Sent:"))
    for where in (said, mailbox.html(letter), str(letter)):
        assert "ana.private@example.org" not in where  # her address is hers
    assert letter["Subject"] == "Ana wrote about Supper"
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=ana.id))
    assert rsvp.status is RsvpStatus.GOING  # words change no answer


def test_robots_and_empty_mail_are_not_passed_on(supper):
    supper, maria, ana = supper
    to = reply_to_of(ana)
    for raw in (
        typed(to, "I'm away until Monday.", Auto_Submitted="auto-replied"),
        typed(to, "Out of office", Precedence="bulk"),
        typed(to, "Out of office", X_Autoreply="yes"),
        typed(to, "Undeliverable", sender="MAILER-DAEMON@example.org"),
        typed(to, ""),
    ):
        assert calendar_replies.receive(raw, [to], NOW) is Outcome.NOT_A_REPLY
    db.session.commit()
    assert not host_mail(maria)


def test_words_from_another_address_are_not_passed_on(supper):
    """The reply address is in every mail she got: a forwardee has it too, and
    so does whoever has her old mailbox now."""
    supper, maria, ana = supper
    to = reply_to_of(ana)
    for sender in ("Bea <bea@example.org>", "ana.private@example.org.evil.test", ""):
        raw = typed(to, "I'm Ana, honest", sender=sender)
        assert calendar_replies.receive(raw, [to], NOW) is Outcome.NOT_A_REPLY
    db.session.commit()
    assert not host_mail(maria)
    upper = typed(
        to, "Late!", sender="ANA.PRIVATE@EXAMPLE.ORG"
    )  # as some apps write it
    assert calendar_replies.receive(upper, [to], NOW) is Outcome.WRITTEN


def test_the_same_message_twice_goes_once_and_five_a_day_at_most(supper):
    supper, maria, ana = supper
    to = reply_to_of(ana)
    first = typed(to, "Running late!")
    for _ in range(2):  # her server delivered it again after a timeout
        calendar_replies.receive(first, [to], NOW)
        db.session.commit()
    assert len(host_mail(maria)) == 1
    outcomes = [calendar_replies.receive(typed(to, f"Note {n}"), [to], NOW)
                for n in range(6)]  # fmt: skip
    db.session.commit()
    assert outcomes.count(Outcome.WRITTEN) == written_replies.PER_DAY - 1
    assert len(host_mail(maria)) == written_replies.PER_DAY
    later = NOW + timedelta(days=1, minutes=1)
    assert (
        calendar_replies.receive(typed(to, "Next day"), [to], later) is Outcome.WRITTEN
    )


def test_a_long_html_only_reply_is_cut_and_read_as_text(supper):
    supper, maria, ana = supper
    to = reply_to_of(ana)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = ana.email, to, "Re: Supper"
    message.set_content("<p>Lovely &amp; <b>thanks</b></p><script>x()</script>"
                        + "<p>" + "word " * 400 + "</p>", subtype="html")  # fmt: skip
    assert calendar_replies.receive(message.as_bytes(), [to], NOW) is Outcome.WRITTEN
    db.session.commit()
    said = mailbox.text(host_mail(maria)[0])
    assert "Lovely & thanks" in said and "<b>" not in said and "x()" not in said
    words = said.split("“", 1)[1].split("”", 1)[0].replace("\r\n", "\n")
    assert len(words) <= written_replies.MAX_CHARS and words.endswith("word…")


def test_the_host_writing_back_reaches_no_one(supper, make_user):
    """Her own reply address goes nowhere; and the mail that brings her a
    guest's words carries none, so Reply writes a new mail, not into a void."""
    supper, maria, ana = supper
    to_maria = reply_addresses.address(maria, supper)
    back = typed(to_maria, "Thanks!", sender=maria.email)
    assert calendar_replies.receive(back, [to_maria], NOW) is Outcome.NOT_A_REPLY
    db.session.commit()
    assert not mailbox.queued(kind=written_replies.KIND)
    to = reply_to_of(ana)
    calendar_replies.receive(typed(to, "Running late"), [to], NOW)
    db.session.commit()
    [brought] = host_mail(maria)
    assert brought["Reply-To"] is None


def test_words_through_the_webhook_are_passed_on(supper, client):
    supper, maria, ana = supper
    raw = typed(reply_to_of(ana), "Can I bring my sister?")
    reply = client.post("/inbound/mail", data=raw, csrf=False,
                        headers={"Authorization": f"Bearer {SECRET}"})  # fmt: skip
    assert reply.status_code == 202 and reply.json == {"outcome": "written"}
    db.session.expire_all()
    assert "Can I bring my sister?" in mailbox.text(host_mail(maria)[0])
