"""Mail, reminders and calendars in the recipient's language, never the sender's;
the group's feed in the group's language; the same instants in every language."""

from datetime import UTC, datetime, time, timedelta

import icalendar
from flask_babel import force_locale

from meetup.models import VenueType
from meetup.services import calendars, events, reminders
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of


def test_one_change_reaches_each_member_in_her_own_language(
    db, make_user, make_group, make_event, add_member
):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle")
    lucia, ann = make_user(name="Lucía"), make_user(name="Ann")
    lucia.locale, ann.locale = "es", "en_US"
    db.session.commit()
    for person in (lucia, ann):
        add_member(group, person)
    supper = make_event(group, title="Book night", venue_type=VenueType.OTHER,
                        venue_name="The Vine", area="Leith")  # fmt: skip
    answer(supper, lucia)
    answer(supper, ann)
    later = supper.starts_at + timedelta(days=1)
    with force_locale("fr"):  # the organiser's own language never leaks into it
        events.update_event(
            organiser_of(group), supper,
            edited(supper, starts_at=later, ends_at=later + timedelta(hours=3)), NOW,
        )  # fmt: skip
    db.session.commit()
    [spanish] = mailbox.queued(lucia.email, kind="changed")
    [english] = mailbox.queued(ann.email, kind="changed")
    assert spanish["Subject"] == "Cambios: Book night"
    assert "Quienes organizan han cambiado un encuentro al que vas." in (
        mailbox.text(spanish)
    )
    assert english["Subject"] == "Changed: Book night"
    assert "The organisers changed a gathering you're going to." in (
        mailbox.text(english)
    )
    assert "Modifiée" not in mailbox.text(spanish) + mailbox.text(english)
    invites = [icalendar.Calendar.from_ical(mailbox.calendar_part(m).get_content())
               for m in (spanish, english)]  # fmt: skip
    (es_event,), (en_event,) = (c.walk("VEVENT") for c in invites)
    for field in ("DTSTART", "DTEND", "UID", "SEQUENCE"):
        assert es_event[field].to_ical() == en_event[field].to_ical(), field


def test_a_reminder_is_said_in_the_recipients_language(
    db,
    make_user,
    make_group,
    make_event,
    add_member,
):
    group = make_group(make_user(), name="Paseos")
    lucia = make_user(name="Lucía")
    lucia.locale = "es"
    db.session.commit()
    add_member(group, lucia)
    # At noon, so that 20 hours before is the day before at any hour of the run.
    noon = datetime.combine((NOW + timedelta(days=3)).date(), time(12), tzinfo=UTC)
    walk = make_event(group, title="Paseo", starts_at=noon)
    answer(walk, lucia, now=NOW - timedelta(days=1))
    assert reminders.send_reminders(walk.starts_at - timedelta(hours=20)) == 1
    [mail] = mailbox.queued(lucia.email, kind="reminder")
    assert mail["Subject"] == "Recordatorio: Paseo, mañana"
    assert "Hola, Lucía:" in mailbox.text(mail)


def test_the_group_feed_speaks_the_groups_language_whoever_asks(
    db, make_user, make_group, make_event
):
    group = make_group(make_user(), name="Club", locale="fr")
    event = make_event(group, title="Soirée")
    events.cancel_event(organiser_of(group), event, "", NOW)
    db.session.commit()
    with force_locale("es"):
        feed = calendars.group_calendar(group, None, NOW)
    (entry,) = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Annulée : Soirée"
    assert "Cette rencontre est annulée." in str(entry["DESCRIPTION"])


def test_the_personal_feed_speaks_its_owners_language(
    db,
    make_user,
    make_group,
    make_event,
    add_member,
):
    group = make_group(make_user(), name="Club")
    lucia = make_user(name="Lucía")
    lucia.locale = "es"
    db.session.commit()
    add_member(group, lucia)
    full = make_event(group, title="Cena", capacity=1)
    answer(full, make_user(name="Bea"))
    answer(full, lucia)  # waitlisted
    with force_locale("en_US"):
        feed = calendars.personal_calendar(lucia, NOW)
    (entry,) = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "En lista de espera: Cena"
