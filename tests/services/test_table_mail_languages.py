"""The table's new mails, read in each shipped language: the host's word to the
people coming (its subject, the when and where, the footer for each answer),
the host told that bring-list claims were let go, the reminder's bring lines,
and the children lines (a party's children; childcare, or adults only). Each in
the reader's language, and no English left in the Spanish or the French."""

from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import Children, Rsvp, RsvpStatus, VenueType
from meetup.services import bring, host_messages, memberships, reminders
from tests import mailbox
from tests.conftest import HOME_ADDRESS, NOW
from tests.scenes import answer

#: What each mail says, by language: (mail, words in its subject or body).
SAID = {
    "en_GB": [
        ("word to ana", "Hana about Book night"),
        ("word to ana", "Hana wrote to the people coming to Book night:"),
        ("word to ana", "When:"),
        ("word to ana", "Where:"),
        ("word to ana", "Children: Childcare in the next room"),
        ("word to ana", "You got this because you're going to Book night."),
        ("word to ana", "Replies to this mail reach no one."),
        ("word to ana", "Reply to this mail to write to Hana."),
        ("word to cat", "You got this because you're on the waitlist for Book night."),
        ("word to dee", "You got this because you asked to come to Book night and "
                        "wait for the host's yes."),
        ("news to hana", "The bring list for Book night has gaps again"),
        ("news to hana", "Bea Smith can't bring Dessert any more."),
        ("news to hana", "Still needed: Dessert ×2"),
        ("news to hana", "See the bring list"),
        ("news to hana", "Bringing 2 children (not counted in the places)."),
        ("reminder to ana", "You said you'd bring: Salad"),
        ("reminder to ana", "Still needed: Dessert"),
        ("going to ana", "Children: Adults only"),
    ],
    "es": [
        ("word to ana", "Hana sobre Book night"),
        ("word to ana", "Hana ha escrito a quienes van a Book night:"),
        ("word to ana", "Cuándo:"),
        ("word to ana", "Dónde:"),
        ("word to ana", "Niños: Cuidado de niños en la habitación de al lado"),
        ("word to ana", "Te llega esto porque vas a Book night."),
        ("word to ana", "Las respuestas a este correo no llegan a nadie."),
        ("word to ana", "Responde a este correo para escribir a Hana."),
        ("word to cat", "Te llega esto porque estás en la lista de espera de Book "
                        "night."),
        ("word to dee", "Te llega esto porque has pedido ir a Book night y esperas "
                        "el sí de quien acoge."),
        ("news to hana", "Vuelve a faltar algo en la lista de Book night"),
        ("news to hana", "Bea Smith ya no puede traer Dessert."),
        ("news to hana", "Todavía falta: Dessert ×2"),
        ("news to hana", "Ver qué hay que traer"),
        ("news to hana", "Con 2 niños (no cuentan en las plazas)."),
        ("reminder to ana", "Dijiste que traerías: Salad"),
        ("reminder to ana", "Todavía falta: Dessert"),
        ("going to ana", "Niños: Solo adultos"),
    ],
    "fr": [
        ("word to ana", "Hana à propos de Book night"),
        ("word to ana", "Hana a écrit aux personnes qui viennent à Book night :"),
        ("word to ana", "Quand :"),
        ("word to ana", "Où :"),
        ("word to ana", "Enfants : Garde d'enfants dans la pièce d'à côté"),
        ("word to ana", "Vous recevez ceci parce que vous venez à Book night."),
        ("word to ana", "Les réponses à cet e-mail n'arrivent à personne."),
        ("word to ana", "Répondez à cet e-mail pour écrire à Hana."),
        ("word to cat", "Vous recevez ceci parce que vous êtes sur la liste "
                        "d'attente pour Book night."),
        ("word to dee", "Vous recevez ceci parce que vous avez demandé à venir à "
                        "Book night et attendez le oui de l'hôte."),
        ("news to hana", "Il manque de nouveau des choses sur la liste de Book "
                         "night"),
        ("news to hana", "Bea Smith ne peut plus apporter Dessert."),
        ("news to hana", "Encore à trouver : Dessert ×2"),
        ("news to hana", "Voir la liste de ce qu'on apporte"),
        ("news to hana", "Avec 2 enfants (non comptés dans les places)."),
        ("reminder to ana", "Vous avez dit que vous apporteriez : Salad"),
        ("reminder to ana", "Encore à trouver : Dessert"),
        ("going to ana", "Enfants : Adultes seulement"),
    ],
}  # fmt: skip

#: The English of those parts, which a Spanish or French mail never shows.
ENGLISH = ("about Book night", "wrote to", "people coming", "You got this",
           "this mail", "reach no one", "bring list", "gaps again", "can't bring",
           "any more", "Still needed", "said you'd", "Bringing", "children",
           "not counted", "Childcare", "next room", "Adults only", "Children",
           "When:", "Where:", "host's yes", "waitlist")  # fmt: skip

#: Which mail each name means: (kind, to).
MAILS = {
    "word to ana": ("host-message", "ana"),
    "word to cat": ("host-message", "cat"),
    "word to dee": ("host-message", "dee"),
    "news to hana": ("host-news", "hana"),
    "reminder to ana": ("reminder", "ana"),
    "going to ana": ("rsvp-going", "ana"),
}


def read(kind: str, name: str) -> str:
    """Every mail of that kind to her, subjects and bodies, on one line."""
    return " ".join(
        " ".join(f"{message['Subject']}\n{mailbox.text(message)}".split())
        for message in mailbox.queued(f"{name}@example.org", kind=kind)
    )


@pytest.fixture
def table(make_user, make_group, add_member, make_event):
    """Book night at Hana's home, childcare next door, three places and a bring
    list, everyone reading `locale`: Ana (with two children) and Bea are going
    and claim, Cat is waitlisted, Dee waits for a yes; Hana writes twice (the
    second to all three answers, replies to her), reminders go, and Bea says
    no, letting her Dessert go. Then Supper, for adults only: Ana goes."""

    def make(locale: str) -> None:
        olga = make_user(name="Olga Petrova", email="olga@example.org")
        group = make_group(olga, name="Book Circle", area="Leith, Edinburgh")
        people = {}
        for name in ("hana", "ana", "bea", "cat", "dee"):
            people[name] = make_user(
                name=f"{name.title()} Smith", email=f"{name}@example.org"
            )
            add_member(group, people[name])
        for user in (olga, *people.values()):
            user.locale = locale
        db.session.commit()
        event = make_event(
            group, host_id=people["hana"].id, title="Book night",
            venue_type=VenueType.HOME, address=HOME_ADDRESS, area="Leith",
            capacity=3, bring_list="Salad\nDessert ×2", children=Children.CHILDCARE,
        )  # fmt: skip
        answer(event, people["ana"], children=2)
        answer(event, people["bea"])
        answer(event, people["cat"])  # full: waitlisted
        db.session.add(
            Rsvp(event=event, user=people["dee"], status=RsvpStatus.REQUESTED,
                 requested_at=NOW, responded_at=NOW)
        )  # fmt: skip
        bring.claim(people["ana"], event, "Salad", "", NOW)
        bring.claim(people["bea"], event, "Dessert", "", NOW)
        db.session.commit()
        hana = memberships.membership_of(people["hana"], group)
        for body, everyone, reply in (("Bring your book!", False, False),
                                      ("See you soon!", True, True)):  # fmt: skip
            host_messages.send(
                hana, event, people["hana"], body, True, everyone, everyone, reply,
                NOW,
            )  # fmt: skip
            db.session.commit()
        reminders.send_reminders(event.starts_at - timedelta(hours=20))
        db.session.commit()
        answer(event, people["bea"], going=False, now=NOW + timedelta(minutes=5))
        supper = make_event(group, title="Supper", children=Children.ADULTS_ONLY)
        answer(supper, people["ana"])

    return make


@pytest.mark.parametrize("locale", sorted(SAID))
def test_each_new_mail_of_the_table_speaks_the_readers_language(locale, table):
    table(locale)
    for mail, words in SAID[locale]:
        text = read(*MAILS[mail])
        assert words in text, (locale, mail, words, text[:800])


@pytest.mark.parametrize("locale", ["es", "fr"])
def test_no_english_is_left_in_the_spanish_or_french_mails(locale, table):
    table(locale)
    for mail in MAILS:
        text = read(*MAILS[mail])
        assert text, (locale, mail)
        left = [words for words in ENGLISH if words in text]
        assert not left, (locale, mail, left, text[:800])
