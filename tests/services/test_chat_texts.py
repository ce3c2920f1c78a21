"""Words for the group's chat: what anyone in it may be told, in the group's
language, ready to paste; and the host's day-before reminder carries them."""

from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import EventVisibility, VenueType
from meetup.services import chat_texts, reminders
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer

STREET, NOTES = "7 Quillfeather Row", "Door code 4417"


@pytest.fixture
def maria(make_user):
    return make_user(name="Maria")


@pytest.fixture
def supper(make_group, make_event, maria):
    group = make_group(maria, name="Book Circle", timezone="Europe/London")
    return make_event(
        group, title="Supper", venue_type=VenueType.HOME, address=STREET,
        area="Leith", access_notes=NOTES, latitude=55.953251, longitude=-3.188267,
        capacity=3, host_id=maria.id, bring_list="Dessert\nIce ×2",
    )  # fmt: skip


def test_the_chat_message_says_what_anyone_may_be_told(supper, make_user, add_member):
    said = chat_texts.invitation(supper)
    assert said.splitlines()[0].startswith("Supper · ")
    assert "A member's home in Leith" in said
    assert "2 places left" in said and "Still needed: Dessert, Ice ×2" in said
    assert said.endswith(f"http://127.0.0.1:5000/events/{supper.id}")
    for secret in (STREET, NOTES, "55.95", "-3.18", "Quillfeather"):
        assert secret not in said
    for name in ("Ana", "Bea"):
        person = make_user(name=name)
        add_member(supper.group, person)
        answer(supper, person)
    assert "Full · waitlist open" in chat_texts.invitation(supper)


def test_a_members_only_gathering_gives_its_share_link(make_group, make_event, maria):
    group = make_group(maria, name="Quiet Circle")
    event = make_event(group, title="Book night", visibility=EventVisibility.MEMBERS)
    assert chat_texts.invitation(event).endswith(f"/s/{event.share_code}")


def test_it_is_in_the_groups_language(make_group, make_event, maria):
    group = make_group(maria, name="Club de lectura", locale="es")
    event = make_event(group, title="Cena", capacity=5, bring_list="Postre")
    said = chat_texts.invitation(event)
    assert "Quedan 5 plazas" in said and "Todavía falta: Postre" in said, said


def test_the_hosts_reminder_carries_one_to_paste_and_others_do_not(
    supper, maria, make_user, add_member
):
    ana = make_user(name="Ana")
    add_member(supper.group, ana)
    answer(supper, ana)  # the host is going already
    db.session.commit()
    reminders.send_reminders(NOW + timedelta(days=2, hours=8))
    db.session.commit()
    [hers] = mailbox.queued(maria.email, kind="reminder")
    text = mailbox.text(hers)
    assert "To remind the group chat, paste this:" in text
    assert "Still needed: Dessert" in text
    pasted = text.split("paste this:", 1)[1].strip().split("\r\n\r\n", 1)[0]
    assert pasted.startswith("Reminder: Supper is ") and pasted.count("\n") >= 3
    assert STREET not in pasted and NOTES not in pasted
    [anas] = mailbox.queued(ana.email, kind="reminder")
    assert "paste this" not in mailbox.text(anas)
