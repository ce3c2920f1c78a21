"""The bring list: reading it, claiming under the seats' lock, letting claims
go when someone stops going, the host told at most hourly, edits that keep
every claim."""

from datetime import timedelta

import pytest

from meetup.errors import InvalidInput, NoRoom, NotAllowed, NotFound
from meetup.extensions import db
from meetup.models import (
    BringClaim,
    Happening,
    HappeningKind,
    HostNews,
    Rsvp,
    VenueType,
)
from meetup.services import (
    blocking,
    bring,
    bring_lists,
    bring_news,
    events,
    groups,
    host_digest,
    memberships,
    rsvps,
    series,
)
from meetup.services.bring_lists import Line
from tests import mailbox
from tests.conftest import NOW
from tests.scenes import answer, edited, organiser_of

LIST = "Main dish ×2\nSalad\nDessert ×2\nDrinks\nIce"


# --- reading the list ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Dessert ×2", [Line("Dessert", 2)]),
        ("Dessert x2", [Line("Dessert", 2)]),
        ("Dessert X 2", [Line("Dessert", 2)]),
        ("Dessert *2", [Line("Dessert", 2)]),
        ("Dessert×2", [Line("Dessert", 2)]),
        ("2 × Dessert", [Line("Dessert", 2)]),
        ("2x Dessert", [Line("Dessert", 2)]),
        ("2* Dessert", [Line("Dessert", 2)]),
        ("Dessert", [Line("Dessert", 1)]),
        ("  Big   salad  ", [Line("Big salad", 1)]),
        ("- Ice\n• Cups ×3", [Line("Ice", 1), Line("Cups", 3)]),
        ("Salad\n\n\nIce\n", [Line("Salad", 1), Line("Ice", 1)]),
        ("Dessert\ndessert ×2", [Line("Dessert", 3)]),  # the same thing: merged
        ("Saxophone", [Line("Saxophone", 1)]),  # an x in a word is no quantity
        ("Sax 2", [Line("Sax 2", 1)]),
        ("7up", [Line("7up", 1)]),
        ("", []),
    ],
)
def test_a_list_reads_as_things_and_quantities(text, lines):
    bring_lists.check(text)
    assert bring_lists.read(text) == lines


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Dessert ×0", "ask for 1 to 20"),
        ("Dessert ×21", "ask for 1 to 20"),
        ("Dessert ×15\nDessert ×6", "ask for 1 to 20"),
        ("×2", "needs a thing"),
        ("x" * 81, "too long"),
        ("\n".join(f"Thing {n}" for n in range(31)), "30 things at most"),
    ],
)
def test_a_list_out_of_shape_is_refused_by_the_field(text, said):
    with pytest.raises(InvalidInput) as refused:
        bring_lists.check(text)
    assert refused.value.field == "bring_list"
    assert said in str(refused.value)


def test_a_stored_list_out_of_shape_is_read_as_best_it_can_be():
    assert bring_lists.read("Dessert ×99\n" + "y" * 90) == [
        Line("Dessert", 20),
        Line("y" * 80, 1),
    ]


# --- claiming -----------------------------------------------------------------


@pytest.fixture
def party(make_user, make_group, add_member, make_event):
    """Olga organises; Hana hosts at home (3 places); Fiona and Bea are going,
    Mo is waitlisted, Rae asked and waits, Nell said no, Sam is no member."""
    olga = make_user(name="Olga Organiser", email="olga@example.org")
    group = make_group(olga, name="Book Circle", area="Leith, Edinburgh")
    people = {"olga": olga, "group": group}
    for name in ("hana", "fiona", "bea", "mo", "rae", "nell"):
        people[name] = make_user(
            name=f"{name.title()} Smith", email=f"{name}@example.org"
        )
        add_member(group, people[name])
    people["sam"] = make_user(name="Sam", email="sam@example.org")
    event = make_event(
        group, host_id=people["hana"].id, title="Book night",
        venue_type=VenueType.HOME, venue_name="Hana's flat",
        address="7 Zqxcanary Wynd", area="Leith", capacity=3, bring_list=LIST,
    )  # fmt: skip
    answer(event, people["fiona"])
    answer(event, people["bea"])
    answer(event, people["mo"])  # full: waitlisted
    answer(event, people["nell"], going=False)
    event.admission = event.admission.EACH
    answer(event, people["rae"])  # requested
    people["event"] = event
    return people


def claims_of(event) -> list[tuple[str, str]]:
    return [(c.rsvp.user.display_name, c.thing) for c in bring_lists.claims(event)]


def test_a_going_member_claims_a_unit_with_a_note(party):
    event = party["event"]
    made = bring.claim(party["fiona"], event, "dessert", "Lemon tart", NOW)
    assert (made.thing, made.note, made.is_own) == ("Dessert", "Lemon tart", False)
    assert bring_lists.gaps(event)[2] == Line("Dessert", 1)


def test_a_second_tap_is_a_no_op(party):
    event = party["event"]
    first = bring.claim(party["fiona"], event, "Dessert", "", NOW)
    again = bring.claim(party["fiona"], event, "Dessert", "other", NOW)
    assert again.id == first.id
    assert claims_of(event) == [("Fiona Smith", "Dessert")]


def test_the_last_unit_is_never_taken_twice(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Salad", "", NOW)
    with pytest.raises(NoRoom, match="Someone else brings the last Salad"):
        bring.claim(party["bea"], event, "Salad", "", NOW)
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    bring.claim(party["bea"], event, "Dessert", "", NOW)
    with pytest.raises(NoRoom):
        bring.claim(party["hana"], event, "Dessert", "", NOW)


@pytest.mark.parametrize(
    ("who", "said"),
    [
        ("mo", "waitlist"),
        ("rae", "host says yes"),
        ("nell", "Say you're coming"),
        ("sam", "Members who are going"),
    ],
)
def test_only_going_members_claim(party, who, said):
    with pytest.raises(NotAllowed, match=said):
        bring.claim(party[who], party["event"], "Salad", "", NOW)
    with pytest.raises(NotAllowed):
        bring.add_own(party[who], party["event"], "Crisps", "", NOW)
    assert bring_lists.claims(party["event"]) == []


def test_a_blocked_person_claims_nothing(party):
    blocking.block(organiser_of(party["group"]), party["fiona"], party["group"], NOW)
    with pytest.raises(NotAllowed):
        bring.claim(party["fiona"], party["event"], "Salad", "", NOW)


def test_a_thing_not_on_the_list_is_not_claimed(party):
    with pytest.raises(NotFound):
        bring.claim(party["fiona"], party["event"], "Caviar", "", NOW)


def test_cancelled_over_and_draft_gatherings_refuse_claims(party, make_event):
    event = party["event"]
    with pytest.raises(NotAllowed, match="over"):
        bring.claim(party["fiona"], event, "Salad", "", event.ends_at)
    events.cancel_event(organiser_of(party["group"]), event, "", NOW)
    with pytest.raises(NotAllowed, match="cancelled"):
        bring.claim(party["fiona"], event, "Salad", "", NOW)
    draft = events.create_event(
        organiser_of(party["group"]), party["group"],
        edited(event, bring_list="Salad"), NOW, draft=True,
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="opens"):
        bring.claim(party["olga"], draft, "Salad", "", NOW)


def test_unclaim_frees_the_unit(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Salad", "", NOW)
    bring.unclaim(party["fiona"], event, "salad", NOW)
    bring.unclaim(party["fiona"], event, "salad", NOW)  # nothing left: a no-op
    bring.claim(party["bea"], event, "Salad", "", NOW)
    assert claims_of(event) == [("Bea Smith", "Salad")]


def test_something_else_is_her_own_thing(party):
    event = party["event"]
    own = bring.add_own(party["fiona"], event, "  Fruit   salad ", "", NOW)
    assert (own.thing, own.is_own) == ("Fruit salad", True)
    assert bring.add_own(party["fiona"], event, "fruit salad", "", NOW).id == own.id
    listed = bring.add_own(party["bea"], event, "ice", "", NOW)  # on the list
    assert (listed.thing, listed.is_own) == ("Ice", False)
    bring.add_own(party["fiona"], event, "Crisps", "", NOW)
    bring.add_own(party["fiona"], event, "Napkins", "", NOW)
    with pytest.raises(NotAllowed, match="3 things of your own"):
        bring.add_own(party["fiona"], event, "Candles", "", NOW)
    with pytest.raises(InvalidInput):
        bring.add_own(party["fiona"], event, "   ", "", NOW)


def test_a_claim_touches_her_answer_for_her_feed(party):
    event = party["event"]
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=party["fiona"].id))
    later = NOW + timedelta(minutes=5)
    bring.claim(party["fiona"], event, "Salad", "", later)
    db.session.refresh(rsvp)
    assert rsvp.updated_at == later
    assert bring_lists.brings(rsvp) == "Salad"


# --- letting go ---------------------------------------------------------------


def host_news_to(name):
    return [
        m for m in mailbox.queued(f"{name}@example.org", kind="host-news")
        if "bring list" in m["Subject"]
    ]  # fmt: skip


def test_saying_no_lets_her_claims_go_and_tells_the_host(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    bring.add_own(party["fiona"], event, "Crisps", "", NOW)
    answer(event, party["fiona"], going=False)
    assert bring_lists.claims(event) == []
    kept = db.session.scalars(
        db.select(Happening.thing).filter_by(kind=HappeningKind.LET_GO)
    ).all()
    assert sorted(kept) == ["Crisps", "Dessert"]
    [mail] = host_news_to("hana")
    text = mailbox.text(mail).replace("\r\n", "\n")
    assert mail["Subject"] == "The bring list for Book night has gaps again"
    assert "Fiona Smith can't bring Dessert any more." in text
    assert "Still needed: Main dish ×2, Salad, Dessert ×2, Drinks, Ice" in text
    assert "Zqxcanary" not in mail.as_string()
    assert host_news_to("fiona") == []


def test_the_host_hears_at_most_once_an_hour_and_nothing_is_lost(party, app):
    event = party["event"]
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    bring.claim(party["bea"], event, "Salad", "", NOW)
    answer(event, party["fiona"], going=False, now=NOW)
    answer(event, party["bea"], going=False, now=NOW + timedelta(minutes=10))
    assert len(host_news_to("hana")) == 1
    assert bring_news.send_due(NOW + timedelta(minutes=59)) == 0
    assert bring_news.send_due(NOW + timedelta(hours=1)) == 1
    assert bring_news.send_due(NOW + timedelta(hours=1, minutes=1)) == 0
    first, second = host_news_to("hana")
    assert "Bea Smith can't bring Salad" in mailbox.text(second)
    assert "Fiona" not in mailbox.text(second)


def test_removal_leaving_and_blocking_let_claims_go(party):
    event, group = party["event"], party["group"]
    for name in ("fiona", "bea"):
        bring.claim(party[name], event, "Dessert", "", NOW)
    rsvp = db.session.scalar(db.select(Rsvp).filter_by(user_id=party["fiona"].id))
    rsvps.remove_attendee(organiser_of(group), rsvp, NOW)
    assert claims_of(event) == [("Bea Smith", "Dessert")]
    bring.claim(party["mo"], event, "Salad", "", NOW)  # promoted into Fiona's place
    groups.leave(memberships.membership_of(party["mo"], group), NOW)
    assert claims_of(event) == [("Bea Smith", "Dessert")]
    blocking.block(organiser_of(group), party["bea"], group, NOW)
    assert bring_lists.claims(event) == []


def test_daily_listeners_read_it_in_the_digest(party):
    event = party["event"]
    party["hana"].host_news = HostNews.DAILY
    db.session.commit()
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    answer(event, party["fiona"], going=False)
    assert host_news_to("hana") == []
    host_digest.send_digests(NOW + timedelta(hours=1))
    [digest] = mailbox.queued("hana@example.org", kind="host-digest")
    assert "Fiona Smith can't bring Dessert any more." in mailbox.text(digest)


def test_deleting_her_answer_takes_her_claims(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    db.session.delete(
        db.session.scalar(db.select(Rsvp).filter_by(user_id=party["fiona"].id))
    )
    db.session.flush()
    db.session.expire_all()
    assert db.session.scalars(db.select(BringClaim)).all() == []


# --- editing the list ---------------------------------------------------------


def test_an_edit_may_not_drop_or_lower_a_claimed_thing(party):
    event, organiser = party["event"], organiser_of(party["group"])
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    bring.claim(party["bea"], event, "Dessert", "", NOW)
    db.session.commit()
    for text in ("Salad", "Dessert ×1\nSalad"):
        with pytest.raises(InvalidInput) as refused:
            events.update_event(organiser, event, edited(event, bring_list=text), NOW)
        assert str(refused.value) == "2 people bring Dessert: keep at least 2."
        db.session.rollback()
    events.update_event(
        organiser, event, edited(event, bring_list="dessert ×2\nCake"), NOW
    )
    assert event.bring_list == "dessert ×2\nCake"


def test_a_series_change_keeps_each_dates_claimed_units(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Dessert", "", NOW)
    bring.claim(party["bea"], event, "Salad", "", NOW)
    kept = bring_lists.kept_claims(event, "Dessert\nCake", refuse=False)
    assert bring_lists.read(kept) == [
        Line("Dessert", 1),
        Line("Cake", 1),
        Line("Salad", 1),
    ]
    assert bring_lists.kept_claims(event, "Salad\nDessert ×3", refuse=False) == (
        "Salad\nDessert ×3"
    )


def test_a_series_date_follows_the_series_but_keeps_claims(
    make_user, make_group, add_member
):
    olga = make_user(name="Olga")
    group = make_group(olga)
    fiona = make_user(name="Fiona")
    add_member(group, fiona)
    made = series.create_series(
        organiser_of(group), group,
        series.SeriesDetails(
            title="Book night", rule=series.Rule.WEEKLY, weekday=NOW.weekday(),
            starts_on=(NOW + timedelta(days=2)).date(),
            start_time=(NOW + timedelta(hours=1)).time().replace(second=0),
            horizon=1, is_rota=False, host_id=olga.id, bring_list="Wine ×2",
        ),
        NOW,
    )  # fmt: skip
    db.session.commit()
    [date] = series.coming_dates(made, NOW)
    assert date.bring_list == "Wine ×2"
    answer(date, fiona)
    bring.claim(fiona, date, "Wine", "", NOW)
    series.update_series(
        organiser_of(group), made,
        series.dataclasses.replace(series.SeriesDetails.of(made), bring_list="Cake"),
        NOW,
    )  # fmt: skip
    db.session.refresh(date)
    assert bring_lists.read(date.bring_list) == [Line("Cake", 1), Line("Wine", 1)]
    assert claims_of(date) == [("Fiona", "Wine")]


# --- suggesting ---------------------------------------------------------------


def test_a_new_gathering_suggests_the_groups_latest_list(party, make_event):
    group = party["group"]
    make_event(group, starts_at=NOW + timedelta(days=9), bring_list="")
    assert bring_lists.suggested(group) == LIST
    make_event(group, starts_at=NOW + timedelta(days=8), bring_list="Wine")
    assert bring_lists.suggested(group) == "Wine"
    assert bring_lists.suggested_for_series(group) == "Wine"


# --- the board ----------------------------------------------------------------


def test_the_board_names_only_for_those_who_see_names(party):
    event = party["event"]
    bring.claim(party["fiona"], event, "Dessert", "Lemon tart", NOW)
    named = bring_lists.board(event, party["bea"], None, True, "")
    [dessert] = [n for n in named.covered]
    assert (dessert.thing, dessert.left, dessert.taken[0].name) == (
        "Dessert",
        1,
        "Fiona",
    )
    assert dessert.taken[0].note == "Lemon tart"
    counted = bring_lists.board(event, None, None, False, "no")
    assert counted.covered[0].taken[0].name == ""
    assert counted.covered[0].taken[0].note == ""
    assert [n.thing for n in counted.still_needed][:3] == [
        "Main dish",
        "Salad",
        "Dessert",
    ]


def test_no_list_no_board(party, make_event):
    assert bring_lists.board(make_event(party["group"]), None, None, True, "") is None


def test_an_rsvp_closed_reason_is_not_a_claim_reason(party):
    # Claims stay open after the RSVP deadline, until the end.
    event = party["event"]
    assert rsvps.closed_reason(event, event.starts_at)
    assert bring.claim(party["fiona"], event, "Salad", "", event.starts_at)


def test_roles_do_not_bypass_going(party, add_member):
    with pytest.raises(NotAllowed):
        bring.claim(party["olga"], party["event"], "Salad", "", NOW)  # not going
