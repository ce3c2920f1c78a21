"""What hosts and organisers hear of answers at their gatherings: each answer
by mail, a daily digest, or nothing; never the answerer, never a street."""

from datetime import timedelta

import pytest

from meetup.extensions import db
from meetup.models import (
    Admission,
    EventState,
    Happening,
    HappeningKind,
    HostNews,
    Role,
    RsvpStatus,
    User,
    VenueType,
)
from meetup.services import (
    accounts,
    approvals,
    groups,
    host_digest,
    host_news,
    memberships,
    notices,
    rsvps,
)
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, organiser_of

STREET = "7 Zqxcanary Wynd"
NOTES = "Zqxcanary door code 4417"
NEWS = ("host-news", "host-digest")


@pytest.fixture
def people(make_user, make_group, add_member):
    olga = make_user(name="Olga", email="olga@example.org")
    group = make_group(olga, name="Book Circle", area="Leith, Edinburgh")
    found = {"olga": olga, "group": group}
    for name, role in (
        ("cora", Role.CO_ORGANISER),
        ("hana", Role.MEMBER),
        ("fiona", Role.MEMBER),
        ("bea", Role.MEMBER),
        ("mo", Role.MEMBER),
    ):
        user = make_user(name=name.title(), email=f"{name}@example.org")
        add_member(group, user, role)
        found[name] = user
    return found


@pytest.fixture
def book_night(people, make_event):
    """At Hana's: 3 places (Hana takes one), a guest each."""
    return make_event(
        people["group"],
        host_id=people["hana"].id,
        title="Book night",
        venue_type=VenueType.HOME,
        venue_name="Hana's flat",
        address=STREET,
        area="Leith, Edinburgh",
        access_notes=NOTES,
        capacity=3,
        max_guests=1,
    )


def words(message) -> str:
    """The plain text as read (mail lines end in CRLF)."""
    return mailbox.text(message).replace("\r\n", "\n")


def news_to(name: str, kind: str = "host-news"):
    return mailbox.queued(f"{name}@example.org", kind=kind)


def listeners_of(subject: str) -> set[str]:
    return {
        message["To"].addresses[0].username
        for message in mailbox.queued(kind="host-news")
        if message["Subject"] == subject
    }


def no_place_in(message) -> None:
    raw = message.as_bytes().decode(errors="replace")
    assert "Zqxcanary" not in raw
    assert "Hana's flat" not in raw  # names and counts only: no place at all


def test_the_hosts_own_seat_is_news_to_nobody(book_night):
    assert mailbox.queued(kind="host-news") == []


def test_a_yes_reaches_the_host_and_the_organisers_but_not_the_answerer(
    book_night, people
):
    answer(book_night, people["fiona"], guests=1)
    assert listeners_of("Fiona is going to Book night") == {"olga", "cora", "hana"}
    assert news_to("fiona") == [] and news_to("mo") == [] and news_to("bea") == []
    [mail] = news_to("hana")
    text = words(mail)
    assert "Hello Hana," in text
    assert "Fiona is going, with 1 guest. It's full." in text
    assert f"/events/{book_night.id}/attendees" in text
    assert "Book Circle" in text
    assert mail["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/unsubscribe/")
    assert "on your profile (http://127.0.0.1:5000/me/profile)" in text
    for message in mailbox.queued(kind="host-news"):
        no_place_in(message)


def test_each_kind_of_news_reads_right(book_night, people):
    answer(book_night, people["fiona"])
    [going] = news_to("olga")
    assert "Fiona is going. 1 place left." in words(going)
    answer(book_night, people["bea"], guests=1)
    waiting = news_to("olga")[-1]
    assert waiting["Subject"] == "Bea is on the waitlist for Book night"
    assert "Bea is on the waitlist, with 1 guest. 1 place left. 1 on the waitlist." in (
        words(waiting)
    )
    answer(book_night, people["fiona"], going=False)  # Bea's party of 2 fits now
    subjects = [mail["Subject"] for mail in news_to("cora")]
    assert subjects[-2:] == [
        "Bea got a place at Book night",
        "Fiona can't come to Book night",
    ]
    promoted, dropped = news_to("cora")[-2:]
    assert "Bea got a place from the waitlist, with 1 guest. It's full." in (
        words(promoted)
    )
    assert "Fiona can't come any more. It's full." in words(dropped)
    assert listeners_of("Bea got a place at Book night") == {"olga", "cora", "hana"}
    for message in mailbox.queued(kind="host-news"):
        no_place_in(message)


def test_a_request_asks_the_host_to_say_yes_on_the_guest_list(book_night, people):
    # The approval flow sets REQUESTED and tells notices.answered, as here.
    rsvp = answer(book_night, people["fiona"], guests=1, answer="Soup!")
    rsvp.status = RsvpStatus.REQUESTED
    notices.answered(rsvp, RsvpStatus.DECLINED, NOW)
    [asked] = [m for m in news_to("hana") if "asks" in m["Subject"]]
    assert asked["Subject"] == "Fiona asks to come to Book night"
    text = words(asked)
    assert "Fiona asks to come, with 1 guest." in text
    assert "They wrote: “Soup!”" in text
    assert (
        f"Say yes or no:\nhttp://127.0.0.1:5000/events/{book_night.id}/attendees"
        in (text)
    )
    assert listeners_of("Fiona asks to come to Book night") == {"olga", "cora", "hana"}
    no_place_in(asked)


@pytest.mark.parametrize(
    ("before", "now", "kind"),
    [
        (None, RsvpStatus.GOING, HappeningKind.GOING),
        (RsvpStatus.DECLINED, RsvpStatus.GOING, HappeningKind.GOING),
        (RsvpStatus.REQUESTED, RsvpStatus.GOING, HappeningKind.GOING),
        (RsvpStatus.WAITLISTED, RsvpStatus.GOING, None),  # told as a promotion
        (RsvpStatus.GOING, RsvpStatus.GOING, None),  # guests changed
        (None, RsvpStatus.WAITLISTED, HappeningKind.WAITLISTED),
        (None, RsvpStatus.REQUESTED, HappeningKind.REQUESTED),
        (RsvpStatus.GOING, RsvpStatus.DECLINED, HappeningKind.DROPPED_OUT),
        (RsvpStatus.WAITLISTED, RsvpStatus.DECLINED, HappeningKind.DROPPED_OUT),
        (RsvpStatus.REQUESTED, RsvpStatus.DECLINED, HappeningKind.DROPPED_OUT),
        (None, RsvpStatus.DECLINED, None),  # a no from the start is no news
        (RsvpStatus.DECLINED, RsvpStatus.DECLINED, None),
    ],
)
def test_which_answers_are_news(before, now, kind):
    assert host_news.kind_of(before, now) is kind


def test_those_who_chose_nothing_hear_nothing(book_night, people):
    for name in ("olga", "cora", "hana"):
        accounts.set_host_news(people[name], HostNews.NONE, NOW)
    answer(book_night, people["fiona"])
    answer(book_night, people["fiona"], going=False)
    assert mailbox.queued(kind="host-news") == []
    assert db.session.scalars(db.select(Happening)).all() == []


def test_organisers_taking_someone_off_is_not_news(book_night, people):
    rsvp = answer(book_night, people["fiona"])
    before = len(mailbox.queued(kind="host-news"))
    rsvps.remove_attendee(organiser_of(people["group"]), rsvp, NOW)
    db.session.commit()
    assert len(mailbox.queued(kind="host-news")) == before


def test_a_host_who_left_the_group_hears_nothing(book_night, people):
    groups.leave(memberships.membership_of(people["hana"], people["group"]), NOW)
    db.session.commit()
    answer(book_night, people["fiona"])
    assert news_to("hana") == []
    assert listeners_of("Fiona is going to Book night") == {"olga", "cora"}


def test_no_news_of_a_gathering_not_told_or_already_begun(book_night, people):
    rsvp = answer(book_night, people["fiona"])
    before = len(mailbox.queued(kind="host-news"))
    host_news.heard(rsvp, HappeningKind.GOING, book_night.starts_at)
    book_night.state = EventState.DRAFT
    host_news.heard(rsvp, HappeningKind.GOING, NOW)
    assert len(mailbox.queued(kind="host-news")) == before


def daily(people, *names):
    for name in names:
        accounts.set_host_news(people[name], HostNews.DAILY, NOW)
    db.session.commit()


def test_a_daily_digest_tells_what_happened_once(book_night, people):
    daily(people, "olga")
    answer(book_night, people["fiona"], guests=1, now=NOW + timedelta(hours=1))
    answer(book_night, people["bea"], now=NOW + timedelta(hours=2))
    assert news_to("olga") == []  # nothing one by one
    assert host_digest.send_digests(NOW + timedelta(hours=23)) == 0  # not yet a day
    assert host_digest.send_digests(NOW + timedelta(hours=24)) == 1
    assert host_digest.send_digests(NOW + timedelta(hours=24)) == 0  # run twice
    db.session.commit()
    [digest] = news_to("olga", "host-digest")
    assert digest["Subject"] == "What happened at your gatherings"
    assert digest["List-Unsubscribe"]
    text = words(digest)
    assert "Hello Olga," in text
    assert "Book night · " in text
    assert (
        "• Fiona is going, with 1 guest.\n• Bea is on the waitlist.\n"
        "It's full. 1 on the waitlist."
    ) in text
    assert f"Who's coming: http://127.0.0.1:5000/events/{book_night.id}/attendees" in (
        text
    )
    for part in (text, mailbox.html(digest)):
        assert "Zqxcanary" not in part
    no_place_in(digest)
    # The others chose each time, and heard each time; nobody else has a digest.
    assert len(news_to("cora")) == 2
    assert len(mailbox.queued(kind="host-digest")) == 1


def test_no_digest_when_nothing_happened_and_the_next_is_a_day_on(book_night, people):
    daily(people, "olga")
    assert host_digest.send_digests(NOW + timedelta(hours=25)) == 0
    db.session.commit()
    assert db.session.get(User, people["olga"].id).host_digest_at == NOW + timedelta(
        hours=25
    )
    answer(book_night, people["fiona"], now=NOW + timedelta(hours=26))
    assert host_digest.send_digests(NOW + timedelta(hours=30)) == 0  # not a day yet
    assert host_digest.send_digests(NOW + timedelta(hours=49)) == 1
    [digest] = news_to("olga", "host-digest")
    assert "• Fiona is going." in words(digest)


def test_a_digest_leaves_out_her_own_answers_and_others_gatherings(
    book_night, people, make_group, make_event, make_user
):
    zed = make_user(name="Zed", email="zed@example.org")
    people["zed"] = zed
    daily(people, "hana", "fiona", "zed")
    elsewhere = make_event(make_group(zed, name="Chess"), title="Chess night")
    for name in ("bea", "hana"):
        answer(elsewhere, people[name], now=NOW + timedelta(hours=1))
    answer(book_night, people["hana"], going=False, now=NOW + timedelta(hours=1))
    answer(book_night, people["fiona"], now=NOW + timedelta(hours=1))
    assert host_digest.send_digests(NOW + timedelta(hours=24)) == 2  # Hana, Zed
    assert host_digest.send_digests(NOW + timedelta(hours=24)) == 0
    [chess] = news_to("zed", "host-digest")
    assert "• Bea is going.\n• Hana is going." in words(chess)
    assert "Book night" not in words(chess)
    [digest] = news_to("hana", "host-digest")
    assert "• Fiona is going." in words(digest)
    assert "Chess" not in words(digest) and "Hana" not in words(digest).replace(
        "Hello Hana,", ""
    )
    assert news_to("fiona", "host-digest") == []  # she answered; she hosts nothing


def test_two_runs_at_once_send_one_digest(book_night, people):
    daily(people, "olga")
    answer(book_night, people["fiona"], now=NOW + timedelta(hours=1))
    olga = people["olga"]
    assert host_digest.send_digests(NOW + timedelta(hours=24)) == 1
    olga.host_digest_at = NOW  # a second worker read the row before the first wrote
    assert host_digest.send_digests(NOW + timedelta(hours=24, minutes=1)) == 0
    assert len(news_to("olga", "host-digest")) == 1


def test_old_happenings_are_forgotten(book_night, people):
    daily(people, "olga")
    answer(book_night, people["fiona"], now=NOW - timedelta(days=15))
    answer(book_night, people["bea"], now=NOW)
    host_digest.send_digests(NOW + timedelta(hours=1))
    left = db.session.scalars(db.select(Happening)).all()
    assert [happening.user_id for happening in left] == [people["bea"].id]


def test_send_reminders_says_how_many_digests(app, book_night):
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "Hosts' daily digests queued: 0." in result.output, result.output


def test_an_organiser_answering_is_news_to_the_others_not_to_her(book_night, people):
    answer(book_night, people["cora"])
    assert listeners_of("Cora is going to Book night") == {"olga", "hana"}


@pytest.mark.parametrize("change", ["draft", "cancelled", "begun"])
def test_a_digest_says_nothing_of_a_gathering_no_longer_told(
    book_night, people, change
):
    daily(people, "olga")
    answer(book_night, people["fiona"], now=NOW + timedelta(hours=1))
    at = NOW + timedelta(hours=24)
    if change == "draft":
        book_night.state = EventState.DRAFT
    elif change == "cancelled":
        book_night.cancelled_at = NOW + timedelta(hours=2)
    else:
        at = book_night.starts_at + timedelta(minutes=1)
    db.session.flush()
    assert host_digest.send_digests(at) == 0


def test_a_yes_to_a_request_is_news_for_the_others_not_for_who_said_it(
    make_user, make_group, add_member, make_event
):
    maria = make_user(name="Maria")
    group = make_group(maria, name="Book Circle")
    cora = add_member(group, make_user(name="Cora"), Role.CO_ORGANISER).user
    ana = add_member(group, make_user(name="Ana")).user
    event = make_event(group, title="Book night", host_id=maria.id,
                       admission=Admission.EACH)  # fmt: skip
    rsvp = answer(event, ana)
    sent_before = {m["Message-ID"] for m in mailbox.queued(kind="host-news")}
    approvals.approve(memberships.membership_of(maria, group), rsvp, NOW)
    db.session.commit()
    news = [m for m in mailbox.queued(kind="host-news")
            if m["Message-ID"] not in sent_before]  # fmt: skip
    assert [str(m["To"]).split("<")[-1].rstrip(">") for m in news] == [cora.email]
    assert str(news[0]["Subject"]) == "Ana is going to Book night"


#: Each mail of host news, read in each shipped language: (kind, words).
SAID = {
    "es": [("host-news", "Fiona va a Book night"),
           ("host-news", "Fiona va, con 1 invitado."),
           ("host-news", "Bea pide ir a Book night"),
           ("host-news", "Fiona no puede ir a Book night"),
           ("host-digest", "Lo que ha pasado en tus encuentros"),
           ("host-digest", "Desde tu último resumen, en los encuentros que acoges u "
                           "organizas:")],
    "fr": [("host-news", "Fiona vient à Book night"),
           ("host-news", "Fiona vient, avec 1 invité."),
           ("host-news", "Bea demande à venir à Book night"),
           ("host-news", "Fiona ne peut pas venir à Book night"),
           ("host-digest", "Ce qui s'est passé à vos rencontres"),
           ("host-digest", "Depuis votre dernier récapitulatif, aux rencontres que "
                           "vous accueillez ou organisez :")],
}  # fmt: skip


@pytest.mark.parametrize("locale", sorted(SAID))
def test_host_news_speaks_each_readers_language(locale, book_night, people):
    for name in ("olga", "cora"):
        people[name].locale = locale
    daily(people, "olga")  # Olga reads the digest, Cora each mail
    answer(book_night, people["fiona"], guests=1, now=NOW + timedelta(hours=1))
    answer(book_night, people["fiona"], going=False, now=NOW + timedelta(hours=2))
    book_night.admission = Admission.EACH  # then Hana asks to approve each
    db.session.commit()
    answer(book_night, people["bea"], now=NOW + timedelta(hours=3))
    host_digest.send_digests(NOW + timedelta(hours=24))
    db.session.commit()
    read = {
        kind: " ".join(
            f"{message['Subject']} {words(message)}".replace("\n", " ")
            for message in news_to("cora" if kind == "host-news" else "olga", kind)
        )
        for kind in NEWS
    }
    for kind, said in SAID[locale]:
        assert said in read[kind], (locale, kind, said, read[kind][:400])
    assert (
        "is going" not in read["host-news"]
        and "What happened" not in read["host-digest"]
    )
