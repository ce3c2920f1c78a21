"""Every mail of asking the host, read in each shipped language: the request,
the yes (going and waitlisted), the kind no, the lapse, the host's reminder,
and the party passed over. Each in the reader's language, never the sender's."""

from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import Admission, VenueType
from meetup.services import approvals, memberships
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW
from tests.scenes import answer

#: What each mail says, by language: (kind, words in its subject or body).
SAID = {
    "es": [
        ("rsvp-requested", "Pediste ir: Book night"),
        ("rsvp-requested", "Esperando a que Maria diga que sí"),
        ("rsvp-approved", "Tienes plaza: Book night"),
        ("rsvp-approved", "Estás en la lista de espera: Book night"),
        ("rsvp-declined-by-host", "Sobre tu solicitud: Book night"),
        ("rsvp-declined-by-host", "Unas palabras de quien acoge: «¡Otra vez!»"),
        ("rsvp-request-lapsed", "Tu solicitud ha caducado: Lapsed night"),
        ("requests-waiting", "3 personas esperan tu respuesta: Book night"),
        ("passed-over", "Se han liberado 2 plazas; tu grupo de 3 personas es el "
                        "primero de la lista de espera para las próximas plazas."),
    ],
    "fr": [
        ("rsvp-requested", "Vous avez demandé à venir : Book night"),
        ("rsvp-requested", "En attente du oui de Maria"),
        ("rsvp-approved", "Vous avez une place : Book night"),
        ("rsvp-approved", "Vous êtes sur la liste d'attente : Book night"),
        ("rsvp-declined-by-host", "À propos de votre demande : Book night"),
        ("rsvp-declined-by-host", "Un mot de l'hôte : « ¡Otra vez! »"),
        ("rsvp-request-lapsed", "Votre demande a expiré : Lapsed night"),
        ("requests-waiting", "3 personnes attendent votre réponse : Book night"),
        ("passed-over", "2 places se sont libérées ; votre groupe de 3 personnes "
                        "est le premier de la liste d'attente pour les prochaines "
                        "places."),
    ],
}  # fmt: skip


def read(kind: str, to: str) -> str:
    return (
        "\n".join(
            f"{message['Subject']}\n{mailbox.text(message)}"
            for message in mailbox.queued(to, kind=kind)
        )
        .replace("\r\n", " ")
        .replace("\n", " ")
    )


@pytest.mark.parametrize("locale", sorted(SAID))
def test_each_mail_of_asking_speaks_the_readers_language(
    locale, make_user, make_group, add_member, make_event
):
    maria = make_user(name="Maria")
    maria.locale = locale
    group = make_group(maria, name="Book Circle")
    people = [add_member(group, make_user(name=n)).user for n in ("Ana", "Bea", "Cat")]
    for person in people:
        person.locale = locale
    db.session.commit()
    ana, bea, cat = people
    home = make_event(
        group, title="Book night", host_id=maria.id, venue_type=VenueType.HOME,
        address=HOME_ADDRESS, capacity=4, max_guests=2, admission=Admission.EACH,
    )  # fmt: skip
    host = memberships.membership_of(maria, group)
    asked = [answer(home, p, guests=g) for p, g in ((ana, 1), (bea, 2), (cat, 0))]
    approvals.remind_hosts(NOW + timedelta(hours=25))  # 3 waiting: a plural
    approvals.approve(host, asked[0], NOW)  # Ana and her guest: going (3 of 4)
    approvals.approve(host, asked[1], NOW)  # Bea's 3 don't fit: waitlisted
    approvals.decline(host, asked[2], "¡Otra vez!", NOW)
    answer(home, ana, guests=0)  # 2 free; Bea's 3 still don't fit
    second = make_event(group, title="Lapsed night", host_id=maria.id,
                        admission=Admission.EACH,
                        rsvp_deadline_at=NOW + timedelta(days=1))  # fmt: skip
    answer(second, ana)
    approvals.expire_requests(NOW + timedelta(days=1))
    db.session.commit()
    # Dee asks and is let in: her 1 fits in the 2 free, past Bea's 3.
    dee = add_member(group, make_user(name="Dee")).user
    dee.locale = locale
    db.session.commit()
    approvals.approve(host, answer(home, dee), NOW)
    db.session.commit()
    addresses = {"rsvp-requested": ana, "rsvp-approved": None,
                 "rsvp-declined-by-host": cat, "rsvp-request-lapsed": ana,
                 "requests-waiting": maria, "passed-over": bea}  # fmt: skip
    for kind, words in SAID[locale]:
        to = addresses[kind]
        text = read(kind, to.email) if to else read(kind, None)
        assert words in text, (locale, kind, words, text[:600])
        assert "Waiting for" not in text and "You're" not in text  # no English
